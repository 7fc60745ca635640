package data

// Contact is a counterpart the officer meets (docs/DOMAIN.md §5). People rotate:
// past appointments are kept as free text in PastAppointments.
type Contact struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Rank             string   `json:"rank"`
	Appointment      string   `json:"appointment"`
	Organisation     string   `json:"organisation"`
	Directorate      string   `json:"directorate"`
	Nation           string   `json:"nation"`
	Email            string   `json:"email"`
	Phone            string   `json:"phone"`
	Notes            string   `json:"notes"`
	PastAppointments []string `json:"past_appointments"`
}

func (c *Contact) Validate() error {
	if err := CheckID("id", c.ID, false); err != nil {
		return err
	}
	if err := CheckLine("name", c.Name, true); err != nil {
		return err
	}
	if err := checkLines("rank", c.Rank, "appointment", c.Appointment, "organisation", c.Organisation,
		"directorate", c.Directorate, "phone", c.Phone); err != nil {
		return err
	}
	if err := checkNation("nation", c.Nation, false); err != nil {
		return err
	}
	if err := checkEmail("email", c.Email); err != nil {
		return err
	}
	if err := CheckText("notes", c.Notes, MaxText); err != nil {
		return err
	}
	return checkTags("past_appointments", c.PastAppointments)
}
