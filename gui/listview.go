package gui

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// column is one column of a list view.
type column struct {
	key    string  // a store.ListColumns name
	title  string  // header text
	weight float32 // share of the width
	format func(v string, r data.Row) string
	// importance, when set, styles the cell (e.g. overdue in red).
	importance func(r data.Row) widget.Importance
}

// pageSize is how many rows a list fetches at a time.
const pageSize = 100

// maxPages bounds the rows a list keeps in memory, whatever the table size.
const maxPages = 16

// prefetchWithin is how close to a page's edge a drawn row makes the list
// read the next page ahead.
const prefetchWithin = 30

// listView is a virtualised, sortable list of one kind of record: column
// headers, a search box, filters and a widget.List whose rows are fetched
// by index from a store.Pager a page at a time. It never loads everything.
// (A widget.Table would walk one divider per row on every scroll: too slow
// at a million rows.)
type listView struct {
	store   Store
	async   func(work, ui func()) // App.async
	kind    data.Kind
	noun    string // plural, for counts: "exchanges"
	columns []column

	filter data.ListFilter
	sort   string
	desc   bool

	mu       sync.Mutex // guards pages and order, read from the list's callbacks
	pager    *store.Pager
	count    int
	pages    map[int][]data.Row
	marks    map[int]map[string]data.RowMark // per page: the sync marks of its rows that have one
	order    []int                           // least recently used page first
	fetching map[int]bool                    // pages being read off the UI thread
	cuts     map[cutKey][]string             // cells cut to their column's width, per page (cellcut.go)
	cutter   *cellCutter                     // used on the UI thread only
	// loads runs reloads and searches: the newest of either wins.
	loads *reloader
	// markWith says which marks the pages are read with (see readMarks),
	// decided at each reload.
	markWith markSet

	list       *widget.List
	listBox    *fyne.Container // the list, rebound when its width changes
	header     *fyne.Container
	status     *widget.Label
	legend     *fyne.Container // what the row badges mean, shown while rows may carry them
	search     *widget.Entry
	hits       []data.Hit
	hitList    *widget.List
	body       *fyne.Container // the list, or the hits while searching
	bound      map[fyne.CanvasObject]data.Marking
	lastBanner string

	cancelSearch context.CancelFunc // stops the search still running for an older keystroke

	onOpen     func(id string)
	onMarkings func([]data.Marking)
}

func newListView(a *App, kind data.Kind, noun string, cols []column) *listView {
	lv := &listView{store: a.store, async: a.async, kind: kind, noun: noun, columns: cols, pages: map[int][]data.Row{},
		marks: map[int]map[string]data.RowMark{}, fetching: map[int]bool{}, cuts: map[cutKey][]string{},
		bound: map[fyne.CanvasObject]data.Marking{}}
	// Through lv.async, so that the benchmarks' queue catches these too.
	lv.loads = &reloader{run: func(work, ui func()) { lv.async(work, ui) }, pause: !a.opts.Synchronous}
	lv.sort, lv.desc = "", false
	return lv
}

// build makes the widgets; call reload to fill them.
func (lv *listView) build() fyne.CanvasObject {
	lv.status = widget.NewLabel("")
	lv.search = widget.NewEntry()
	lv.search.SetPlaceHolder("Search " + lv.noun + " (Ctrl+F)")
	lv.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	lv.search.OnChanged = func(string) { lv.runSearch() }

	lv.list = widget.NewList(lv.length, lv.newRow, lv.updateRow)
	lv.list.OnSelected = func(id widget.ListItemID) {
		if r, ok := lv.rowAt(id); ok && lv.onOpen != nil {
			lv.onOpen(r.ID)
		}
		lv.list.UnselectAll()
	}
	lv.hitList = widget.NewList(func() int { return len(lv.hits) }, newHitRow, lv.updateHit)
	lv.hitList.OnSelected = func(id widget.ListItemID) {
		if id < len(lv.hits) && lv.onOpen != nil {
			lv.onOpen(lv.hits[id].ID)
		}
		lv.hitList.UnselectAll()
	}
	lv.listBox = container.New(&widthWatch{changed: lv.list.Refresh}, lv.list)
	lv.header = container.New(&columnsLayout{weights: lv.weights(), lead: badgeWidth})
	lv.rebuildHeader()
	lv.body = container.NewStack(container.NewBorder(lv.header, nil, nil, nil, lv.listBox))
	lv.legend = badgeLegend()
	lv.legend.Hide()
	return container.NewBorder(lv.search, container.NewBorder(nil, nil, nil, lv.legend, lv.status), nil, nil, lv.body)
}

