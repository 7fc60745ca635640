package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// contactsScreen is the counterpart register: the people the officer
// meets, by name, opened in a form.
type contactsScreen struct {
	recordPages
	form   *contactForm
	newBtn *widget.Button
}

func newContactsScreen(a *App) *contactsScreen {
	sc := &contactsScreen{recordPages: recordPages{app: a, kind: data.KindContact}}
	sc.onFront = func() { sc.app.setMarkings(nil) } // contacts carry no marking
	sc.list = newListView(a, data.KindContact, "contacts", []column{
		{key: "name", title: "Name", weight: 2},
		{key: "rank", title: "Rank", weight: 1.1},
		{key: "appointment", title: "Appointment", weight: 2.4},
		{key: "organisation", title: "Organisation", weight: 2.2},
		{key: "directorate", title: "Dir.", weight: 0.8},
		{key: "nation", title: "Nation", weight: 0.9},
		{key: "email", title: "E-mail", weight: 2.4},
	})
	sc.list.onOpen = sc.open
	sc.form = newContactForm(a)
	sc.form.onFindExchanges = sc.findExchanges
	sc.frame = newRecordFrame(a, data.KindContact, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *contactsScreen) build() fyne.CanvasObject {
	var top fyne.CanvasObject
	top, sc.newBtn = sc.heading("Contacts", "New contact", sc.openNew)
	return sc.assemble(top)
}

// shown runs when the section comes to the front: the list is read again
// (contacts are also added from exchange forms). Contacts carry no
// marking.
func (sc *contactsScreen) shown() {
	if sc.onList() {
		sc.list.reload()
		sc.app.setMarkings(nil)
		return
	}
	sc.frame.changed()
}

// openNew starts a new contact; most counterparts are American.
func (sc *contactsScreen) openNew() {
	sc.openBlank(&data.Contact{Nation: "USA"})
}

// findExchanges searches the exchanges for a contact's name (the search
// index holds each exchange's counterpart names).
func (sc *contactsScreen) findExchanges(name string) {
	sc.app.showSection("Exchanges")
	ex := sc.app.exchanges
	if ex == nil || ex.list.search == nil {
		return
	}
	if !ex.onList() {
		ex.showList()
	}
	ex.list.search.SetText(name)
	sc.app.win.Canvas().Focus(ex.list.search)
}
