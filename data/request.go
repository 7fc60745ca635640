package data

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Request directions (docs/DOMAIN.md §4).
const (
	InToUS = "in_to_us" // India asks for DPAS-backed priority from a US supplier
	USToIN = "us_to_in" // the US DoD asks an Indian firm under the Code of Conduct
)

// RequestStatus is a state of a request's workflow (docs/DOMAIN.md §4):
// each direction has its own, and moves only along its transitions.
type RequestStatus string

// The states of the in_to_us workflow, then those only us_to_in has.
const (
	StatusDraft              RequestStatus = "draft"
	StatusSubmitted          RequestStatus = "submitted"
	StatusForwardedToDoD     RequestStatus = "forwarded_to_dod"
	StatusProgramDetermined  RequestStatus = "program_determined"
	StatusRatingAuthorized   RequestStatus = "rating_authorized"
	StatusOrderPlaced        RequestStatus = "order_placed"
	StatusSupplierRejected   RequestStatus = "supplier_rejected"
	StatusSupplierAccepted   RequestStatus = "supplier_accepted"
	StatusInPerformance      RequestStatus = "in_performance"
	StatusPartiallyDelivered RequestStatus = "partially_delivered"
	StatusDelivered          RequestStatus = "delivered"
	StatusClosed             RequestStatus = "closed"
	StatusCancelled          RequestStatus = "cancelled"

	StatusReceived          RequestStatus = "received"
	StatusPassedToMoD       RequestStatus = "passed_to_mod"
	StatusFirmContacted     RequestStatus = "firm_contacted"
	StatusFirmWillSupport   RequestStatus = "firm_will_support"
	StatusFirmCannotSupport RequestStatus = "firm_cannot_support"
)

var (
	RequestDirections = []string{InToUS, USToIN}
	CoCAnswers        = []string{"yes", "no", "unknown"}
)

// Request is a priority-support request under the Security of Supply
// Arrangement.
type Request struct {
	ID              string `json:"id"`
	Ref             string `json:"ref"` // generated, e.g. CMF-2026-7F3A-0007
	Direction       string `json:"direction"`
	Posting         string `json:"posting"`
	Program         string `json:"program"`
	EndUser         string `json:"end_user"`
	Justification   string `json:"justification"`
	Lines           []Line `json:"lines"`
	Rating          string `json:"rating"`      // DO-A1, DX-A3; empty for us_to_in
	RequiredBy      string `json:"required_by"` // a real date, never "ASAP"
	Supplier        string `json:"supplier"`
	SupplierCountry string `json:"supplier_country"`
	CoCParticipant  string `json:"coc_participant"`
	ContractNumber  string `json:"contract_number"`
	OrderReceivedOn string `json:"order_received_on"`
	AcceptanceDue   string `json:"acceptance_due"` // computed, see Derive
	PromisedBy      string `json:"promised_by"`
	Delayed         bool   `json:"delayed"`
	DelayReportedOn string `json:"delay_reported_on"`
	DelayConfirmDue string `json:"delay_confirm_due"` // computed, see Derive
	SPACase         string `json:"spa_case"`
	SPARequestedOn  string `json:"spa_requested_on"`
	// The DPAS rules of data/dpas.go.
	DelayNotice          string        `json:"delay_notice"`     // verbal or written (§700.13(d)(2))
	DelayLearnedOn       string        `json:"delay_learned_on"` // when the supplier learned of the delay
	RejectionReason      string        `json:"rejection_reason"` // §700.13(b), (c)
	EarliestOfferedOn    string        `json:"earliest_offered_on"`
	AmendmentReceivedOn  string        `json:"amendment_received_on"`
	AmendmentSignificant bool          `json:"amendment_significant"` // a new rated order (§700.16(c))
	RatingChangedOn      string        `json:"rating_changed_on"`     // DO→DX upgrade received (§700.16(b))
	SPABasis             string        `json:"spa_basis"`             // §700.51, §700.52(a)
	UrgentNeed           string        `json:"urgent_need"`           // §700.53
	EffortMade           string        `json:"effort_made"`           // §700.53
	SPASponsoredOn       string        `json:"spa_sponsored_on"`      // §700.57: by the Government of India
	SPAEndorsedOn        string        `json:"spa_endorsed_on"`       // by DoD
	SPAForwardedOn       string        `json:"spa_forwarded_on"`      // to Commerce
	Status               RequestStatus `json:"status"`
	History              []StatusEntry `json:"history"`
	Marking
	BusinessConfidential bool `json:"business_confidential"`
}

