// Package gui is Liaison Desk's window: one file per screen, assembled
// here with the navigation, menu, shortcuts and classification banners.
package gui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/store"
)

// Options change how the window starts.
type Options struct {
	Demo bool // a throwaway store: skip setup and fill it with demo data

	// Synchronous runs background work on the calling goroutine and loads
	// without waiting for a pause in typing. Fyne's test driver has no UI
	// thread (fyne.Do runs at once on the caller), so tests set it and
	// find the screen up to date when a call returns; the window never does.
	Synchronous bool
	// Passphrase, from LIAISONDESK_PASSPHRASE_FILE, seals a store made in
	// the window's first run without asking (unlock.go).
	Passphrase string
}

// section is one entry of the left navigation.
type section interface {
	build() fyne.CanvasObject
	// shown runs each time the section comes to the front.
	shown()
}

// searcher is a section with a search box (Ctrl+F).
type searcher interface{ focusSearch() }

// saver is a section that may hold a form being edited (Ctrl+S).
type saver interface{ save() }

type navItem struct {
	name  string
	icon  fyne.Resource
	sec   section
	obj   fyne.CanvasObject // built once, kept: navigating never rebuilds
	count string            // shown beside the name (conflicts waiting); "" for none
}

// App is the main window and the screens in it.
type App struct {
	app   fyne.App
	win   fyne.Window
	store Store
	opts  Options

	nav     []*navItem
	navList *widget.List
	current int
	content *fyne.Container
	top     *banner
	bottom  *banner

	catalogue *catalogue // postings and classification levels

	counts *reloader // the navigation's count of conflicts waiting

	// What works on the SQLite store itself rather than through Store:
	// the reports and imports, and the demo data.
	rep  reporter
	fill func(ctx context.Context, progress func(done, total int)) error

	exchanges *exchangesScreen
	requests  *requestsScreen
	actions   *actionsScreen
	contacts  *contactsScreen
	visits    *visitsScreen
	dashboard *dashboardScreen
	settings  *settingsScreen
	conflicts *conflictsScreen
	syncPage  *syncScreen
	reports   *reportsScreen

	keys lockState // the passphrase lock (unlock.go)

	reminders  *reminders       // what comes due: title, tray, notifications (reminders.go)
	dropTarget *attachmentsArea // the form a file dropped on the window attaches to
}

// New builds the window over a store. The screens reach it through the
// Store interface; the reports and the demo generator take the store itself.
func New(a fyne.App, s *store.Store, o Options) *App {
	w := a.NewWindow("Liaison Desk")
	w.Resize(fyne.NewSize(1200, 780))
	w.SetMaster()
	ui := &App{app: a, win: w, store: s, opts: o, top: newBanner(), bottom: newBanner()}
	ui.counts = ui.newReloader()
	ui.catalogue = &catalogue{loads: ui.newReloader()}
	ui.rep = storeReports{s}
	ui.fill = func(ctx context.Context, progress func(done, total int)) error {
		_, err := demo.Fill(ctx, s, demo.Options{Now: time.Now(), Seed: time.Now().UnixNano(), Progress: progress})
		return err
	}
	applyTheme(a, a.Preferences().StringWithFallback(themePreference, "system"))
	return ui
}

// async runs slow work (store queries, backups) off the UI thread, then
// ui on it through fyne.Do, so the window never freezes.
func (a *App) async(work func(), ui func()) {
	a.touch()
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

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// ShowAndRun shows the first screen and runs until the window closes.
func (a *App) ShowAndRun() {
	a.Start()
	a.win.ShowAndRun()
	removeOpenedCopies()
}

// Start puts the first screen in the window: setup on a new store, the
// dashboard otherwise.
func (a *App) Start() {
	removeOpenedCopies() // left by a run that was killed
	a.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		if a.dropTarget != nil {
			a.dropTarget.dropped(uris)
		}
	})
	switch {
	case a.store.Initialised():
		a.unlockThen(a.openMain)
	case a.opts.Demo:
		a.startDemo()
	default:
		a.win.SetContent(newSetupScreen(a.store, func() { a.unlockThen(a.openMain) }).build())
	}
}

// openMain reads the postings and levels off the UI thread, then shows
// the main window.
func (a *App) openMain() { a.reloadCatalogue(a.showMain) }

