package gui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// visitForm edits one visit request: the visit, its visitors, and where
// the request stands. The lead-time warning sits beside the dates; the
// passport is typed into a masked entry, since the form may be on a
// screen others see.
type visitForm struct {
	app *App
	ff  *fieldForm
	id  string

	purpose, facility, program, fmsCase, usContact, fvsCase *widget.Entry
	starts, ends                                            *dateEntry
	visitType, posting                                      *widget.Select
	leadWarning                                             *widget.Label
	statusLabel, statusNotes                                *widget.Label
	moveTo                                                  *widget.Select
	moveBtn                                                 *widget.Button
	visitorsBox                                             *fyne.Container
	addVisitor                                              *widget.Button
	visitors                                                []*visitorRow

	status            data.VisitStatus
	notes             string
	hints             map[*widget.Entry]string
	editable, loading bool
	onChange          func()
	onMoved           func(id string)
}

// visitorRow is the entries of one visitor.
type visitorRow struct {
	name, rank, organisation, nationality, clearance, passport, birthDate *widget.Entry
	remove                                                                *widget.Button
	box                                                                   *fyne.Container
}

func newVisitForm(a *App) *visitForm { return &visitForm{app: a, ff: newFieldForm()} }

func (f *visitForm) form() *fieldForm { return f.ff }

func (f *visitForm) title() string {
	if t := strings.TrimSpace(f.purpose.Text); t != "" {
		return t
	}
	return "New visit request"
}

func visitTypeLabel(t data.VisitType) string {
	return map[data.VisitType]string{data.VisitOneTime: "One-time", data.VisitRecurring: "Recurring", data.VisitExtended: "Extended"}[t]
}

func visitTypeValue(label string) data.VisitType {
	for _, t := range data.VisitTypes {
		if visitTypeLabel(data.VisitType(t)) == label {
			return data.VisitType(t)
		}
	}
	return data.VisitOneTime
}

// visitStatusLabel writes a visit request's state for people.
func visitStatusLabel(s data.VisitStatus) string {
	switch s {
	case data.VisitDrafted:
		return "Drafted"
	case data.VisitSentToWing:
		return "Sent to the Defence Wing"
	case data.VisitSubmitted:
		return "Submitted (FVS)"
	case data.VisitApproved:
		return "Approved"
	case data.VisitDenied:
		return "Denied"
	case data.VisitHeld:
		return "Held"
	case data.VisitReportDone:
		return "Post-visit report done"
	}
	return string(s)
}

