package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// friday is Friday 15 January 2027, the working day before Martin Luther
// King Jr. Day: with the default lead of one working day, dates up to
// Tuesday 19 come due.
var friday = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

// dueApp is a window whose reminders run on a fixed day.
func dueApp(t *testing.T, day time.Time) (*App, *store.Store) {
	t.Helper()
	a, s := newTestApp(t)
	a.reminders.now = func() time.Time { return day }
	return a, s
}

func addRecords(t *testing.T, s *store.Store, recs ...data.Record) []string {
	t.Helper()
	ids, err := s.Add(context.Background(), recs...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func secretRFI(title, due string) *data.Exchange {
	return &data.Exchange{Posting: "CMF", Kind: "rfi_in", Title: title, OccurredAt: "2026-11-20T06:00:00Z",
		RFIQuestion: "Which berths are free?", RFIStatus: data.RFIOpen, RFIDue: due,
		Marking: data.Marking{Classification: "SECRET", Releasability: []string{"USA", "IND"}}}
}

func TestRemindersNotifyEachItemOnceADay(t *testing.T) {
	a, s := dueApp(t, friday)
	addRecords(t, s, &data.Action{Title: "Confirm berth for INS Tarkash", Status: data.ActionOpen, DueOn: "2027-01-16"},
		&data.Action{Title: "Send the minutes", Status: data.ActionOpen, DueOn: "2027-01-20"}) // Wednesday: not yet

	test.AssertNotificationSent(t, &fyne.Notification{Title: "Confirm berth for INS Tarkash", Content: "action due Sat 16 Jan"},
		a.reminders.check)
	test.AssertNotificationSent(t, nil, a.reminders.check) // a minute later: already said today

	// A restart the same day remembers (the preferences outlive the window).
	again := newReminders(a)
	again.now = a.reminders.now
	test.AssertNotificationSent(t, nil, again.check)

	// An item coming due later the same day notifies, alone.
	addRecords(t, s, &data.Action{Title: "Book the VTC", Status: data.ActionInProgress, DueOn: "2027-01-19"})
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Book the VTC", Content: "action due Tue 19 Jan"}, a.reminders.check)

	// The next working day both notify again, and Wednesday's comes due.
	a.reminders.now = func() time.Time { return friday.AddDate(0, 0, 3) } // Monday, the holiday: Tuesday is the horizon
	test.AssertNotificationSent(t, &fyne.Notification{Title: "2 items due",
		Content: "Confirm berth for INS Tarkash: action due Sat 16 Jan (overdue)\nBook the VTC: action due Tue 19 Jan"}, a.reminders.check)
	a.reminders.now = func() time.Time { return friday.AddDate(0, 0, 4) } // Tuesday
	test.AssertNotificationSent(t, &fyne.Notification{Title: "3 items due",
		Content: "Confirm berth for INS Tarkash: action due Sat 16 Jan (overdue)\nBook the VTC: action due Tue 19 Jan\nSend the minutes: action due Wed 20 Jan"},
		a.reminders.check)

	// Only today's reminders are remembered.
	for _, sent := range a.app.Preferences().StringList(remindedPreference) {
		if !strings.HasPrefix(sent, "2027-01-19 action/") {
			t.Errorf("a reminder of another day is kept: %q", sent)
		}
	}
	if n := len(a.app.Preferences().StringList(remindedPreference)); n != 3 {
		t.Errorf("%d reminders remembered, want 3", n)
	}
}

func TestRemindersSayOnlyHowManyWhileLocked(t *testing.T) {
	a, s := dueApp(t, friday)
	addRecords(t, s, &data.Action{Title: "Call Cdr Rao about the MoU", Status: data.ActionOpen, DueOn: "2027-01-18"})
	a.lock()
	if !a.Locked() {
		t.Fatal("the window did not lock")
	}
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Liaison Desk", Content: "1 item due"}, a.reminders.check)
	if got := a.Window().Title(); got != "Liaison Desk — 1 due" {
		t.Errorf("title while locked %q", got)
	}
}

func TestRemindersSayOnlyHowManyAboveUnclassified(t *testing.T) {
	a, s := dueApp(t, friday)
	addRecords(t, s, secretRFI("Submarine berthing schedule", "2027-01-18T12:00:00Z"),
		&data.Action{Title: "Send the minutes", Status: data.ActionOpen, DueOn: "2027-01-16"})
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Liaison Desk", Content: "2 items due"}, a.reminders.check)

	// An action born in the SECRET exchange is as discreet as it.
	rfi := addRecords(t, s, secretRFI("Port call dates", ""))[0]
	addRecords(t, s, &data.Action{Title: "Ask N2 about the port call", Status: data.ActionOpen, DueOn: "2027-01-19", ExchangeID: rfi})
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Liaison Desk", Content: "1 item due"}, a.reminders.check)
}

func TestTheWindowTitleCountsWhatIsDue(t *testing.T) {
	a, s := dueApp(t, friday)
	if got := a.Window().Title(); got != "Liaison Desk" {
		t.Errorf("nothing due: title %q", got)
	}
	ids := addRecords(t, s, &data.Action{Title: "Confirm berth", Status: data.ActionOpen, DueOn: "2027-01-14"},
		&data.Action{Title: "Send the minutes", Status: data.ActionOpen, DueOn: "2027-01-19"},
		&data.Action{Title: "In a fortnight", Status: data.ActionOpen, DueOn: "2027-01-29"})
	a.reminders.check()
	if got := a.Window().Title(); got != "Liaison Desk — 2 due" {
		t.Errorf("title %q, want two due", got)
	}
	if got := a.dashboard.due.Text; got != "2 due soon" {
		t.Errorf("dashboard button %q", got)
	}
	rec, err := s.Get(context.Background(), data.KindAction, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	done := rec.(*data.Action)
	done.Status, done.DoneAt = data.ActionDone, "2027-01-15T09:00:00Z"
	if err := s.Save(context.Background(), done); err != nil {
		t.Fatal(err)
	}
	a.dashboard.refresh() // the dashboard reads them again with its figures
	if got := a.Window().Title(); got != "Liaison Desk — 1 due" {
		t.Errorf("after one is done: title %q", got)
	}
	// A longer lead, chosen in Settings, reaches further.
	a.showSection("Settings")
	a.settings.reminderLead.SetSelected("10 working days before")
	if got := a.app.Preferences().Int(reminderLeadPreference); got != 10 {
		t.Errorf("lead stored as %d", got)
	}
	if got := a.Window().Title(); got != "Liaison Desk — 2 due" {
		t.Errorf("with ten working days: title %q", got)
	}
	capture(t, a.Window(), "settings-reminders")
}

// TestRemindersAreNotActivity: a check each minute must not keep the
// idle lock from closing the window.
func TestRemindersAreNotActivity(t *testing.T) {
	a, s := dueApp(t, friday)
	addRecords(t, s, &data.Action{Title: "Confirm berth", Status: data.ActionOpen, DueOn: "2027-01-16"})
	last := a.keys.last.Load()
	a.reminders.check()
	if a.keys.last.Load() != last {
		t.Fatal("a reminder check counted as the officer's activity")
	}
	a.lockIfIdle(time.Unix(0, last).Add(a.idleLimit()))
	if !a.Locked() {
		t.Fatal("the idle lock did not close the window")
	}
}

func TestTheDueListOpensARecord(t *testing.T) {
	a, s := dueApp(t, friday)
	ids := addRecords(t, s,
		&data.Action{Title: "Confirm berth for INS Tarkash at Mina Salman", Owner: "Col. A. Sharma", Status: data.ActionOpen, DueOn: "2027-01-14"},
		&data.Action{Title: "Send the minutes of the CTF 150 meeting", Status: data.ActionInProgress, DueOn: "2027-01-18"},
		secretRFI("Submarine berthing schedule for the February port call", "2027-01-19T08:00:00Z"),
		&data.Exchange{Posting: "CMF", Kind: "rfi_out", Title: "Delivery forecast for P-8I spares", OccurredAt: "2026-12-01T06:00:00Z",
			RFIQuestion: "When do the pumps ship?", RFIStatus: data.RFIOpen, RFIDue: "2027-01-15T06:00:00Z",
			Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}})
	req := &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", EndUser: "INAS 312",
		Justification: "Aircraft on ground: hydraulic pump failure.", RequiredBy: "2027-01-19",
		Lines:   []data.Line{{Description: "Hydraulic pump", NSN: "1650013456789", Quantity: 2, Unit: "EA"}},
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}}
	addRecords(t, s, req)

	// View › Due soon, Ctrl+D.
	var due *fyne.MenuItem
	want := &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
	for _, it := range a.menu().Items[2].Items {
		if it.Shortcut != nil && it.Shortcut.ShortcutName() == want.ShortcutName() {
			due = it
		}
	}
	if due == nil || due.Label != "Due soon…" {
		t.Fatal("no View › Due soon bound to Ctrl+D")
	}
	due.Action()
	r := a.reminders
	if r.dialog == nil || len(r.shown) != 5 {
		t.Fatalf("the due list shows %d items", len(r.shown))
	}
	// Overdue first, the longest overdue first.
	if first, second := r.shown[0], r.shown[1]; first.ID != ids[0] || !first.Overdue || second.ID != ids[3] || !second.Overdue {
		t.Errorf("the first rows are %q and %q, want the overdue action and RFI", first.Title, second.Title)
	}
	capture(t, a.Window(), "due-soon")

	row := -1
	for i, it := range r.shown {
		if it.ID == ids[0] {
			row = i
		}
	}
	r.list.OnSelected(row)
	if r.dialog != nil {
		t.Error("the list stays open over the record")
	}
	if a.nav[a.current].sec != section(a.actions) || a.actions.frame.id != ids[0] {
		t.Fatalf("the row did not open its action: section %s, id %q", a.nav[a.current].name, a.actions.frame.id)
	}
	if got := a.actions.form.titleEntry.Text; got != "Confirm berth for INS Tarkash at Mina Salman" {
		t.Errorf("the form shows %q", got)
	}
}
