package data

// ActionStatus is where a follow-up action stands.
type ActionStatus string

const (
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
	ActionCancelled  ActionStatus = "cancelled"
)

// ActionStatuses are the states of a follow-up action.
var ActionStatuses = []string{string(ActionOpen), string(ActionInProgress), string(ActionDone), string(ActionCancelled)}

// Action is a follow-up tasker born in an exchange or a request
// (docs/DOMAIN.md §3).
type Action struct {
	ID         string       `json:"id"`
	ExchangeID string       `json:"exchange_id"`
	RequestID  string       `json:"request_id"`
	Title      string       `json:"title"`
	Owner      string       `json:"owner"`
	DueOn      string       `json:"due_on"` // YYYY-MM-DD
	Status     ActionStatus `json:"status"`
	DoneAt     string       `json:"done_at"` // RFC 3339
	Notes      string       `json:"notes"`
}

func (a *Action) Validate() error {
	if err := CheckID("id", a.ID, false); err != nil {
		return err
	}
	if err := CheckID("exchange_id", a.ExchangeID, false); err != nil {
		return err
	}
	if err := CheckID("request_id", a.RequestID, false); err != nil {
		return err
	}
	if err := CheckLine("title", a.Title, true); err != nil {
		return err
	}
	if err := CheckLine("owner", a.Owner, false); err != nil {
		return err
	}
	if err := CheckDate("due_on", a.DueOn, false); err != nil {
		return err
	}
	if a.Status == "" {
		a.Status = ActionOpen
	}
	if err := CheckEnum("status", string(a.Status), ActionStatuses, true); err != nil {
		return err
	}
	var err error
	if a.DoneAt, err = normTime("done_at", a.DoneAt, false); err != nil {
		return err
	}
	if a.DoneAt != "" && a.Status != ActionDone {
		return Invalid("done_at", "is only set when status is done")
	}
	return CheckText("notes", a.Notes, MaxText)
}

// Overdue reports whether the action is still to do and its due date is
// before today (today as seen in the owner's zone, given by the caller).
func (a *Action) Overdue(today string) bool {
	return a.DueOn != "" && a.DueOn < today && (a.Status == ActionOpen || a.Status == ActionInProgress)
}
