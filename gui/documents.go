package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// documentsScreen is the register of documents and information received,
// newest first, each opened in a form with its attachments.
type documentsScreen struct {
	recordPages
	filters *filterBar
	form    *documentForm
	newBtn  *widget.Button
}

func newDocumentsScreen(a *App) *documentsScreen {
	sc := &documentsScreen{recordPages: recordPages{app: a, kind: data.KindDocument}}
	sc.onFront = sc.republish
	sc.list = newListView(a, data.KindDocument, "documents", []column{
		{key: "received_on", title: "Received", weight: 1.1},
		{key: "title", title: "Title", weight: 2.75},
		{key: "category", title: "Cat.", weight: 0.45},
		{key: "disclosure", title: "Disclosed", weight: 1.5},
		{key: "originator", title: "Originator", weight: 1.4},
		{key: "control_number", title: "Control no.", weight: 1.1},
		{key: "disposition", title: "Disposition", weight: 2.05, format: func(v string, r data.Row) string {
			if d := r.Values["disposition_on"]; d != "" {
				return v + " " + d
			}
			return v
		}},
		{key: "classification", title: "Marking", weight: 1.55},
	})
	sc.list.onOpen = sc.open
	sc.list.onMarkings = a.listMarkings(sc, sc.onList)
	sc.form = newDocumentForm(a)
	sc.frame = newRecordFrame(a, data.KindDocument, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *documentsScreen) build() fyne.CanvasObject {
	sc.filters = newFilterBar(filterOptions{statuses: data.DocumentDispositions, classifications: sc.app.catalogue.levelIDs(), dates: true},
		sc.list.setFilter)
	sc.filters.from.SetPlaceHolder("Received from")
	sc.filters.to.SetPlaceHolder("Received to")
	head, btn := sc.heading("Documents received", "New document", sc.openNew)
	sc.newBtn = btn
	pages := sc.assemble(container.NewVBox(head, sc.filters.build()))
	sc.list.reload()
	return pages
}

func (sc *documentsScreen) shown() {
	if sc.onList() {
		sc.list.reload()
	}
	sc.republish()
}

// openNew starts a document received today, held, releasable to the USA
// and India at the lowest level until marked.
func (sc *documentsScreen) openNew() {
	sc.openBlank(&data.Document{Disposition: data.DispositionHeld, ReceivedOn: time.Now().Format(data.DateLayout),
		Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}})
}
