package gui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// contactPicker chooses the counterparts of an exchange: the chosen ones as
// removable chips, a box that finds contacts as you type, and "New contact"
// to add one without leaving the form.
type contactPicker struct {
	app      *App
	ids      []string
	names    map[string]string // id → display name
	chips    *fyne.Container
	find     *widget.SelectEntry
	matches  map[string]string // option text → id
	newBtn   *widget.Button
	editable bool
	onChange func()

	searches *reloader // the contacts matching what is typed
	naming   *reloader // the names of the contacts shown
}

// lookupDelay is how long the picker waits after a keystroke before
// searching, so a name typed quickly is searched once.
const lookupDelay = 150 * time.Millisecond

func newContactPicker(a *App) *contactPicker {
	p := &contactPicker{app: a, names: map[string]string{}, matches: map[string]string{},
		searches: a.newReloader(), naming: a.newReloader()}
	p.chips = container.NewVBox()
	p.find = widget.NewSelectEntry(nil)
	p.find.SetPlaceHolder("Type a name to add a counterpart")
	p.find.OnChanged = p.lookup
	p.newBtn = widget.NewButtonWithIcon("New contact", theme.ContentAddIcon(), p.newContact)
	return p
}

func (p *contactPicker) build() fyne.CanvasObject {
	return container.NewVBox(p.chips, container.NewBorder(nil, nil, nil, p.newBtn, p.find))
}

// set shows the given contact ids; the names not known yet are read off
// the UI thread and shown when they arrive.
func (p *contactPicker) set(ids []string) {
	p.ids = slices.Clone(ids)
	var missing []string
	for _, id := range ids {
		if _, ok := p.names[id]; !ok {
			missing = append(missing, id)
		}
	}
	p.redraw()
	if len(missing) == 0 {
		return
	}
	found := map[string]string{}
	p.naming.load(func() {
		for _, id := range missing {
			if rec, err := p.app.store.Get(context.Background(), data.KindContact, id); err == nil {
				found[id] = contactLabel(rec.(*data.Contact))
			} else {
				found[id] = "(deleted contact)"
			}
		}
	}, func() {
		for id, name := range found {
			if _, ok := p.names[id]; !ok {
				p.names[id] = name
			}
		}
		p.redraw()
	})
}

func contactLabel(c *data.Contact) string {
	s := c.Name
	if c.Rank != "" {
		s = c.Rank + " " + s
	}
	if c.Appointment != "" {
		s += ", " + c.Appointment
	}
	return s
}

func (p *contactPicker) redraw() {
	p.chips.RemoveAll()
	// One line per counterpart: a long name and appointment is cut to the
	// column rather than drawn over its neighbours; remove only in edit.
	for _, id := range p.ids {
		id := id
		name := widget.NewLabel(p.names[id])
		name.Truncation = fyne.TextTruncateEllipsis
		remove := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { p.remove(id) })
		remove.Importance = widget.LowImportance
		if !p.editable {
			remove.Hide()
		}
		p.chips.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), remove, name))
	}
	if len(p.ids) == 0 {
		p.chips.Add(widget.NewLabel("No counterparts yet"))
	}
	p.chips.Refresh()
}

func (p *contactPicker) remove(id string) {
	p.ids = slices.DeleteFunc(p.ids, func(x string) bool { return x == id })
	p.redraw()
	p.changed()
}

func (p *contactPicker) addID(id, name string) {
	if !slices.Contains(p.ids, id) {
		p.ids = append(p.ids, id)
		p.names[id] = name
	}
	p.redraw()
	p.changed()
}

func (p *contactPicker) changed() {
	if p.onChange != nil {
		p.onChange()
	}
}

// lookup offers contacts whose names match what is typed; choosing one
// adds it.
func (p *contactPicker) lookup(text string) {
	if id, ok := p.matches[text]; ok {
		p.searches.stop()
		p.addID(id, text)
		p.find.SetText("")
		return
	}
	q := strings.TrimSpace(text)
	if len(q) < 2 {
		p.searches.stop()
		p.find.SetOptions(nil)
		return
	}
	var hits []data.Hit
	var err error
	p.searches.after(lookupDelay, func() {
		hits, err = p.app.store.Search(context.Background(), q, data.SearchOptions{Kinds: []data.Kind{data.KindContact}, Prefix: true, Limit: 12})
	}, func() {
		if err != nil {
			return // a half-typed query FTS cannot read: the next keystroke tries again
		}
		p.matches = map[string]string{}
		opts := make([]string, 0, len(hits))
		for _, h := range hits {
			p.matches[h.Title] = h.ID
			opts = append(opts, h.Title)
		}
		p.find.SetOptions(opts)
	})
}

// newContact adds a contact in a small dialog and picks it.
func (p *contactPicker) newContact() {
	name, rank, appt, org := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	nation := widget.NewEntry()
	nation.SetText("USA")
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	items := []*widget.FormItem{
		widget.NewFormItem("Name", name), widget.NewFormItem("Rank", rank),
		widget.NewFormItem("Appointment", appt), widget.NewFormItem("Organisation", org),
		widget.NewFormItem("Nation", nation),
	}
	var d dialog.Dialog
	d = dialog.NewForm("New contact", "Add", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		c := &data.Contact{Name: strings.TrimSpace(name.Text), Rank: rank.Text, Appointment: appt.Text,
			Organisation: org.Text, Nation: strings.ToUpper(strings.TrimSpace(nation.Text))}
		ids, err := p.app.store.Add(context.Background(), c)
		if err != nil {
			dialog.ShowError(err, p.app.win)
			return
		}
		p.addID(ids[0], contactLabel(c))
	}, p.app.win)
	d.Resize(fyne.NewSize(460, 360))
	d.Show()
}

func (p *contactPicker) setEditable(on bool) {
	p.editable = on
	setEnabled(on, p.find, p.newBtn)
	p.redraw()
}