func (f *visitForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	f.hints = map[*widget.Entry]string{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	f.purpose = widget.NewMultiLineEntry()
	f.purpose.SetPlaceHolder("Why the delegation visits")
	f.hints[f.purpose] = f.purpose.PlaceHolder
	f.purpose.Wrapping = fyne.TextWrapWord
	f.purpose.SetMinRowsVisible(2)
	f.purpose.OnChanged = func(string) { f.changed() }
	f.facility = entry("e.g. NAS Jacksonville")
	f.program = entry("e.g. P-8I")
	f.fmsCase = entry("e.g. IN-P-SAA")
	f.usContact = entry("Name, office, phone")
	f.fvsCase = entry("Foreign Visits System case number")
	win := func() fyne.Window { return f.app.win }
	f.starts, f.ends = newDateEntry(win), newDateEntry(win)
	f.starts.OnChanged = func(string) { f.showLeadTime(); f.changed() }
	f.ends.OnChanged = func(string) { f.changed() }
	labels := make([]string, len(data.VisitTypes))
	for i, t := range data.VisitTypes {
		labels[i] = visitTypeLabel(data.VisitType(t))
	}
	f.visitType = widget.NewSelect(labels, func(string) { f.changed() })
	f.posting = widget.NewSelect(f.app.catalogue.postingCodes(), func(string) { f.showLeadTime(); f.changed() })
	f.leadWarning = widget.NewLabel("")
	f.leadWarning.Importance = widget.WarningImportance
	f.leadWarning.Wrapping = fyne.TextWrapWord
	f.leadWarning.Hide()
	f.statusLabel = widget.NewLabel("")
	f.statusNotes = widget.NewLabel("")
	f.statusNotes.Wrapping = fyne.TextWrapWord
	f.moveTo = widget.NewSelect(nil, nil)
	f.moveTo.PlaceHolder = "Move to…"
	f.moveBtn = widget.NewButtonWithIcon("Move", theme.NavigateNextIcon(), f.confirmMove)
	f.visitorsBox = container.NewVBox()
	f.addVisitor = widget.NewButtonWithIcon("Add visitor", theme.ContentAddIcon(), func() {
		f.appendVisitor(data.Visitor{})
		f.changed()
	})

	ff := f.ff
	ff.add("purpose", "Purpose", f.purpose, "")
	ff.add("facility", "Facility", f.facility, "")
	ff.add("starts_on", "Dates", container.NewVBox(
		container.NewGridWithColumns(2, f.starts.box, f.ends.box), f.leadWarning), "Start and end")
	ff.rows["ends_on"] = ff.rows["starts_on"]
	ff.add("visit_type", "Type", f.visitType, "")
	ff.add("posting", "Posting", f.posting, "Its lead time applies")
	ff.add("program", "Programme", f.program, "Related programme, if any")
	ff.add("fms_case", "FMS case", f.fmsCase, "Or the Foreign Military Sales case")
	ff.add("us_contact", "US point of contact", f.usContact, "")
	ff.add("fvs_case", "FVS case", f.fvsCase, "")
	ff.add("visitors", "Visitors", container.NewVBox(f.visitorsBox, container.NewHBox(f.addVisitor)),
		"Passport and date of birth are sensitive: left out of lists and exports unless asked for")
	ff.add("status", "Status", container.NewVBox(f.statusLabel,
		container.NewBorder(nil, nil, nil, f.moveBtn, f.moveTo), f.statusNotes), "")
	return ff.build()
}

func (f *visitForm) changed() {
	if !f.loading && f.onChange != nil {
		f.onChange()
	}
}

// appendVisitor adds the entries of one visitor.
func (f *visitForm) appendVisitor(v data.Visitor) {
	r := &visitorRow{}
	mk := func(ph, text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		e.SetText(text)
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	r.name, r.rank = mk("Name", v.Name), mk("Rank", v.Rank)
	r.organisation, r.nationality = mk("Organisation", v.Organisation), mk("Nation (IND)", v.Nationality)
	r.clearance = mk("Clearance", v.Clearance)
	r.passport = widget.NewPasswordEntry()
	r.passport.SetPlaceHolder("Passport no. (sensitive)")
	r.passport.SetText(v.Passport)
	r.passport.OnChanged = func(string) { f.changed() }
	r.birthDate = mk("Born YYYY-MM-DD (sensitive)", v.BirthDate)
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	r.box = container.NewBorder(nil, nil, nil, r.remove, container.NewVBox(
		container.NewGridWithColumns(3, r.name, r.rank, r.organisation),
		container.NewGridWithColumns(4, r.nationality, r.clearance, r.passport, r.birthDate)))
	r.remove.OnTapped = func() {
		for i, x := range f.visitors {
			if x == r {
				f.visitors = append(f.visitors[:i], f.visitors[i+1:]...)
				break
			}
		}
		f.visitorsBox.Remove(r.box)
		f.changed()
	}
	f.visitors = append(f.visitors, r)
	f.visitorsBox.Add(r.box)
	f.setRowEditable(r, f.editable)
}

func (f *visitForm) setRowEditable(r *visitorRow, on bool) {
	setEnabled(on, r.name, r.rank, r.organisation, r.nationality, r.clearance, r.passport, r.birthDate)
	if on {
		r.remove.Show()
	} else {
		r.remove.Hide()
	}
}

func (f *visitForm) record() data.Record {
	v := &data.Visit{ID: f.id, Posting: f.posting.Selected, VisitType: visitTypeValue(f.visitType.Selected),
		Facility: strings.TrimSpace(f.facility.Text), StartsOn: strings.TrimSpace(f.starts.Text), EndsOn: strings.TrimSpace(f.ends.Text),
		Purpose: strings.TrimSpace(f.purpose.Text), Program: strings.TrimSpace(f.program.Text), FMSCase: strings.TrimSpace(f.fmsCase.Text),
		USContact: strings.TrimSpace(f.usContact.Text), FVSCase: strings.TrimSpace(f.fvsCase.Text),
		Status: f.status, StatusNotes: f.notes, Visitors: []data.Visitor{}}
	for _, r := range f.visitors {
		v.Visitors = append(v.Visitors, data.Visitor{Name: strings.TrimSpace(r.name.Text), Rank: strings.TrimSpace(r.rank.Text),
			Organisation: strings.TrimSpace(r.organisation.Text), Nationality: strings.ToUpper(strings.TrimSpace(r.nationality.Text)),
			Clearance: strings.TrimSpace(r.clearance.Text), Passport: strings.TrimSpace(r.passport.Text),
			BirthDate: strings.TrimSpace(r.birthDate.Text)})
	}
	return v
}

func (f *visitForm) load(rec data.Record) {
	v := rec.(*data.Visit)
	f.loading = true
	f.id, f.status, f.notes = v.ID, v.Status, v.StatusNotes
	if f.status == "" {
		f.status = data.VisitDrafted
	}
	f.purpose.SetText(v.Purpose)
	f.facility.SetText(v.Facility)
	f.starts.SetText(v.StartsOn)
	f.ends.SetText(v.EndsOn)
	f.visitType.SetSelected(visitTypeLabel(v.VisitType))
	if v.VisitType == "" {
		f.visitType.SetSelected(visitTypeLabel(data.VisitOneTime))
	}
	f.posting.Options = f.app.catalogue.postingCodes()
	f.posting.SetSelected(v.Posting)
	f.program.SetText(v.Program)
	f.fmsCase.SetText(v.FMSCase)
	f.usContact.SetText(v.USContact)
	f.fvsCase.SetText(v.FVSCase)
	f.visitors = nil
	f.visitorsBox.RemoveAll()
	for _, p := range v.Visitors {
		f.appendVisitor(p)
	}
	f.statusLabel.SetText(visitStatusLabel(f.status))
	f.statusNotes.SetText(f.notes)
	f.loading = false
	f.showLeadTime()
	f.syncMove()
}

// leadTimeWarning is the warning of a visit starting inside its posting's
// lead time, today being the officer's (data.Visit.LeadTimeWarning).
func (f *visitForm) leadTimeWarning() string {
	lead := data.DefaultVisitLeadDays
	for _, p := range f.app.catalogue.Postings() {
		if p.ID == f.posting.Selected {
			lead = p.LeadDays()
		}
	}
	v := data.Visit{StartsOn: strings.TrimSpace(f.starts.Text), Status: f.status}
	return v.LeadTimeWarning(lead, time.Now().In(officerZone(f.app)).Format(data.DateLayout))
}

// showLeadTime shows the lead-time warning beside the dates.
func (f *visitForm) showLeadTime() {
	if w := f.leadTimeWarning(); w != "" {
		f.leadWarning.SetText("Lead time: " + w + ".")
		f.leadWarning.Show()
		return
	}
	f.leadWarning.Hide()
}

// syncMove offers the states the workflow allows, on a saved request being
// viewed (a status change is its own step, never an edit).
func (f *visitForm) syncMove() {
	next := data.NextVisitStatuses(f.status)
	opts := make([]string, len(next))
	for i, s := range next {
		opts[i] = visitStatusLabel(s)
	}
	f.moveTo.Options = opts
	f.moveTo.ClearSelected()
	if f.id != "" && !f.editable && len(next) > 0 {
		f.moveTo.Show()
		f.moveBtn.Show()
	} else {
		f.moveTo.Hide()
		f.moveBtn.Hide()
	}
}

// confirmMove asks for a note, then moves the request to the chosen state.
func (f *visitForm) confirmMove() {
	var to data.VisitStatus
	for _, s := range data.NextVisitStatuses(f.status) {
		if visitStatusLabel(s) == f.moveTo.Selected {
			to = s
		}
	}
	if to == "" {
		return
	}
	note := widget.NewEntry()
	note.SetPlaceHolder("Note (optional): reference, who, why")
	dialog.ShowForm("Move to "+visitStatusLabel(to), "Move", "Cancel", []*widget.FormItem{widget.NewFormItem("Note", note)},
		func(ok bool) {
			if ok {
				f.move(to, note.Text)
			}
		}, f.app.win)
}

// move writes the status change through the store, which checks the
// workflow and appends the note.
func (f *visitForm) move(to data.VisitStatus, note string) {
	ctx := context.Background()
	if err := f.app.store.SetVisitStatus(ctx, f.id, to, strings.TrimSpace(note)); err != nil {
		f.app.showProblem(err)
		return
	}
	if rec, err := f.app.store.Get(ctx, data.KindVisit, f.id); err == nil {
		f.load(rec)
	}
	if f.onMoved != nil {
		f.onMoved(f.id)
	}
}

func (f *visitForm) setEditable(on bool) {
	f.editable = on
	setEnabled(on, f.purpose, f.facility, f.program, f.fmsCase, f.usContact, f.fvsCase, f.visitType, f.posting)
	for _, d := range []*dateEntry{f.starts, f.ends} {
		if on {
			d.Enable()
		} else {
			d.Disable()
		}
	}
	for _, r := range f.visitors {
		f.setRowEditable(r, on)
	}
	if on {
		f.addVisitor.Show()
	} else {
		f.addVisitor.Hide()
	}
	showHints(f.hints, on)
	f.syncMove()
}
