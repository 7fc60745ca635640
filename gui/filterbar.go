package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// anyOption is the first choice of every filter: no filtering.
const anyOption = "Any"

// filterBar is the row of filters above a list: posting, kind, status,
// classification and a date range, each optional.
type filterBar struct {
	posting, kind, status, classification *widget.Select
	from, to                              *widget.Entry
	problem                               *widget.Label
	onChange                              func(data.ListFilter)
}

// filterOptions says which filters a list offers (nil: not offered).
type filterOptions struct {
	postings        []string
	kinds           []string
	statuses        []string
	classifications []string
	dates           bool // from/to on the list's date
}

func newFilterBar(o filterOptions, onChange func(data.ListFilter)) *filterBar {
	fb := &filterBar{onChange: onChange, problem: widget.NewLabel("")}
	fb.problem.Importance = widget.DangerImportance
	fb.problem.Hide()
	mk := func(label string, opts []string) *widget.Select {
		if opts == nil {
			return nil
		}
		s := widget.NewSelect(append([]string{anyOption}, opts...), func(string) { fb.changed() })
		s.PlaceHolder = label
		return s
	}
	fb.posting = mk("Posting", o.postings)
	fb.kind = mk("Kind", o.kinds)
	fb.status = mk("Status", o.statuses)
	fb.classification = mk("Classification", o.classifications)
	if o.dates {
		fb.from, fb.to = widget.NewEntry(), widget.NewEntry()
		fb.from.SetPlaceHolder("From YYYY-MM-DD")
		fb.to.SetPlaceHolder("To YYYY-MM-DD")
		fb.from.OnChanged = func(string) { fb.changed() }
		fb.to.OnChanged = func(string) { fb.changed() }
	}
	return fb
}

func (fb *filterBar) build() fyne.CanvasObject {
	var cells []fyne.CanvasObject
	for _, s := range []*widget.Select{fb.posting, fb.kind, fb.status, fb.classification} {
		if s != nil {
			cells = append(cells, s)
		}
	}
	if fb.from != nil {
		cells = append(cells, fb.from, fb.to)
	}
	clear := widget.NewButton("Clear filters", fb.clear)
	return container.NewVBox(container.NewBorder(nil, nil, nil, clear, container.NewGridWithColumns(len(cells), cells...)), fb.problem)
}

func (fb *filterBar) clear() {
	for _, s := range []*widget.Select{fb.posting, fb.kind, fb.status, fb.classification} {
		if s != nil {
			s.ClearSelected()
		}
	}
	if fb.from != nil {
		fb.from.SetText("")
		fb.to.SetText("")
	}
	fb.changed()
}

func selected(s *widget.Select) string {
	if s == nil || s.Selected == anyOption {
		return ""
	}
	return s.Selected
}

// changed reads the filters; a half-typed or impossible date is shown as a
// problem and does not filter until it is a real date.
func (fb *filterBar) changed() {
	f := data.ListFilter{Posting: selected(fb.posting), Kind: selected(fb.kind),
		Status: selected(fb.status), Classification: selected(fb.classification)}
	fb.problem.SetText("")
	fb.problem.Hide()
	if fb.from != nil {
		for _, d := range []struct {
			e    *widget.Entry
			dst  *string
			name string
		}{{fb.from, &f.From, "From"}, {fb.to, &f.To, "To"}} {
			if d.e.Text == "" {
				continue
			}
			if _, err := time.Parse(data.DateLayout, d.e.Text); err != nil {
				fb.problem.SetText(d.name + " date: type a real date as YYYY-MM-DD")
				fb.problem.Show()
				continue
			}
			*d.dst = d.e.Text
		}
		if f.From != "" && f.To != "" && f.To < f.From {
			fb.problem.SetText("The To date is before the From date.")
			fb.problem.Show()
			return
		}
	}
	if fb.onChange != nil {
		fb.onChange(f)
	}
}

// offer changes the postings and levels the filters offer (after the
// catalogue is read again), keeping what is chosen.
func (fb *filterBar) offer(postings, levels []string) {
	if fb.posting != nil {
		fb.posting.SetOptions(append([]string{anyOption}, postings...))
	}
	if fb.classification != nil {
		fb.classification.SetOptions(append([]string{anyOption}, levels...))
	}
}
