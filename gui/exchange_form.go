package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// exchangeForm edits one information exchange: what happened, with whom,
// its marking, RFI fields for requests for information, and follow-up
// actions added inline.
type exchangeForm struct {
	app *App
	ff  *fieldForm
	id  string

	existingLoads *reloader // the actions born in this exchange
	zone          string    // the zone times are typed in

	posting, kind, direction, disclosure, classification, state, rfiStatus *widget.Select
	titleEntry, location, participants, summary, outcome                   *widget.Entry
	occurred, ended, timeZone, releasability, caveats, tags                *widget.Entry
	relGroups                                                              *relGroupPicker
	rfiQuestion, rfiResponse, rfiDue                                       *widget.Entry
	counterparts                                                           *contactPicker

	actions    []*data.Action // new follow-up actions, saved with the exchange
	actionRows []actionRow
	actionBox  *fyne.Container
	actionNew  *widget.Button
	existing   *widget.Label // actions already linked to a saved exchange
	editable   bool
	onChange   func()
	rfiFields  []string
	postingTZs map[string]string
	// plan is the engagement's plan and debrief as edited (exchange_plan.go).
	plan     data.Exchange
	planView *fyne.Container
	pe       *planEditor
	ddl      exchangeDDL // exchange_ddl.go
}

func newExchangeForm(a *App) *exchangeForm {
	return &exchangeForm{app: a, ff: newFieldForm(), postingTZs: map[string]string{}, existingLoads: a.newReloader(),
		rfiFields: []string{"rfi_question", "rfi_response", "rfi_due", "rfi_status"}}
}

func (f *exchangeForm) form() *fieldForm { return f.ff }

func (f *exchangeForm) title() string {
	if t := strings.TrimSpace(f.titleEntry.Text); t != "" {
		return t
	}
	return "New exchange"
}

