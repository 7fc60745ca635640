package data

import "time"

// Document dispositions: what became of a document received
// (docs/DOMAIN.md, the documents register).
const (
	DispositionHeld      = "held"
	DispositionReturned  = "returned"
	DispositionDestroyed = "destroyed"
	DispositionForwarded = "forwarded"
)

// DocumentDispositions are the values a document's disposition takes.
var DocumentDispositions = []string{DispositionHeld, DispositionReturned, DispositionDestroyed, DispositionForwarded}

// Document is a document or piece of information the officer received:
// the register the security officer keeps (docs/DOMAIN.md).
type Document struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	ReceivedOn string `json:"received_on"` // YYYY-MM-DD
	Marking
	Category      string `json:"category"`       // NDP-1 category code, "1"-"8"
	Disclosure    string `json:"disclosure"`     // oral, visual or documentary
	Originator    string `json:"originator"`     // the US originator
	ReleaseRef    string `json:"release_ref"`    // the foreign disclosure officer's release reference
	ControlNumber string `json:"control_number"` // control or copy number
	HQRoute       string `json:"hq_route"`       // how it was sent to HQ
	Disposition   string `json:"disposition"`    // held, returned, destroyed or forwarded
	DispositionOn string `json:"disposition_on"` // YYYY-MM-DD, for any disposition but held
	ExchangeID    string `json:"exchange_id"`    // the exchange where it was received
	Notes         string `json:"notes"`
}

func (d *Document) RecordKind() Kind      { return KindDocument }
func (d *Document) RecordID() string      { return d.ID }
func (d *Document) SetRecordID(id string) { d.ID = id }

// Validate checks every rule that needs no store. The exchange it names,
// its classification and dates in the future are the store's to check
// (CheckDates).
func (d *Document) Validate() error {
	if err := CheckID("id", d.ID, false); err != nil {
		return err
	}
	if err := CheckLine("title", d.Title, true); err != nil {
		return err
	}
	if err := CheckDate("received_on", d.ReceivedOn, true); err != nil {
		return err
	}
	if err := d.Marking.validate(); err != nil {
		return err
	}
	if err := CheckEnum("category", d.Category, NDPCategoryIDs(), false); err != nil {
		return err
	}
	if err := CheckEnum("disclosure", d.Disclosure, Disclosures, false); err != nil {
		return err
	}
	if err := checkLines("originator", d.Originator, "release_ref", d.ReleaseRef,
		"control_number", d.ControlNumber, "hq_route", d.HQRoute); err != nil {
		return err
	}
	if d.Disposition == "" {
		d.Disposition = DispositionHeld
	}
	if err := CheckEnum("disposition", d.Disposition, DocumentDispositions, true); err != nil {
		return err
	}
	if err := CheckDate("disposition_on", d.DispositionOn, false); err != nil {
		return err
	}
	switch {
	case d.Disposition != DispositionHeld && d.DispositionOn == "":
		return Invalid("disposition_on", "is required when the document was %s", d.Disposition)
	case d.Disposition == DispositionHeld && d.DispositionOn != "":
		return Invalid("disposition_on", "is only set when the document was returned, destroyed or forwarded")
	case d.DispositionOn != "" && d.DispositionOn < d.ReceivedOn:
		return Invalid("disposition_on", "%s is before received_on %s", d.DispositionOn, d.ReceivedOn)
	}
	if err := CheckID("exchange_id", d.ExchangeID, false); err != nil {
		return err
	}
	return CheckText("notes", d.Notes, MaxText)
}

// CheckDates refuses a date after today, the latest date anywhere on
// Earth at now (a document is registered once it has been received, and
// a date typed a year ahead is a slip).
func (d *Document) CheckDates(now time.Time) error {
	latest := LatestToday(now)
	for _, f := range []struct{ name, v string }{{"received_on", d.ReceivedOn}, {"disposition_on", d.DispositionOn}} {
		if f.v > latest {
			return Invalid(f.name, "%s is in the future", f.v)
		}
	}
	return nil
}

// LatestToday is the date at now in the zone furthest ahead (UTC+14), so
// no officer anywhere is told today is in the future.
func LatestToday(now time.Time) string {
	return now.UTC().Add(14 * time.Hour).Format(DateLayout)
}

// Holds reports whether the document is still held by the officer.
func (d *Document) Holds() bool { return d.Disposition == "" || d.Disposition == DispositionHeld }

// DocumentQuery selects documents for the register: received in the
// period, and every one still held.
type DocumentQuery struct {
	From, To string // YYYY-MM-DD, inclusive; "" for no bound
}

// ReportDocument is a document in the register, marked at the highest
// level of itself and its attachments.
type ReportDocument struct {
	Document
	ExchangeOn string // YYYY-MM-DD of the exchange where it was received; "" for none or deleted
	Files      int    // attachments
}
