package data

// RowMark is what a list shows beside a record: edits not yet sent to
// anyone, and fields in conflict.
type RowMark struct {
	Unsent   bool
	Conflict bool
}
