package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// titleCell is the title label of the list row now showing row id.
func titleCell(t *testing.T, lv *listView, id int) *widget.Label {
	t.Helper()
	col := -1
	for i, c := range lv.columns {
		if c.key == "title" {
			col = i
		}
	}
	var cell *widget.Label
	lv.list.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) {
		lv.updateRow(i, o)
		if i == id {
			cell = o.(*fyne.Container).Objects[col].(*widget.Label)
		}
	}
	lv.list.Refresh()
	if cell == nil {
		t.Fatalf("row %d is not on screen", id)
	}
	return cell
}

func TestListCellsAreCutWithAnEllipsisAndRecutOnResize(t *testing.T) {
	ui, s := newTestApp(t)
	long := "Briefing given to the Combined Maritime Forces staff on the Indian Navy's anti-piracy deployments in the Gulf of Aden since 2008"
	if _, err := s.Add(context.Background(), &data.Exchange{Posting: "CMF", Kind: "briefing_given", Title: long,
		OccurredAt: "2026-11-02T06:00:00Z", Marking: data.Marking{Classification: "UNCLASSIFIED"}}); err != nil {
		t.Fatal(err)
	}
	ui.showSection("Exchanges")
	lv := ui.exchanges.list
	cell := titleCell(t, lv, 0)
	fits := func(l *widget.Label) bool {
		return fyne.MeasureText(l.Text, theme.TextSize(), fyne.TextStyle{}).Width <= l.Size().Width-2*theme.InnerPadding()+1
	}
	if !strings.HasSuffix(cell.Text, "…") || !strings.HasPrefix(long, strings.TrimSuffix(cell.Text, "…")) || !fits(cell) {
		t.Fatalf("cell %q (width %v): want a prefix of the title ending in … that fits", cell.Text, cell.Size().Width)
	}
	narrow := cell.Text
	capture(t, ui.Window(), "exchanges_list_ellipsis")

	ui.Window().Resize(fyne.NewSize(1800, 780))
	wide := titleCell(t, lv, 0)
	if len(wide.Text) <= len(narrow) || !fits(wide) {
		t.Fatalf("after widening, cell %q (width %v); before %q", wide.Text, wide.Size().Width, narrow)
	}
	lv.mu.Lock()
	n := len(lv.cuts)
	lv.mu.Unlock()
	if n != len(lv.columns) {
		t.Errorf("%d cut pages kept after a resize, want one per column (the old width's are dropped)", n)
	}
}

func TestCellCutterKeepsShortTextWhole(t *testing.T) {
	test.NewTempApp(t)
	c := newCellCutter()
	if got := c.cut("Malabar", 300); got != "Malabar" {
		t.Errorf("short text cut to %q", got)
	}
	if got := c.cut("Briefing given to the staff", 60); !strings.HasSuffix(got, "…") || len(got) >= len("Briefing given to the staff") {
		t.Errorf("long text cut to %q", got)
	}
}
