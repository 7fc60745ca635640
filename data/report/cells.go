package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"liaisondesk/data"
)

// tables lists the sections every tabular format writes: the tables, and
// the figures as a two-column table.
func (d *doc) tables() []*section {
	var out []*section
	for _, sec := range d.sections {
		switch {
		case sec.rows != nil:
			out = append(out, sec)
		case len(sec.fields) > 0:
			rows := make([]row, len(sec.fields))
			for i, f := range sec.fields {
				rows[i] = row{cells: []any{f.label, f.value}}
			}
			out = append(out, &section{name: sec.name, title: sec.title, rows: slice(rows), count: len(rows),
				columns: []column{{key: "item", title: "Item", width: 3}, {key: "value", title: "Value", width: 6, wrap: true}}})
		}
	}
	return out
}

// asTime reads a time cell: a time.Time, or RFC 3339 text.
func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, !x.IsZero()
	case string:
		t, err := time.Parse(time.RFC3339, x)
		return t, err == nil
	}
	return time.Time{}, false
}

// plainText is a cell as CSV and JSON write it: dates as YYYY-MM-DD, times
// as RFC 3339, numbers in full, booleans as yes or no.
func plainText(c column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if c.typ == dateCol {
			return x.Format(data.DateLayout)
		}
		return x.Format(time.RFC3339)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	}
	return fmt.Sprint(v)
}

// neutralise keeps a spreadsheet from reading a CSV cell as a formula: a
// cell that begins with = + - @ (or a tab or carriage return, which some
// spreadsheets skip) gets a leading apostrophe.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// unneutralise undoes neutralise when a file comes back in.
func unneutralise(s string) string {
	if len(s) >= 2 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r':
			return s[1:]
		}
	}
	return s
}

// joinList writes a list field in one cell.
func joinList(l []string) string { return strings.Join(l, ", ") }

// statement is the line every file carries about itself: what, where,
// when, who, and what the ceiling left out.
func (d *doc) statement() string {
	parts := []string{d.title, d.subtitle}
	if d.period != "" {
		parts = append(parts, d.period)
	}
	gen := "generated " + d.generated.UTC().Format("2006-01-02 15:04 UTC")
	if d.officer != "" {
		gen += " by " + d.officer
	}
	if d.device != "" {
		gen += ", device " + d.device
	}
	parts = append(parts, gen)
	if c := d.ceilingLine(); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, " · ")
}

// ceilingLine says what the ceiling and the nations left out and why,
// e.g. "18 records left out: not releasable to USA, IND", or "" without
// either.
func (d *doc) ceilingLine() string {
	if !d.ceiling.active() {
		return ""
	}
	n := d.leftOut
	if n == 0 {
		return "Nothing left out: " + d.ceiling.none()
	}
	noun := "records"
	if n == 1 {
		noun = "record"
	}
	return fmt.Sprintf("%d %s left out: %s", n, noun, d.ceiling.why())
}