func (lv *listView) weights() []float32 {
	w := make([]float32, len(lv.columns))
	for i, c := range lv.columns {
		w[i] = c.weight
	}
	return w
}

// rebuildHeader draws the column headers; tapping one sorts by it.
func (lv *listView) rebuildHeader() {
	lv.header.RemoveAll()
	sortKey, desc := lv.sort, lv.desc
	if lv.pager != nil {
		sortKey, desc = lv.pager.Sort()
	}
	for _, c := range lv.columns {
		c := c
		b := widget.NewButton(c.title, func() { lv.sortBy(c.key) })
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		if c.key == sortKey {
			b.Icon = theme.MenuDropUpIcon()
			if desc {
				b.Icon = theme.MenuDropDownIcon()
			}
			b.IconPlacement = widget.ButtonIconTrailingText
			b.Importance = widget.MediumImportance
		}
		lv.header.Add(b)
	}
	lv.header.Refresh()
}

// headerButton is the header of a column (tap it to sort).
func (lv *listView) headerButton(key string) *widget.Button {
	for i, c := range lv.columns {
		if c.key == key && i < len(lv.header.Objects) {
			return lv.header.Objects[i].(*widget.Button)
		}
	}
	return nil
}

// sortBy sorts by a column: a second tap reverses the order.
func (lv *listView) sortBy(key string) {
	cur, desc := lv.sort, lv.desc
	if lv.pager != nil {
		cur, desc = lv.pager.Sort()
	}
	if key == cur {
		lv.desc = !desc
	} else {
		lv.desc = key == "occurred_at" || key == "updated_at" // dates newest first
	}
	lv.sort = key
	lv.reload()
}

// setFilter applies a filter and reloads.
func (lv *listView) setFilter(f data.ListFilter) {
	lv.filter = f
	lv.reload()
}

// reload starts again from the store, off the UI thread: the first page
// goes on screen as soon as it is read; the count (and the anchors that
// let the list jump anywhere) follow, so a big table never holds up the
// first frame.
func (lv *listView) reload() {
	p, err := lv.store.NewPager(lv.kind, lv.filter, lv.sort, lv.desc)
	if err != nil {
		lv.loads.stop()
		lv.showError(err)
		return
	}
	var first []data.Row
	var firstMarks map[string]data.RowMark
	var with markSet
	lv.loads.load(func() {
		ctx := context.Background()
		with = readMarkSet(ctx, lv.store)
		if first, err = p.Rows(ctx, 0, pageSize); err == nil {
			firstMarks, err = readMarks(ctx, lv.store, lv.kind, with, first)
		}
	}, func() {
		if err != nil {
			lv.showError(err)
			return
		}
		lv.mu.Lock()
		lv.pager, lv.pages, lv.order, lv.fetching = p, map[int][]data.Row{0: first}, []int{0}, map[int]bool{}
		lv.marks, lv.markWith = map[int]map[string]data.RowMark{0: firstMarks}, with
		lv.cuts = map[cutKey][]string{}
		lv.count = len(first) // provisional until counted
		lv.mu.Unlock()
		if with.any() {
			lv.legend.Show()
		} else {
			lv.legend.Hide()
		}
		lv.rebuildHeader()
		if len(first) < pageSize {
			lv.showCount()
		} else {
			lv.status.SetText("Counting " + lv.noun + "…")
		}
		// Rows on screen re-register their markings as they are bound.
		// (Rows scrolled away keep theirs until reused: the banner may
		// then be higher than needed, never lower.)
		lv.bound = map[fyne.CanvasObject]data.Marking{}
		lv.lastBanner = "-"
		lv.list.Refresh()
		lv.list.ScrollToTop()
		if lv.onMarkings != nil {
			lv.publishMarkings()
		}
		var n int
		lv.loads.follow(func() {
			if n, err = p.Count(context.Background()); err == nil {
				err = p.Warm(context.Background())
			}
		}, func() {
			if err != nil {
				lv.showError(err)
				return
			}
			lv.mu.Lock()
			lv.count = n
			lv.mu.Unlock()
			lv.showCount()
			lv.list.Refresh()
		})
	})
}

