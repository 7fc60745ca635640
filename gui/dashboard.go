package gui

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// dashboardScreen is the home screen: this week's exchanges per posting,
// what needs attention (RFIs, actions, DPAS acceptance clocks), requests by
// status, the latest edits, and this laptop's identity. Every number is a
// button that opens the list behind it. The figures are read off the UI
// thread each time the screen comes to the front.
type dashboardScreen struct {
	root  *fyne.Container // the whole screen, laid out again after each refresh
	app   *App
	today func() time.Time // a field so tests can fix the day

	date     *widget.Label
	updated  *widget.Label
	identity *widget.Label
	weekHead *widget.Label
	weekGrid *fyne.Container
	week     map[string]*dashCard // posting code → card ("" for all postings)
	unsent   *dashCard
	// conflicts counts the fields in conflict; sync is what the unsent
	// figure is read from (data.Dashboard counts what this laptop wrote,
	// not what no peer has acknowledged).
	conflicts *dashCard
	sync      dashSync

	openRFIs, overdueRFIs       *dashCard
	openActions, overdueActions *dashCard
	acceptance                  *dashCard

	statuses     []statusCount
	statusList   *widget.List
	statusEmpty  *widget.Label
	clocks       []data.AcceptanceClock
	clockList    *widget.List
	clockEmpty   *widget.Label
	planned      []data.PlannedEngagement // dashboard_planned.go
	plannedList  *widget.List
	plannedEmpty *widget.Label
	recent       []data.RecentItem
	recentList   *widget.List
	recentEmpty  *widget.Label
	failed       *widget.Label
	current      data.Dashboard
	loads        *reloader
	weekPostings string // the postings the week row was built for

	due *widget.Button // opens what comes due (reminders.go), with its count
}

// dashSync is what the dashboard shows of sync.
type dashSync struct {
	unsent    int64
	conflicts int
}

// statusCount is one line of "Requests by status".
type statusCount struct {
	status string
	n      int
}

func newDashboardScreen(a *App) *dashboardScreen {
	return &dashboardScreen{app: a, week: map[string]*dashCard{}, loads: a.newReloader(),
		today: func() time.Time { return time.Now().In(officerZone(a)) }}
}

func (sc *dashboardScreen) build() fyne.CanvasObject {
	header := sc.buildHeader()
	sc.weekHead = sectionHeading("This week")
	sc.weekGrid = container.NewGridWithColumns(5)
	sc.unsent = newDashCard(theme.UploadIcon(), "Unsent changes", func() { sc.app.showSection("Sync") })

	attention := sc.buildAttention()
	sc.buildStatusList()
	sc.buildClockList()
	sc.buildRecentList()
	sc.buildPlannedList()

	panels := container.New(&columnsLayout{weights: []float32{1, 1.15, 1.3, 1.7}},
		dashPanel("Requests by status", theme.DocumentIcon(), container.NewStack(sc.statusList, sc.statusEmpty)),
		dashPanel("Acceptance clocks due", theme.HistoryIcon(), container.NewStack(sc.clockList, sc.clockEmpty)),
		dashPanel(fmt.Sprintf("Planned engagements, %d days", data.PlannedWindow), theme.CalendarIcon(),
			container.NewStack(sc.plannedList, sc.plannedEmpty)),
		dashPanel("Recently updated", theme.ContentRedoIcon(), container.NewStack(sc.recentList, sc.recentEmpty)))

	sc.identity = widget.NewLabel("")
	sc.identity.Truncation = fyne.TextTruncateEllipsis
	footer := container.NewBorder(widget.NewSeparator(), nil, widget.NewIcon(theme.ComputerIcon()), nil, sc.identity)

	top := container.NewVBox(header, sc.failed, sc.weekHead, sc.weekGrid,
		sectionHeading("Needs attention"), attention, layout.NewSpacer())
	sc.root = container.NewPadded(container.NewBorder(top, footer, nil, nil,
		container.NewBorder(sectionHeading("Requests and latest edits"), nil, nil, nil, panels)))
	return sc.root
}

