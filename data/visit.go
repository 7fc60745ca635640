package data

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// KindVisit is a request for an Indian delegation to visit a US facility
// (issue 14 item 5): it goes through the Defence Wing into the Foreign
// Visits System, with a lead time.
const KindVisit Kind = "visit"

// VisitType is the kind of visit authorization asked for.
type VisitType string

const (
	VisitOneTime   VisitType = "one_time"
	VisitRecurring VisitType = "recurring"
	VisitExtended  VisitType = "extended"
)

// VisitTypes are the visit authorizations a request may ask for.
var VisitTypes = []string{string(VisitOneTime), string(VisitRecurring), string(VisitExtended)}

// VisitStatus is where a visit request stands.
type VisitStatus string

const (
	VisitDrafted    VisitStatus = "drafted"
	VisitSentToWing VisitStatus = "sent_to_defence_wing"
	VisitSubmitted  VisitStatus = "submitted"
	VisitApproved   VisitStatus = "approved"
	VisitDenied     VisitStatus = "denied"
	VisitHeld       VisitStatus = "held"
	VisitReportDone VisitStatus = "report_done"
)

// VisitStatuses are the states of a visit request, in workflow order.
var VisitStatuses = []string{string(VisitDrafted), string(VisitSentToWing), string(VisitSubmitted), string(VisitApproved),
	string(VisitDenied), string(VisitHeld), string(VisitReportDone)}

// visitWorkflow lists the allowed moves from each state: the request is
// drafted, sent to the Defence Wing, submitted into the Foreign Visits
// System, approved or denied; an approved visit is held, then its
// post-visit report is done. denied and report_done are ends.
var visitWorkflow = map[VisitStatus][]VisitStatus{
	VisitDrafted:    {VisitSentToWing},
	VisitSentToWing: {VisitSubmitted},
	VisitSubmitted:  {VisitApproved, VisitDenied},
	VisitApproved:   {VisitHeld},
	VisitHeld:       {VisitReportDone},
	VisitDenied:     nil,
	VisitReportDone: nil,
}

// NextVisitStatuses lists the states a visit may move to from its current one.
func NextVisitStatuses(from VisitStatus) []VisitStatus { return slices.Clone(visitWorkflow[from]) }

// CheckVisitTransition refuses a change of state the workflow does not
// allow, naming the states that are allowed.
func CheckVisitTransition(from, to VisitStatus) error {
	if _, ok := visitWorkflow[to]; !ok {
		return Invalid("status", "%q is not a state of a visit (one of %s)", Clip(string(to)), strings.Join(VisitStatuses, ", "))
	}
	next := visitWorkflow[from]
	if !slices.Contains(next, to) {
		if len(next) == 0 {
			return Invalid("status", "%s is an end: no change of state is allowed", from)
		}
		s := make([]string, len(next))
		for i, n := range next {
			s[i] = string(n)
		}
		return Invalid("status", "cannot go from %s to %s (allowed: %s)", from, to, strings.Join(s, ", "))
	}
	return nil
}

// The sensitive fields of a visitor: kept and synced like any other, but
// left out of lists, exports, reports and search unless asked for by name.
const (
	SensitivePassport  = "passport"
	SensitiveBirthDate = "birth_date"
)

// VisitSensitive are the fields that may be asked for by name.
var VisitSensitive = []string{SensitivePassport, SensitiveBirthDate}

// Visitor is one member of a visiting delegation.
type Visitor struct {
	Name         string `json:"name"`
	Rank         string `json:"rank"`
	Organisation string `json:"organisation"`
	Nationality  string `json:"nationality"` // ISO 3166 alpha-3
	Clearance    string `json:"clearance"`
	Passport     string `json:"passport"`   // sensitive
	BirthDate    string `json:"birth_date"` // sensitive, YYYY-MM-DD
}

// MaxVisitors is how many visitors one request lists.
const MaxVisitors = 100

func (v *Visitor) validate() error {
	v.Nationality = strings.ToUpper(strings.TrimSpace(v.Nationality))
	if err := CheckLine("name", v.Name, true); err != nil {
		return err
	}
	if err := checkLines("rank", v.Rank, "organisation", v.Organisation, "clearance", v.Clearance, "passport", v.Passport); err != nil {
		return err
	}
	if err := checkNation("nationality", v.Nationality, false); err != nil {
		return err
	}
	return CheckDate("birth_date", v.BirthDate, false)
}