func (lv *listView) showError(err error) {
	lv.status.SetText("Could not load " + lv.noun + ": " + err.Error())
	lv.status.Importance = widget.DangerImportance
	lv.status.Refresh()
}

func (lv *listView) showCount() {
	lv.status.Importance = widget.MediumImportance
	filtered := lv.filter != (data.ListFilter{})
	switch {
	case lv.count == 0 && filtered:
		lv.status.SetText("No " + lv.noun + " match these filters.")
	case lv.count == 0:
		lv.status.SetText("No " + lv.noun + " yet.")
	case lv.count == 1:
		lv.status.SetText("1 " + strings.TrimSuffix(lv.noun, "s"))
	default:
		lv.status.SetText(fmt.Sprintf("%s %s", thousands(lv.count), lv.noun))
	}
}

func (lv *listView) length() int {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	return lv.count
}

// cached returns row i when its page is in memory; page is the page that
// holds it, and inRange says whether i is a row of the list at all.
func (lv *listView) cached(i int) (r data.Row, page int, ok, inRange bool) {
	r, _, page, ok, inRange = lv.cachedMarked(i)
	return r, page, ok, inRange
}

// cachedMarked is cached with the row's sync mark.
func (lv *listView) cachedMarked(i int) (r data.Row, m data.RowMark, page int, ok, inRange bool) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.pager == nil || i < 0 || i >= lv.count {
		return data.Row{}, m, 0, false, false
	}
	page = i / pageSize
	rows, have := lv.pages[page]
	if !have {
		return data.Row{}, m, page, false, true
	}
	if len(lv.order) == 0 || lv.order[len(lv.order)-1] != page {
		lv.order = append(slices.DeleteFunc(lv.order, func(p int) bool { return p == page }), page)
	}
	if j := i % pageSize; j < len(rows) {
		r = rows[j]
		if pm := lv.marks[page]; pm != nil {
			m = pm[r.ID]
		}
		return r, m, page, true, true
	}
	return data.Row{}, m, page, false, true
}

// keep stores a fetched page and its rows' marks, forgetting the least
// recently used page past maxPages.
func (lv *listView) keep(p *store.Pager, page int, rows []data.Row, marks map[string]data.RowMark) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	delete(lv.fetching, page)
	if p != lv.pager {
		return // a reload replaced the pager meanwhile
	}
	lv.pages[page] = rows
	lv.marks[page] = marks
	lv.order = append(slices.DeleteFunc(lv.order, func(q int) bool { return q == page }), page)
	if len(lv.order) > maxPages {
		delete(lv.pages, lv.order[0])
		delete(lv.marks, lv.order[0])
		lv.forgetCuts(lv.order[0])
		lv.order = lv.order[1:]
	}
}

// readPage reads one page of rows and, when rows may carry them, their
// sync marks: both off the UI thread, in the same background read.
func (lv *listView) readPage(p *store.Pager, page int, with markSet) ([]data.Row, map[string]data.RowMark, error) {
	ctx := context.Background()
	rows, err := p.Rows(ctx, page*pageSize, pageSize)
	if err != nil {
		return nil, nil, err
	}
	marks, err := readMarks(ctx, lv.store, lv.kind, with, rows)
	return rows, marks, err
}

// rowAt returns row i, reading its page now when it is not in memory (for
// a selection, which must know the row).
func (lv *listView) rowAt(i int) (data.Row, bool) {
	r, page, ok, inRange := lv.cached(i)
	if ok || !inRange {
		return r, ok
	}
	lv.mu.Lock()
	p, with := lv.pager, lv.markWith
	lv.mu.Unlock()
	rows, marks, err := lv.readPage(p, page, with)
	if err != nil {
		return data.Row{}, false
	}
	lv.keep(p, page, rows, marks)
	r, _, ok, _ = lv.cached(i)
	return r, ok
}