// buildHeader makes the title row (date, last update, Refresh) and the
// hidden error line below it.
func (sc *dashboardScreen) buildHeader() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Dashboard", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sc.date = widget.NewLabel("")
	sc.updated = widget.NewLabel("")
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), sc.refresh)
	refresh.Importance = widget.LowImportance
	sc.due = widget.NewButtonWithIcon("Due soon", theme.CalendarIcon(), sc.app.showDue)
	if sc.app.reminders != nil {
		sc.setDue(sc.app.reminders.due.Count)
	}
	header := container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(theme.HomeIcon()), title, sc.date), container.NewHBox(sc.updated, sc.due, refresh))
	sc.failed = widget.NewLabel("")
	sc.failed.Importance = widget.DangerImportance
	sc.failed.Wrapping = fyne.TextWrapWord
	sc.failed.Hide()
	return header
}

// buildAttention makes the "Needs attention" cards, each opening what it
// counts.
func (sc *dashboardScreen) buildAttention() fyne.CanvasObject {
	sc.openRFIs = newDashCard(theme.QuestionIcon(), "Open RFIs", func() { sc.showRFIs(false) })
	sc.overdueRFIs = newDashCard(theme.WarningIcon(), "Overdue RFIs", func() { sc.showRFIs(true) })
	sc.openActions = newDashCard(theme.ConfirmIcon(), "Open actions", func() {
		sc.app.showFiltered(data.KindAction, data.ListFilter{Status: string(data.ActionOpen)})
	})
	sc.overdueActions = newDashCard(theme.ErrorIcon(), "Overdue actions", func() {
		// Open or in progress, due before today: the same rule as the card.
		sc.app.showFiltered(data.KindAction, data.ListFilter{OverdueOn: sc.current.Today})
	})
	sc.acceptance = newDashCard(theme.HistoryIcon(), "Acceptance clocks", func() {
		sc.app.showFiltered(data.KindRequest, data.ListFilter{Status: string(data.StatusOrderPlaced)})
	})
	sc.conflicts = newDashCard(theme.WarningIcon(), "Conflicts", func() { sc.app.showSection("Conflicts") })
	return container.NewGridWithColumns(6, sc.openRFIs, sc.overdueRFIs, sc.openActions, sc.overdueActions, sc.acceptance, sc.conflicts)
}

// buildStatusList makes the requests-by-status panel's list; a row opens
// the requests in that status.
func (sc *dashboardScreen) buildStatusList() {
	sc.statusList = widget.NewList(func() int { return len(sc.statuses) },
		func() fyne.CanvasObject {
			n := widget.NewLabelWithStyle("0", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			l := widget.NewLabel("Forwarded to DoD")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, n, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(sc.statuses) {
				return
			}
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(statusLabel(sc.statuses[i].status))
			box.Objects[1].(*widget.Label).SetText(thousands(sc.statuses[i].n))
		})
	sc.statusList.OnSelected = func(i widget.ListItemID) {
		sc.statusList.UnselectAll()
		if i < len(sc.statuses) {
			sc.app.showFiltered(data.KindRequest, data.ListFilter{Status: sc.statuses[i].status})
		}
	}
	sc.statusEmpty = emptyNote("No requests yet.")
}

// buildClockList makes the acceptance clocks panel's list; a row opens
// its request.
func (sc *dashboardScreen) buildClockList() {
	sc.clockList = widget.NewList(func() int { return len(sc.clocks) },
		func() fyne.CanvasObject {
			due := widget.NewLabel("2026-12-01 overdue")
			ref := widget.NewLabel("CMF-2026-7F3A-0007  P-8I")
			ref.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, due, ref)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(sc.clocks) {
				return
			}
			c := sc.clocks[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(c.Ref + "  " + c.Program)
			due := box.Objects[1].(*widget.Label)
			due.Importance = widget.WarningImportance
			text := "due " + shortDate(c.AcceptanceDue)
			if c.Overdue {
				due.Importance = widget.DangerImportance
				text = "overdue " + shortDate(c.AcceptanceDue)
			}
			due.SetText(text)
		})
	sc.clockList.OnSelected = func(i widget.ListItemID) {
		sc.clockList.UnselectAll()
		if i < len(sc.clocks) {
			sc.app.open(data.KindRequest, sc.clocks[i].ID)
		}
	}
	sc.clockEmpty = emptyNote(fmt.Sprintf("No supplier's answer is due in the next %d working days.", store.AcceptanceWindow))
}

// buildRecentList makes the recently updated panel's list; a row opens
// its record.
func (sc *dashboardScreen) buildRecentList() {
	sc.recentList = widget.NewList(func() int { return len(sc.recent) },
		func() fyne.CanvasObject {
			when := widget.NewLabel("25 Nov 14:05")
			t := widget.NewLabel("title")
			t.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.DocumentIcon()), when, t)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(sc.recent) {
				return
			}
			it := sc.recent[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(it.Title)
			box.Objects[1].(*widget.Icon).SetResource(kindIcon(it.Kind))
			box.Objects[2].(*widget.Label).SetText(shortTime(it.Updated))
		})
	sc.recentList.OnSelected = func(i widget.ListItemID) {
		sc.recentList.UnselectAll()
		if i < len(sc.recent) {
			sc.app.open(sc.recent[i].Kind, sc.recent[i].ID)
		}
	}
	sc.recentEmpty = emptyNote("Nothing recorded yet: Ctrl+N starts an exchange.")
}