func (f *exchangeForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	var codes []string
	for _, p := range f.app.catalogue.Postings() {
		codes = append(codes, p.ID)
		f.postingTZs[p.ID] = p.TimeZone
	}
	levels := f.app.catalogue.levelIDs()
	sel := func(opts []string) *widget.Select { return widget.NewSelect(opts, func(string) { f.changed() }) }
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	multi := func(placeholder string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.SetPlaceHolder(placeholder)
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	f.posting = sel(codes)
	f.posting.OnChanged = func(p string) {
		if tz := f.postingTZs[p]; tz != "" && f.timeZone.Text == "" {
			f.timeZone.SetText(tz)
		}
		f.changed()
	}
	f.kind = sel(data.ExchangeKinds)
	f.kind.OnChanged = func(string) { f.showRFI(); f.changed() }
	f.titleEntry = entry("One line: what it was")
	f.occurred = entry("YYYY-MM-DD HH:MM")
	f.ended = entry("YYYY-MM-DD HH:MM (optional)")
	f.timeZone = entry("IANA zone, e.g. Asia/Bahrain")
	f.timeZone.OnChanged = func(string) { f.changed() }
	f.location = entry("Place, or virtual")
	f.counterparts = newContactPicker(f.app)
	f.counterparts.onChange = f.changed
	f.participants = entry("Own-side attendees")
	f.summary = multi("What was discussed")
	f.outcome = multi("Decisions, agreements, commitments")
	f.direction = sel(data.Directions)
	f.disclosure = sel(data.Disclosures)
	f.classification = sel(levels)
	f.app.catalogue.onChange(func() {
		for _, p := range f.app.catalogue.Postings() {
			f.postingTZs[p.ID] = p.TimeZone
		}
		f.posting.SetOptions(f.app.catalogue.postingCodes())
		f.classification.SetOptions(f.app.catalogue.levelIDs())
	})
	f.releasability = entry("USA, IND")
	f.caveats = entry("Caveats (optional)")
	f.tags = entry("Comma-separated labels")
	f.state = sel(data.ExchangeStates)
	f.rfiQuestion = multi("The question asked")
	f.rfiResponse = multi("The answer, when it comes")
	f.rfiDue = entry("YYYY-MM-DD HH:MM: latest time the answer is of value")
	f.rfiStatus = sel(data.RFIStatuses)

	ff := f.ff
	ff.add("posting", "Posting", f.posting, "")
	ff.add("kind", "Kind", f.kind, "")
	ff.add("title", "Title", f.titleEntry, "")
	ff.add("occurred_at", "Started", f.occurred, "In the time zone below")
	ff.add("ended_at", "Ended", f.ended, "")
	ff.add("time_zone", "Time zone", f.timeZone, "")
	ff.add("location", "Location", f.location, "")
	ff.add("counterparts", "Counterparts", f.counterparts.build(), "")
	ff.add("participants", "Participants", f.participants, "")
	ff.add("summary", "Summary", f.summary, "")
	ff.add("outcome", "Outcome", f.outcome, "")
	f.addPlanFields()
	ff.add("direction", "Information", f.direction, "Which way it flowed")
	ff.add("disclosure", "Disclosure", f.disclosure, "")
	f.ddl.addFields(f.app, ff, f.changed)
	ff.add("rfi_question", "RFI question", f.rfiQuestion, "")
	ff.add("rfi_response", "RFI response", f.rfiResponse, "")
	ff.add("rfi_due", "RFI due", f.rfiDue, "")
	ff.add("rfi_status", "RFI status", f.rfiStatus, "")
	ff.add("classification", "Classification", f.classification, "")
	f.relGroups = newRelGroupPicker(f.app, f.releasability) // gui/relgroups.go
	ff.add("releasability", "Releasable to", f.relGroups.box, "ISO alpha-3 codes, e.g. USA, IND, or a group")
	ff.add("caveats", "Caveats", f.caveats, "")
	ff.add("tags", "Tags", f.tags, "")
	ff.add("state", "State", f.state, "Final locks the record; later changes are amendments")

	f.actionBox = container.NewVBox()
	f.existing = widget.NewLabel("")
	f.existing.Wrapping = fyne.TextWrapWord
	f.actionNew = widget.NewButtonWithIcon("Add follow-up action", theme.ContentAddIcon(), f.addAction)
	actions := container.NewVBox(widget.NewLabelWithStyle("Follow-up actions", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		f.existing, f.actionBox, container.NewHBox(f.actionNew))
	f.planView = container.NewVBox()
	return container.NewVBox(ff.build(), f.planView, widget.NewSeparator(), actions)
}

// locked is true for a final exchange: editing it is an amendment.
func (f *exchangeForm) locked() bool { return data.ExchangeState(f.state.Selected) == data.StateFinal }

func (f *exchangeForm) changed() {
	f.showHomeTimes()
	if f.onChange != nil {
		f.onChange()
	}
}

// showRFI shows the RFI fields only for requests for information.
func (f *exchangeForm) showRFI() {
	rfi := f.kind.Selected == "rfi_out" || f.kind.Selected == "rfi_in"
	for _, name := range f.rfiFields {
		f.ff.show(name, rfi)
	}
}

// record reads the form. Times are typed in the exchange's zone and kept
// in UTC.
func (f *exchangeForm) record() data.Record {
	zone := strings.TrimSpace(f.timeZone.Text)
	e := &data.Exchange{ID: f.id, Posting: f.posting.Selected, Kind: f.kind.Selected,
		Title: strings.TrimSpace(f.titleEntry.Text), OccurredAt: localTime(f.occurred.Text, zone),
		EndedAt: localTime(f.ended.Text, zone), TimeZone: zone, Location: strings.TrimSpace(f.location.Text),
		Counterparts: f.counterparts.ids, Participants: f.participants.Text, Summary: f.summary.Text,
		Outcome: f.outcome.Text, Direction: f.direction.Selected, Disclosure: f.disclosure.Selected,
		Marking: data.Marking{Classification: f.classification.Selected,
			Releasability: upperAll(splitList(f.releasability.Text)), Caveats: strings.TrimSpace(f.caveats.Text)},
		Tags: splitList(f.tags.Text), State: data.ExchangeState(f.state.Selected)}
	if e.IsRFI() {
		e.RFIQuestion, e.RFIResponse = f.rfiQuestion.Text, f.rfiResponse.Text
		e.RFIDue, e.RFIStatus = localTime(f.rfiDue.Text, zone), data.RFIStatus(f.rfiStatus.Selected)
	}
	if e.Counterparts == nil {
		e.Counterparts = []string{}
	}
	e.Objectives, e.TalkingPoints, e.Asks, e.RedLines = f.plan.Objectives, f.plan.TalkingPoints, f.plan.Asks, f.plan.RedLines
	e.Atmospherics, e.Commitments, e.StateNotes = f.plan.Atmospherics, f.plan.Commitments, f.plan.StateNotes
	f.ddl.fill(e)
	return e
}

// precheck names a time typed in a form the form cannot read, in the
// form's own terms (the record would only say RFC 3339).
func (f *exchangeForm) precheck() error {
	for _, t := range []struct {
		field string
		e     *widget.Entry
	}{{"occurred_at", f.occurred}, {"ended_at", f.ended}, {"rfi_due", f.rfiDue}} {
		v := strings.TrimSpace(t.e.Text)
		if _, err := time.Parse(time.RFC3339, v); err == nil {
			continue // a full RFC 3339 time reads as typed
		}
		if v != "" && localTime(v, "UTC") == v {
			return &data.FieldError{Field: t.field, Problem: fmt.Sprintf("%q is not a date and time: type YYYY-MM-DD HH:MM", v)}
		}
	}
	return nil
}

func (f *exchangeForm) load(rec data.Record) {
	e := rec.(*data.Exchange)
	f.id = e.ID
	f.loadPlan(e)
	f.posting.SetSelected(e.Posting)
	f.kind.SetSelected(e.Kind)
	f.titleEntry.SetText(e.Title)
	f.timeZone.SetText(e.TimeZone)
	f.occurred.SetText(showLocalOrEmpty(e.OccurredAt, e.TimeZone))
	f.ended.SetText(showLocalOrEmpty(e.EndedAt, e.TimeZone))
	f.location.SetText(e.Location)
	f.counterparts.set(e.Counterparts)
	f.participants.SetText(e.Participants)
	f.summary.SetText(e.Summary)
	f.outcome.SetText(e.Outcome)
	f.direction.SetSelected(e.Direction)
	f.disclosure.SetSelected(e.Disclosure)
	f.ddl.load(e)
	f.classification.SetSelected(e.Classification)
	f.releasability.SetText(strings.Join(e.Releasability, ", "))
	f.caveats.SetText(e.Caveats)
	f.tags.SetText(strings.Join(e.Tags, ", "))
	f.state.SetSelected(string(e.State))
	f.rfiQuestion.SetText(e.RFIQuestion)
	f.rfiResponse.SetText(e.RFIResponse)
	f.rfiDue.SetText(showLocalOrEmpty(e.RFIDue, e.TimeZone))
	f.rfiStatus.SetSelected(string(e.RFIStatus))
	f.showRFI()
	f.actions = nil
	f.redrawActions()
	f.loadExisting()
}

func showLocalOrEmpty(rfc, zone string) string {
	if rfc == "" {
		return ""
	}
	return showLocal(rfc, zone)
}

// loadExisting lists the actions already born in this exchange.
func (f *exchangeForm) loadExisting() {
	f.existing.SetText("")
	f.existing.Hide()
	f.existingLoads.stop()
	if f.id == "" {
		return
	}
	id := f.id
	var lines []string
	var err error
	f.existingLoads.load(func() {
		err = f.app.store.List(context.Background(), data.KindAction, data.ListFilter{ExchangeID: id}, func(r data.Record) error {
			a := r.(*data.Action)
			lines = append(lines, fmt.Sprintf("• %s — %s, due %s (%s)", a.Title, orDash(a.Owner), orDash(a.DueOn), a.Status))
			return nil
		})
	}, func() {
		if err != nil {
			lines = []string{"Could not list this exchange's actions: " + err.Error()}
		}
		f.existing.SetText(strings.Join(lines, "\n"))
		setShown(len(lines) > 0, f.existing)
	})
}

func (f *exchangeForm) setEditable(on bool) {
	f.editable = on
	setEnabled(on, f.posting, f.kind, f.direction, f.disclosure, f.classification, f.state, f.rfiStatus,
		f.titleEntry, f.location, f.participants, f.summary, f.outcome, f.occurred, f.ended,
		f.timeZone, f.releasability, f.relGroups, f.caveats, f.tags, f.rfiQuestion, f.rfiResponse, f.rfiDue)
	f.counterparts.setEditable(on)
	f.ddl.setEditable(on)
	setShown(on, f.actionNew)
	f.redrawActions()
	f.showPlan()
}

// addAction appends a follow-up action row, saved with the exchange.
func (f *exchangeForm) addAction() {
	owner := ""
	if dev, err := f.app.store.Device(); err == nil {
		owner = dev.Officer
	}
	f.actions = append(f.actions, &data.Action{Owner: owner, Status: data.ActionOpen})
	f.redrawActions()
	f.changed()
}

// actionRow is one new follow-up action being typed.
type actionRow struct {
	title, owner *widget.Entry
	due          *dateEntry
}

func (f *exchangeForm) redrawActions() {
	f.actionBox.RemoveAll()
	f.actionRows = f.actionRows[:0]
	for i, a := range f.actions {
		i, a := i, a
		title := widget.NewEntry()
		title.SetPlaceHolder("What to do")
		title.SetText(a.Title)
		title.OnChanged = func(s string) { a.Title = s; f.changed() }
		owner := widget.NewEntry()
		owner.SetPlaceHolder("Owner")
		owner.SetText(a.Owner)
		owner.OnChanged = func(s string) { a.Owner = s; f.changed() }
		due := newDateEntry(func() fyne.Window { return f.app.win })
		due.SetText(a.DueOn)
		due.OnChanged = func(s string) { a.DueOn = s; f.changed() }
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			f.actions = append(f.actions[:i], f.actions[i+1:]...)
			f.redrawActions()
			f.changed()
		})
		f.actionRows = append(f.actionRows, actionRow{title, owner, due})
		row := container.NewBorder(nil, nil, nil, remove,
			container.New(&columnsLayout{weights: []float32{3, 1.5, 1.5}}, title, owner, due.box))
		if !f.editable {
			title.Disable()
			owner.Disable()
			due.Disable()
			remove.Hide()
		}
		f.actionBox.Add(row)
	}
	f.actionBox.Refresh()
}

// followUps are the new actions to save with the exchange, checked first
// so a bad action stops the save before anything is written.
func (f *exchangeForm) followUps(exchangeID string) ([]data.Record, error) {
	var out []data.Record
	for i, a := range f.actions {
		a.ExchangeID = exchangeID
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("follow-up action %d: %w", i+1, err)
		}
		out = append(out, a)
	}
	return out, nil
}
