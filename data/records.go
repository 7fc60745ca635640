package data

// Record is any entity users create: *Exchange, *Request, *Contact, *Action
// or *Posting.
type Record interface {
	Validate() error
}