func (sc *dashboardScreen) shown() {
	sc.refresh()
	sc.showMarkings()
}

// setDue shows how many items are due on the button that lists them.
func (sc *dashboardScreen) setDue(n int) {
	if sc.due == nil {
		return
	}
	text, imp := "Due soon", widget.LowImportance
	if n > 0 {
		text, imp = thousands(n)+" due soon", widget.WarningImportance
	}
	if sc.due.Text != text || sc.due.Importance != imp {
		sc.due.Importance = imp
		sc.due.SetText(text)
	}
}

// showMarkings puts the marking of the titles on screen (the recent
// items) on the banners.
func (sc *dashboardScreen) showMarkings() {
	var ms []data.Marking
	for _, it := range sc.recent {
		if it.Classification != "" {
			ms = append(ms, it.Marking)
		}
	}
	sc.app.setMarkings(ms)
}

// refresh reads the figures off the UI thread and shows them; a later
// refresh wins over an earlier one still running.
func (sc *dashboardScreen) refresh() {
	if sc.app.reminders != nil {
		sc.app.reminders.check()
	}
	var d data.Dashboard
	var ds dashSync
	var err error
	sc.loads.load(func() {
		ctx := context.Background()
		d, err = sc.app.store.Dashboard(ctx, sc.today())
		if err == nil {
			ds.unsent, err = sc.app.store.UnsentChanges(ctx)
		}
		if err == nil {
			ds.conflicts, err = sc.app.store.ConflictCount(ctx)
		}
	}, func() {
		if err != nil {
			sc.failed.SetText("Could not read the dashboard: " + err.Error())
			sc.failed.Show()
			return
		}
		sc.failed.Hide()
		sc.sync = ds
		sc.show(d)
	})
}

