package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// accreditationsScreen lists the officers' accreditations (one each: the
// certification, the DDL, the EVA and the badge) and opens one in a form.
type accreditationsScreen struct {
	recordPages
	form   *accreditationForm
	newBtn *widget.Button
}

func newAccreditationsScreen(a *App) *accreditationsScreen {
	sc := &accreditationsScreen{recordPages: recordPages{app: a, kind: data.KindAccreditation}}
	sc.onFront = func() { sc.app.setMarkings(nil) } // accreditations carry no marking
	sc.list = newListView(a, data.KindAccreditation, "accreditations", []column{
		{key: "officer", title: "Officer", weight: 1.8},
		{key: "certifying_command", title: "Certifying command", weight: 2.4},
		{key: "ddl_ceiling", title: "DDL ceiling", weight: 1.3},
		{key: "ddl_review_on", title: "DDL review", weight: 1.1},
		{key: "eva_ends_on", title: "EVA ends", weight: 1.1},
		{key: "badge_expires_on", title: "Badge expires", weight: 1.1},
		{key: "ends_on", title: "Ends", weight: 1.1},
	})
	sc.list.onOpen = sc.open
	sc.form = newAccreditationForm(a)
	sc.frame = newRecordFrame(a, data.KindAccreditation, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *accreditationsScreen) build() fyne.CanvasObject {
	var top fyne.CanvasObject
	top, sc.newBtn = sc.heading("Accreditation", "New accreditation", sc.openNew)
	return sc.assemble(top)
}

func (sc *accreditationsScreen) shown() {
	if sc.onList() {
		sc.list.reload()
		sc.app.setMarkings(nil)
		return
	}
	sc.frame.changed()
}

// openNew starts the accreditation of this laptop's officer.
func (sc *accreditationsScreen) openNew() {
	a := &data.Accreditation{DDLMethods: []string{}, DDLCategories: []string{}}
	if dev, err := sc.app.store.Device(); err == nil {
		a.Officer = dev.Officer
	}
	sc.openBlank(a)
}