// Line is one item of a request; a child row with its own id.
type Line struct {
	ID                string  `json:"id"`
	RequestID         string  `json:"request_id,omitempty"`
	LineNo            int     `json:"line_no"`
	Description       string  `json:"description"`
	NSN               string  `json:"nsn"`
	PartNumber        string  `json:"part_number"`
	CAGE              string  `json:"cage"`
	Quantity          float64 `json:"quantity"`
	Unit              string  `json:"unit"`
	DeliveredQuantity float64 `json:"delivered_quantity"`
}

// StatusEntry is one transition in a request's append-only history.
type StatusEntry struct {
	ID        string        `json:"id"`
	RequestID string        `json:"request_id,omitempty"`
	At        string        `json:"at"` // RFC 3339
	By        string        `json:"by"`
	From      RequestStatus `json:"from"`
	To        RequestStatus `json:"to"`
	Note      string        `json:"note"`
}

// workflow lists, per direction, the allowed transitions and the rank of
// each state (sync merges concurrent status changes by rank).
type workflow struct {
	initial     RequestStatus
	transitions map[RequestStatus][]RequestStatus
	rank        map[RequestStatus]int
}

var workflows = map[string]workflow{
	InToUS: {
		initial: StatusDraft,
		transitions: map[RequestStatus][]RequestStatus{
			StatusDraft:              {StatusSubmitted, StatusCancelled},
			StatusSubmitted:          {StatusForwardedToDoD, StatusCancelled},
			StatusForwardedToDoD:     {StatusProgramDetermined, StatusCancelled},
			StatusProgramDetermined:  {StatusRatingAuthorized, StatusCancelled},
			StatusRatingAuthorized:   {StatusOrderPlaced, StatusCancelled},
			StatusOrderPlaced:        {StatusSupplierAccepted, StatusSupplierRejected, StatusCancelled},
			StatusSupplierRejected:   {StatusOrderPlaced, StatusClosed, StatusCancelled},
			StatusSupplierAccepted:   {StatusInPerformance, StatusCancelled},
			StatusInPerformance:      {StatusPartiallyDelivered, StatusDelivered, StatusCancelled},
			StatusPartiallyDelivered: {StatusDelivered, StatusCancelled},
			StatusDelivered:          {StatusClosed},
			StatusClosed:             nil,
			StatusCancelled:          nil,
		},
		rank: map[RequestStatus]int{StatusDraft: 0, StatusSubmitted: 1, StatusForwardedToDoD: 2, StatusProgramDetermined: 3,
			StatusRatingAuthorized: 4, StatusOrderPlaced: 5, StatusSupplierRejected: 6, StatusSupplierAccepted: 6,
			StatusInPerformance: 7, StatusPartiallyDelivered: 8, StatusDelivered: 9, StatusClosed: 10, StatusCancelled: 10},
	},
	USToIN: {
		initial: StatusReceived,
		transitions: map[RequestStatus][]RequestStatus{
			StatusReceived:          {StatusPassedToMoD, StatusCancelled},
			StatusPassedToMoD:       {StatusFirmContacted, StatusCancelled},
			StatusFirmContacted:     {StatusFirmWillSupport, StatusFirmCannotSupport, StatusCancelled},
			StatusFirmCannotSupport: {StatusFirmContacted, StatusClosed},
			StatusFirmWillSupport:   {StatusInPerformance, StatusCancelled},
			StatusInPerformance:     {StatusDelivered, StatusCancelled},
			StatusDelivered:         {StatusClosed},
			StatusClosed:            nil,
			StatusCancelled:         nil,
		},
		rank: map[RequestStatus]int{StatusReceived: 0, StatusPassedToMoD: 1, StatusFirmContacted: 2,
			StatusFirmWillSupport: 3, StatusFirmCannotSupport: 3, StatusInPerformance: 4, StatusDelivered: 5,
			StatusClosed: 6, StatusCancelled: 6},
	},
}