// show puts a dashboard's figures on screen, then lays the screen out
// again: the cards above the panels may have grown.
func (sc *dashboardScreen) show(d data.Dashboard) {
	defer func() {
		if sc.root != nil {
			sc.root.Refresh()
		}
	}()
	sc.current = d
	if t, err := time.Parse(data.DateLayout, d.Today); err == nil {
		sc.date.SetText(t.Format("Monday 2 January 2006"))
	}
	sc.updated.SetText("Updated " + time.Now().Format("15:04"))
	sc.showWeek(d)

	sc.openRFIs.set(d.OpenRFIs, "waiting for an answer", false)
	sc.overdueRFIs.set(d.OverdueRFIs, "past the time of value", d.OverdueRFIs > 0)
	sc.openActions.set(d.OpenActions+d.InProgressActions,
		fmt.Sprintf("%s open · %s in progress", thousands(d.OpenActions), thousands(d.InProgressActions)), false)
	sc.overdueActions.set(d.OverdueOpen+d.OverdueInProgress,
		fmt.Sprintf("%s open · %s in progress", thousands(d.OverdueOpen), thousands(d.OverdueInProgress)),
		d.OverdueOpen+d.OverdueInProgress > 0)
	detail := fmt.Sprintf("due in %d working days", store.AcceptanceWindow)
	if d.AcceptanceOverdue > 0 {
		detail = plural(d.AcceptanceOverdue, "overdue", "overdue") + fmt.Sprintf(" · due in %d days", store.AcceptanceWindow)
	}
	sc.acceptance.set(d.AcceptanceCount, detail, d.AcceptanceOverdue > 0)
	sc.unsent.set(int(sc.sync.unsent), "not yet synced", false)
	sc.conflicts.set(sc.sync.conflicts, "fields waiting for a choice", sc.sync.conflicts > 0)
	sc.app.setConflictCount(sc.sync.conflicts)

	sc.statuses = sc.statuses[:0]
	for _, st := range allStatuses() {
		if n := d.RequestsByStatus[st]; n > 0 {
			sc.statuses = append(sc.statuses, statusCount{st, n})
		}
	}
	for st, n := range d.RequestsByStatus { // a status from a newer version
		if !containsStatus(sc.statuses, st) {
			sc.statuses = append(sc.statuses, statusCount{st, n})
		}
	}
	sc.clocks = d.Acceptance
	sc.recent = d.Recent
	sc.planned = d.Planned
	for _, l := range []struct {
		list  *widget.List
		empty *widget.Label
		n     int
	}{{sc.statusList, sc.statusEmpty, len(sc.statuses)}, {sc.clockList, sc.clockEmpty, len(sc.clocks)},
		{sc.recentList, sc.recentEmpty, len(sc.recent)}, {sc.plannedList, sc.plannedEmpty, len(sc.planned)}} {
		l.list.Refresh()
		if l.n == 0 {
			l.empty.Show()
		} else {
			l.empty.Hide()
		}
	}

	if dev := d.Device; dev != nil {
		sc.identity.SetText(fmt.Sprintf("This laptop: device %s · %s, %s · posting %s · site %s", dev.Site.ShortCode(),
			dev.Officer, dev.Rank, dev.Posting, dev.Site))
	} else {
		sc.identity.SetText("This laptop has no identity yet.")
	}
	if sc.app.nav != nil && sc.app.nav[sc.app.current].sec == section(sc) {
		sc.showMarkings()
	}
}

// showWeek fills the "This week" row: one card per posting, all postings,
// and the unsent changes.
func (sc *dashboardScreen) showWeek(d data.Dashboard) {
	from, _ := time.Parse(data.DateLayout, d.WeekFrom)
	to, _ := time.Parse(data.DateLayout, d.WeekTo)
	sc.weekHead.SetText(fmt.Sprintf("This week · %s – %s (UTC)", from.Format("Mon 2 Jan"), to.Format("Mon 2 Jan 2006")))
	key := ""
	for _, pc := range d.ExchangesThisWeek {
		key += pc.Posting + "|"
	}
	if key != sc.weekPostings || len(sc.weekGrid.Objects) == 0 {
		sc.weekPostings = key
		sc.week = map[string]*dashCard{}
		var cards []fyne.CanvasObject
		for _, pc := range d.ExchangesThisWeek {
			code := pc.Posting
			c := newDashCard(theme.MailComposeIcon(), code, func() { sc.showWeekOf(code) })
			sc.week[code] = c
			cards = append(cards, c)
		}
		all := newDashCard(theme.ListIcon(), "All postings", func() { sc.showWeekOf("") })
		sc.week[""] = all
		sc.weekGrid.Objects = append(cards, all, sc.unsent)
		sc.weekGrid.Refresh()
	}
	total := 0
	for _, pc := range d.ExchangesThisWeek {
		name := pc.Name
		if name == "" {
			name = "exchanges this week"
		}
		if r := []rune(name); len(r) > 30 { // postings are data: keep the card narrow
			name = string(r[:29]) + "…"
		}
		sc.week[pc.Posting].set(pc.Count, name, false)
		total += pc.Count
	}
	sc.week[""].set(total, "exchanges this week", false)
}