// fetch reads a page off the UI thread and redraws the list when it
// arrives; a wheel event never waits for the disk. (On the test driver it
// runs at once, and the row being drawn finds it in memory.)
func (lv *listView) fetch(page int) {
	lv.mu.Lock()
	p := lv.pager
	if p == nil || page < 0 || page*pageSize >= lv.count || lv.fetching[page] || lv.pages[page] != nil {
		lv.mu.Unlock()
		return
	}
	lv.fetching[page] = true
	with := lv.markWith
	lv.mu.Unlock()
	var rows []data.Row
	var marks map[string]data.RowMark
	var err error
	drawing := true
	lv.async(func() {
		rows, marks, err = lv.readPage(p, page, with)
	}, func() {
		if err != nil {
			lv.mu.Lock()
			delete(lv.fetching, page)
			lv.mu.Unlock()
			lv.showError(err)
			return
		}
		lv.keep(p, page, rows, marks)
		if !drawing {
			lv.list.Refresh()
		}
	})
	drawing = false
}

func (lv *listView) newRow() fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, len(lv.columns), len(lv.columns)+1)
	for i := range cells {
		l := widget.NewLabel("")
		// Clip, not Fyne's ellipsis, which shapes the text again on every
		// SetText (nine tenths of the cost of a wheel event): updateRow
		// sets text already cut with "…" (cellcut.go).
		l.Truncation = fyne.TextTruncateClip
		cells[i] = l
	}
	// The badge comes last so the cells keep their column indexes; the
	// layout puts it in the leading gap.
	cells = append(cells, newRowBadge())
	return container.New(&columnsLayout{weights: lv.weights(), lead: badgeWidth}, cells...)
}

func (lv *listView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r, mark, page, ok, inRange := lv.cachedMarked(id)
	if !ok && inRange {
		lv.fetch(page)
		r, mark, _, ok, _ = lv.cachedMarked(id) // there already when fetched inline
	}
	if inRange {
		// Read the neighbouring page before the user scrolls into it.
		switch j := id % pageSize; {
		case j >= pageSize-prefetchWithin:
			lv.fetch(page + 1)
		case j < prefetchWithin:
			lv.fetch(page - 1)
		}
	}
	cells := o.(*fyne.Container).Objects
	for i, c := range lv.columns {
		l := cells[i].(*widget.Label)
		text := ""
		if ok {
			if cut, have := lv.cellText(page, id, i, l.Size().Width); have {
				text = cut
			} else {
				text = r.Values[c.key]
				if c.format != nil {
					text = c.format(text, r)
				}
			}
		}
		if c.importance != nil {
			imp := widget.MediumImportance
			if ok {
				imp = c.importance(r)
			}
			if l.Importance != imp {
				l.Importance = imp
			}
		}
		l.SetText(text)
	}
	cells[len(lv.columns)].(*rowBadge).set(mark)
	if ok {
		lv.noteMarking(o, rowMarking(r))
	}
}

// rowMarking reads a row's marking, when its kind carries one.
func rowMarking(r data.Row) data.Marking {
	m := data.Marking{Classification: r.Values["classification"]}
	_ = json.Unmarshal([]byte(r.Values["releasability"]), &m.Releasability)
	return m
}

// noteMarking records the marking of the record a row object now shows;
// the banner is computed over the bound rows, that is, what is on screen.
func (lv *listView) noteMarking(o fyne.CanvasObject, m data.Marking) {
	if old, ok := lv.bound[o]; ok && old.Classification == m.Classification && slices.Equal(old.Releasability, m.Releasability) {
		return // same marking as the row it showed before: the banner stands
	}
	lv.bound[o] = m
	if lv.onMarkings == nil || m.Classification == "" {
		return
	}
	lv.publishMarkings()
}

func (lv *listView) publishMarkings() {
	ms := make([]data.Marking, 0, len(lv.bound))
	texts := make([]string, 0, len(lv.bound))
	for _, m := range lv.bound {
		if m.Classification != "" {
			ms = append(ms, m)
			texts = append(texts, m.Text())
		}
	}
	slices.Sort(texts) // map order is random: compare sets, not orders
	if k := strings.Join(texts, "|"); k != lv.lastBanner {
		lv.lastBanner = k
		lv.onMarkings(ms)
	}
}

