package data

import (
	"slices"
	"strings"
)

// Exchange kinds (docs/DOMAIN.md §2).
var ExchangeKinds = []string{"meeting", "briefing_given", "briefing_received", "call", "vtc",
	"email", "visit", "conference", "exercise", "social", "rfi_out", "rfi_in", "other"}

var (
	Directions     = []string{"given", "received", "both"}
	Disclosures    = []string{"oral", "visual", "documentary"}
	ExchangeStates = []string{string(StateDraft), string(StateFinal), string(StatePlanned), string(StateHeld),
		string(StatePostponed), string(StateCancelled)}
	RFIStatuses = []string{string(RFIOpen), string(RFIAnswered), string(RFIClosed)}
)

// ExchangeState is whether an exchange is still a draft or final: locked,
// changed only by an amendment.
type ExchangeState string

const (
	StateDraft ExchangeState = "draft"
	StateFinal ExchangeState = "final"
)

// RFIStatus is where a request for information stands.
type RFIStatus string

const (
	RFIOpen     RFIStatus = "open"
	RFIAnswered RFIStatus = "answered"
	RFIClosed   RFIStatus = "closed"
)

// Exchange is one information exchange: a meeting, briefing, call, visit or
// request for information, recorded after the fact (docs/DOMAIN.md §2).
type Exchange struct {
	ID           string   `json:"id"`
	Posting      string   `json:"posting"`
	Kind         string   `json:"kind"`
	Title        string   `json:"title"`
	OccurredAt   string   `json:"occurred_at"` // RFC 3339, UTC
	EndedAt      string   `json:"ended_at"`
	TimeZone     string   `json:"time_zone"`
	Location     string   `json:"location"`
	Counterparts []string `json:"counterparts"` // contact ids
	Participants string   `json:"participants"`
	Summary      string   `json:"summary"`
	Outcome      string   `json:"outcome"`
	Direction    string   `json:"direction"`
	Disclosure   string   `json:"disclosure"`
	Marking
	Tags  []string      `json:"tags"`
	State ExchangeState `json:"state"`

	RFIQuestion string    `json:"rfi_question"`
	RFIResponse string    `json:"rfi_response"`
	RFIDue      string    `json:"rfi_due"` // RFC 3339: latest time the answer is of value
	RFIStatus   RFIStatus `json:"rfi_status"`

	// The plan and debrief of an engagement (data/engagement.go).
	Objectives    []Objective  `json:"objectives"`
	TalkingPoints string       `json:"talking_points"`
	Asks          string       `json:"asks"`
	RedLines      string       `json:"red_lines"`
	Atmospherics  string       `json:"atmospherics"`
	Commitments   []Commitment `json:"commitments"`
	StateNotes    string       `json:"state_notes"` // one line per change of state, written by status changes

	// The DDL check (data/accreditation.go): the NDP-1 category of what was
	// disclosed, and why information beyond the DDL was received.
	NDPCategory      string `json:"ndp_category"`
	DDLJustification string `json:"ddl_justification"`
}

// IsRFI reports whether the exchange is a request for information.
func (e *Exchange) IsRFI() bool { return e.Kind == "rfi_out" || e.Kind == "rfi_in" }

// Validate checks every rule that needs no store; it normalises times to
// UTC. References (posting, classification, counterparts) are checked by the
// store.
func (e *Exchange) Validate() error {
	if err := CheckID("id", e.ID, false); err != nil {
		return err
	}
	if err := CheckLine("posting", e.Posting, true); err != nil {
		return err
	}
	if err := CheckEnum("kind", e.Kind, ExchangeKinds, true); err != nil {
		return err
	}
	if err := CheckLine("title", e.Title, true); err != nil {
		return err
	}
	var err error
	if e.OccurredAt, err = normTime("occurred_at", e.OccurredAt, true); err != nil {
		return err
	}
	if e.EndedAt, err = normTime("ended_at", e.EndedAt, false); err != nil {
		return err
	}
	if e.EndedAt != "" && e.EndedAt < e.OccurredAt {
		return Invalid("ended_at", "is before occurred_at")
	}
	if err := checkZone("time_zone", e.TimeZone, false); err != nil {
		return err
	}
	if err := CheckLine("location", e.Location, false); err != nil {
		return err
	}
	if len(e.Counterparts) > 200 {
		return Invalid("counterparts", "has %d entries, at most 200", len(e.Counterparts))
	}
	for i, id := range e.Counterparts {
		if err := CheckID("counterparts", id, true); err != nil {
			return Invalid("counterparts", "item %d: %s", i+1, err.(*FieldError).Problem)
		}
		if slices.Index(e.Counterparts, id) != i {
			return Invalid("counterparts", "contact %s is listed twice", id)
		}
	}
	for _, f := range []struct{ name, v string }{{"participants", e.Participants},
		{"summary", e.Summary}, {"outcome", e.Outcome}} {
		if err := CheckText(f.name, f.v, MaxText); err != nil {
			return err
		}
	}
	if err := CheckEnum("direction", e.Direction, Directions, false); err != nil {
		return err
	}
	if err := CheckEnum("disclosure", e.Disclosure, Disclosures, false); err != nil {
		return err
	}
	if err := e.Marking.validate(); err != nil {
		return err
	}
	if err := checkTags("tags", e.Tags); err != nil {
		return err
	}
	if e.State == "" {
		e.State = StateDraft
	}
	if err := CheckEnum("state", string(e.State), ExchangeStates, true); err != nil {
		return err
	}
	if err := e.validateEngagement(); err != nil {
		return err
	}
	if err := e.validateDDL(); err != nil {
		return err
	}
	return e.validateRFI()
}

func (e *Exchange) validateRFI() error {
	if !e.IsRFI() {
		for _, f := range []struct{ name, v string }{{"rfi_question", e.RFIQuestion},
			{"rfi_response", e.RFIResponse}, {"rfi_due", e.RFIDue}, {"rfi_status", string(e.RFIStatus)}} {
			if f.v != "" {
				return Invalid(f.name, "is only for kinds rfi_out and rfi_in, not %s", e.Kind)
			}
		}
		return nil
	}
	if err := CheckText("rfi_question", e.RFIQuestion, MaxText); err != nil {
		return err
	}
	if strings.TrimSpace(e.RFIQuestion) == "" {
		return Invalid("rfi_question", "is required for a request for information")
	}
	if err := CheckText("rfi_response", e.RFIResponse, MaxText); err != nil {
		return err
	}
	var err error
	if e.RFIDue, err = normTime("rfi_due", e.RFIDue, false); err != nil {
		return err
	}
	if e.RFIStatus == "" {
		e.RFIStatus = RFIOpen
	}
	return CheckEnum("rfi_status", string(e.RFIStatus), RFIStatuses, true)
}
