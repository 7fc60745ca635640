package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// actionOverdueMark is appended to the due date of an overdue action in the
// list.
const actionOverdueMark = "  · OVERDUE"

// actionsScreen lists follow-up actions, soonest due first, and opens them
// in a form.
type actionsScreen struct {
	recordPages
	filters *filterBar
	form    *actionForm
	newBtn  *widget.Button
	zone    *time.Location // the officer's posting zone: "today" for overdue
}

func newActionsScreen(a *App) *actionsScreen {
	sc := &actionsScreen{recordPages: recordPages{app: a, kind: data.KindAction}, zone: time.Local}
	sc.onFront = sc.showMarkings
	sc.afterOpen = sc.applyMarkings
	sc.list = newListView(a, data.KindAction, "actions", []column{
		{key: "due_on", title: "Due", weight: 1.6, format: func(v string, r data.Row) string {
			if v == "" {
				return "—"
			}
			if sc.overdue(r) {
				return v + actionOverdueMark
			}
			return v
		}},
		{key: "status", title: "Status", weight: 1, format: func(v string, _ data.Row) string { return actionStatusLabel(data.ActionStatus(v)) }},
		{key: "title", title: "Title", weight: 4},
		{key: "owner", title: "Owner", weight: 1.8},
		{key: "exchange_id", title: "From", weight: 1, format: func(_ string, r data.Row) string { return actionOrigin(r) }},
	})
	sc.list.onOpen = sc.open
	sc.form = newActionForm(a)
	sc.form.onMarkDone = sc.markDone
	sc.frame = newRecordFrame(a, data.KindAction, sc.form)
	sc.frame.onSaved = func(string) {
		sc.list.reload()
		sc.applyMarkings()
	}
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *actionsScreen) build() fyne.CanvasObject {
	sc.zone = officerZone(sc.app)
	sc.form.zone = sc.zone
	sc.filters = newFilterBar(filterOptions{statuses: data.ActionStatuses, dates: true}, sc.list.setFilter)
	sc.filters.from.SetPlaceHolder("Due from YYYY-MM-DD")
	sc.filters.to.SetPlaceHolder("Due to YYYY-MM-DD")
	var head fyne.CanvasObject
	head, sc.newBtn = sc.heading("Actions", "New action", sc.openNew)
	head = container.NewBorder(nil, nil, nil, sc.handoverButton(), head)
	top := container.NewVBox(head, sc.filters.build())
	return sc.assemble(top)
}

// shown runs when the section comes to the front: the list is read again
// (actions are also added from exchange forms), a form gets its banner.
func (sc *actionsScreen) shown() {
	if sc.onList() {
		sc.list.reload()
	}
	sc.showMarkings()
}

// showMarkings sets the banners: actions carry no marking of their own, but
// a form shows the title of the exchange or request the action was born
// in, so it carries that record's marking.
func (sc *actionsScreen) showMarkings() {
	if sc.onList() {
		sc.app.setMarkings(nil)
		return
	}
	sc.frame.changed()
	sc.applyMarkings()
}

// applyMarkings puts the marking of the exchange or request the action was
// born in on the banners: the form shows that record's title.
func (sc *actionsScreen) applyMarkings() {
	if !sc.onList() {
		sc.app.setMarkings(sc.form.markings())
	}
}

// openNew starts a new stand-alone action, owned by the officer.
func (sc *actionsScreen) openNew() {
	a := &data.Action{Status: data.ActionOpen}
	if dev, err := sc.app.store.Device(); err == nil {
		a.Owner = dev.Officer
	}
	sc.openBlank(a)
}

// markDone closes the saved action shown, in one tap: status done, done
// now.
func (sc *actionsScreen) markDone() {
	if sc.frame.id == "" || sc.frame.editing {
		return
	}
	ctx := context.Background()
	rec, err := sc.app.store.Get(ctx, data.KindAction, sc.frame.id)
	if err != nil {
		dialog.ShowError(err, sc.app.win)
		return
	}
	a := rec.(*data.Action)
	a.Status = data.ActionDone
	if a.DoneAt == "" {
		a.DoneAt = time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	if err := sc.app.store.Save(ctx, a); err != nil {
		dialog.ShowError(err, sc.app.win)
		return
	}
	if saved, err := sc.app.store.Get(ctx, data.KindAction, a.ID); err == nil {
		sc.frame.openRecord(saved, a.ID)
	}
	sc.frame.saved.SetText("Marked done " + time.Now().Format("15:04:05"))
	sc.list.reload()
	sc.applyMarkings()
}

// overdue tells whether a listed action is still to do and due before
// today in the officer's zone.
func (sc *actionsScreen) overdue(r data.Row) bool {
	a := data.Action{DueOn: r.Values["due_on"], Status: data.ActionStatus(r.Values["status"])}
	return a.Overdue(time.Now().In(sc.zone).Format(data.DateLayout))
}

// officerZone is the time zone of the officer's posting (the machine's
// own when unknown): it decides what "today" is.
func officerZone(a *App) *time.Location {
	dev, err := a.store.Device()
	if err != nil || dev == nil {
		return time.Local
	}
	for _, p := range a.catalogue.Postings() {
		if p.ID == dev.Posting {
			if loc, err := time.LoadLocation(p.TimeZone); err == nil && p.TimeZone != "" {
				return loc
			}
		}
	}
	return time.Local
}

// actionOrigin says where a listed action was born.
func actionOrigin(r data.Row) string {
	switch {
	case r.Values["exchange_id"] != "":
		return "Exchange"
	case r.Values["request_id"] != "":
		return "Request"
	}
	return "—"
}

// actionStatusLabel writes an action status for people.
func actionStatusLabel(s data.ActionStatus) string {
	switch s {
	case data.ActionOpen:
		return "Open"
	case data.ActionInProgress:
		return "In progress"
	case data.ActionDone:
		return "Done"
	case data.ActionCancelled:
		return "Cancelled"
	}
	return string(s)
}

// actionStatusValue reads a status label back.
func actionStatusValue(label string) data.ActionStatus {
	for _, s := range data.ActionStatuses {
		if actionStatusLabel(data.ActionStatus(s)) == label {
			return data.ActionStatus(s)
		}
	}
	return data.ActionStatus(label)
}
