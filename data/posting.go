package data

import (
	"regexp"
)

// Posting is where a liaison officer serves. Postings are data: HQ may add
// more. Its id is its code, so seeds never duplicate across laptops.
type Posting struct {
	ID       string `json:"id"`        // the posting code, e.g. "CMF"
	Name     string `json:"name"`      // e.g. "Combined Maritime Forces"
	Location string `json:"location"`  // e.g. "Manama, Bahrain"
	TimeZone string `json:"time_zone"` // IANA zone
	// VisitLeadDays is how many days before a visit its request should be
	// in: DefaultVisitLeadDays unless HQ sets another (data/visit.go).
	VisitLeadDays int `json:"visit_lead_days"`
}

var postingCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,19}$`)

func (p *Posting) Validate() error {
	if p.ID == "" {
		return Invalid("id", "is required (a posting code such as CMF)")
	}
	if !postingCodeRE.MatchString(p.ID) {
		return Invalid("id", "%q is not a posting code (2–20 capitals, digits or _, starting with a letter)", Clip(p.ID))
	}
	if err := CheckLine("name", p.Name, true); err != nil {
		return err
	}
	if err := CheckLine("location", p.Location, false); err != nil {
		return err
	}
	if p.VisitLeadDays == 0 {
		p.VisitLeadDays = DefaultVisitLeadDays
	}
	if p.VisitLeadDays < 1 || p.VisitLeadDays > 365 {
		return Invalid("visit_lead_days", "%d is not a number of days from 1 to 365", p.VisitLeadDays)
	}
	return checkZone("time_zone", p.TimeZone, true)
}

// DefaultPostings are the three commands of the Memorandum of Agreement on
// Liaison Officers, seeded into every new store.
func DefaultPostings() []Posting {
	return []Posting{
		{ID: "INDOPACOM", Name: "US Indo-Pacific Command", Location: "Camp H. M. Smith, Hawaii", TimeZone: "Pacific/Honolulu"},
		{ID: "SOCOM", Name: "US Special Operations Command", Location: "MacDill AFB, Tampa, Florida", TimeZone: "America/New_York"},
		{ID: "CMF", Name: "Combined Maritime Forces", Location: "Manama, Bahrain", TimeZone: "Asia/Bahrain"},
	}
}

// HQPostingID is the built-in posting of HQ's staff and hubs.
const HQPostingID = "IHQ"

// HQPosting is where HQ's staff and hubs serve. It is built in, so HQ can
// make a store, but seeded only into a store posted there: the liaison
// officers' stores keep the three postings of the Memorandum, and receive
// it by sync when HQ's records name it.
func HQPosting() Posting {
	return Posting{ID: HQPostingID, Name: "Integrated HQ of the Ministry of Defence", Location: "New Delhi, India", TimeZone: "Asia/Kolkata"}
}

// BuiltinPostings are the postings a new store may be posted to.
func BuiltinPostings() []Posting { return append(DefaultPostings(), HQPosting()) }