// Visit is a visit request (docs/DOMAIN.md).
type Visit struct {
	ID          string      `json:"id"`
	Posting     string      `json:"posting"` // its lead time; the officer's posting when not given
	VisitType   VisitType   `json:"visit_type"`
	Facility    string      `json:"facility"`
	StartsOn    string      `json:"starts_on"` // YYYY-MM-DD
	EndsOn      string      `json:"ends_on"`   // YYYY-MM-DD
	Purpose     string      `json:"purpose"`
	Program     string      `json:"program"`  // the related programme
	FMSCase     string      `json:"fms_case"` // or Foreign Military Sales case
	USContact   string      `json:"us_contact"`
	FVSCase     string      `json:"fvs_case"` // the Foreign Visits System case number
	Status      VisitStatus `json:"status"`
	StatusNotes string      `json:"status_notes"`
	Visitors    []Visitor   `json:"visitors"`
}

func (v *Visit) RecordKind() Kind      { return KindVisit }
func (v *Visit) RecordID() string      { return v.ID }
func (v *Visit) SetRecordID(id string) { v.ID = id }

func (v *Visit) Validate() error {
	if err := CheckID("id", v.ID, false); err != nil {
		return err
	}
	if err := CheckLine("posting", v.Posting, false); err != nil {
		return err
	}
	if v.VisitType == "" {
		v.VisitType = VisitOneTime
	}
	if err := CheckEnum("visit_type", string(v.VisitType), VisitTypes, true); err != nil {
		return err
	}
	if err := CheckText("purpose", v.Purpose, MaxText); err != nil {
		return err
	}
	if strings.TrimSpace(v.Purpose) == "" {
		return Invalid("purpose", "is required")
	}
	if err := CheckDate("starts_on", v.StartsOn, true); err != nil {
		return err
	}
	if err := CheckDate("ends_on", v.EndsOn, true); err != nil {
		return err
	}
	if v.EndsOn < v.StartsOn {
		return Invalid("ends_on", "%s is before the start, %s", v.EndsOn, v.StartsOn)
	}
	if err := checkLines("facility", v.Facility, "program", v.Program, "fms_case", v.FMSCase,
		"us_contact", v.USContact, "fvs_case", v.FVSCase); err != nil {
		return err
	}
	if v.Status == "" {
		v.Status = VisitDrafted
	}
	if err := CheckEnum("status", string(v.Status), VisitStatuses, true); err != nil {
		return err
	}
	if err := CheckText("status_notes", v.StatusNotes, MaxText); err != nil {
		return err
	}
	return checkVisitors(v.Visitors)
}

func checkVisitors(vs []Visitor) error {
	if len(vs) > MaxVisitors {
		return Invalid("visitors", "has %d entries, at most %d", len(vs), MaxVisitors)
	}
	for i := range vs {
		if err := vs[i].validate(); err != nil {
			return Prefixed(fmt.Sprintf("visitors[%d]", i), err)
		}
	}
	return nil
}

// checkVisitorList is the check a visitors list arriving by sync or import
// is held to.
func checkVisitorList(raw json.RawMessage) error {
	var vs []Visitor
	if err := json.Unmarshal(raw, &vs); err != nil {
		return Invalid("visitors", "is not a list of visitors ({name, rank, organisation, nationality, clearance, passport, birth_date})")
	}
	return checkVisitors(vs)
}

// Redacted is the visit with the sensitive fields of its visitors blanked,
// except those named in keep (SensitivePassport, SensitiveBirthDate): what
// lists, exports and reports show unless those fields are asked for.
func (v *Visit) Redacted(keep []string) *Visit {
	out := *v
	out.Visitors = slices.Clone(v.Visitors)
	for i := range out.Visitors {
		if !slices.Contains(keep, SensitivePassport) {
			out.Visitors[i].Passport = ""
		}
		if !slices.Contains(keep, SensitiveBirthDate) {
			out.Visitors[i].BirthDate = ""
		}
	}
	return &out
}