// showWeekOf opens the exchanges of this week, of one posting or all.
func (sc *dashboardScreen) showWeekOf(posting string) {
	sc.app.showFiltered(data.KindExchange, data.ListFilter{Posting: posting, From: sc.current.WeekFrom, To: sc.current.WeekTo})
}

// showRFIs lists the open (or overdue) RFIs in a dialog, due soonest
// first; tapping one opens its exchange. The exchange list has no RFI
// status filter, so the dashboard lists them itself.
func (sc *dashboardScreen) showRFIs(overdueOnly bool) {
	const limit = 200
	title, total := "Open RFIs", sc.current.OpenRFIs
	if overdueOnly {
		title, total = "Overdue RFIs", sc.current.OverdueRFIs
	}
	var items []data.RFIItem
	var err error
	sc.app.async(func() {
		items, err = sc.app.store.OpenRFIs(context.Background(), overdueOnly, limit)
	}, func() {
		if err != nil {
			dialog.ShowError(err, sc.app.win)
			return
		}
		sc.showRFIList(title, total, items)
	})
}

// showRFIList shows the RFIs read for showRFIs in a dialog.
func (sc *dashboardScreen) showRFIList(title string, total int, items []data.RFIItem) {
	var d dialog.Dialog
	list := widget.NewList(func() int { return len(items) },
		func() fyne.CanvasObject {
			due := widget.NewLabel("2026-12-01 14:00")
			t := widget.NewLabel("title")
			t.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.QuestionIcon()), due, t)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := items[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s", it.Posting, kindLabel(it.Kind), it.Title))
			due := box.Objects[2].(*widget.Label)
			due.Importance = widget.MediumImportance
			switch {
			case it.Due == "":
				due.SetText("no due time")
				due.Importance = widget.MediumImportance
			case it.Overdue:
				due.Importance = widget.DangerImportance
				due.SetText("was due " + shortTime(it.Due))
			default:
				due.SetText("due " + shortTime(it.Due))
			}
			due.Refresh()
		})
	list.OnSelected = func(i widget.ListItemID) {
		d.Hide()
		sc.app.open(data.KindExchange, items[i].ID)
	}
	var ms []data.Marking
	for _, it := range items {
		ms = append(ms, it.Marking)
	}
	top, bottom := newBanner(), newBanner()
	b := data.ComputeBanner(sc.app.catalogue.Levels(), ms)
	top.set(b)
	bottom.set(b)
	note := widget.NewLabel(fmt.Sprintf("%s, due soonest first. Tap one to open it.", plural(total, "RFI", "RFIs")))
	if total > len(items) {
		note.SetText(fmt.Sprintf("The %d due soonest of %s. Tap one to open it.", len(items), thousands(total)))
	}
	var body fyne.CanvasObject = list
	if len(items) == 0 {
		body = emptyNote("None.")
	}
	content := container.NewBorder(container.NewVBox(top.box, note), bottom.box, nil, nil, body)
	d = dialog.NewCustom(title, "Close", container.NewGridWrap(fyne.NewSize(760, 440), content), sc.app.win)
	d.Show()
}