// showMain assembles navigation, banners, menu and shortcuts.
func (a *App) showMain() {
	a.exchanges = newExchangesScreen(a)
	a.requests = newRequestsScreen(a)
	a.actions = newActionsScreen(a)
	a.contacts = newContactsScreen(a)
	a.visits = newVisitsScreen(a)
	a.dashboard = newDashboardScreen(a)
	a.settings = newSettingsScreen(a)
	a.conflicts = newConflictsScreen(a)
	a.syncPage = newSyncScreen(a)
	a.reports = newReportsScreen(a)
	a.reminders = newReminders(a)
	a.nav = []*navItem{
		{name: "Dashboard", icon: theme.HomeIcon(), sec: a.dashboard},
		{name: "Exchanges", icon: theme.MailComposeIcon(), sec: a.exchanges},
		{name: "Requests", icon: theme.DocumentIcon(), sec: a.requests},
		{name: "Actions", icon: theme.ConfirmIcon(), sec: a.actions},
		{name: "Contacts", icon: theme.AccountIcon(), sec: a.contacts},
		{name: "Conflicts", icon: theme.WarningIcon(), sec: a.conflicts},
		{name: "Sync", icon: theme.ViewRefreshIcon(), sec: a.syncPage},
		{name: "Reports", icon: theme.DocumentPrintIcon(), sec: a.reports},
		{name: "Settings", icon: theme.SettingsIcon(), sec: a.settings},
		// The registers come last, so Ctrl+1 … Ctrl+9 keep their sections.
		{name: "Documents", icon: theme.FolderOpenIcon(), sec: newDocumentsScreen(a)},
		{name: "Gifts", icon: theme.StorageIcon(), sec: newGiftsScreen(a)},
		{name: "Visits", icon: theme.LoginIcon(), sec: a.visits},
		{name: "Accreditation", icon: theme.InfoIcon(), sec: newAccreditationsScreen(a)},
	}
	a.navList = widget.NewList(func() int { return len(a.nav) },
		func() fyne.CanvasObject {
			count := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			count.Importance = widget.WarningImportance
			return container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("Exchanges")), count)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			var box *fyne.Container
			var count *widget.Label
			for _, c := range row.Objects {
				switch c := c.(type) {
				case *fyne.Container:
					box = c
				case *widget.Label:
					count = c
				}
			}
			box.Objects[0].(*widget.Icon).SetResource(a.nav[i].icon)
			box.Objects[1].(*widget.Label).SetText(a.nav[i].name)
			count.SetText(a.nav[i].count)
		})
	a.navList.OnSelected = func(i widget.ListItemID) { a.show(i) }
	a.content = container.NewStack()
	split := container.NewHSplit(a.navList, a.content)
	split.Offset = 0.16
	a.win.SetContent(container.NewBorder(a.top.box, a.bottom.box, nil, nil, split))
	a.win.SetMainMenu(a.menu())
	a.shortcuts()
	a.navList.Select(0) // the dashboard, which also counts the conflicts
	a.reminders.start()
}

// refreshCounts reads the conflicts waiting, off the UI thread, and shows
// their number beside Conflicts in the navigation.
func (a *App) refreshCounts() {
	var n int
	var err error
	a.counts.load(func() {
		n, err = a.store.ConflictCount(context.Background())
	}, func() {
		if err != nil {
			return
		}
		a.setConflictCount(n)
	})
}

// setConflictCount shows the number of conflicts waiting in the navigation.
func (a *App) setConflictCount(n int) {
	count := ""
	if n > 0 {
		count = thousands(n)
	}
	for _, it := range a.nav {
		if it.sec == section(a.conflicts) && it.count != count {
			it.count = count
			if a.navList != nil {
				a.navList.Refresh()
			}
		}
	}
}

// storeChanged is called after sync brought or settled changes (a bundle
// or hub sync, a receipt, a release from quarantine, a resolved
// conflict): the record lists read their rows and badges again, and the
// counts are read again.
func (a *App) storeChanged() {
	for _, lv := range a.recordLists() {
		if lv.list != nil {
			lv.reload()
		}
	}
	a.refreshCounts()
	if a.reminders != nil {
		a.reminders.check() // a sync can bring dates that come due
	}
	a.reloadCatalogue(nil) // a sync can bring postings and levels
	if a.settings != nil && a.settings.org != nil {
		a.settings.org.load() // and roster entries
	}
}

// recordLists are the list views of the record sections, in navigation
// order.
func (a *App) recordLists() []*listView {
	var out []*listView
	for _, it := range a.nav {
		if r, ok := it.sec.(recordSection); ok {
			out = append(out, r.records().list)
		}
	}
	return out
}

