package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"liaisondesk/data"
)

// icsItem is one calendar entry: an action's due date (a to-do) or a
// request's deadline (an all-day event).
type icsItem struct {
	uid     string // stable: the record's id and what the date is
	todo    bool
	date    string // YYYY-MM-DD
	summary string
	desc    string
	status  string // VTODO: NEEDS-ACTION, IN-PROCESS, COMPLETED, CANCELLED
	marking data.Marking
}

type icsSource struct {
	items func(ctx context.Context, emit func(icsItem) error) error
}

// icsDomain ends every UID; with the record's id it keeps UIDs stable
// across exports, so a calendar that imports a file again updates its
// entries rather than adding them twice.
const icsDomain = "@liaisondesk"

func actionTodo(a *data.ReportAction) (icsItem, bool) {
	if a.DueOn == "" {
		return icsItem{}, false
	}
	status := map[data.ActionStatus]string{data.ActionOpen: "NEEDS-ACTION", data.ActionInProgress: "IN-PROCESS", data.ActionDone: "COMPLETED", data.ActionCancelled: "CANCELLED"}[a.Status]
	desc := "Owner: " + a.Owner
	if a.Source != "" {
		desc += "\nBorn in: " + a.Source
	}
	if a.Notes != "" {
		desc += "\n" + a.Notes
	}
	return icsItem{uid: "action-" + a.ID + icsDomain, todo: true, date: a.DueOn, summary: a.Title, desc: desc, status: status, marking: a.Marking}, true
}

func requestEvents(r *data.Request) []icsItem {
	var out []icsItem
	what := strings.TrimSpace(r.Ref + " " + r.Program)
	desc := fmt.Sprintf("Status: %s\nRating: %s\nSupplier: %s", humanise(r.Status), r.Rating, r.Supplier)
	for _, d := range []struct{ key, date, summary string }{
		{"required-by", r.RequiredBy, "Required by: " + what},
		{"acceptance-due", r.AcceptanceDue, "Supplier acceptance due: " + what},
		{"delay-confirm-due", r.DelayConfirmDue, "Written delay confirmation due: " + what},
		{"promised-by", r.PromisedBy, "Promised delivery: " + what},
	} {
		if d.date == "" {
			continue
		}
		out = append(out, icsItem{uid: "request-" + r.ID + "-" + d.key + icsDomain, date: d.date, summary: d.summary, desc: desc, marking: r.Marking})
	}
	return out
}

// writeICS writes an iCalendar file (RFC 5545): to-dos for actions and
// all-day events for request deadlines. Each summary starts with the
// record's marking; the calendar's name carries the banner.
func writeICS(ctx context.Context, d *doc, w io.Writer) error {
	if d.ics == nil {
		return fmt.Errorf("%w: %s", ErrFormat, d.kind.Name)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	line := func(s string) { writeFolded(bw, s) }
	stamp := d.generated.UTC().Format("20060102T150405Z")
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Liaison Desk//Reports//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icsText(d.title+" ("+d.subtitle+") "+d.banner.String()))
	line("X-LIAISONDESK-BANNER:" + icsText(d.banner.String()))
	if c := d.ceilingLine(); c != "" {
		line("X-LIAISONDESK-CEILING:" + icsText(c))
	}
	err := d.ics.items(ctx, func(it icsItem) error {
		if !covers(d.levels, d.banner, it.marking) {
			return errChanged
		}
		day, err := time.Parse(data.DateLayout, it.date)
		if err != nil {
			return nil
		}
		summary := it.summary
		if m := markText(it.marking); m != "" {
			summary = "(" + m + ") " + summary
		}
		if it.todo {
			line("BEGIN:VTODO")
		} else {
			line("BEGIN:VEVENT")
		}
		line("UID:" + it.uid)
		line("DTSTAMP:" + stamp)
		if it.todo {
			line("DUE;VALUE=DATE:" + day.Format("20060102"))
			if it.status != "" {
				line("STATUS:" + it.status)
			}
		} else {
			line("DTSTART;VALUE=DATE:" + day.Format("20060102"))
			line("DTEND;VALUE=DATE:" + day.AddDate(0, 0, 1).Format("20060102"))
			line("TRANSP:TRANSPARENT")
		}
		line("SUMMARY:" + icsText(summary))
		if it.desc != "" {
			line("DESCRIPTION:" + icsText(it.desc))
		}
		line("CLASS:" + icsClass(it.marking))
		if it.todo {
			line("END:VTODO")
		} else {
			line("END:VEVENT")
		}
		return nil
	})
	if err != nil {
		return err
	}
	line("END:VCALENDAR")
	return bw.Flush()
}

func icsClass(m data.Marking) string {
	if m.Classification == "" || m.Classification == "UNCLASSIFIED" {
		return "PUBLIC"
	}
	return "CONFIDENTIAL"
}

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeFolded writes a content line folded at 75 octets, never inside a
// UTF-8 sequence, ending in CRLF.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
