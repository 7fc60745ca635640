package gui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// Reminder preferences: the lead time in working days, and the reminders
// sent today ("YYYY-MM-DD kind/id/what/when", data.DueItem.Key), so each
// item notifies once a day however often the window checks or restarts.
const (
	reminderLeadPreference = "reminderLeadDays"
	remindedPreference     = "remindersSent"
	reminderInterval       = time.Minute
	windowTitle            = "Liaison Desk"
)

// reminders watch what comes due (data.DueWindow) while the window is
// open: each minute, off the UI thread, they read it, put the count in
// the window title and the system tray, and send a desktop notification
// for what was not yet notified today. While the window is locked, or
// for records above UNCLASSIFIED, a notification says only how many.
type reminders struct {
	a     *App
	loads *reloader
	now   func() time.Time // a field so tests can fix the day

	due      data.DueList // the latest read
	watching bool
	tray     string // the tray's label last set: an unchanged count leaves the tray alone

	// The "Due soon" dialog while it shows (tests reach its rows).
	dialog dialog.Dialog
	list   *widget.List
	shown  []data.DueItem
}

func newReminders(a *App) *reminders {
	r := &reminders{a: a, now: func() time.Time { return time.Now().In(officerZone(a)) }}
	// Not a.newReloader: its loads count as the officer's activity, and a
	// check each minute must not keep the idle lock from closing.
	r.loads = &reloader{run: a.background}
	return r
}

// background runs work off the UI thread, then ui on it, like async but
// without counting as activity.
func (a *App) background(work, ui func()) {
	if a.opts.Synchronous {
		work()
		ui()
		return
	}
	go func() {
		work()
		fyne.Do(ui)
	}()
}

// start checks at once, then each minute for the window's life. The test
// driver has no UI thread; its tests call check.
func (r *reminders) start() {
	r.check()
	if r.a.opts.Synchronous || r.watching {
		return
	}
	r.watching = true
	go func() {
		for range time.Tick(reminderInterval) {
			fyne.Do(r.check)
		}
	}()
}

// lead is the lead time set in Settings, in working days.
func (r *reminders) lead() int {
	n := r.a.app.Preferences().IntWithFallback(reminderLeadPreference, data.DefaultDueLead)
	return max(0, min(n, data.MaxDueLead))
}

// check reads what is due and shows it. A failed read keeps the last
// count: a dialog each minute would bury the window.
func (r *reminders) check() {
	now, lead := r.now(), r.lead()
	var list data.DueList
	var err error
	r.loads.load(func() {
		list, err = r.a.store.DueItems(context.Background(), now, lead)
	}, func() {
		if err != nil {
			return
		}
		r.due = list
		r.showCount()
		r.notify(list)
	})
}

// showCount puts the number due in the window title, the tray and the
// dashboard.
func (r *reminders) showCount() {
	n := r.due.Count
	title := windowTitle
	if n > 0 {
		title = fmt.Sprintf("%s — %s due", windowTitle, thousands(n))
	}
	if r.a.win.Title() != title {
		r.a.win.SetTitle(title)
	}
	if r.a.dashboard != nil {
		r.a.dashboard.setDue(n)
	}
	tray, ok := r.a.app.(desktop.App)
	if !ok {
		return
	}
	label := "Nothing due"
	if n > 0 {
		label = plural(n, "item due", "items due") + "…"
	}
	if label == r.tray {
		return
	}
	r.tray = label
	raise := func() {
		r.a.win.Show()
		r.a.win.RequestFocus()
	}
	tray.SetSystemTrayMenu(fyne.NewMenu(windowTitle,
		fyne.NewMenuItem(label, func() { raise(); r.a.unlessLocked(r.show)() }),
		fyne.NewMenuItem("Show Liaison Desk", raise)))
}

