package data

// Record is any entity users create: *Exchange, *Request, *Contact, *Action,
// *Posting, or a *Classification level. It knows its kind and its id, so a
// save needs nothing beside it. (The methods are not Kind and ID: those
// are fields, an exchange's Kind among them.)
type Record interface {
	Validate() error
	RecordKind() Kind
	RecordID() string
	// SetRecordID gives a new record its id before it is saved, so that
	// records saved with it can name it.
	SetRecordID(id string)
}

func (e *Exchange) RecordKind() Kind            { return KindExchange }
func (e *Exchange) RecordID() string            { return e.ID }
func (e *Exchange) SetRecordID(id string)       { e.ID = id }
func (r *Request) RecordKind() Kind             { return KindRequest }
func (r *Request) RecordID() string             { return r.ID }
func (r *Request) SetRecordID(id string)        { r.ID = id }
func (c *Contact) RecordKind() Kind             { return KindContact }
func (c *Contact) RecordID() string             { return c.ID }
func (c *Contact) SetRecordID(id string)        { c.ID = id }
func (a *Action) RecordKind() Kind              { return KindAction }
func (a *Action) RecordID() string              { return a.ID }
func (a *Action) SetRecordID(id string)         { a.ID = id }
func (p *Posting) RecordKind() Kind             { return KindPosting }
func (p *Posting) RecordID() string             { return p.ID }
func (p *Posting) SetRecordID(id string)        { p.ID = id }
func (c *Classification) RecordKind() Kind      { return KindClassification }
func (c *Classification) RecordID() string      { return c.ID }
func (c *Classification) SetRecordID(id string) { c.ID = id }
