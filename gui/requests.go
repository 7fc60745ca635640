package gui

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"liaisondesk/data"
)

// requestsScreen lists priority-support requests and opens them in a form.
type requestsScreen struct {
	recordPages
	filters *filterBar
	form    *requestForm
	today   func() string // YYYY-MM-DD; a field so tests can fix it

	statusCode map[string]string // filter label → status code
}

func newRequestsScreen(a *App) *requestsScreen {
	sc := &requestsScreen{recordPages: recordPages{app: a, kind: data.KindRequest}, today: func() string { return time.Now().Format(data.DateLayout) }}
	sc.onFront = sc.shown
	sc.list = newListView(a, data.KindRequest, "requests", []column{
		// Widths in proportion to what each column must show whole at the
		// default window size (1200 px): the longest reference
		// (INDOPACOM-2026-7F3A-0007), "2026-11-24 (overdue)", the longest
		// level. Two columns are left out to make room: the posting (each
		// reference starts with it, and the filter bar filters by it) and
		// the supplier (free text that would show as a few letters; search
		// finds it, and the form shows it).
		{key: "ref", title: "Reference", weight: 222},
		{key: "direction", title: "Asked by", weight: 78, format: func(v string, _ data.Row) string { return askedBy(v) }},
		{key: "status", title: "Status", weight: 140, format: func(v string, _ data.Row) string { return statusLabel(v) }},
		{key: "rating", title: "Rating", weight: 64},
		{key: "required_by", title: "Required by", weight: 100},
		{key: "acceptance_due", title: "Accept by", weight: 166, format: func(v string, r data.Row) string {
			text, _ := acceptanceText(v, data.RequestStatus(r.Values["status"]), sc.today())
			return text
		}},
		{key: "program", title: "Program", weight: 105},
		{key: "classification", title: "Marking", weight: 122},
	})
	sc.list.onOpen = sc.open
	sc.list.onMarkings = a.listMarkings(sc, sc.onList)
	sc.form = newRequestForm(a)
	sc.frame = newRecordFrame(a, data.KindRequest, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	sc.form.onStatus = sc.statusChanged
	return sc
}

// allStatuses are the states of both workflows, in workflow order, each
// once.
func allStatuses() []string {
	out := data.StatusNames(data.InToUS)
	for _, s := range data.StatusNames(data.USToIN) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (sc *requestsScreen) build() fyne.CanvasObject {
	codes, levels := sc.app.catalogue.postingCodes(), sc.app.catalogue.levelIDs()
	var statuses []string
	sc.statusCode = map[string]string{}
	for _, s := range allStatuses() {
		sc.statusCode[statusLabel(s)] = s
		statuses = append(statuses, statusLabel(s))
	}
	sc.filters = newFilterBar(filterOptions{postings: codes, statuses: statuses, classifications: levels, dates: true},
		func(f data.ListFilter) {
			f.Status = sc.statusCode[f.Status]
			sc.list.setFilter(f)
		})
	sc.app.catalogue.onChange(func() { sc.filters.offer(sc.app.catalogue.postingCodes(), sc.app.catalogue.levelIDs()) })
	sc.filters.from.SetPlaceHolder("Required from")
	sc.filters.to.SetPlaceHolder("Required to")
	head, _ := sc.heading("Priority-support requests", "New request", sc.openNew)
	top := container.NewVBox(head, sc.filters.build())
	pages := sc.assemble(top)
	sc.list.reload()
	return pages
}

func (sc *requestsScreen) shown() { sc.republish() }

// openNew starts a new India → US request in the officer's posting, with
// one empty line, unclassified and releasable to the USA and India.
func (sc *requestsScreen) openNew() {
	r := &data.Request{Direction: data.InToUS, Status: data.InitialStatus(data.InToUS), CoCParticipant: "unknown",
		Lines:   []data.Line{{Unit: "EA"}},
		Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}}
	if dev, err := sc.app.store.Device(); err == nil {
		r.Posting = dev.Posting
	}
	sc.openBlank(r)
}

// statusChanged shows the request again as the store now has it, with its
// new status and history, and has the list catch up.
func (sc *requestsScreen) statusChanged(id string, to data.RequestStatus) {
	rec, err := sc.app.store.Get(context.Background(), data.KindRequest, id)
	if err != nil {
		dialog.ShowError(err, sc.app.win)
		return
	}
	sc.frame.openRecord(rec, id)
	sc.frame.saved.SetText("Status changed to " + statusLabel(to))
	if sc.frame.onSaved != nil {
		sc.frame.onSaved(id)
	}
}