// notify sends one notification for the listed items not yet notified
// today, and remembers them; reminders of other days are forgotten.
func (r *reminders) notify(list data.DueList) {
	prefs := r.a.app.Preferences()
	prefix := list.Today + " "
	var kept []string
	sent := map[string]bool{}
	before := prefs.StringList(remindedPreference)
	for _, s := range before {
		if key, ok := strings.CutPrefix(s, prefix); ok {
			kept = append(kept, s)
			sent[key] = true
		}
	}
	var fresh []data.DueItem
	for _, it := range list.Items {
		if !sent[it.Key()] {
			fresh = append(fresh, it)
			kept = append(kept, prefix+it.Key())
		}
	}
	if len(fresh) > 0 {
		r.a.app.SendNotification(reminderNotification(fresh, r.a.Locked()))
	}
	if len(fresh) > 0 || len(kept) != len(before) { // the preferences file is written only on a change
		prefs.SetStringList(remindedPreference, kept)
	}
}

// reminderNotification says what came due: only how many while the
// window is locked or when any item is above UNCLASSIFIED (a notification
// shows on the desktop, outside the window and its banners); otherwise
// the titles, the first three at most.
func reminderNotification(items []data.DueItem, locked bool) *fyne.Notification {
	count := plural(len(items), "item due", "items due")
	if locked || slices.ContainsFunc(items, data.DueItem.Discreet) {
		return fyne.NewNotification(windowTitle, count)
	}
	if len(items) == 1 {
		return fyne.NewNotification(items[0].Title, dueText(items[0]))
	}
	var lines []string
	for _, it := range items[:min(3, len(items))] {
		lines = append(lines, it.Title+": "+dueText(it))
	}
	if len(items) > 3 {
		lines = append(lines, fmt.Sprintf("and %d more", len(items)-3))
	}
	return fyne.NewNotification(count, strings.Join(lines, "\n"))
}

// dueText says what comes due and when: "action due Tue 19 Jan",
// "overdue since Thu 14 Jan".
func dueText(it data.DueItem) string {
	when := dueWhen(it.When)
	if it.Overdue {
		return it.What.Label() + " " + when + " (overdue)"
	}
	return it.What.Label() + " " + when
}

// dueWhen writes a due date as "Tue 19 Jan", and an RFI's time in the
// window's zone as "Tue 19 Jan 23:00".
func dueWhen(when string) string {
	if t, err := time.Parse(data.DateLayout, when); err == nil {
		return t.Format("Mon 2 Jan")
	}
	if t, err := time.Parse(time.RFC3339, when); err == nil {
		return t.Local().Format("Mon 2 Jan 15:04")
	}
	return when
}

// show reads what is due and lists it in a dialog; a row opens its
// record. (View › Due soon, Ctrl+D; the dashboard; the tray.)
func (r *reminders) show() {
	now, lead := r.now(), r.lead()
	var list data.DueList
	var err error
	r.a.async(func() {
		list, err = r.a.store.DueItems(context.Background(), now, lead)
	}, func() {
		if err != nil {
			dialog.ShowError(fmt.Errorf("what is due: %w", err), r.a.win)
			return
		}
		r.due = list
		r.showCount()
		r.showList(list)
	})
}

