package gui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// accreditationForm edits one officer's accreditation: the host
// command's certification, the contact officer and the foreign disclosure
// officer, the DDL (ceiling, methods, NDP-1 categories, limitations,
// review), the extended visit authorization and the badge.
type accreditationForm struct {
	app *App
	ff  *fieldForm
	id  string

	officer, command, startsOn, endsOn, functions, contact, fdo *widget.Entry
	limitations, reviewOn, evaNumber, evaEndsOn, badge          *widget.Entry
	ceiling                                                     *widget.Select
	methods, categories                                         *widget.CheckGroup
	hints                                                       map[*widget.Entry]string
}

func newAccreditationForm(a *App) *accreditationForm {
	return &accreditationForm{app: a, ff: newFieldForm()}
}

func (f *accreditationForm) form() *fieldForm { return f.ff }

func (f *accreditationForm) title() string {
	if o := strings.TrimSpace(f.officer.Text); o != "" {
		return "Accreditation of " + o
	}
	return "New accreditation"
}

func (f *accreditationForm) fields(changed func()) fyne.CanvasObject {
	f.hints = map[*widget.Entry]string{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { changed() }
		return e
	}
	multi := func(placeholder string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(2)
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { changed() }
		return e
	}
	f.officer = entry("The officer's name, as on this laptop")
	f.command = entry("e.g. US Naval Forces Central Command")
	f.startsOn = entry("YYYY-MM-DD")
	f.endsOn = entry("YYYY-MM-DD")
	f.functions = multi("What the certification lets the officer do")
	f.contact = entry("The host's contact officer")
	f.fdo = entry("The host's foreign disclosure officer")
	f.ceiling = widget.NewSelect(f.app.catalogue.levelIDs(), func(string) { changed() })
	f.app.catalogue.onChange(func() { f.ceiling.SetOptions(f.app.catalogue.levelIDs()) })
	f.methods = widget.NewCheckGroup(data.Disclosures, func([]string) { changed() })
	f.methods.Horizontal = true
	f.categories = widget.NewCheckGroup(f.categoryLabels(), func([]string) { changed() })
	f.app.catalogue.onChange(func() {
		ids := f.categoryIDs()
		f.categories.Options = f.categoryLabels()
		f.setCategories(ids)
	})
	f.limitations = multi("The DDL's limitations, as written")
	f.reviewOn = entry("YYYY-MM-DD")
	f.evaNumber = entry("Extended visit authorization number")
	f.evaEndsOn = entry("YYYY-MM-DD")
	f.badge = entry("YYYY-MM-DD")

	ff := f.ff
	ff.add("officer", "Officer", f.officer, "")
	ff.add("certifying_command", "Certifying command", f.command, "")
	ff.add("starts_on", "Certified from", f.startsOn, "")
	ff.add("ends_on", "Certified until", f.endsOn, "Reminded a month before")
	ff.add("functions", "Functions", f.functions, "")
	ff.add("contact_officer", "Contact officer", f.contact, "")
	ff.add("foreign_disclosure_officer", "Foreign disclosure officer", f.fdo, "")
	ff.add("ddl_ceiling", "DDL ceiling", f.ceiling, "The highest level the host may disclose to the officer")
	ff.add("ddl_methods", "DDL methods", f.methods, "")
	ff.add("ddl_categories", "DDL categories", f.categories, "NDP-1 categories the DDL permits")
	ff.add("ddl_limitations", "DDL limitations", f.limitations, "")
	ff.add("ddl_review_on", "DDL review", f.reviewOn, "Reminded a month before")
	ff.add("eva_number", "EVA number", f.evaNumber, "")
	ff.add("eva_ends_on", "EVA ends", f.evaEndsOn, "Reminded a month before")
	ff.add("badge_expires_on", "Badge expires", f.badge, "Reminded a month before")
	return ff.build()
}

func (f *accreditationForm) categoryLabels() []string {
	var out []string
	for _, c := range f.app.catalogue.Categories() {
		out = append(out, categoryLabel(c))
	}
	return out
}

func (f *accreditationForm) categoryIDs() []string {
	ids := []string{}
	for _, l := range f.categories.Selected {
		ids = append(ids, categoryOfLabel(l))
	}
	return ids
}

func (f *accreditationForm) setCategories(ids []string) {
	var sel []string
	for _, o := range f.categories.Options {
		if slices.Contains(ids, categoryOfLabel(o)) {
			sel = append(sel, o)
		}
	}
	f.categories.SetSelected(sel)
	f.categories.Refresh()
}

func (f *accreditationForm) record() data.Record {
	methods := slices.Clone(f.methods.Selected)
	if methods == nil {
		methods = []string{}
	}
	return &data.Accreditation{ID: f.id, Officer: strings.TrimSpace(f.officer.Text),
		CertifyingCommand: strings.TrimSpace(f.command.Text), StartsOn: strings.TrimSpace(f.startsOn.Text),
		EndsOn: strings.TrimSpace(f.endsOn.Text), Functions: f.functions.Text, ContactOfficer: strings.TrimSpace(f.contact.Text),
		ForeignDisclosureOfficer: strings.TrimSpace(f.fdo.Text), DDLCeiling: f.ceiling.Selected, DDLMethods: methods,
		DDLCategories: f.categoryIDs(), DDLLimitations: f.limitations.Text, DDLReviewOn: strings.TrimSpace(f.reviewOn.Text),
		EVANumber: strings.TrimSpace(f.evaNumber.Text), EVAEndsOn: strings.TrimSpace(f.evaEndsOn.Text),
		BadgeExpiresOn: strings.TrimSpace(f.badge.Text)}
}

func (f *accreditationForm) load(rec data.Record) {
	a := rec.(*data.Accreditation)
	f.id = a.ID
	f.officer.SetText(a.Officer)
	f.command.SetText(a.CertifyingCommand)
	f.startsOn.SetText(a.StartsOn)
	f.endsOn.SetText(a.EndsOn)
	f.functions.SetText(a.Functions)
	f.contact.SetText(a.ContactOfficer)
	f.fdo.SetText(a.ForeignDisclosureOfficer)
	f.ceiling.SetSelected(a.DDLCeiling)
	if a.DDLCeiling == "" {
		f.ceiling.ClearSelected()
	}
	f.methods.SetSelected(slices.Clone(a.DDLMethods))
	f.setCategories(a.DDLCategories)
	f.limitations.SetText(a.DDLLimitations)
	f.reviewOn.SetText(a.DDLReviewOn)
	f.evaNumber.SetText(a.EVANumber)
	f.evaEndsOn.SetText(a.EVAEndsOn)
	f.badge.SetText(a.BadgeExpiresOn)
}

func (f *accreditationForm) setEditable(on bool) {
	setEnabled(on, f.officer, f.command, f.startsOn, f.endsOn, f.functions, f.contact, f.fdo, f.ceiling,
		f.methods, f.categories, f.limitations, f.reviewOn, f.evaNumber, f.evaEndsOn, f.badge)
	showHints(f.hints, on)
}
