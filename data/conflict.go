package data

import (
	"encoding/json"
)

// ConflictValue is one of the competing values of a conflicting field:
// what it is, and who set it, when, from which device.
type ConflictValue struct {
	Change  string          `json:"change"` // change id, for resolve --keep
	Value   json.RawMessage `json:"value"`
	Officer string          `json:"officer"`
	Device  string          `json:"device"` // the device's short code
	Site    string          `json:"site"`
	At      string          `json:"at"`
	Shown   bool            `json:"shown"` // the value the record shows meanwhile
}

// Conflict is one field of one record with concurrent different values,
// kept on every replica until someone resolves it. The field "_deleted" is
// a record deleted on one device while edited on another: its values are
// the delete (true) and the edits (the fields they changed).
type Conflict struct {
	Kind   Kind            `json:"kind"`
	ID     string          `json:"id"`
	Field  string          `json:"field"`
	Values []ConflictValue `json:"values"`
	// For a child row (a request's line or status entry): the record it
	// belongs to.
	ParentKind Kind   `json:"parent_kind,omitempty"`
	ParentID   string `json:"parent_id,omitempty"`
	// Note explains a conflict that is not two values: a field whose
	// values were all superseded by changes that did not set it, so it
	// would have no current value (the last one is shown meanwhile).
	Note string `json:"note,omitempty"`
}
