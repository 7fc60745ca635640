package gui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// Per-record sync badges in the record lists: a record with edits no peer
// has acknowledged yet carries an upload arrow, one with a field in
// conflict a warning triangle in the warning colour (the triangle wins
// when both apply: resolving the conflict is what needs doing). The marks
// are read with each page of rows, off the UI thread, so binding a row on
// a wheel event only looks them up.

// badgeWidth is the leading gap of a list row that holds its badge.
const badgeWidth = 24

// badgeSize is the side of a badge's icon.
const badgeSize = 16

// unsentBadge and conflictBadge are the two badges' icons.
func unsentBadge() fyne.Resource   { return theme.NewPrimaryThemedResource(theme.UploadIcon()) }
func conflictBadge() fyne.Resource { return theme.NewWarningThemedResource(theme.WarningIcon()) }

// markSet says which marks a list's rows may carry now.
type markSet struct {
	unsent   bool // some peer is trusted: edits can be unsent to it
	conflict bool // the store holds conflicts
}

func (m markSet) any() bool { return m.unsent || m.conflict }

// readMarkSet decides which marks are worth reading. Before any peer is
// enrolled every edit is "unsent", which says nothing, so the arrow only
// appears once this laptop has someone to send to; and with no conflict
// in the store no row can have one.
func readMarkSet(ctx context.Context, s Store) markSet {
	var m markSet
	if peers, err := s.Peers(ctx); err == nil {
		for _, p := range peers {
			if p.RevokedAt == "" {
				m.unsent = true
				break
			}
		}
	}
	if n, err := s.ConflictCount(ctx); err == nil && n > 0 {
		m.conflict = true
	}
	return m
}

// readMarks reads the marks of a page of rows (nil when none can apply).
func readMarks(ctx context.Context, s Store, kind data.Kind, with markSet, rows []data.Row) (map[string]data.RowMark, error) {
	if !with.any() || len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	marks, err := s.RowMarks(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	for id, m := range marks {
		m.Unsent = m.Unsent && with.unsent
		m.Conflict = m.Conflict && with.conflict
		if m == (data.RowMark{}) {
			delete(marks, id)
		} else {
			marks[id] = m
		}
	}
	return marks, nil
}

// rowBadge is the badge at the start of a list row.
type rowBadge struct {
	widget.BaseWidget
	mark data.RowMark
}

func newRowBadge() *rowBadge {
	b := &rowBadge{}
	b.ExtendBaseWidget(b)
	return b
}

// set shows a row's mark; an unchanged mark costs nothing.
func (b *rowBadge) set(m data.RowMark) {
	if m == b.mark {
		return
	}
	b.mark = m
	b.Refresh()
}

// state names what the badge shows: "conflict", "unsent" or "".
func (b *rowBadge) state() string {
	switch {
	case b.mark.Conflict:
		return "conflict"
	case b.mark.Unsent:
		return "unsent"
	}
	return ""
}

func (b *rowBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &rowBadgeRenderer{b: b, unsent: widget.NewIcon(unsentBadge()), conflict: widget.NewIcon(conflictBadge())}
	r.Refresh()
	return r
}

type rowBadgeRenderer struct {
	b                *rowBadge
	unsent, conflict *widget.Icon
}

func (r *rowBadgeRenderer) Layout(size fyne.Size) {
	pos := fyne.NewPos((size.Width-badgeSize)/2, (size.Height-badgeSize)/2)
	for _, ic := range []*widget.Icon{r.unsent, r.conflict} {
		ic.Move(pos)
		ic.Resize(fyne.NewSquareSize(badgeSize))
	}
}

func (r *rowBadgeRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(badgeSize) }
func (r *rowBadgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.unsent, r.conflict}
}
func (r *rowBadgeRenderer) Destroy() {}

func (r *rowBadgeRenderer) Refresh() {
	st := r.b.state()
	if st == "unsent" {
		r.unsent.Show()
	} else {
		r.unsent.Hide()
	}
	if st == "conflict" {
		r.conflict.Show()
	} else {
		r.conflict.Hide()
	}
}

// badgeLegend says what the badges mean, at the foot of a list.
func badgeLegend() *fyne.Container {
	icon := func(res fyne.Resource) fyne.CanvasObject {
		return container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(badgeSize), widget.NewIcon(res)))
	}
	return container.NewHBox(icon(unsentBadge()), widget.NewLabel("not yet sent"),
		icon(conflictBadge()), widget.NewLabel("in conflict"))
}
