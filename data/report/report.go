// Package report turns the store's records into the reports staff send
// (docs/DOMAIN.md §7): marked PDFs, XLSX workbooks, CSV, iCalendar and JSON,
// each written to an io.Writer, and reads CSV and XLSX files back in.
//
// The window and the command line call the same few functions:
//
//	Reports, Exports        what can be written, in which formats
//	Count                   what a report would hold (for a preview)
//	Write                   write it, with a progress callback
//	FileName                the suggested file name
//	SaveFile                write a file atomically
//	ReadImport, Commit      import: dry run, then commit
package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// Format is a kind of file.
type Format string

const (
	PDF  Format = "pdf"
	XLSX Format = "xlsx"
	CSV  Format = "csv"
	ICS  Format = "ics"
	JSON Format = "json"
)

// Kind describes one report or export.
type Kind struct {
	Name    string   // as typed on the command line: weekly, requests, ...
	Title   string   // as printed: "Priority-support request tracker"
	Slug    string   // in file names: request-tracker
	Formats []Format // the formats it can be written in, the first the usual one
	Period  bool     // reads a period (From, To)
	Needs   string   // "period" when From and To are required, "id" when ID is
	Export  bool     // a whole table rather than a report
	About   string   // one line for a picker
}

var reportKinds = []Kind{
	{Name: "weekly", Title: "Weekly activity report", Slug: "weekly-activity", Formats: []Format{PDF, XLSX, CSV, JSON}, Period: true, Needs: "period",
		About: "exchanges in order, key outcomes, RFIs, request status changes, actions due"},
	{Name: "exchange", Title: "Memorandum for record", Slug: "memorandum-for-record", Formats: []Format{PDF}, Needs: "id",
		About: "one exchange as a memorandum for record"},
	{Name: "engagement", Title: "Engagement brief", Slug: "engagement-brief", Formats: []Format{PDF}, Needs: "id",
		About: "one planned exchange: objectives, lines to take, and each counterpart's role, last contacts and open actions"},
	{Name: "rfi", Title: "RFI tracker", Slug: "rfi-tracker", Formats: []Format{PDF, XLSX, CSV, JSON}, Period: true,
		About: "requests for information raised in the period and all still open: overdue, open, answered"},
	{Name: "requests", Title: "Priority-support request tracker", Slug: "request-tracker", Formats: []Format{PDF, XLSX, CSV, JSON, ICS}, Period: true,
		About: "one row per request: rating, required vs promised, acceptance clock, SPA, days in state, last action"},
	{Name: "command", Title: "Command summary", Slug: "command-summary", Formats: []Format{PDF, XLSX, CSV, JSON}, Period: true, Needs: "period",
		About: "exchanges by kind and week, organisations engaged, actions, requests by status, with charts"},
	{Name: "contacts", Title: "Counterpart register", Slug: "counterpart-register", Formats: []Format{PDF, XLSX, CSV, JSON},
		About: "every counterpart with exchanges and last contact"},
	{Name: "actions", Title: "Action list", Slug: "action-list", Formats: []Format{PDF, XLSX, CSV, JSON, ICS}, Period: true,
		About: "actions by owner and due date; still-open ones whatever their date"},
	{Name: "handover", Title: "Handover pack", Slug: "handover-pack", Formats: []Format{PDF, XLSX, CSV, JSON}, Period: true, Needs: "period",
		About: "open actions, open requests, counterpart register and the key records of the period"},
	{Name: "documents", Title: "Register of documents received", Slug: "documents-register", Formats: []Format{PDF, XLSX, CSV, JSON}, Period: true,
		About: "documents and information received: category, release, control number, route to HQ, disposition"},
}

