package report

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"liaisondesk/data"
)

// xlsxStyles are the workbook's cell styles.
type xlsxStyles struct {
	banner, header, date, datetime, label int
}

func newXLSXStyles(f *excelize.File, colour string) (xlsxStyles, error) {
	var st xlsxStyles
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	dateFmt, timeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	st.banner = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF", Size: 12},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(colour, "#")}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	st.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2F3B4A"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	st.date = mk(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left"}})
	st.datetime = mk(&excelize.Style{CustomNumFmt: &timeFmt, Alignment: &excelize.Alignment{Horizontal: "left"}})
	st.label = mk(&excelize.Style{Font: &excelize.Font{Bold: true}})
	return st, err
}

// writeXLSX writes a workbook: a Report sheet saying what it is, then one
// sheet per section. Every sheet has the banner in its first row, its
// header in the second (frozen, with a filter), typed cells: dates as
// dates, numbers as numbers. Sheets are streamed, so memory stays flat.
func writeXLSX(ctx context.Context, d *doc, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f, d.banner.Classification.Colour)
	if err != nil {
		return err
	}
	about := "Report"
	if err := f.SetSheetName("Sheet1", about); err != nil {
		return err
	}
	info := [][2]string{{"Report", d.title}, {"Posting", d.subtitle}, {"Period", d.period},
		{"Generated", d.generated.UTC().Format("2006-01-02 15:04 UTC")}, {"Officer", d.officer}, {"Device", d.device},
		{"Banner", d.banner.String()}}
	if d.ceiling.level != "" {
		info = append(info, [2]string{"Ceiling", d.ceiling.level})
	}
	if len(d.ceiling.nations) > 0 {
		info = append(info, [2]string{"Releasable to", strings.Join(d.ceiling.nations, ", ")})
	}
	if d.ceiling.active() {
		info = append(info, [2]string{"Left out", d.ceilingLine()})
	}
	sw, err := f.NewStreamWriter(about)
	if err != nil {
		return err
	}
	if err := startSheet(sw, d, st, []column{{key: "item", title: "Item", width: 2}, {key: "value", title: "Value", width: 8}}); err != nil {
		return err
	}
	for i, kv := range info {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: st.label, Value: kv[0]}, kv[1]}); err != nil {
			return err
		}
	}
	if err := endSheet(sw, 2, len(info), "About"); err != nil {
		return err
	}
	used := map[string]bool{strings.ToLower(about): true}
	for ti, t := range d.tables() {
		name := sheetName(t.title, used)
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		if err := startSheet(sw, d, st, t.columns); err != nil {
			return err
		}
		vals := make([]any, len(t.columns))
		n := 0
		err = d.each(ctx, t, func(r row) error {
			for i, c := range t.columns {
				vals[i] = xlsxValue(c, r.value(i), st)
			}
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n+2)
			return sw.SetRow(cell, vals)
		})
		if err != nil {
			return err
		}
		if err := endSheet(sw, len(t.columns), n, fmt.Sprintf("Section%d", ti+1)); err != nil {
			return err
		}
	}
	// The Report sheet, first, is the active one already; SetActiveSheet
	// would read every streamed sheet back into memory.
	_, err = f.WriteTo(w)
	return err
}

// startSheet sets the widths, freezes the first two rows, and writes the
// banner (merged across the table) and the header.
func startSheet(sw *excelize.StreamWriter, d *doc, st xlsxStyles, cols []column) error {
	for i, c := range cols {
		w := c.width * 9
		switch c.typ {
		case dateCol:
			w = max(w, 12)
		case timeCol:
			w = max(w, 17)
		}
		if err := sw.SetColWidth(i+1, i+1, min(w, 80)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A3", ActiveCell: "A3", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if len(cols) > 1 {
		if err := sw.MergeCell("A1", last); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.banner, Value: d.banner.String()}}, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.header, Value: c.title}
	}
	return sw.SetRow("A2", head, excelize.RowOpts{Height: 30})
}

// endSheet adds the table (its filter buttons on the header) and flushes.
func endSheet(sw *excelize.StreamWriter, ncols, nrows int, table string) error {
	last, _ := excelize.CoordinatesToCellName(ncols, max(nrows, 1)+2)
	stripes := true
	if err := sw.AddTable(&excelize.Table{Range: "A2:" + last, Name: table, StyleName: "TableStyleLight9", ShowRowStripes: &stripes}); err != nil {
		return err
	}
	return sw.Flush()
}

func xlsxValue(c column, v any, st xlsxStyles) any {
	switch c.typ {
	case dateCol:
		switch x := v.(type) {
		case string:
			if t, err := time.Parse(data.DateLayout, x); err == nil {
				return excelize.Cell{StyleID: st.date, Value: t}
			}
			return x
		case time.Time:
			if !x.IsZero() {
				return excelize.Cell{StyleID: st.date, Value: time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)}
			}
			return nil
		}
	case timeCol:
		if t, ok := asTime(v); ok {
			// Spreadsheets have no zones: the wall time where it happened.
			return excelize.Cell{StyleID: st.datetime, Value: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)}
		}
		if s, ok := v.(string); ok && s != "" {
			return s
		}
		return nil
	case boolCol:
		if b, ok := v.(bool); ok {
			return b
		}
	}
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	return v
}

// sheetName makes a unique sheet name of at most 31 characters without the
// characters sheet names may not hold.
func sheetName(title string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, title)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	base := name
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" %d", i)
		r := []rune(base)
		name = string(r[:min(len(r), 31-len(suffix))]) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}