// runSearch searches as the user types: the hits replace the list while
// the box holds words, and the newest answer wins.
func (lv *listView) runSearch() {
	// Only leading spaces go: a trailing space says the last word is
	// finished, so it is matched whole rather than as a prefix.
	q := strings.TrimLeft(lv.search.Text, " \t")
	lv.loads.stop() // a reload or search still running is no longer wanted
	lv.mu.Lock()
	if lv.cancelSearch != nil {
		lv.cancelSearch() // the previous keystroke's search is no longer wanted
		lv.cancelSearch = nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	if strings.TrimSpace(q) != "" {
		lv.cancelSearch = cancel
	} else {
		cancel()
	}
	lv.mu.Unlock()
	if strings.TrimSpace(q) == "" {
		lv.hits = nil
		lv.body.Objects = []fyne.CanvasObject{container.NewBorder(lv.header, nil, nil, nil, lv.listBox)}
		lv.body.Refresh()
		lv.bound = map[fyne.CanvasObject]data.Marking{}
		lv.showCount()
		return
	}
	var hits []data.Hit
	var err error
	lv.loads.load(func() {
		hits, err = lv.store.Search(ctx, q, data.SearchOptions{Kinds: []data.Kind{lv.kind}, Prefix: true, Limit: 200})
	}, func() {
		if err != nil {
			if ctx.Err() == nil {
				lv.status.SetText(err.Error())
			}
			return
		}
		q = strings.TrimSpace(q)
		lv.hits = hits
		lv.bound = map[fyne.CanvasObject]data.Marking{}
		lv.body.Objects = []fyne.CanvasObject{lv.hitList}
		lv.body.Refresh()
		lv.hitList.Refresh()
		switch len(hits) {
		case 0:
			lv.status.SetText(fmt.Sprintf("No %s match “%s”.", lv.noun, q))
		case 200:
			lv.status.SetText(fmt.Sprintf("The 200 best of many %s matching “%s”", lv.noun, q))
		case 1:
			lv.status.SetText(fmt.Sprintf("1 %s matches “%s”", strings.TrimSuffix(lv.noun, "s"), q))
		default:
			lv.status.SetText(fmt.Sprintf("%d %s match “%s”", len(hits), lv.noun, q))
		}
	})
}

func newHitRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateClip
	snippet := widget.NewRichText()
	snippet.Truncation = fyne.TextTruncateClip
	return container.NewVBox(title, snippet)
}

func (lv *listView) updateHit(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(lv.hits) {
		return
	}
	h := lv.hits[id]
	box := o.(*fyne.Container)
	when := h.When
	if len(when) > 10 {
		when = when[:10]
	}
	box.Objects[0].(*widget.Label).SetText(strings.TrimSpace(when + "  " + h.Title))
	rt := box.Objects[1].(*widget.RichText)
	rt.Segments = snippetSegments(h.Snippet)
	rt.Refresh()
	lv.noteMarking(o, data.Marking{Classification: h.Classification, Releasability: h.Releasability})
}

// snippetSegments turns a snippet with «marked» words into rich text with
// the matches in bold.
func snippetSegments(s string) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	for s != "" {
		i := strings.Index(s, "«")
		if i < 0 {
			segs = append(segs, &widget.TextSegment{Text: s, Style: widget.RichTextStyleInline})
			break
		}
		if i > 0 {
			segs = append(segs, &widget.TextSegment{Text: s[:i], Style: widget.RichTextStyleInline})
		}
		s = s[i+len("«"):]
		j := strings.Index(s, "»")
		if j < 0 {
			j = len(s)
		}
		segs = append(segs, &widget.TextSegment{Text: s[:j], Style: widget.RichTextStyleStrong})
		s = strings.TrimPrefix(s[j:], "»")
	}
	return segs
}

// focusSearch puts the cursor in the search box (Ctrl+F).
func (lv *listView) focusSearch(c fyne.Canvas) {
	if c != nil {
		c.Focus(lv.search)
	}
}

// columnsLayout lays cells out side by side in proportion to weights,
// after a fixed leading gap of lead pixels; an object past the weighted
// ones (a row's badge) fills that gap.
type columnsLayout struct {
	weights []float32
	lead    float32
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for _, w := range l.weights {
		total += w
	}
	x := l.lead
	for i, o := range objs {
		if i >= len(l.weights) {
			o.Move(fyne.NewPos(0, 0))
			o.Resize(fyne.NewSize(l.lead, size.Height))
			continue
		}
		w := (size.Width - l.lead) * l.weights[i] / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.lead+float32(min(len(objs), len(l.weights)))*40, h)
}

var _ fyne.Layout = (*columnsLayout)(nil)
var _ = layout.NewSpacer