var exportKinds = []Kind{
	{Name: "exchange", Title: "Exchanges", Slug: "exchanges", Formats: []Format{CSV, XLSX, JSON}, Period: true, Export: true,
		About: "every field of every exchange"},
	{Name: "request", Title: "Priority-support requests", Slug: "requests", Formats: []Format{CSV, XLSX, JSON}, Export: true,
		About: "every request, one row per line (JSON: with lines and history)"},
	{Name: "contact", Title: "Contacts", Slug: "contacts", Formats: []Format{CSV, XLSX, JSON}, Export: true,
		About: "every counterpart"},
	{Name: "action", Title: "Actions", Slug: "actions", Formats: []Format{CSV, XLSX, JSON}, Period: true, Export: true,
		About: "every follow-up action"},
	{Name: "document", Title: "Documents received", Slug: "documents", Formats: []Format{CSV, XLSX, JSON}, Period: true, Export: true,
		About: "every document received"},
	{Name: "gift", Title: "Gifts and hospitality", Slug: "gifts", Formats: []Format{CSV, XLSX, JSON}, Period: true, Export: true,
		About: "every gift, with its deposit deadline"},
	{Name: "visit", Title: "Visit requests", Slug: "visits", Formats: []Format{CSV, XLSX, JSON}, Period: true, Export: true,
		About: "every visit request, one row per visitor (passport and date of birth only when asked for)"},
	{Name: "accreditation", Title: "Accreditations", Slug: "accreditations", Formats: []Format{CSV, XLSX, JSON}, Export: true,
		About: "every officer's accreditation and DDL"},
}

// Reports lists the reports, in the order a picker shows them.
func Reports() []Kind { return clone(reportKinds) }

// Exports lists the whole-table exports.
func Exports() []Kind { return clone(exportKinds) }

func clone(ks []Kind) []Kind {
	out := slices.Clone(ks)
	for i := range out {
		out[i].Formats = slices.Clone(out[i].Formats)
	}
	return out
}

// Lookup finds a report (export false) or an export kind by name.
func Lookup(name string, export bool) (Kind, error) {
	list, what := reportKinds, "report"
	if export {
		list, what = exportKinds, "export"
	}
	var names []string
	for _, k := range list {
		if k.Name == name {
			return k, nil
		}
		names = append(names, k.Name)
	}
	return Kind{}, &data.FieldError{Field: "kind", Problem: fmt.Sprintf("%q is not a%s %s (one of %s)", name, an(what), what, strings.Join(names, ", "))}
}

func an(w string) string {
	if strings.ContainsRune("aeiou", rune(w[0])) {
		return "n"
	}
	return ""
}

// Options say what to write.
type Options struct {
	Kind     string   // a report (see Reports) or, with Export, a table (see Exports)
	Export   bool     // Kind names a whole-table export
	From, To string   // the period, YYYY-MM-DD inclusive
	Posting  string   // one posting; "" for all
	ID       string   // the exchange of a memorandum for record
	Ceiling  string   // leave out records above this classification; "" for none
	Rel      []string // leave out records not releasable to all these nations
	// Include names the sensitive fields an export holds (a visit's
	// data.VisitSensitive); none unless asked for by name.
	Include []string
	// HomeZone is where headquarters reads times: the memorandum and the
	// weekly report print each time there too ("": Asia/Kolkata).
	HomeZone string
	// Now is when the report is generated, and "today" for clocks and
	// overdue figures (zero: the store's clock).
	Now time.Time
	// Progress, when set, is called now and then with the rows written so
	// far and the rows the report will hold.
	Progress func(done, total int)
	// File is where Write's output goes ("-" for standard output), named
	// in the audit entry Write records (data/audit.go).
	File string
}

// SectionCount is what one part of a report holds.
type SectionCount struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Rows    int    `json:"rows"`
	LeftOut int    `json:"left_out"`
}

