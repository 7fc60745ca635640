package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// visitsScreen lists visit requests, latest start first, and opens them in
// a form. The list never shows the visitors' sensitive fields.
type visitsScreen struct {
	recordPages
	form   *visitForm
	newBtn *widget.Button
}

func newVisitsScreen(a *App) *visitsScreen {
	sc := &visitsScreen{recordPages: recordPages{app: a, kind: data.KindVisit}}
	sc.onFront = func() { sc.app.setMarkings(nil) } // visits carry no marking
	sc.list = newListView(a, data.KindVisit, "visit requests", []column{
		{key: "starts_on", title: "Starts", weight: 1.1},
		{key: "ends_on", title: "Ends", weight: 1.1},
		{key: "facility", title: "Facility", weight: 2},
		{key: "purpose", title: "Purpose", weight: 3},
		{key: "status", title: "Status", weight: 1.6, format: func(v string, _ data.Row) string { return visitStatusLabel(data.VisitStatus(v)) }},
		{key: "visitor_names", title: "Visitors", weight: 2.4},
	})
	sc.list.onOpen = sc.open
	sc.form = newVisitForm(a)
	sc.frame = newRecordFrame(a, data.KindVisit, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.form.onMoved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *visitsScreen) build() fyne.CanvasObject {
	var top fyne.CanvasObject
	top, sc.newBtn = sc.heading("Visit requests", "New visit request", sc.openNew)
	return sc.assemble(top)
}

// shown runs when the section comes to the front: the list is read again.
func (sc *visitsScreen) shown() {
	if sc.onList() {
		sc.list.reload()
		sc.app.setMarkings(nil)
		return
	}
	sc.frame.changed()
}

// openNew starts a new visit request at the officer's posting: one-time,
// drafted.
func (sc *visitsScreen) openNew() {
	v := &data.Visit{VisitType: data.VisitOneTime, Status: data.VisitDrafted}
	if dev, err := sc.app.store.Device(); err == nil {
		v.Posting = dev.Posting
	}
	sc.openBlank(v)
}
