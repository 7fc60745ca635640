package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// giftsScreen is the register of gifts and hospitality, newest first,
// with the deadline to deposit or report each.
type giftsScreen struct {
	recordPages
	filters *filterBar
	form    *giftForm
	newBtn  *widget.Button
}

func newGiftsScreen(a *App) *giftsScreen {
	sc := &giftsScreen{recordPages: recordPages{app: a, kind: data.KindGift}}
	sc.onFront = func() { sc.app.setMarkings(nil) } // gifts carry no marking
	sc.list = newListView(a, data.KindGift, "gifts", []column{
		{key: "given_on", title: "Date", weight: 1.1},
		{key: "item", title: "Item", weight: 2.6},
		{key: "giver", title: "Giver", weight: 2},
		{key: "recipient", title: "Recipient", weight: 2},
		{key: "value_usd", title: "USD", weight: 0.8},
		{key: "value_inr", title: "INR", weight: 0.9},
		{key: "disposition", title: "Disposition", weight: 1.1},
		{key: "deposit_due", title: "Deposit by", weight: 1.1, format: func(v string, _ data.Row) string {
			if v == "" {
				return "—"
			}
			return v
		}},
	})
	sc.list.onOpen = sc.open
	sc.form = newGiftForm(a)
	sc.frame = newRecordFrame(a, data.KindGift, sc.form)
	sc.frame.onSaved = func(string) { sc.list.reload() }
	sc.frame.onClose = sc.showList
	return sc
}

func (sc *giftsScreen) build() fyne.CanvasObject {
	sc.filters = newFilterBar(filterOptions{statuses: data.GiftDispositions, dates: true}, sc.list.setFilter)
	sc.filters.from.SetPlaceHolder("Given from")
	sc.filters.to.SetPlaceHolder("Given to")
	head, btn := sc.heading("Gifts and hospitality", "New gift", sc.openNew)
	sc.newBtn = btn
	pages := sc.assemble(container.NewVBox(head, sc.filters.build()))
	sc.list.reload()
	return pages
}

func (sc *giftsScreen) shown() {
	if sc.onList() {
		sc.list.reload()
		sc.app.setMarkings(nil)
		return
	}
	sc.frame.changed()
}

// openNew starts a gift received today by the officer, pending, under
// India's rules.
func (sc *giftsScreen) openNew() {
	g := &data.Gift{GivenOn: time.Now().Format(data.DateLayout), RecipientNation: "IND", Disposition: data.GiftPending}
	if dev, err := sc.app.store.Device(); err == nil {
		g.Recipient = dev.Officer
	}
	sc.openBlank(g)
}