// InitialStatus is the state a new request of the direction starts in.
func InitialStatus(direction string) RequestStatus { return workflows[direction].initial }

// NextStatuses lists the states a request may move to from its current one,
// in the order the workflow table gives them.
func NextStatuses(direction string, from RequestStatus) []RequestStatus {
	return slices.Clone(workflows[direction].transitions[from])
}

// Statuses lists every state of a direction's workflow in rank order.
func Statuses(direction string) []RequestStatus {
	w := workflows[direction]
	out := make([]RequestStatus, 0, len(w.rank))
	for s := range w.rank {
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b RequestStatus) int {
		if d := w.rank[a] - w.rank[b]; d != 0 {
			return d
		}
		return strings.Compare(string(a), string(b))
	})
	return out
}

// StatusNames are a direction's states as text, in rank order, for the
// lists that offer them.
func StatusNames(direction string) []string {
	var out []string
	for _, s := range Statuses(direction) {
		out = append(out, string(s))
	}
	return out
}

// joinStatuses lists states for a message.
func joinStatuses(ss []RequestStatus) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

// StatusRank is the rank of a state in its workflow (-1 when unknown).
func StatusRank(direction string, status RequestStatus) int {
	if r, ok := workflows[direction].rank[status]; ok {
		return r
	}
	return -1
}

// IsTerminal reports whether no transition leaves the state.
func IsTerminal(direction string, status RequestStatus) bool {
	t, ok := workflows[direction].transitions[status]
	return ok && len(t) == 0
}

// CheckTransition refuses a status change the workflow does not allow.
func CheckTransition(direction string, from, to RequestStatus) error {
	w, ok := workflows[direction]
	if !ok {
		return Invalid("direction", "%q is not one of %s", Clip(direction), strings.Join(RequestDirections, ", "))
	}
	if _, ok := w.rank[to]; !ok {
		return Invalid("status", "%q is not a state of a %s request (one of %s)", Clip(string(to)), direction, joinStatuses(Statuses(direction)))
	}
	next := w.transitions[from]
	if !slices.Contains(next, to) {
		if len(next) == 0 {
			return Invalid("status", "%s is final: no change of status is allowed", from)
		}
		return Invalid("status", "cannot go from %s to %s (allowed: %s)", from, to, joinStatuses(next))
	}
	return nil
}

// ProgramSymbols are the DPAS program identification symbols of 15 CFR 700
// Schedule I that a rating may carry. Data, not code: extend as needed.
var ProgramSymbols = map[string]string{
	"A1": "Aircraft", "A2": "Missiles and space", "A3": "Ships", "A4": "Tank-automotive",
	"A5": "Weapons", "A6": "Ammunition", "A7": "Electronic and communications equipment",
	"B1": "Military building supplies", "B8": "Production equipment (contractor)",
	"B9": "Production equipment (Government owned)", "C2": "Construction", "C3": "Maintenance, repair and operating supplies",
	"C9": "Miscellaneous",
}

var ratingRE = regexp.MustCompile(`^(DO|DX)-([A-Z][0-9])$`)

// RatingPriority is 2 for DX, 1 for DO and 0 for unrated: all DX orders
// outrank all DO orders, and both outrank unrated ones.
func RatingPriority(rating string) int {
	switch {
	case strings.HasPrefix(rating, "DX-"):
		return 2
	case strings.HasPrefix(rating, "DO-"):
		return 1
	}
	return 0
}