// recordSection is a section showing one kind of record: each embeds
// recordPages, which says which kind.
type recordSection interface{ records() *recordPages }

// sectionOf finds the section showing a kind of record and its place in
// the navigation.
func (a *App) sectionOf(kind data.Kind) (int, *recordPages, bool) {
	for i, it := range a.nav {
		if r, ok := it.sec.(recordSection); ok && r.records().kind == kind {
			return i, r.records(), true
		}
	}
	return -1, nil, false
}

// show brings a section to the front.
func (a *App) show(i int) {
	if i < 0 || i >= len(a.nav) {
		return
	}
	a.current = i
	it := a.nav[i]
	if it.obj == nil {
		it.obj = it.sec.build()
	}
	a.setMarkings(nil)
	a.content.Objects = []fyne.CanvasObject{it.obj}
	a.content.Refresh()
	it.sec.shown()
	if a.navList != nil {
		a.navList.Select(i) // no-op when already selected
	}
}

// showSection brings the named section to the front.
func (a *App) showSection(name string) {
	for i, it := range a.nav {
		if it.name == name {
			a.show(i)
			return
		}
	}
}

// setMarkings recomputes both banners from the markings on screen.
func (a *App) setMarkings(ms []data.Marking) {
	b := data.ComputeBanner(a.catalogue.Levels(), ms)
	if b.String() == a.top.Text() && parseColour(b.Classification.Colour) == a.top.bg.FillColor {
		return // unchanged: scrolling a list must not repaint the banners
	}
	a.top.set(b)
	a.bottom.set(b)
}

// listMarkings is how a list screen reports the markings of its rows: they
// reach the banners only while that list is what the window shows (a list
// still loading behind an open form must not repaint the form's banner).
func (a *App) listMarkings(sec section, onList func() bool) func([]data.Marking) {
	return func(ms []data.Marking) {
		if len(a.nav) > a.current && a.nav[a.current].sec == sec && onList() {
			a.setMarkings(ms)
		}
	}
}

// BannerText is what the banners say (for tests and the status line).
func (a *App) BannerText() string { return a.top.Text() }

// menu is the main menu; global actions live here so their shortcuts work
// even while a text field has focus.
func (a *App) menu() *fyne.MainMenu {
	ctrl := fyne.KeyModifierShortcutDefault
	item := func(label string, key fyne.KeyName, mod fyne.KeyModifier, fn func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, a.unlessLocked(fn))
		m.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		return m
	}
	file := fyne.NewMenu("File",
		item("New exchange", fyne.KeyN, ctrl, a.newExchange),
		item("New request", fyne.KeyN, ctrl|fyne.KeyModifierShift, a.newRequest),
		fyne.NewMenuItemSeparator(),
		item("Save", fyne.KeyS, ctrl, a.save),
		fyne.NewMenuItemSeparator(),
		item("Report or export…", fyne.KeyE, ctrl, a.showReports),
		fyne.NewMenuItem("Import records…", a.importRecords),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Back up now…", func() { a.showSection("Settings"); a.settings.backupNow() }),
		fyne.NewMenuItemSeparator(),
		item("Lock", fyne.KeyL, ctrl, a.lock),
	)
	edit := fyne.NewMenu("Edit",
		item("Find", fyne.KeyF, ctrl, a.focusSearch),
	)
	var views []*fyne.MenuItem
	for i, it := range a.nav {
		i := i
		if i >= 9 { // Ctrl+1 … Ctrl+9 only
			views = append(views, fyne.NewMenuItem(it.name, func() { a.show(i) }))
			continue
		}
		views = append(views, item(it.name, fyne.KeyName(fmt.Sprint(i+1)), ctrl, func() { a.show(i) }))
	}
	views = append(views, fyne.NewMenuItemSeparator(), item("Due soon…", fyne.KeyD, ctrl, a.showDue))
	view := fyne.NewMenu("View", views...)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", a.showShortcuts),
		fyne.NewMenuItem("About Liaison Desk", a.showAbout),
	)
	return fyne.NewMainMenu(file, edit, view, help)
}

