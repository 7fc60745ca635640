package gui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// noExchange is the exchange picker's choice for a document received
// outside any recorded exchange.
const noExchange = "None"

// recentExchangesOffered bounds the exchanges the picker offers, newest
// first; an older one is linked from the command line by id.
const recentExchangesOffered = 200

// documentForm edits one document received: what it is, its marking and
// NDP-1 category, how it was disclosed and released, its control number,
// the route to HQ, its disposition, and the exchange where it came.
type documentForm struct {
	app *App
	ff  *fieldForm
	id  string

	titleEntry, releasability, caveats, originator, releaseRef, control, route, notes *widget.Entry
	received, dispositionOn                                                           *dateEntry
	classification, category, disclosure, disposition, exchange                       *widget.Select
	openExchange                                                                      *widget.Button

	exchangeID string
	exchanges  map[string]string // picker label → exchange id
	hints      map[*widget.Entry]string
	loading    bool
	onChange   func()
}

func newDocumentForm(a *App) *documentForm { return &documentForm{app: a, ff: newFieldForm()} }

func (f *documentForm) form() *fieldForm { return f.ff }

func (f *documentForm) title() string {
	if t := strings.TrimSpace(f.titleEntry.Text); t != "" {
		return t
	}
	return "New document"
}

func (f *documentForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	f.hints = map[*widget.Entry]string{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	sel := func(options []string) *widget.Select {
		return widget.NewSelect(options, func(string) { f.changed() })
	}
	date := func() *dateEntry {
		d := newDateEntry(func() fyne.Window { return f.app.win })
		d.OnChanged = func(string) { f.changed() }
		f.hints[d.Entry] = d.PlaceHolder
		return d
	}
	f.titleEntry = entry("Title as marked on the document")
	f.received = date()
	f.classification = widget.NewSelect(f.app.catalogue.levelIDs(), func(string) {
		if !f.loading {
			f.loadExchanges() // titles shown follow the level
			f.changed()
		}
	})
	f.app.catalogue.onChange(func() { f.classification.SetOptions(f.app.catalogue.levelIDs()) })
	f.releasability = entry("USA, IND")
	f.caveats = entry("e.g. NOFORN")
	f.category = sel(append([]string{""}, data.NDPCategoryIDs()...))
	f.disclosure = sel(append([]string{""}, data.Disclosures...))
	f.originator = entry("US command or office that originated it")
	f.releaseRef = entry("Foreign disclosure officer's release reference")
	f.control = entry("Control or copy number")
	f.route = entry("e.g. Defence Wing diplomatic bag")
	f.disposition = sel(data.DocumentDispositions)
	f.disposition.OnChanged = func(string) { f.dispositionChanged() }
	f.dispositionOn = date()
	f.exchange = widget.NewSelect([]string{noExchange}, func(label string) {
		if !f.loading {
			f.exchangeID = f.exchanges[label]
			f.changed()
		}
	})
	f.openExchange = widget.NewButtonWithIcon("Open exchange", theme.NavigateNextIcon(), func() {
		if f.exchangeID != "" {
			f.app.open(data.KindExchange, f.exchangeID)
		}
	})
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetPlaceHolder("Handling notes")
	f.hints[f.notes] = f.notes.PlaceHolder
	f.notes.Wrapping = fyne.TextWrapWord
	f.notes.SetMinRowsVisible(3)
	f.notes.OnChanged = func(string) { f.changed() }

	ff := f.ff
	ff.add("title", "Title", f.titleEntry, "")
	ff.add("received_on", "Received", f.received.box, "")
	ff.add("classification", "Classification", f.classification, "")
	ff.add("releasability", "Releasable to", f.releasability, "ISO alpha-3 codes, e.g. USA, IND")
	ff.add("caveats", "Caveats", f.caveats, "")
	ff.add("category", "NDP-1 category", f.category, "1 to 8, as the release names it")
	ff.add("disclosure", "Disclosed", f.disclosure, "Oral, visual or documentary")
	ff.add("originator", "US originator", f.originator, "")
	ff.add("release_ref", "Release reference", f.releaseRef, "")
	ff.add("control_number", "Control / copy no.", f.control, "")
	ff.add("hq_route", "Route to HQ", f.route, "")
	ff.add("disposition", "Disposition", f.disposition, "")
	ff.add("disposition_on", "Disposition date", f.dispositionOn.box, "Required once returned, destroyed or forwarded")
	ff.add("exchange_id", "Received in", container.NewBorder(nil, nil, nil, f.openExchange, f.exchange), "")
	ff.add("notes", "Notes", f.notes, "")
	return ff.build()
}

func (f *documentForm) changed() {
	if !f.loading && f.onChange != nil {
		f.onChange()
	}
}

// dispositionChanged clears the date of a document held again: only a
// document gone has a disposition date.
func (f *documentForm) dispositionChanged() {
	if f.loading {
		return
	}
	if f.disposition.Selected == data.DispositionHeld {
		f.dispositionOn.SetText("")
	}
	f.changed()
}

func (f *documentForm) record() data.Record {
	return &data.Document{ID: f.id, Title: strings.TrimSpace(f.titleEntry.Text), ReceivedOn: strings.TrimSpace(f.received.Text),
		Marking: data.Marking{Classification: f.classification.Selected,
			Releasability: upperAll(splitList(f.releasability.Text)), Caveats: strings.TrimSpace(f.caveats.Text)},
		Category: f.category.Selected, Disclosure: f.disclosure.Selected,
		Originator: strings.TrimSpace(f.originator.Text), ReleaseRef: strings.TrimSpace(f.releaseRef.Text),
		ControlNumber: strings.TrimSpace(f.control.Text), HQRoute: strings.TrimSpace(f.route.Text),
		Disposition: f.disposition.Selected, DispositionOn: strings.TrimSpace(f.dispositionOn.Text),
		ExchangeID: f.exchangeID, Notes: f.notes.Text}
}

func (f *documentForm) load(rec data.Record) {
	d := rec.(*data.Document)
	f.loading = true
	defer func() { f.loading = false }()
	f.id, f.exchangeID = d.ID, d.ExchangeID
	f.titleEntry.SetText(d.Title)
	f.received.SetText(d.ReceivedOn)
	f.classification.SetSelected(d.Classification)
	f.releasability.SetText(strings.Join(d.Releasability, ", "))
	f.caveats.SetText(d.Caveats)
	f.category.SetSelected(d.Category)
	f.disclosure.SetSelected(d.Disclosure)
	f.originator.SetText(d.Originator)
	f.releaseRef.SetText(d.ReleaseRef)
	f.control.SetText(d.ControlNumber)
	f.route.SetText(d.HQRoute)
	f.disposition.SetSelected(d.Disposition)
	f.dispositionOn.SetText(d.DispositionOn)
	f.notes.SetText(d.Notes)
	f.loadExchanges()
}

// loadExchanges offers the recent exchanges, and names the one linked
// even when it is older, or deleted since (perhaps on another laptop).
func (f *documentForm) loadExchanges() {
	f.exchanges = map[string]string{noExchange: ""}
	options := []string{noExchange}
	current := noExchange
	// An exchange marked above the document is offered by its date, kind
	// and level, never its title: the banners carry the document's marking.
	ranks := map[string]int{}
	for _, l := range data.OrderedLevels(f.app.catalogue.Levels()) {
		ranks[l.ID] = l.Rank
	}
	ceiling, known := ranks[f.classification.Selected]
	label := func(e *data.Exchange) string {
		day := e.OccurredAt
		if len(day) >= 10 {
			day = day[:10]
		}
		if r, ok := ranks[e.Classification]; !known || !ok || r > ceiling {
			return day + "  " + strings.ReplaceAll(e.Kind, "_", " ") + " (" + e.Classification + ")"
		}
		return day + "  " + e.Title
	}
	ctx := context.Background()
	_ = f.app.store.List(ctx, data.KindExchange, data.ListFilter{Limit: recentExchangesOffered}, func(r data.Record) error {
		e := r.(*data.Exchange)
		l := label(e)
		if _, taken := f.exchanges[l]; taken {
			l += " (" + e.ID[len(e.ID)-4:] + ")"
		}
		f.exchanges[l] = e.ID
		options = append(options, l)
		if e.ID == f.exchangeID {
			current = l
		}
		return nil
	})
	if f.exchangeID != "" && current == noExchange {
		rec, err := f.app.store.Get(ctx, data.KindExchange, f.exchangeID)
		switch {
		case err == nil:
			current = label(rec.(*data.Exchange))
		case errors.Is(err, data.ErrNotFound):
			current = "Exchange (deleted)"
		default:
			current = "Exchange: could not be read"
		}
		f.exchanges[current] = f.exchangeID
		options = append(options, current)
	}
	wasLoading := f.loading
	f.loading = true
	f.exchange.SetOptions(options)
	f.exchange.SetSelected(current)
	f.loading = wasLoading
	if f.exchangeID != "" {
		f.openExchange.Show()
	} else {
		f.openExchange.Hide()
	}
}

// markings is the document's own marking, for the banners.
func (f *documentForm) markings() []data.Marking {
	if f.classification.Selected == "" {
		return nil
	}
	return []data.Marking{{Classification: f.classification.Selected, Releasability: upperAll(splitList(f.releasability.Text)),
		Caveats: strings.TrimSpace(f.caveats.Text)}}
}

func (f *documentForm) setEditable(on bool) {
	setEnabled(on, f.titleEntry, f.received.Entry, f.classification, f.releasability, f.caveats, f.category, f.disclosure,
		f.originator, f.releaseRef, f.control, f.route, f.disposition, f.dispositionOn.Entry, f.exchange, f.notes)
	setDatePickable(f.received, on)
	setDatePickable(f.dispositionOn, on)
	showHints(f.hints, on)
}