// showList shows a list of what is due, overdue first, under banners
// for the records listed.
func (r *reminders) showList(list data.DueList) {
	items := list.Items
	r.shown = items
	r.list = widget.NewList(func() int { return len(items) },
		func() fyne.CanvasObject {
			when := widget.NewLabel("written delay confirmation due Tue 19 Jan 23:00 (overdue)")
			t := widget.NewLabel("title")
			t.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.QuestionIcon()), when, t)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(items) {
				return
			}
			it := items[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(it.Title)
			box.Objects[1].(*widget.Icon).SetResource(kindIcon(it.Kind))
			when := box.Objects[2].(*widget.Label)
			when.Importance = widget.WarningImportance
			if it.Overdue {
				when.Importance = widget.DangerImportance
			}
			when.SetText(dueText(it))
		})
	r.list.OnSelected = func(i widget.ListItemID) {
		r.list.UnselectAll()
		if i < len(items) {
			r.close()
			r.a.open(items[i].Kind, items[i].ID)
		}
	}
	var ms []data.Marking
	for _, it := range items {
		if it.Classification != "" {
			ms = append(ms, it.Marking)
		}
	}
	top, bottom := newBanner(), newBanner()
	b := data.ComputeBanner(r.a.catalogue.Levels(), ms)
	top.set(b)
	bottom.set(b)
	note := widget.NewLabel(dueNote(list))
	note.Wrapping = fyne.TextWrapWord
	settings := widget.NewButtonWithIcon("Lead time…", theme.SettingsIcon(), func() {
		r.close()
		r.a.showSection("Settings")
	})
	settings.Importance = widget.LowImportance
	var body fyne.CanvasObject = r.list
	if len(items) == 0 {
		body = emptyNote("Nothing is due.")
	}
	content := container.NewBorder(container.NewVBox(top.box, container.NewBorder(nil, nil, nil, settings, note)),
		bottom.box, nil, nil, body)
	r.dialog = dialog.NewCustom("Due soon", "Close", container.NewGridWrap(fyne.NewSize(820, 460), content), r.a.win)
	r.dialog.SetOnClosed(func() { r.dialog, r.list, r.shown = nil, nil, nil })
	r.dialog.Show()
}

// close closes the dialog, if it shows.
func (r *reminders) close() {
	if r.dialog != nil {
		r.dialog.Hide()
	}
}

// dueNote says what the list holds and up to which day.
func dueNote(list data.DueList) string {
	horizon := list.Horizon
	if t, err := time.Parse(data.DateLayout, list.Horizon); err == nil {
		horizon = t.Format("Monday 2 January")
	}
	lead := "today"
	if list.Lead > 0 {
		lead = plural(list.Lead, "working day", "working days") + " ahead"
	}
	s := fmt.Sprintf("%s due up to %s (%s)", plural(list.Count, "item", "items"), horizon, lead)
	if list.Overdue > 0 {
		s += fmt.Sprintf(", %s overdue", thousands(list.Overdue))
	}
	if len(list.Items) < list.Count {
		s += fmt.Sprintf(". Listed: %s, the overdue most recent first", thousands(len(list.Items)))
	}
	return s + ". Tap one to open it."
}

// ---- Settings: the lead time ----

// reminderLeads are the lead times Settings offers, in working days.
func reminderLeads() []int { return []int{0, 1, 2, 3, 5, 10} }

func leadLabel(n int) string {
	if n == 0 {
		return "On the day"
	}
	return plural(n, "working day", "working days") + " before"
}

// reminderControls choose the lead time, in Settings.
func (sc *settingsScreen) reminderControls() fyne.CanvasObject {
	var labels []string
	for _, n := range reminderLeads() {
		labels = append(labels, leadLabel(n))
	}
	lead := widget.NewSelect(labels, func(v string) {
		for _, n := range reminderLeads() {
			if leadLabel(n) == v && sc.app.reminders != nil && n != sc.app.reminders.lead() {
				sc.app.app.Preferences().SetInt(reminderLeadPreference, n)
				sc.app.reminders.check()
			}
		}
	})
	current := data.DefaultDueLead
	if sc.app.reminders != nil {
		current = sc.app.reminders.lead()
	}
	lead.SetSelected(leadLabel(current))
	sc.reminderLead = lead
	return settingsSection("Reminders", theme.CalendarIcon(),
		"While the window is open, a desktop notification says what comes due: RFIs' times of value, actions, "+
			"DPAS acceptance and delay-confirmation clocks, required dates. Working days skip weekends and US federal "+
			"holidays. Each item notifies once a day; above UNCLASSIFIED, or while locked, only the number shows.",
		container.NewBorder(nil, nil, widget.NewLabel("Remind"), nil, lead))
}
