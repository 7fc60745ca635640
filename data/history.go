package data

import (
	"encoding/json"
)

// HistoryEntry is one field change of a record, read from the log: who
// saved it, when, from which device, and the value before and after.
type HistoryEntry struct {
	At      string          `json:"at"`
	Change  string          `json:"change"` // change id, <site>:<seq>
	Site    string          `json:"site"`
	Officer string          `json:"officer"`
	Field   string          `json:"field"`
	Old     json.RawMessage `json:"old"`
	New     json.RawMessage `json:"new"`
	// Ahead marks a time more than a minute ahead of this laptop's clock:
	// the change's author had a clock set wrong (or this laptop's is).
	Ahead bool `json:"ahead,omitempty"`
}