var (
	nsnDigits = regexp.MustCompile(`^[0-9]{13}$`)
	nsnDashed = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{3}-[0-9]{4}$`)
)

// NormaliseNSN accepts a NATO Stock Number with or without dashes and
// returns it as 1234-00-567-8901.
func NormaliseNSN(v string) (string, error) {
	d := strings.ReplaceAll(v, "-", "")
	if !nsnDigits.MatchString(d) || (strings.Contains(v, "-") && !nsnDashed.MatchString(v)) {
		return "", fmt.Errorf("%q is not a NATO Stock Number: 13 digits, written 1234-00-567-8901 or 1234005678901", Clip(v))
	}
	return d[0:4] + "-" + d[4:6] + "-" + d[6:9] + "-" + d[9:13], nil
}

var cageRE = regexp.MustCompile(`^[0-9A-Z]{5}$`)

// Validate checks the rules of docs/DOMAIN.md §4 that need no store. It
// normalises NSNs and times, and fills in the computed dates.
func (r *Request) Validate() error {
	if err := CheckID("id", r.ID, false); err != nil {
		return err
	}
	if err := CheckLine("ref", r.Ref, false); err != nil {
		return err
	}
	if err := CheckEnum("direction", r.Direction, RequestDirections, true); err != nil {
		return err
	}
	if err := CheckLine("posting", r.Posting, true); err != nil {
		return err
	}
	if err := checkLines("program", r.Program, "end_user", r.EndUser, "supplier", r.Supplier,
		"contract_number", r.ContractNumber, "spa_case", r.SPACase, "delay_notice", r.DelayNotice,
		"rejection_reason", r.RejectionReason, "spa_basis", r.SPABasis); err != nil {
		return err
	}
	if err := CheckText("justification", r.Justification, MaxText); err != nil {
		return err
	}
	if len(r.Lines) == 0 {
		return Invalid("lines", "a request needs at least one line")
	}
	if len(r.Lines) > 500 {
		return Invalid("lines", "has %d lines, at most 500", len(r.Lines))
	}
	lineIDs := make(map[string]bool, len(r.Lines))
	for i := range r.Lines {
		if err := r.Lines[i].Validate(); err != nil {
			return Prefixed(fmt.Sprintf("lines[%d]", i), err)
		}
		// One line given twice would be saved as one row: refuse it.
		if id := r.Lines[i].ID; id != "" {
			if lineIDs[id] {
				return Invalid(fmt.Sprintf("lines[%d].id", i), "line %s is listed twice", id)
			}
			lineIDs[id] = true
		}
	}
	if err := r.validateRating(); err != nil {
		return err
	}
	if err := checkRequiredBy(r.RequiredBy); err != nil {
		return err
	}
	if err := checkNation("supplier_country", r.SupplierCountry, false); err != nil {
		return err
	}
	if r.CoCParticipant == "" {
		r.CoCParticipant = "unknown"
	}
	if err := CheckEnum("coc_participant", r.CoCParticipant, CoCAnswers, true); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"order_received_on", r.OrderReceivedOn},
		{"promised_by", r.PromisedBy}, {"delay_reported_on", r.DelayReportedOn}, {"spa_requested_on", r.SPARequestedOn},
		{"delay_learned_on", r.DelayLearnedOn}, {"earliest_offered_on", r.EarliestOfferedOn}, {"amendment_received_on", r.AmendmentReceivedOn},
		{"rating_changed_on", r.RatingChangedOn}, {"spa_sponsored_on", r.SPASponsoredOn}, {"spa_endorsed_on", r.SPAEndorsedOn},
		{"spa_forwarded_on", r.SPAForwardedOn}} {
		if err := CheckDate(f.name, f.v, false); err != nil {
			return err
		}
	}
	if r.Delayed && r.DelayReportedOn == "" {
		return Invalid("delay_reported_on", "is required when the request is marked delayed")
	}
	if !r.Delayed && r.DelayReportedOn != "" {
		return Invalid("delayed", "must be true when delay_reported_on is given")
	}
	if r.Status == "" {
		r.Status = InitialStatus(r.Direction)
	}
	if StatusRank(r.Direction, r.Status) < 0 {
		return Invalid("status", "%q is not a state of a %s request (one of %s)", Clip(string(r.Status)), r.Direction, joinStatuses(Statuses(r.Direction)))
	}
	if err := r.validateDPAS(); err != nil {
		return err
	}
	if err := r.Marking.validate(); err != nil {
		return err
	}
	r.Derive()
	return nil
}

func (r *Request) validateRating() error {
	if r.Direction == USToIN {
		if r.Rating != "" {
			return Invalid("rating", "must be empty for a us_to_in request (DPAS ratings back in_to_us requests)")
		}
		return nil
	}
	if r.Rating == "" {
		return nil // not yet authorised
	}
	m := ratingRE.FindStringSubmatch(r.Rating)
	if m == nil {
		return Invalid("rating", "%q is not a DPAS rating: DO or DX, a dash and a program symbol, e.g. DO-A1", Clip(r.Rating))
	}
	if _, ok := ProgramSymbols[m[2]]; !ok {
		return Invalid("rating", "%s is not a known program identification symbol (15 CFR 700 Schedule I)", m[2])
	}
	return nil
}

// checkRequiredBy refuses "ASAP", "immediately" and the like: under 15 CFR
// 700.12 they are not delivery dates.
func checkRequiredBy(v string) error {
	low := strings.ToLower(strings.TrimSpace(v))
	switch {
	case v == "":
		return Invalid("required_by", "is required: a delivery date (YYYY-MM-DD)")
	case strings.Contains(low, "asap"), strings.Contains(low, "immediate"), strings.Contains(low, "soon as"):
		return Invalid("required_by", "%q is not a delivery date: DPAS (15 CFR 700.12) requires a specific date (YYYY-MM-DD)", Clip(v))
	}
	return CheckDate("required_by", v, true)
}

// orderPlaced reports whether the workflow has reached order_placed. A
// cancelled request got there if it was cancelled from order_placed or a
// later state; its history says which (without the entry, for instance
// before sync has brought it, it is given the benefit of the doubt).
func (r *Request) orderPlaced() bool {
	if r.Direction != InToUS {
		return false
	}
	placed := StatusRank(InToUS, StatusOrderPlaced)
	if r.Status == StatusCancelled {
		for _, h := range r.History {
			if h.To == StatusCancelled {
				return StatusRank(InToUS, h.From) >= placed
			}
		}
		return true
	}
	return StatusRank(InToUS, r.Status) >= placed
}

// Derive computes the regulatory clocks from the rules of data/dpas.go:
// the acceptance clock (15 CFR 700.13(d)(1), 700.16(b), (c)) and the
// written confirmation of a verbal delay notice (700.13(d)(2)), under the
// table's values. The store derives them under HQ's (DeriveWith).
func (r *Request) Derive() { r.DeriveWith(nil) }

// DeriveWith computes the clocks as Derive does, with HQ's values for the
// clocks HQ has set (data/dpas_clock.go).
func (r *Request) DeriveWith(v ClockValues) {
	r.AcceptanceDue = r.acceptanceDue(v)
	r.DelayConfirmDue = r.delayConfirmDue(v)
}

func (l *Line) Validate() error {
	if err := CheckID("id", l.ID, false); err != nil {
		return err
	}
	if err := CheckID("request_id", l.RequestID, false); err != nil {
		return err
	}
	if err := CheckLine("description", l.Description, true); err != nil {
		return err
	}
	if l.NSN != "" {
		n, err := NormaliseNSN(l.NSN)
		if err != nil {
			return Invalid("nsn", "%s", err.Error())
		}
		l.NSN = n
	}
	if err := checkLines("part_number", l.PartNumber, "unit", l.Unit); err != nil {
		return err
	}
	if l.CAGE != "" && !cageRE.MatchString(l.CAGE) {
		return Invalid("cage", "%q is not a CAGE code (5 letters or digits)", Clip(l.CAGE))
	}
	if !(l.Quantity > 0) || l.Quantity > 1e9 {
		return Invalid("quantity", "must be more than 0 (got %v)", l.Quantity)
	}
	if l.Unit == "" {
		l.Unit = "EA"
	}
	if l.DeliveredQuantity < 0 || l.DeliveredQuantity > l.Quantity {
		return Invalid("delivered_quantity", "must be between 0 and the quantity %v (got %v)", l.Quantity, l.DeliveredQuantity)
	}
	return nil
}

func (h *StatusEntry) Validate() error {
	var err error
	if h.At, err = normTime("at", h.At, true); err != nil {
		return err
	}
	if err := checkLines("by", h.By, "from", string(h.From), "to", string(h.To)); err != nil {
		return err
	}
	return CheckText("note", h.Note, MaxText)
}