// shortcuts registers the same shortcuts on the canvas, for drivers that
// show no native menu.
func (a *App) shortcuts() {
	ctrl := fyne.KeyModifierShortcutDefault
	add := func(key fyne.KeyName, mod fyne.KeyModifier, fn func()) {
		a.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) { a.unlessLocked(fn)() })
	}
	add(fyne.KeyN, ctrl, a.newExchange)
	add(fyne.KeyN, ctrl|fyne.KeyModifierShift, a.newRequest)
	add(fyne.KeyS, ctrl, a.save)
	add(fyne.KeyF, ctrl, a.focusSearch)
	add(fyne.KeyE, ctrl, a.showReports)
	add(fyne.KeyL, ctrl, a.lock)
	add(fyne.KeyD, ctrl, a.showDue)
	for i := range min(len(a.nav), 9) {
		i := i
		add(fyne.KeyName(fmt.Sprint(i+1)), ctrl, func() { a.show(i) })
	}
}

func (a *App) newExchange() {
	a.showSection("Exchanges")
	a.exchanges.openNew()
}

func (a *App) newRequest() {
	a.showSection("Requests")
	a.requests.openNew()
}

func (a *App) showReports() { a.showSection("Reports") }

// showDue lists what comes due (reminders.go).
func (a *App) showDue() {
	if a.reminders != nil {
		a.reminders.show()
	}
}

func (a *App) importRecords() {
	a.showSection("Reports")
	a.reports.openImport()
}

func (a *App) save() {
	if s, ok := a.nav[a.current].sec.(saver); ok {
		s.save()
	}
}

func (a *App) focusSearch() {
	if s, ok := a.nav[a.current].sec.(searcher); ok {
		s.focusSearch()
		return
	}
	a.showSection("Exchanges")
	a.exchanges.focusSearch()
}

// open shows a record of any kind in its section.
func (a *App) open(kind data.Kind, id string) {
	if i, p, ok := a.sectionOf(kind); ok {
		a.show(i)
		p.open(id)
	}
}

// showHistory shows a record's change history in a dialog.
func (a *App) showHistory(title string, entries []data.HistoryEntry) {
	rows := historyRows(entries)
	head := []string{"When", "Officer", "Device", "Field", "Old", "New"}
	t := widget.NewTable(func() (int, int) { return len(rows) + 1, len(head) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
				l.SetText(head[id.Col])
				return
			}
			l.TextStyle = fyne.TextStyle{}
			l.SetText(rows[id.Row-1][id.Col])
		})
	widths, size := []float32{150, 140, 60, 150, 180, 180}, fyne.NewSize(880, 420)
	if slices.ContainsFunc(entries, func(e data.HistoryEntry) bool { return e.Ahead }) {
		widths[0] += 200 // room for "(ahead of this laptop's clock)"
		size.Width += 200
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	d := dialog.NewCustom("History of "+title, "Close", container.NewGridWrap(size, t), a.win)
	d.Show()
}

func (a *App) showShortcuts() {
	text := "Ctrl+N\tnew exchange\nCtrl+Shift+N\tnew request\nCtrl+S\tsave the form\nCtrl+F\tsearch\nCtrl+E\treport or export\nCtrl+D\twhat is due soon\n"
	for i, it := range a.nav[:min(len(a.nav), 9)] {
		text += fmt.Sprintf("Ctrl+%d\t%s\n", i+1, it.name)
	}
	dialog.ShowInformation("Keyboard shortcuts", text, a.win)
}

func (a *App) showAbout() {
	dev, _ := a.store.Device()
	msg := "Liaison Desk\nLiaison officers' exchanges and priority-support requests, offline first."
	if dev != nil {
		msg += fmt.Sprintf("\n\nDevice %s (site %s)\nStore %s", dev.Site.ShortCode(), dev.Site, a.store.Path())
	}
	dialog.ShowInformation("About", msg, a.win)
}

// startDemo initialises a throwaway store and fills it in the background,
// showing progress, then the dashboard.
func (a *App) startDemo() {
	ctx := context.Background()
	if err := a.store.Init(ctx, data.Officer{Name: "Col. R. K. Mehta", Rank: "Colonel", Posting: "CMF"}); err != nil {
		dialog.ShowError(err, a.win)
		return
	}
	bar := widget.NewProgressBar()
	label := widget.NewLabel("Filling the demo store with a month of an officer's work…")
	a.win.SetContent(container.NewCenter(container.NewVBox(label, bar)))
	var err error
	a.async(func() {
		err = a.fill(ctx, func(done, total int) {
			fyne.Do(func() { bar.SetValue(float64(done) / float64(max(total, 1))) })
		})
	}, func() {
		a.openMain()
		if err != nil {
			dialog.ShowError(fmt.Errorf("demo data: %w", err), a.win)
		}
	})
}
