package data

// ListFilter narrows a list. Empty fields do not filter.
type ListFilter struct {
	Posting        string
	Status         string // exchange: state; request and action: status
	Kind           string // exchange kind
	Classification string
	From, To       string // YYYY-MM-DD, inclusive: exchange occurred_at, request required_by, action due_on
	OverdueOn      string // actions still to do and due before this date (YYYY-MM-DD)
	ExchangeID     string // actions born in this exchange
	RequestID      string // actions born in this request
	Limit          int    // 0: all
}

// Counts are the number of live records per table.
type Counts map[string]int64

// ContactStats are a counterpart's figures for the register: how many
// exchanges met them and when the last one was.
type ContactStats struct {
	Exchanges   int    `json:"exchanges"`
	LastContact string `json:"last_contact"` // RFC 3339, "" when never
}
