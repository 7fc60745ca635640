package data

// Officer is who a device belongs to, given at init.
type Officer struct {
	Name    string `json:"officer"`
	Rank    string `json:"rank"`
	Posting string `json:"posting"`
}

func (o *Officer) Validate(postings []Posting) error {
	if err := CheckLine("officer", o.Name, true); err != nil {
		return err
	}
	if err := CheckLine("rank", o.Rank, true); err != nil {
		return err
	}
	if err := CheckLine("posting", o.Posting, true); err != nil {
		return err
	}
	for _, p := range postings {
		if p.ID == o.Posting {
			return nil
		}
	}
	codes := ""
	for i, p := range postings {
		if i > 0 {
			codes += ", "
		}
		codes += p.ID
	}
	return Invalid("posting", "%q is not a known posting (one of %s)", Clip(o.Posting), codes)
}
