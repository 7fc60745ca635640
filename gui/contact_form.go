package gui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// contactForm edits one counterpart. People rotate: when the appointment
// of a saved contact changes, the form offers to keep the old one among
// the past appointments.
type contactForm struct {
	app *App
	ff  *fieldForm
	id  string

	statsLoads *reloader // the register figures under the form

	name, rank, appointment, organisation, directorate *widget.Entry
	nation, email, phone, notes, past                  *widget.Entry
	moveOld                                            *widget.Check
	findBtn                                            *widget.Button

	oldAppointment  string                   // the appointment as saved
	offering        bool                     // moveOld is on screen
	hints           map[*widget.Entry]string // placeholders, shown only while editing
	editable        bool
	loading         bool
	onChange        func()
	onFindExchanges func(name string)
	stats           *widget.Label // the register's figures: exchanges and last contact
}

func newContactForm(a *App) *contactForm {
	return &contactForm{app: a, ff: newFieldForm(), statsLoads: a.newReloader()}
}

func (f *contactForm) form() *fieldForm { return f.ff }

func (f *contactForm) title() string {
	name := strings.TrimSpace(f.name.Text)
	if name == "" {
		return "New contact"
	}
	if r := strings.TrimSpace(f.rank.Text); r != "" {
		return r + " " + name
	}
	return name
}

func (f *contactForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	f.hints = map[*widget.Entry]string{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	multi := func(placeholder string, rows int) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(rows)
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	f.name = entry("Full name, e.g. Jane A. Doe")
	f.rank = entry("e.g. CAPT, Col, GS-15, SES")
	f.appointment = entry("Duty position, e.g. Deputy J4")
	f.organisation = entry("e.g. US Indo-Pacific Command")
	f.directorate = entry("J-code, e.g. J5")
	f.nation = entry("ISO alpha-3, e.g. USA")
	f.email = entry("name@example.mil")
	f.phone = entry("+1 808 477 0000")
	f.notes = multi("How you know them, what they handle", 3)
	f.past = multi("One per line, most recent first", 3)
	f.moveOld = widget.NewCheck("", func(bool) { f.changed() })
	f.moveOld.Hide()
	f.findBtn = widget.NewButtonWithIcon("Find exchanges with this contact", theme.SearchIcon(), func() {
		if f.onFindExchanges != nil {
			f.onFindExchanges(strings.TrimSpace(f.name.Text))
		}
	})

	ff := f.ff
	ff.add("name", "Name", f.name, "")
	ff.add("rank", "Rank", f.rank, "")
	ff.add("appointment", "Appointment", container.NewVBox(f.appointment, f.moveOld), "")
	ff.add("organisation", "Organisation", f.organisation, "")
	ff.add("directorate", "Directorate", f.directorate, "")
	ff.add("nation", "Nation", f.nation, "")
	ff.add("email", "E-mail", f.email, "")
	ff.add("phone", "Phone", f.phone, "")
	ff.add("notes", "Notes", f.notes, "")
	ff.add("past_appointments", "Past appointments", f.past, "One per line: people rotate, their old posts stay on record")
	f.stats = widget.NewLabel("")
	ff.add("exchanges", "Exchanges", container.NewHBox(f.stats, f.findBtn), "Searches the exchanges for this name")
	return ff.build()
}

func (f *contactForm) changed() {
	if f.loading {
		return
	}
	f.offerMove()
	if f.onChange != nil {
		f.onChange()
	}
}

// offerMove shows "Move the old appointment to past appointments" while the
// appointment of a saved contact is being changed, ticked by default.
func (f *contactForm) offerMove() {
	old := f.oldAppointment
	now := strings.TrimSpace(f.appointment.Text)
	want := f.editable && f.id != "" && old != "" && now != old &&
		!slices.Contains(contactSplitLines(f.past.Text), old)
	switch {
	case want && !f.offering:
		f.moveOld.Text = "Move “" + old + "” to past appointments"
		f.moveOld.Checked = true
		f.moveOld.Show()
		f.moveOld.Refresh()
	case !want && f.offering:
		f.moveOld.Hide()
	}
	f.offering = want
}

func (f *contactForm) record() data.Record {
	past := contactSplitLines(f.past.Text)
	if f.offering && f.moveOld.Checked {
		past = append([]string{f.oldAppointment}, past...)
	}
	if past == nil {
		past = []string{}
	}
	return &data.Contact{ID: f.id, Name: strings.TrimSpace(f.name.Text), Rank: strings.TrimSpace(f.rank.Text),
		Appointment: strings.TrimSpace(f.appointment.Text), Organisation: strings.TrimSpace(f.organisation.Text),
		Directorate: strings.TrimSpace(f.directorate.Text), Nation: strings.ToUpper(strings.TrimSpace(f.nation.Text)),
		Email: strings.TrimSpace(f.email.Text), Phone: strings.TrimSpace(f.phone.Text), Notes: f.notes.Text,
		PastAppointments: past}
}

func (f *contactForm) load(rec data.Record) {
	c := rec.(*data.Contact)
	f.loading = true
	f.id = c.ID
	f.oldAppointment = c.Appointment
	f.name.SetText(c.Name)
	f.rank.SetText(c.Rank)
	f.appointment.SetText(c.Appointment)
	f.organisation.SetText(c.Organisation)
	f.directorate.SetText(c.Directorate)
	f.nation.SetText(c.Nation)
	f.email.SetText(c.Email)
	f.phone.SetText(c.Phone)
	f.notes.SetText(c.Notes)
	f.past.SetText(strings.Join(c.PastAppointments, "\n"))
	f.loading = false
	f.offering = true // force offerMove to settle the check's state
	f.offerMove()
	f.ff.show("exchanges", f.id != "")
	f.stats.SetText("")
	f.statsLoads.stop()
	if f.id == "" {
		return
	}
	// Counting a contact's exchanges reads the register: off the UI thread.
	id := f.id
	var st data.ContactStats
	var err error
	f.statsLoads.load(func() {
		st, err = f.app.store.ContactStats(context.Background(), id)
	}, func() {
		if err == nil {
			f.stats.SetText(registerText(st))
		}
	})
}

// registerText writes a contact's register figures for people.
func registerText(st data.ContactStats) string {
	switch {
	case st.Exchanges == 0:
		return "No exchanges yet"
	case st.Exchanges == 1:
		return "1 exchange, on " + firstTen(st.LastContact)
	}
	return fmt.Sprintf("%d exchanges, the last on %s", st.Exchanges, firstTen(st.LastContact))
}

func (f *contactForm) setEditable(on bool) {
	f.editable = on
	setEnabled(on, f.name, f.rank, f.appointment, f.organisation, f.directorate,
		f.nation, f.email, f.phone, f.notes, f.past)
	showHints(f.hints, on)
	f.offerMove()
}

// showHints shows the entries' placeholders while editing and a dash when
// viewing: read-only, a grey example would pass for a value.
func showHints(hints map[*widget.Entry]string, editing bool) {
	for e, h := range hints {
		if editing {
			e.SetPlaceHolder(h)
		} else {
			e.SetPlaceHolder("—")
		}
	}
}

// contactSplitLines reads the past appointments: one per line (or
// separated by semicolons). Commas are kept: "Chief, Foreign Liaison
// Office" is one appointment.
func contactSplitLines(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
