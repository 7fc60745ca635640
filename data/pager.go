package data

// Row is one line of a list view: the record's id and its list columns as
// text.
type Row struct {
	ID     string
	Values map[string]string
}
