package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"liaisondesk/data"
)

// exchangesScreen lists information exchanges and opens them in a form.
type exchangesScreen struct {
	recordPages
	filters *filterBar
	form    *exchangeForm
	zones   map[string]string // posting → time zone, for showing times
}

func newExchangesScreen(a *App) *exchangesScreen {
	sc := &exchangesScreen{recordPages: recordPages{app: a, kind: data.KindExchange}, zones: map[string]string{}}
	sc.onFront = sc.shown
	sc.list = newListView(a, data.KindExchange, "exchanges", []column{
		{key: "occurred_at", title: "When (local)", weight: 1.7, format: func(v string, r data.Row) string {
			return showLocal(v, sc.zones[r.Values["posting"]])
		}},
		{key: "posting", title: "Posting", weight: 1.3},
		{key: "kind", title: "Kind", weight: 1.1, format: func(v string, _ data.Row) string { return kindLabel(v) }},
		{key: "title", title: "Title", weight: 3.0},
		{key: "counterpart_names", title: "Counterparts", weight: 2},
		{key: "classification", title: "Marking", weight: 1.5},
		{key: "state", title: "State", weight: 0.7},
	})
	sc.list.onOpen = sc.open
	sc.list.onMarkings = a.listMarkings(sc, sc.onList)
	sc.form = newExchangeForm(a)
	sc.frame = newRecordFrame(a, data.KindExchange, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *exchangesScreen) build() fyne.CanvasObject {
	var codes []string
	for _, p := range sc.app.catalogue.Postings() {
		codes = append(codes, p.ID)
		sc.zones[p.ID] = p.TimeZone
	}
	levels := sc.app.catalogue.levelIDs()
	sc.filters = newFilterBar(filterOptions{postings: codes, kinds: data.ExchangeKinds, statuses: data.ExchangeStates,
		classifications: levels, dates: true}, sc.list.setFilter)
	sc.app.catalogue.onChange(func() {
		for _, p := range sc.app.catalogue.Postings() {
			sc.zones[p.ID] = p.TimeZone
		}
		sc.filters.offer(sc.app.catalogue.postingCodes(), sc.app.catalogue.levelIDs())
	})
	head, _ := sc.heading("Exchanges", "New exchange", sc.openNew)
	top := container.NewVBox(head, sc.filters.build())
	pages := sc.assemble(top)
	sc.list.reload()
	return pages
}

func (sc *exchangesScreen) shown() { sc.republish() }

// openNew starts a new exchange in the officer's posting, now, unclassified
// and releasable to the USA and India.
func (sc *exchangesScreen) openNew() {
	e := &data.Exchange{Kind: "meeting", State: "draft", Direction: "both",
		Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}}
	if dev, err := sc.app.store.Device(); err == nil {
		e.Posting = dev.Posting
		e.TimeZone = sc.zones[dev.Posting]
	}
	e.OccurredAt = time.Now().UTC().Truncate(time.Minute).Format(time.RFC3339)
	sc.openBlank(e)
}

// kindLabel writes an exchange kind for people: "briefing_given" →
// "Briefing given", "rfi_out" → "RFI out", "vtc" → "VTC".
func kindLabel(k string) string {
	switch k {
	case "rfi_out":
		return "RFI out"
	case "rfi_in":
		return "RFI in"
	case "vtc":
		return "VTC"
	case "":
		return ""
	}
	b := []byte(k)
	for i := range b {
		if b[i] == '_' {
			b[i] = ' '
		}
	}
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}