// Summary is what a report holds, counted before writing (Count) or as
// written (Write).
type Summary struct {
	Kind    Kind
	Banner  data.Banner // highest marking, common releasability of what it holds
	Rows    int         // records in its tables (a request export: requests; its CSV has a row per line)
	LeftOut int         // records the ceiling or the nations left out
	// LeftOutWhy is why records are left out: "above the ceiling
	// CONFIDENTIAL", "not releasable to USA, IND", or both joined by "or";
	// "" when no ceiling or nations were given.
	LeftOutWhy string
	Sections   []SectionCount // per part
}

// LeftOutText says what was left out and why, e.g. "18 left out: not
// releasable to USA, IND", or "nothing left out"; "" when no ceiling or
// nations were given.
func (s Summary) LeftOutText() string {
	switch {
	case s.LeftOutWhy == "":
		return ""
	case s.LeftOut == 0:
		return "nothing left out"
	}
	return fmt.Sprintf("%d left out: %s", s.LeftOut, s.LeftOutWhy)
}

// ErrFormat means the report cannot be written in the format asked for.
var ErrFormat = errors.New("format not available for this report")

// Count says what a report would hold without writing it: rows and left
// out per section, and its banner. It reads counts where it can, so a
// preview of a big export is quick.
func Count(ctx context.Context, s *store.Store, o Options) (Summary, error) {
	d, err := build(ctx, s, o)
	if err != nil {
		return Summary{}, err
	}
	return d.summary(), nil
}

// Write writes the report in format f to w. Nothing above the ceiling is
// read into it; the banner is computed from what it holds. On error, what
// was written to w is incomplete: write to a temporary file (SaveFile).
func Write(ctx context.Context, s *store.Store, o Options, f Format, w io.Writer) (Summary, error) {
	k, err := Lookup(o.Kind, o.Export)
	if err != nil {
		return Summary{}, err
	}
	if !slices.Contains(k.Formats, f) {
		return Summary{}, formatError(k, f)
	}
	d, err := build(ctx, s, o)
	if err != nil {
		return Summary{}, err
	}
	switch f {
	case CSV:
		err = writeCSV(ctx, d, w)
	case JSON:
		err = writeJSON(ctx, d, w)
	case XLSX:
		err = writeXLSX(ctx, d, w)
	case PDF:
		err = writePDF(ctx, d, w)
	case ICS:
		err = writeICS(ctx, d, w)
	}
	if err != nil {
		return Summary{}, fmt.Errorf("write %s %s: %w", k.Name, f, err)
	}
	d.progress(true)
	sum := d.summary()
	if err := recordOutput(ctx, s, k, f, o.File, o.Include, sum); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

func formatError(k Kind, f Format) error {
	fs := make([]string, len(k.Formats))
	for i, x := range k.Formats {
		fs[i] = string(x)
	}
	return &data.FieldError{Field: "format", Problem: fmt.Sprintf("%q: the %s can be written as %s", f, strings.ToLower(k.Title), strings.Join(fs, ", "))}
}

// ParseFormat reads a format name.
func ParseFormat(v string) (Format, error) {
	switch f := Format(strings.ToLower(v)); f {
	case PDF, XLSX, CSV, ICS, JSON:
		return f, nil
	}
	return "", &data.FieldError{Field: "format", Problem: fmt.Sprintf("%q is not a format (pdf, xlsx, csv, ics, json)", v)}
}

// FileName suggests a file name for a report: the day it was generated,
// what it is, the posting and the banner's classification, e.g.
// 2026-11-25_request-tracker_CMF_CONFIDENTIAL.pdf.
func FileName(o Options, f Format, banner data.Banner) string {
	k, err := Lookup(o.Kind, o.Export)
	slug := o.Kind
	if err == nil {
		slug = k.Slug
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	parts := []string{now.Format(data.DateLayout), slug}
	if o.Posting != "" {
		parts = append(parts, o.Posting)
	}
	if banner.Classification.ID != "" {
		parts = append(parts, banner.Classification.ID)
	}
	name := strings.Join(parts, "_") + "." + string(f)
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, name)
}
