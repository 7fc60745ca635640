package report

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// A report is built as a doc: a title block and sections, each a table
// (streamed or held), a list of figures, paragraphs, or a chart over a
// table. Every writer renders the same doc, so the formats agree.

type colType int

const (
	textCol colType = iota
	dateCol         // cell: "YYYY-MM-DD" or ""
	timeCol         // cell: time.Time (shown in its location) or zero
	numCol          // cell: int or float64
	boolCol         // cell: bool
)

type column struct {
	key   string  // JSON key and CSV header
	title string  // PDF and XLSX header
	typ   colType // how the cells are typed
	width float64 // relative width in a PDF table
	wrap  bool    // PDF: wrap long text instead of cutting it
}

// row is one line of a table: its cells in column order and, for exports,
// the whole record (what the JSON writer prints).
type row struct {
	cells   []any
	strs    []string // instead of cells: every cell as text (an export's fast path)
	rec     any
	marking *data.Marking // checked against the banner before it is written
}

// value is cell i as an any.
func (r row) value(i int) any {
	if r.strs != nil {
		return r.strs[i]
	}
	return r.cells[i]
}

// text is cell i as CSV and JSON write it.
func (r row) text(c column, i int) string {
	if r.strs != nil {
		return r.strs[i]
	}
	return plainText(c, r.cells[i])
}

type emitFunc func(row) error

// field is one label and value of a figures or memorandum section.
type field struct {
	label, value string
}

// para is a numbered paragraph of a memorandum.
type para struct {
	heading string
	body    string
}

// chart draws a table's numbers: bars per label, stacked when there are
// several series.
type chart struct {
	labels  []string
	series  []string    // legend; one series: a plain bar chart
	values  [][]float64 // values[label][series]
	columns bool        // vertical columns (time on the x axis) rather than horizontal bars
}

type section struct {
	name    string // JSON key, sheet name
	title   string
	note    string // printed under the title
	empty   string // printed when the table has no rows
	columns []column
	rows    func(ctx context.Context, emit emitFunc) error // nil: no table
	count   int                                            // rows it holds
	leftOut int                                            // rows the ceiling left out
	fields  []field
	paras   []para
	chart   *chart
	memo    bool // the memorandum's body: no heading
}

// doc is one report ready to write.
type doc struct {
	kind      Kind
	opts      Options
	title     string
	subtitle  string // the posting, or "All postings"
	period    string // "1 Nov 2026 – 30 Nov 2026", or ""
	generated time.Time
	officer   string // "Col. A. Sharma (Colonel)"
	device    string // the device's code, "7F3A"
	banner    data.Banner
	levels    []data.Classification
	ceiling   ceiling
	leftOut   int
	sections  []*section
	memo      *memo // the memorandum for record's own layout
	ics       *icsSource
	covered   []covered // the records whose files a handover pack carries (pack.go)
	marks     *tally    // the markings behind banner, which a pack's files add to

	done, total int
	lastTick    int
}

func (d *doc) summary() Summary {
	s := Summary{Kind: d.kind, Banner: d.banner, LeftOut: d.leftOut, LeftOutWhy: d.ceiling.why()}
	for _, sec := range d.sections {
		if sec.rows == nil {
			continue
		}
		s.Rows += sec.count
		s.Sections = append(s.Sections, SectionCount{Name: sec.name, Title: sec.title, Rows: sec.count, LeftOut: sec.leftOut})
	}
	return s
}

// errChanged means a row came out above the banner worked out before the
// first row was written: the store changed while the report was read.
var errChanged = errors.New("the store changed while the report was written: write it again")

// each streams a section's rows, checking each against the banner (the
// banner must cover everything in the file) and reporting progress.
func (d *doc) each(ctx context.Context, sec *section, fn emitFunc) error {
	if sec.rows == nil {
		return nil
	}
	return sec.rows(ctx, func(r row) error {
		if r.marking != nil && !covers(d.levels, d.banner, *r.marking) {
			return errChanged
		}
		d.done++
		if d.done-d.lastTick >= 2000 {
			if err := ctx.Err(); err != nil {
				return err // the window's Cancel
			}
			d.progress(false)
		}
		return fn(r)
	})
}

func (d *doc) progress(final bool) {
	if d.opts.Progress == nil {
		return
	}
	d.lastTick = d.done
	total := max(d.total, d.done)
	if final {
		d.opts.Progress(total, total)
		return
	}
	d.opts.Progress(d.done, total)
}

// ceiling leaves out what may not go in a report.
type ceiling struct {
	level   string
	rank    int
	nations []string
	ranks   map[string]int
	lowest  int
}

