package gui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// actionForm edits one follow-up action: what, who, by when, where it
// stands, and the exchange or request it was born in.
type actionForm struct {
	app  *App
	ff   *fieldForm
	id   string
	zone *time.Location // done_at is typed and shown in the officer's zone

	titleEntry, owner, doneAt, notes *widget.Entry
	due                              *dateEntry
	status                           *widget.Select
	markDoneBtn                      *widget.Button
	origin                           *widget.Label
	openParent                       *widget.Button

	exchangeID, requestID string
	parent                *data.Marking            // marking of the record it was born in, once loaded
	hints                 map[*widget.Entry]string // placeholders, shown only while editing
	editable, loading     bool
	onChange              func()
	onMarkDone            func()
}

func newActionForm(a *App) *actionForm {
	return &actionForm{app: a, ff: newFieldForm(), zone: time.Local}
}

func (f *actionForm) form() *fieldForm { return f.ff }

func (f *actionForm) title() string {
	if t := strings.TrimSpace(f.titleEntry.Text); t != "" {
		return t
	}
	return "New action"
}

func (f *actionForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	f.hints = map[*widget.Entry]string{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	f.titleEntry = entry("What is to be done")
	f.owner = entry("Who does it")
	f.due = newDateEntry(func() fyne.Window { return f.app.win })
	f.due.OnChanged = func(string) { f.changed() }
	f.doneAt = widget.NewEntry() // its placeholder follows the status
	f.doneAt.OnChanged = func(string) { f.changed() }
	labels := make([]string, len(data.ActionStatuses))
	for i, s := range data.ActionStatuses {
		labels[i] = actionStatusLabel(data.ActionStatus(s))
	}
	f.status = widget.NewSelect(labels, func(string) { f.statusChanged() })
	f.markDoneBtn = widget.NewButtonWithIcon("Mark done", theme.ConfirmIcon(), func() {
		if f.onMarkDone != nil {
			f.onMarkDone()
		}
	})
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetPlaceHolder("Progress, who was asked, what is awaited")
	f.hints[f.notes] = f.notes.PlaceHolder
	f.hints[f.due.Entry] = f.due.PlaceHolder
	f.notes.Wrapping = fyne.TextWrapWord
	f.notes.SetMinRowsVisible(4)
	f.notes.OnChanged = func(string) { f.changed() }
	f.origin = widget.NewLabel("")
	f.origin.Wrapping = fyne.TextWrapWord
	f.openParent = widget.NewButtonWithIcon("Open", theme.NavigateNextIcon(), f.openOrigin)

	ff := f.ff
	ff.add("title", "Title", f.titleEntry, "")
	ff.add("owner", "Owner", f.owner, "")
	ff.add("due_on", "Due", f.due.box, "Optional")
	ff.add("status", "Status", container.NewBorder(nil, nil, nil, f.markDoneBtn, f.status), "")
	ff.add("done_at", "Done", f.doneAt, "Filled in when the status becomes done; in "+f.zoneName())
	ff.add("notes", "Notes", f.notes, "")
	ff.add("exchange_id", "Born in", container.NewVBox(f.origin, container.NewHBox(f.openParent)), "")
	ff.rows["request_id"] = ff.rows["exchange_id"] // one row shows either link
	return ff.build()
}

func (f *actionForm) zoneName() string {
	if f.zone == nil || f.zone == time.Local {
		return "local time"
	}
	return f.zone.String()
}

func (f *actionForm) changed() {
	if !f.loading && f.onChange != nil {
		f.onChange()
	}
}

// statusChanged keeps done_at in step: now when the action becomes done
// (unless a time is already there), cleared otherwise.
func (f *actionForm) statusChanged() {
	if f.loading {
		return
	}
	done := actionStatusValue(f.status.Selected) == data.ActionDone
	switch {
	case done && strings.TrimSpace(f.doneAt.Text) == "":
		f.doneAt.SetText(time.Now().In(f.zone).Format("2006-01-02 15:04"))
	case !done:
		f.doneAt.SetText("")
	}
	f.syncDoneAt()
	f.changed()
}

// syncDoneAt lets done_at be edited only on a done action being edited.
func (f *actionForm) syncDoneAt() {
	if f.editable && actionStatusValue(f.status.Selected) == data.ActionDone {
		f.doneAt.Enable()
		f.doneAt.SetPlaceHolder("YYYY-MM-DD HH:MM")
	} else {
		f.doneAt.Disable()
		f.doneAt.SetPlaceHolder("Not done")
	}
	open := f.status.Selected == actionStatusLabel(data.ActionOpen) || f.status.Selected == actionStatusLabel(data.ActionInProgress)
	if !f.editable && f.id != "" && open {
		f.markDoneBtn.Show()
	} else {
		f.markDoneBtn.Hide()
	}
}

func (f *actionForm) record() data.Record {
	return &data.Action{ID: f.id, ExchangeID: f.exchangeID, RequestID: f.requestID,
		Title: strings.TrimSpace(f.titleEntry.Text), Owner: strings.TrimSpace(f.owner.Text),
		DueOn: strings.TrimSpace(f.due.Text), Status: actionStatusValue(f.status.Selected),
		DoneAt: localTime(f.doneAt.Text, f.zone.String()), Notes: f.notes.Text}
}

func (f *actionForm) load(rec data.Record) {
	a := rec.(*data.Action)
	f.loading = true
	f.id, f.exchangeID, f.requestID = a.ID, a.ExchangeID, a.RequestID
	f.titleEntry.SetText(a.Title)
	f.owner.SetText(a.Owner)
	f.due.SetText(a.DueOn)
	f.status.SetSelected(actionStatusLabel(a.Status))
	f.doneAt.SetText(showLocalOrEmpty(a.DoneAt, f.zone.String()))
	f.notes.SetText(a.Notes)
	f.loading = false
	f.loadOrigin()
	f.syncDoneAt()
}

// loadOrigin names the exchange or request the action was born in. The
// parent may have been deleted since (perhaps on another laptop): the
// link is then shown as deleted, with nothing to open.
func (f *actionForm) loadOrigin() {
	f.parent = nil
	f.openParent.Hide()
	kind, id := data.KindExchange, f.exchangeID
	if id == "" {
		kind, id = data.KindRequest, f.requestID
	}
	if id == "" {
		f.origin.SetText("Nothing: a stand-alone action")
		return
	}
	rec, err := f.app.store.Get(context.Background(), kind, id)
	switch {
	case errors.Is(err, data.ErrNotFound):
		f.origin.SetText(actionKindTitle(kind) + " (deleted)")
		return
	case err != nil:
		f.origin.SetText(actionKindTitle(kind) + ": could not be read (" + err.Error() + ")")
		return
	}
	switch p := rec.(type) {
	case *data.Exchange:
		when := p.OccurredAt
		if len(when) >= 10 {
			when = showLocal(p.OccurredAt, p.TimeZone)[:10]
		}
		f.origin.SetText("Exchange: " + p.Title + " (" + when + ")")
		m := p.Marking
		f.parent = &m
	case *data.Request:
		t := p.Ref
		if p.Program != "" {
			t += " " + p.Program
		}
		if p.EndUser != "" {
			t += ": " + p.EndUser
		}
		f.origin.SetText("Request " + t)
		m := p.Marking
		f.parent = &m
	}
	f.openParent.SetText("Open " + string(kind))
	f.openParent.Show()
}

func actionKindTitle(kind data.Kind) string {
	if kind == data.KindRequest {
		return "Request"
	}
	return "Exchange"
}

// openOrigin shows the exchange or request the action was born in.
func (f *actionForm) openOrigin() {
	if f.exchangeID != "" {
		f.app.open(data.KindExchange, f.exchangeID)
	} else if f.requestID != "" {
		f.app.open(data.KindRequest, f.requestID)
	}
}

// markings is the marking of the record the action was born in, whose
// title the form shows.
func (f *actionForm) markings() []data.Marking {
	if f.parent == nil {
		return nil
	}
	return []data.Marking{*f.parent}
}

func (f *actionForm) setEditable(on bool) {
	f.editable = on
	setEnabled(on, f.titleEntry, f.owner, f.due.Entry, f.notes, f.status)
	setDatePickable(f.due, on)
	showHints(f.hints, on)
	f.syncDoneAt()
}

// setDatePickable shows a date entry's calendar button only while editing:
// a read-only form must not change under a tap.
func setDatePickable(d *dateEntry, on bool) {
	for _, o := range d.box.Objects {
		if b, ok := o.(*widget.Button); ok {
			if on {
				b.Show()
			} else {
				b.Hide()
			}
		}
	}
}
