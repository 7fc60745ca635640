package data

import (
	"time"
)

// Draft is an unsaved form kept on this laptop only: outside the change
// log, never synced, removed once the record is saved.
type Draft struct {
	Kind    Kind
	ID      string // the record's id, "" for a new record
	Body    []byte // the form's record as JSON
	SavedAt time.Time
}