// showFiltered brings a list section to the front with a filter applied,
// the list page showing, the search box cleared and the filter bar showing
// the filter.
func (a *App) showFiltered(kind data.Kind, f data.ListFilter) {
	var lv *listView
	var fb *filterBar
	var statusText func(string) string
	switch kind {
	case data.KindExchange:
		a.showSection("Exchanges")
		if !a.exchanges.onList() {
			a.exchanges.showList()
		}
		lv, fb = a.exchanges.list, a.exchanges.filters
	case data.KindRequest:
		a.showSection("Requests")
		if !a.requests.onList() {
			a.requests.showList()
		}
		lv, fb, statusText = a.requests.list, a.requests.filters, statusLabel[string]
	case data.KindAction:
		a.showSection("Actions")
		if !a.actions.onList() {
			a.actions.showList()
		}
		lv, fb = a.actions.list, a.actions.filters
	default:
		return
	}
	if lv.search != nil && lv.search.Text != "" {
		lv.search.SetText("")
	}
	if fb != nil {
		showInFilterBar(fb, f, statusText)
	}
	lv.setFilter(f)
}

// showInFilterBar sets a filter bar's widgets to show f without running
// its callback (the caller applies f itself).
func showInFilterBar(fb *filterBar, f data.ListFilter, statusText func(string) string) {
	cb := fb.onChange
	fb.onChange = nil
	defer func() { fb.onChange = cb }()
	pick := func(s *widget.Select, v string) {
		if s == nil {
			return
		}
		if v == "" {
			s.ClearSelected()
			return
		}
		s.SetSelected(v)
	}
	status := f.Status
	if statusText != nil && status != "" {
		status = statusText(status)
	}
	pick(fb.posting, f.Posting)
	pick(fb.kind, f.Kind)
	pick(fb.status, status)
	pick(fb.classification, f.Classification)
	if fb.from != nil {
		fb.from.SetText(f.From)
		fb.to.SetText(f.To)
	}
	fb.problem.Hide()
}

func containsStatus(list []statusCount, st string) bool {
	for _, s := range list {
		if s.status == st {
			return true
		}
	}
	return false
}

// kindIcon is the navigation icon of a record's section.
func kindIcon(kind data.Kind) fyne.Resource {
	switch kind {
	case data.KindExchange:
		return theme.MailComposeIcon()
	case data.KindRequest:
		return theme.DocumentIcon()
	case data.KindAction:
		return theme.ConfirmIcon()
	}
	return theme.FileIcon()
}

// shortTime writes an RFC 3339 time as "25 Nov 14:05" in local time.
func shortTime(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	return t.Local().Format("2 Jan 15:04")
}

// dashPanel is a titled, tinted panel around a list.
func dashPanel(title string, icon fyne.Resource, body fyne.CanvasObject) fyne.CanvasObject {
	head := container.NewHBox(widget.NewIcon(icon), widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground),
		container.NewPadded(container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil, body))))
}

// dashCard is one figure of the dashboard: an icon and caption, a big
// number and a line of detail. Tapping it, or Space/Enter when it has the
// keyboard focus, opens what the number counts.
type dashCard struct {
	widget.BaseWidget
	icon    fyne.Resource
	caption string
	value   string
	detail  string
	alert   bool // drawn in the error colour: needs attention
	onTap   func()

	hovered, focused bool
}

func newDashCard(icon fyne.Resource, caption string, onTap func()) *dashCard {
	c := &dashCard{icon: icon, caption: caption, value: "–", onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

// set shows a number, its detail line, and whether it needs attention.
func (c *dashCard) set(n int, detail string, alert bool) {
	c.value, c.detail, c.alert = thousands(n), detail, alert
	c.Refresh()
}

func (c *dashCard) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap()
	}
}

func (c *dashCard) Cursor() desktop.Cursor { return desktop.PointerCursor }
func (c *dashCard) MouseIn(*desktop.MouseEvent) {
	c.hovered = true
	c.Refresh()
}
func (c *dashCard) MouseMoved(*desktop.MouseEvent) {}
func (c *dashCard) MouseOut() {
	c.hovered = false
	c.Refresh()
}
func (c *dashCard) FocusGained() {
	c.focused = true
	c.Refresh()
}
func (c *dashCard) FocusLost() {
	c.focused = false
	c.Refresh()
}
func (c *dashCard) TypedRune(r rune) {
	if r == ' ' {
		c.Tapped(nil)
	}
}
func (c *dashCard) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		c.Tapped(nil)
	}
}

