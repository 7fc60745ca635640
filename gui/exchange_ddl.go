package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// Categories are the NDP-1 categories, in order, with the names HQ gave
// them (the defaults until the catalogue is first read).
func (c *catalogue) Categories() []data.NDPCategory {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ndp == nil {
		return data.DefaultNDPCategories()
	}
	return c.ndp
}

// categoryLabel is how a picker shows a category: "5 Combined Military
// Operations, Planning and Readiness".
func categoryLabel(c data.NDPCategory) string { return c.ID + " " + c.Name }

// categoryOfLabel reads a category's number back from its label.
func categoryOfLabel(label string) string {
	id, _, _ := strings.Cut(label, " ")
	return id
}

// exchangeDDL is the exchange form's part for the officer's DDL: the
// NDP-1 category of what was disclosed, and the justification a save
// asks for, beside its field, when the officer received information
// beyond the DDL (data.CheckDDL).
type exchangeDDL struct {
	app           *App
	category      *widget.Select
	justification *widget.Entry
}

// addFields puts the two fields on the form, after Disclosure.
func (d *exchangeDDL) addFields(a *App, ff *fieldForm, changed func()) {
	d.app = a
	d.justification = widget.NewMultiLineEntry()
	d.justification.Wrapping = fyne.TextWrapWord
	d.justification.SetMinRowsVisible(2)
	d.justification.SetPlaceHolder("Why information beyond your DDL was received, if it was")
	d.category = widget.NewSelect(nil, nil)
	d.category.PlaceHolder = "(not recorded)"
	d.setOptions()
	a.catalogue.onChange(d.setOptions)
	d.category.OnChanged = func(string) { changed() }
	d.justification.OnChanged = func(string) { changed() }
	ff.add("ndp_category", "NDP-1 category", d.category, "")
	ff.add("ddl_justification", "DDL justification", d.justification, "Asked for when you received information beyond your DDL")
}

func (d *exchangeDDL) setOptions() {
	sel := categoryOfLabel(d.category.Selected)
	opts := []string{""}
	for _, c := range d.app.catalogue.Categories() {
		opts = append(opts, categoryLabel(c))
	}
	d.category.SetOptions(opts)
	d.selectCategory(sel)
}

func (d *exchangeDDL) selectCategory(id string) {
	for _, o := range d.category.Options {
		if o != "" && categoryOfLabel(o) == id {
			d.category.SetSelected(o)
			return
		}
	}
	d.category.ClearSelected()
}

func (d *exchangeDDL) fill(e *data.Exchange) {
	e.NDPCategory = categoryOfLabel(d.category.Selected)
	e.DDLJustification = strings.TrimSpace(d.justification.Text)
}

func (d *exchangeDDL) load(e *data.Exchange) {
	d.selectCategory(e.NDPCategory)
	d.justification.SetText(e.DDLJustification)
}

func (d *exchangeDDL) setEditable(on bool) { setEnabled(on, d.category, d.justification) }
