package data

// MarkingCount is how many selected records carry one marking.
type MarkingCount struct {
	Marking
	Count int
}

// ExchangeQuery selects exchanges for a report. Empty fields do not filter.
type ExchangeQuery struct {
	Posting  string
	From, To string // YYYY-MM-DD, inclusive, on occurred_at (UTC)
	ID       string // one exchange
	RFIOnly  bool   // only requests for information (rfi_out, rfi_in)
	OpenRFIs bool   // with RFIOnly: also open RFIs raised before From
}

// RequestQuery selects requests for a report.
type RequestQuery struct {
	Posting string
	// ActiveFrom (YYYY-MM-DD) leaves out requests closed or cancelled
	// before that day: a tracker holds what was live in its period.
	ActiveFrom string
	OpenOnly   bool // only requests not closed or cancelled
}

// ActionQuery selects follow-up actions for a report.
type ActionQuery struct {
	Posting  string // the posting of the exchange or request it was born in
	From, To string // YYYY-MM-DD, inclusive, on due_on
	OpenToo  bool   // also actions still to do whatever their due date
	OpenOnly bool   // only actions open or in progress
}

// StatusChangeQuery selects request status changes made in a period.
type StatusChangeQuery struct {
	Posting  string
	From, To string // YYYY-MM-DD, inclusive, on the change's time (UTC)
}

// ReportAction is an action with what a report needs of the exchange or
// request it was born in. Actions carry no marking of their own: they are
// marked as their parent is (empty when they have none).
type ReportAction struct {
	Action
	Marking
	Posting string // the parent's posting, "" without a parent
	Source  string // the parent's title, or a request's ref and programme
}

// ReportStatusChange is one request status change with its request's
// reference, programme and marking.
type ReportStatusChange struct {
	StatusEntry
	Ref, Program, Posting, Direction string
	Marking
}

// ContactMeetings are the exchanges that met a contact, per posting and
// marking: how many and the last one.
type ContactMeetings struct {
	Marking
	Posting string
	Count   int
	Last    string // RFC 3339
}

// ReportContact is a contact with the exchanges that met them.
type ReportContact struct {
	Contact
	Met []ContactMeetings
}