func (c *dashCard) CreateRenderer() fyne.WidgetRenderer {
	r := &dashCardRenderer{c: c, bg: canvas.NewRectangle(color.Transparent), hover: canvas.NewRectangle(color.Transparent),
		icon: widget.NewIcon(c.icon), caption: canvas.NewText("", color.Black), value: canvas.NewText("", color.Black),
		detail: canvas.NewText("", color.Black)}
	r.caption.TextStyle = fyne.TextStyle{Bold: true}
	r.value.TextStyle = fyne.TextStyle{Bold: true}
	r.objects = []fyne.CanvasObject{r.bg, r.hover, r.icon, r.caption, r.value, r.detail}
	r.Refresh()
	return r
}

type dashCardRenderer struct {
	c                      *dashCard
	bg, hover              *canvas.Rectangle
	icon                   *widget.Icon
	caption, value, detail *canvas.Text
	objects                []fyne.CanvasObject
}

func (r *dashCardRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *dashCardRenderer) Destroy()                     {}

func (r *dashCardRenderer) Layout(size fyne.Size) {
	p := theme.InnerPadding()
	r.bg.Resize(size)
	r.hover.Resize(size)
	is := theme.IconInlineSize()
	r.icon.Move(fyne.NewPos(p, p))
	r.icon.Resize(fyne.NewSquareSize(is))
	ch := r.caption.MinSize().Height
	r.caption.Move(fyne.NewPos(p+is+theme.Padding()*2, p+(is-ch)/2))
	r.caption.Resize(fyne.NewSize(size.Width-p*2-is, ch))
	vh := r.value.MinSize().Height
	r.value.Move(fyne.NewPos(p, p+is+theme.Padding()))
	r.value.Resize(fyne.NewSize(size.Width-p*2, vh))
	dh := r.detail.MinSize().Height
	r.detail.Move(fyne.NewPos(p, p+is+theme.Padding()+vh))
	r.detail.Resize(fyne.NewSize(size.Width-p*2, dh))
}

func (r *dashCardRenderer) MinSize() fyne.Size {
	p := theme.InnerPadding()
	is := theme.IconInlineSize()
	w := max(is+theme.Padding()*2+r.caption.MinSize().Width, r.value.MinSize().Width, r.detail.MinSize().Width)
	h := p + is + theme.Padding() + r.value.MinSize().Height + r.detail.MinSize().Height + p
	return fyne.NewSize(max(w+p*2, 150), h)
}

func (r *dashCardRenderer) Refresh() {
	c := r.c
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.bg.StrokeWidth = 0
	if c.focused {
		r.bg.StrokeColor = theme.Color(theme.ColorNameFocus)
		r.bg.StrokeWidth = 2
	}
	r.hover.FillColor = color.Transparent
	if c.hovered {
		r.hover.FillColor = theme.Color(theme.ColorNameHover)
	}
	r.hover.CornerRadius = r.bg.CornerRadius
	r.icon.SetResource(c.icon)
	r.caption.Text = c.caption
	r.caption.Color = theme.Color(theme.ColorNameForeground)
	r.caption.TextSize = theme.TextSize()
	r.value.Text = c.value
	r.value.TextSize = theme.TextHeadingSize() * 1.45
	switch {
	case c.alert:
		r.value.Color = theme.Color(theme.ColorNameError)
	case c.value == "0" || c.value == "–":
		r.value.Color = theme.Color(theme.ColorNamePlaceHolder)
	default:
		r.value.Color = theme.Color(theme.ColorNamePrimary)
	}
	r.detail.Text = c.detail
	r.detail.TextSize = theme.CaptionTextSize()
	r.detail.Color = theme.Color(theme.ColorNamePlaceHolder)
	for _, o := range r.objects {
		o.Refresh()
	}
	r.Layout(c.Size())
}

var (
	_ fyne.Tappable      = (*dashCard)(nil)
	_ fyne.Focusable     = (*dashCard)(nil)
	_ desktop.Hoverable  = (*dashCard)(nil)
	_ desktop.Cursorable = (*dashCard)(nil)
)