// ParseSensitive reads a comma-separated list of sensitive fields asked for
// by name (e.g. "passport,birth_date"), refusing any other name.
func ParseSensitive(field, list string) ([]string, error) {
	var out []string
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.Contains(VisitSensitive, n) {
			return nil, Invalid(field, "%q is not a sensitive field (one of %s)", Clip(n), strings.Join(VisitSensitive, ", "))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// VisitorNames is what search and lists read of a visitors list (JSON):
// names and organisations only, never the sensitive fields.
func VisitorNames(raw json.RawMessage) string {
	var vs []Visitor
	if json.Unmarshal(raw, &vs) != nil {
		return ""
	}
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		p := v.Name
		if v.Rank != "" {
			p = v.Rank + " " + p
		}
		if v.Organisation != "" {
			p += " (" + v.Organisation + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// DefaultVisitLeadDays is a posting's visit lead time when HQ has set none:
// the days before a visit its request should be submitted.
const DefaultVisitLeadDays = 30

// ArmyWaiverDays is the notice under which the US Army asks a waiver with a
// foreign visit request (AR 380-10).
const ArmyWaiverDays = 14

// LeadDays is the posting's visit lead time, DefaultVisitLeadDays unless set.
func (p *Posting) LeadDays() int {
	if p == nil || p.VisitLeadDays <= 0 {
		return DefaultVisitLeadDays
	}
	return p.VisitLeadDays
}

// LeadTimeWarning says, for a visit not yet submitted, when it starts
// inside the lead time (days) counted from today (YYYY-MM-DD); "" when it
// does not, or once the request is in the Foreign Visits System.
func (v *Visit) LeadTimeWarning(leadDays int, today string) string {
	switch v.Status {
	case VisitDrafted, VisitSentToWing, "":
	default:
		return ""
	}
	start, err1 := time.Parse(DateLayout, v.StartsOn)
	now, err2 := time.Parse(DateLayout, today)
	if err1 != nil || err2 != nil {
		return ""
	}
	days := int(start.Sub(now).Hours() / 24)
	if days >= leadDays {
		return ""
	}
	msg := fmt.Sprintf("the visit starts in %d days, inside the %d-day lead time for visit requests", days, leadDays)
	if days < 0 {
		msg = fmt.Sprintf("the visit started %d days ago, inside the %d-day lead time for visit requests", -days, leadDays)
	}
	if days < ArmyWaiverDays {
		msg += fmt.Sprintf("; under %d days the US Army asks a waiver with the request (AR 380-10)", ArmyWaiverDays)
	}
	return msg
}

var visitFields = concat(fields(TextField, "posting", "visit_type", "facility"), formatted(DateText, "starts_on", "ends_on"),
	fields(TextField, "purpose", "program", "fms_case", "us_contact", "fvs_case", "status", "status_notes"),
	fields(ListField, "visitors"))

// visitKind is the visit's descriptor (data/kind.go). Search reads the
// visitors' names and organisations (visitor_names), never the sensitive
// fields.
var visitKind = &KindInfo{Kind: KindVisit, Table: "visits", New: func() Record { return &Visit{} },
	Fields: visitFields, SearchText: []string{"visitor_names"},
	List: &ListInfo{Columns: []string{"starts_on", "ends_on", "posting", "facility", "purpose", "visit_type", "status", "fvs_case", "visitor_names"},
		Sort: "starts_on", Desc: true, Order: []SortKey{{Field: "starts_on", Desc: true}}, NewestFirst: true,
		DateField: "starts_on", StatusField: "status", Statuses: VisitStatuses,
		Brief: []string{"id", "starts_on", "ends_on", "posting", "facility", "status", "purpose"}},
	Search: &SearchInfo{Columns: []string{"facility", "purpose", "program", "fms_case", "us_contact", "fvs_case", "visitor_names"},
		TitleFields: []string{"purpose", "facility"}, Title: func(v []string) string {
			if v[1] != "" {
				return v[0] + " (" + v[1] + ")"
			}
			return v[0]
		}, When: "starts_on"},
	ReadOnly: map[string]string{"status": "status follows the workflow: use a status change", "status_notes": "written by status changes"},
	// Visitors are a list of objects, not cells.
	Import: without(names(visitFields), "status", "status_notes", "visitors")}

// SensitiveRecord is a record with fields left out of lists, exports and
// reports unless asked for by name.
type SensitiveRecord interface {
	Record
	// WithSensitive is the record with only the sensitive fields named in
	// keep left in.
	WithSensitive(keep []string) Record
}

func (v *Visit) WithSensitive(keep []string) Record { return v.Redacted(keep) }

// WithSensitive is rec with only the sensitive fields named in keep left
// in; a record with none is returned as it is.
func WithSensitive(rec Record, keep []string) Record {
	if s, ok := rec.(SensitiveRecord); ok {
		return s.WithSensitive(keep)
	}
	return rec
}