// newCeiling takes its ranks from data.OrderedLevels, as the banner does,
// so the built-in levels are at their fixed ranks whatever the list says.
func newCeiling(levels []data.Classification, level string, nations []string) (ceiling, error) {
	levels = data.OrderedLevels(levels)
	c := ceiling{level: level, nations: nations, ranks: map[string]int{}}
	var ids []string
	for i, l := range levels {
		c.ranks[l.ID] = l.Rank
		if i == 0 || l.Rank < c.lowest {
			c.lowest = l.Rank
		}
		ids = append(ids, l.ID)
	}
	if level != "" {
		r, ok := c.ranks[level]
		if !ok {
			return c, &data.FieldError{Field: "ceiling", Problem: "\"" + level + "\" is not on the classification list (" + strings.Join(ids, ", ") + ")"}
		}
		c.rank = r
	}
	if err := data.CheckNations("rel", nations); err != nil {
		return c, err
	}
	return c, nil
}

func (c ceiling) active() bool { return c.level != "" || len(c.nations) > 0 }

// rankOf is a classification's rank; unmarked records (contacts, actions
// without a parent) are at the lowest level, unknown levels above all.
func (c ceiling) rankOf(classification string) int {
	if classification == "" {
		return c.lowest
	}
	if r, ok := c.ranks[classification]; ok {
		return r
	}
	return 1 << 30
}

// allows reports whether a record with marking m may go in the report. A
// record must be at or below the ceiling's level, and releasable to every
// nation given: its REL TO list must name them all. A record with no REL
// TO list is releasable only at the lowest level (unclassified).
func (c ceiling) allows(m data.Marking) bool {
	r := c.rankOf(m.Classification)
	if c.level != "" && r > c.rank {
		return false
	}
	if len(c.nations) == 0 {
		return true
	}
	if len(m.Releasability) == 0 {
		return r <= c.lowest
	}
	for _, n := range c.nations {
		if !slices.Contains(m.Releasability, n) {
			return false
		}
	}
	return true
}

// text is the ceiling as a marking, e.g. "CONFIDENTIAL//REL TO USA, IND".
func (c ceiling) text() string {
	var parts []string
	if c.level != "" {
		parts = append(parts, c.level)
	}
	if len(c.nations) > 0 {
		parts = append(parts, "REL TO "+strings.Join(c.nations, ", "))
	}
	return strings.Join(parts, "//")
}

// why says why the ceiling leaves records out: "above the ceiling
// CONFIDENTIAL", "not releasable to USA, IND", or both; "" when it leaves
// out nothing.
func (c ceiling) why() string {
	var parts []string
	if c.level != "" {
		parts = append(parts, "above the ceiling "+c.level)
	}
	if len(c.nations) > 0 {
		parts = append(parts, "not releasable to "+strings.Join(c.nations, ", "))
	}
	return strings.Join(parts, " or ")
}

// none says that the ceiling left nothing out, the way why says what it
// did: "nothing is above the ceiling SECRET".
func (c ceiling) none() string {
	var parts []string
	if c.level != "" {
		parts = append(parts, "nothing is above the ceiling "+c.level)
	}
	if len(c.nations) > 0 {
		parts = append(parts, "everything is releasable to "+strings.Join(c.nations, ", "))
	}
	return strings.Join(parts, " and ")
}

// covers reports whether a banner covers a record's marking: the record is
// no higher and releasable to every nation the banner names.
func covers(levels []data.Classification, b data.Banner, m data.Marking) bool {
	rank := b.Classification.Rank
	r := -1
	lowest := 1 << 30
	for _, l := range levels {
		if l.ID == m.Classification {
			r = l.Rank
		}
		lowest = min(lowest, l.Rank)
	}
	if m.Classification == "" {
		r = lowest
	}
	if r < 0 {
		return b.Classification.ID == m.Classification
	}
	if r > rank {
		return false
	}
	if b.Releasability == nil || len(m.Releasability) == 0 {
		return true
	}
	for _, n := range b.Releasability {
		if !slices.Contains(m.Releasability, n) {
			return false
		}
	}
	return true
}

// tally gathers the markings of what a report holds and what it leaves out.
type tally struct {
	c        ceiling
	markings map[string]data.Marking
}

func newTally(c ceiling) *tally { return &tally{c: c, markings: map[string]data.Marking{}} }

// add counts n records of marking m into a section: kept or left out.
func (t *tally) add(sec *section, m data.Marking, n int) bool {
	if !t.c.allows(m) {
		sec.leftOut += n
		return false
	}
	sec.count += n
	if n > 0 && m.Classification != "" {
		t.markings[m.Text()] = m
	}
	return true
}

// keep is add for one record held in memory.
func (t *tally) keep(sec *section, m data.Marking) bool { return t.add(sec, m, 1) }

func (t *tally) addCounts(sec *section, counts []data.MarkingCount) {
	for _, mc := range counts {
		t.add(sec, mc.Marking, mc.Count)
	}
}

func (t *tally) banner(levels []data.Classification) data.Banner {
	ms := make([]data.Marking, 0, len(t.markings))
	keys := make([]string, 0, len(t.markings))
	for k := range t.markings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ms = append(ms, t.markings[k])
	}
	return data.ComputeBanner(levels, ms)
}
