package report

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"liaisondesk/data"
)

// layoutDoc is a report of two tables: filler rows, then a table whose
// first row is tall, so the second table starts wherever the filler ends.
func layoutDoc(filler int) *doc {
	cols := func(a, b string) []column {
		return []column{{key: "a", title: a, width: 1, wrap: true}, {key: "b", title: b, width: 4, wrap: true}}
	}
	var fill []row
	for i := range filler {
		fill = append(fill, row{cells: []any{fmt.Sprintf("fill %d", i), "x"}})
	}
	tall := strings.TrimSpace(strings.Repeat("tall ", 10)) + strings.Repeat("\nline", 9)
	return &doc{kind: Kind{Name: "test"}, title: "Layout", subtitle: "All postings", generated: testNow,
		banner: data.Banner{Classification: data.Classification{ID: "UNCLASSIFIED", Colour: "#007A33"}},
		sections: []*section{
			{name: "first", title: "First", columns: cols("Filler", "More"), rows: slice(fill), count: filler},
			{name: "second", title: "SECONDTITLE", note: "A note under the title.", columns: cols("SECONDHEAD", "Text"),
				rows: slice([]row{{cells: []any{"FIRSTROW", tall}}, {cells: []any{"SECONDROW", "x"}}}), count: 2},
		}}
}

// TestTableHeaderKeepsItsFirstRow: a table's header never ends a page
// without its first row, nor a section's heading without its table's
// header and first row, wherever on the page the table starts.
func TestTableHeaderKeepsItsFirstRow(t *testing.T) {
	for filler := 0; filler <= 36; filler++ {
		var buf bytes.Buffer
		if err := writePDF(context.Background(), layoutDoc(filler), &buf); err != nil {
			t.Fatal(err)
		}
		pages := pdfPages(t, buf.Bytes())
		at := func(s string) int {
			for i, p := range pages {
				if strings.Contains(p, s) {
					return i + 1
				}
			}
			return 0
		}
		title, head, first := at("SECONDTITLE"), at("SECONDHEAD"), at("FIRSTROW")
		if first == 0 || title != first || head != first {
			t.Errorf("after %d filler rows: title on page %d, header on page %d, first row on page %d", filler, title, head, first)
		}
	}
}
