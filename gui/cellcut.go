package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Cutting list cells to their column with "…".
//
// Fyne's own ellipsis (Label.Truncation = TextTruncateEllipsis) shapes the
// text again on every SetText: ten times the cost of a wheel event
// (BenchmarkGUIScroll, p95 0.18 → 1.9 ms). So the list cuts the text
// itself, once per page of rows and column width, and a wheel event only
// looks the cut text up; the label keeps clipping as a last guard.

// cutKey names the cut texts of one column of one page at one width.
type cutKey struct {
	page, col int
	width     float32
}

// cellCutter measures text by summing each rune's advance, measured once
// per rune: close enough to the shaped width for a cut, far cheaper.
type cellCutter struct {
	size     float32
	glyphs   map[rune]float32
	ellipsis float32
}

func newCellCutter() *cellCutter {
	c := &cellCutter{size: theme.TextSize(), glyphs: map[rune]float32{}}
	c.ellipsis = c.advance('…')
	return c
}

func (c *cellCutter) advance(r rune) float32 {
	w, ok := c.glyphs[r]
	if !ok {
		w = fyne.MeasureText(string(r), c.size, fyne.TextStyle{}).Width
		c.glyphs[r] = w
	}
	return w
}

// cut returns s when it fits in a label of width w, else its longest
// prefix that fits with "…" after it.
func (c *cellCutter) cut(s string, w float32) string {
	avail := w - 2*theme.InnerPadding()
	var total float32
	for _, r := range s {
		total += c.advance(r)
	}
	if total <= avail {
		return s
	}
	budget, used := avail-c.ellipsis, float32(0)
	end := 0
	for i, r := range s {
		if used+c.advance(r) > budget {
			break
		}
		used += c.advance(r)
		end = i + len(string(r))
	}
	return strings.TrimRight(s[:end], " ,;:–-") + "…"
}

// cellText is the text of column col of row i (its page is page) cut to
// width: computed for the whole page the first time it is asked for at
// that width, then looked up.
func (lv *listView) cellText(page, i, col int, width float32) (string, bool) {
	if width <= 0 {
		return "", false // not laid out yet
	}
	k := cutKey{page: page, col: col, width: width}
	lv.mu.Lock()
	texts, ok := lv.cuts[k]
	rows := lv.pages[page]
	lv.mu.Unlock()
	if !ok {
		if len(rows) == 0 {
			return "", false
		}
		c := lv.columns[col]
		if lv.cutter == nil {
			lv.cutter = newCellCutter()
		}
		texts = make([]string, len(rows))
		for j, r := range rows {
			t := r.Values[c.key]
			if c.format != nil {
				t = c.format(t, r)
			}
			texts[j] = lv.cutter.cut(t, width)
		}
		lv.mu.Lock()
		// A new width (a resize) makes the old one's cuts useless.
		for old := range lv.cuts {
			if old.col == col && old.width != width {
				delete(lv.cuts, old)
			}
		}
		if now := lv.pages[page]; len(now) == len(rows) && &now[0] == &rows[0] { // not evicted or reloaded meanwhile
			lv.cuts[k] = texts
		}
		lv.mu.Unlock()
	}
	if j := i % pageSize; j < len(texts) {
		return texts[j], true
	}
	return "", false
}

// forgetCuts drops a page's cut texts (it left memory). Call with lv.mu held.
func (lv *listView) forgetCuts(page int) {
	for k := range lv.cuts {
		if k.page == page {
			delete(lv.cuts, k)
		}
	}
}

// widthWatch lays out one object at its full size and calls changed when
// the width changes after the first layout: the list's rows are bound
// again, and their cells cut to the new width.
type widthWatch struct {
	last    float32
	changed func()
}

func (l *widthWatch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if size.Width != l.last {
		first := l.last == 0
		l.last = size.Width
		if !first && l.changed != nil {
			l.changed()
		}
	}
}

func (l *widthWatch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
