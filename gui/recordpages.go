package gui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// recordPages is what every record section (exchanges, requests, actions,
// contacts) shares: a list page and a form page, one in front at a time,
// and the moves between them. Each section embeds it.
type recordPages struct {
	app   *App
	kind  data.Kind
	list  *listView
	frame *recordFrame

	pages  *fyne.Container // the list page or the form page
	listPg fyne.CanvasObject
	formPg fyne.CanvasObject

	// onFront runs when the list comes back to the front (the section
	// refreshes its banner); afterOpen after a record is put in the form.
	onFront   func()
	afterOpen func()
}

// records is the section's record pages (see recordSection).
func (p *recordPages) records() *recordPages { return p }

// heading is the line above a section's list: its title, and the button
// that starts a new record.
func (p *recordPages) heading(title, newLabel string, onNew func()) (fyne.CanvasObject, *widget.Button) {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	add := widget.NewButtonWithIcon(newLabel, theme.ContentAddIcon(), onNew)
	add.Importance = widget.HighImportance
	return container.NewBorder(nil, nil, t, add), add
}

// republish puts the markings of what is in front on the banners again:
// the rows on the list, or the record in the form.
func (p *recordPages) republish() {
	if p.onList() {
		p.list.lastBanner = ""
		p.list.publishMarkings()
	} else {
		p.frame.changed()
	}
}

// assemble builds both pages: top (title, buttons, filters) over the list,
// and the record frame.
func (p *recordPages) assemble(top fyne.CanvasObject) fyne.CanvasObject {
	p.listPg = container.NewBorder(top, nil, nil, nil, p.list.build())
	p.formPg = p.frame.build()
	p.pages = container.NewStack(p.listPg)
	return p.pages
}

func (p *recordPages) onList() bool {
	return p.pages != nil && len(p.pages.Objects) > 0 && p.pages.Objects[0] == p.listPg
}

func (p *recordPages) showList() {
	p.pages.Objects = []fyne.CanvasObject{p.listPg}
	p.pages.Refresh()
	if p.onFront != nil {
		p.onFront()
	}
}

func (p *recordPages) showForm() {
	p.pages.Objects = []fyne.CanvasObject{p.formPg}
	p.pages.Refresh()
}

// open shows a saved record, read-only until Edit.
func (p *recordPages) open(id string) {
	rec, err := p.app.store.Get(context.Background(), p.kind, id)
	if err != nil {
		dialog.ShowError(err, p.app.win)
		return
	}
	p.showForm()
	p.frame.openRecord(rec, id)
	if p.afterOpen != nil {
		p.afterOpen()
	}
}

// openBlank starts a new record from a blank with the section's defaults
// (or the draft left from last time).
func (p *recordPages) openBlank(rec data.Record) {
	p.showForm()
	p.frame.openNew(rec)
	if p.afterOpen != nil {
		p.afterOpen()
	}
}

// save writes the form in front (Ctrl+S); on the list it does nothing.
func (p *recordPages) save() {
	if !p.onList() {
		p.frame.save()
	}
}

// focusSearch brings the list to the front with the cursor in its search
// box (Ctrl+F).
func (p *recordPages) focusSearch() {
	if !p.onList() {
		p.showList()
	}
	p.list.focusSearch(p.app.win.Canvas())
}
