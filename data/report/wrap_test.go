package report

import (
	"regexp"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// TestCellTextWrapsAtSpaces: a table cell breaks between words; only a
// word wider than the whole column is split, after a - or / when it has
// one.
func TestCellTextWrapsAtSpaces(t *testing.T) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontName, "", fontRegular)
	pdf.SetFont(fontName, "", tableFont)
	w := pdf.GetStringWidth
	for _, c := range []struct {
		text  string
		width float64
		want  []string
	}{
		{"CH-47F Block II aerostructures", w("CH-47F Block II") + 0.1, []string{"CH-47F Block II", "aerostructures"}},
		{"SPA-2026-0920", w("SPA-2026-0920") + 0.1, []string{"SPA-2026-0920"}},
		{"SPA-2026-0920", w("SPA-2026-09"), []string{"SPA-2026-", "0920"}},
		{"See INDOPACOM-2026-1650-0004 now", w("INDOPACOM-2026-16"), []string{"See", "INDOPACOM-2026-", "1650-0004 now"}},
		{"CONFIDENTIAL//REL TO USA, IND", w("CONFIDENTIAL//R"), []string{"CONFIDENTIAL//", "REL TO USA, IND"}},
		{"aerostructures", w("aerostruct") + 0.01, []string{"aerostruct", "ures"}},
		{"one\ntwo three", w("two three"), []string{"one", "two three"}},
	} {
		got := wrap(pdf, c.text, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q in %.1f mm: %q, want %q", c.text, c.width, got, c.want)
		}
		for _, l := range got {
			if w(l) > c.width {
				t.Errorf("%q is wider than %.1f mm", l, c.width)
			}
		}
	}
}

// TestHandoverPackKeepsWordsWhole: the narrow columns of the handover
// pack's request table hold programmes and SPA cases unbroken.
func TestHandoverPackKeepsWordsWhole(t *testing.T) {
	s := demoStore(t)
	b, _ := write(t, s, Options{Kind: "handover", From: "2026-06-01", To: "2026-11-30"}, PDF)
	text := strings.Join(pdfPages(t, b), "\n")
	if n := strings.Count(text, "aerostructur"); n == 0 || n != strings.Count(text, "aerostructures") {
		t.Errorf("aerostructures broken in %d of %d places", n-strings.Count(text, "aerostructures"), n)
	}
	whole := regexp.MustCompile(`SPA-\d{4}-\d{4}\b`).FindAllString(text, -1)
	all := regexp.MustCompile(`SPA-\d{4}-\d*`).FindAllString(text, -1)
	if len(all) == 0 || len(whole) != len(all) {
		t.Errorf("SPA cases broken: %q", all)
	}
}

// TestMarkingCellsWrapAsDrawn: a marking is drawn bold, so it is wrapped
// in bold and stays inside its column.
func TestMarkingCellsWrapAsDrawn(t *testing.T) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontName, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontName, "B", fontBold)
	p := &pdfw{pdf: pdf}
	const m = "RESTRICTED//REL TO USA, GBR, IND"
	pdf.SetFont(fontName, "", tableFont)
	tl := p.layout([]column{colMarking}, pdf.GetStringWidth(m)+2*cellPad+0.1) // fits only in regular
	lines := make([][]string, 1)
	p.cells(tl, row{cells: []any{m}}, lines)
	pdf.SetFont(fontName, "B", tableFont)
	for _, l := range lines[0] {
		if w := pdf.GetStringWidth(l); w > tl.ws[0]-2*cellPad {
			t.Errorf("%q is %.1f mm wide in bold, the column holds %.1f", l, w, tl.ws[0]-2*cellPad)
		}
	}
}

// TestTableHeadersKeepWordsWhole: no report table's header splits a word.
func TestTableHeadersKeepWordsWhole(t *testing.T) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontName, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontName, "B", fontBold)
	p := &pdfw{pdf: pdf}
	w, _ := pdf.GetPageSize()
	for _, cols := range [][]column{exchangeCol, outcomeCol, rfiCol, requestCol, actionCol, contactCol, changeCol} {
		tl := p.layout(cols, w-2*margin)
		for i, c := range cols {
			if got := strings.Join(tl.heads[i], " "); got != c.title {
				t.Errorf("header %q is wrapped as %q", c.title, tl.heads[i])
			}
		}
	}
}
