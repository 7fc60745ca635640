package data

import (
	"errors"
	"slices"
)

// KindAudit is an entry of the audit of what left the system: one per
// report, export, backup (and, later, opened attachment). It is written
// by the store as the output is made, never by an officer, and synced
// like any other change so HQ sees every laptop's (docs/DOMAIN.md).
const KindAudit Kind = "audit"

// What an audit entry records leaving the system.
const (
	OutputReport     = "report"
	OutputExport     = "export"
	OutputBackup     = "backup"
	OutputAttachment = "attachment"
)

// Outputs are the values AuditEntry.What may take.
var Outputs = []string{OutputReport, OutputExport, OutputBackup, OutputAttachment}

// ErrAppendOnly: audit entries are never changed or deleted, by anyone.
var ErrAppendOnly = errors.New("audit entries are never changed")

// AuditEntry is one output that left the system. Who made it (officer and
// device) and when are read from the change log, which the device signed,
// never stored as fields a peer could set.
type AuditEntry struct {
	ID   string `json:"id"`
	What string `json:"what"` // report | export | backup | attachment
	// Name is the report's name (weekly, command, ...), the table
	// exported (exchanges, ...), or the attachment's title; "" for a
	// backup.
	Name   string `json:"name"`
	Format string `json:"format"` // pdf, xlsx, csv, json, ics, sqlite, ...
	// Classification and Releasability are the output's ceiling: its
	// banner (a backup: the highest level of any record it holds, and no
	// releasability, since it holds everything).
	Classification string   `json:"classification"`
	Releasability  []string `json:"releasability"`
	File           string   `json:"file"` // the file's name, without its folder; "-" for standard output
	Rows           int64    `json:"rows"` // records or rows written; 0 when not counted
}

func (a *AuditEntry) RecordKind() Kind      { return KindAudit }
func (a *AuditEntry) RecordID() string      { return a.ID }
func (a *AuditEntry) SetRecordID(id string) { a.ID = id }

// Validate checks an entry before it is written, and a peer's before it
// is applied.
func (a *AuditEntry) Validate() error {
	if !slices.Contains(Outputs, a.What) {
		return Invalid("what", "%q is not one of report, export, backup, attachment", Clip(a.What))
	}
	for _, f := range []struct{ name, v string }{{"name", a.Name}, {"format", a.Format}, {"classification", a.Classification}, {"file", a.File}} {
		if err := CheckLine(f.name, f.v, false); err != nil {
			return err
		}
	}
	if a.Rows < 0 {
		return Invalid("rows", "is negative")
	}
	return CheckNations("releasability", a.Releasability)
}

// Audited is an audit entry as listed: the entry, and who made it, where
// and when, read from the signed change log.
type Audited struct {
	AuditEntry
	At      string `json:"at"`      // RFC 3339, from the change's clock reading
	Officer string `json:"officer"` // as the device's identity names its officer
	Device  string `json:"device"`  // the device's short code
	Site    string `json:"site"`    // the device's site id
}

// AuditQuery selects audit entries by day, YYYY-MM-DD inclusive; "" for
// no bound.
type AuditQuery struct {
	From, To string
}
