package gui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// giftForm edits one gift or hospitality: who gave what to whom, its
// value, and what became of it. The deposit deadline is the rule table's
// (data/gift.go), shown and never typed.
type giftForm struct {
	app *App
	ff  *fieldForm
	id  string

	giver, recipient, nation, item, valueUSD, valueINR, occasion, notes *widget.Entry
	given                                                               *dateEntry
	disposition                                                         *widget.Select
	deadline                                                            *widget.Label

	badValue string // the field of a value that is not a number, "" for none
	hints    map[*widget.Entry]string
	loading  bool
	onChange func()
}

func newGiftForm(a *App) *giftForm { return &giftForm{app: a, ff: newFieldForm()} }

func (f *giftForm) form() *fieldForm { return f.ff }

func (f *giftForm) title() string {
	if t := strings.TrimSpace(f.item.Text); t != "" {
		return t
	}
	return "New gift"
}

func (f *giftForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	f.hints = map[*widget.Entry]string{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		f.hints[e] = placeholder
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	f.given = newDateEntry(func() fyne.Window { return f.app.win })
	f.given.OnChanged = func(string) { f.changed() }
	f.hints[f.given.Entry] = f.given.PlaceHolder
	f.giver = entry("Who gave it")
	f.recipient = entry("Who received it")
	f.nation = entry("IND or USA: whose rules bind the recipient")
	f.item = entry("What it is")
	f.valueUSD = entry("0 if not known")
	f.valueINR = entry("0 if not known")
	f.occasion = entry("e.g. change of command")
	f.disposition = widget.NewSelect(data.GiftDispositions, func(string) { f.changed() })
	f.deadline = widget.NewLabel("")
	f.deadline.Wrapping = fyne.TextWrapWord
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetPlaceHolder("Assessment, receipt number, where it is kept")
	f.hints[f.notes] = f.notes.PlaceHolder
	f.notes.Wrapping = fyne.TextWrapWord
	f.notes.SetMinRowsVisible(3)
	f.notes.OnChanged = func(string) { f.changed() }

	ff := f.ff
	ff.add("given_on", "Date", f.given.box, "")
	ff.add("giver", "Giver", f.giver, "")
	ff.add("recipient", "Recipient", f.recipient, "")
	ff.add("recipient_nation", "Recipient's nation", f.nation, "ISO alpha-3; decides the deposit rule")
	ff.add("item", "Item", f.item, "")
	ff.add("value_usd", "Value (USD)", f.valueUSD, "")
	ff.add("value_inr", "Value (INR)", f.valueINR, "")
	ff.add("occasion", "Occasion", f.occasion, "")
	ff.add("disposition", "Disposition", f.disposition, "")
	ff.add("deposit_due", "Deposit or report by", f.deadline, "")
	ff.add("notes", "Notes", f.notes, "")
	return ff.build()
}

func (f *giftForm) changed() {
	if f.loading {
		return
	}
	f.showDeadline()
	if f.onChange != nil {
		f.onChange()
	}
}

// showDeadline says what the rule table makes of the gift as typed.
func (f *giftForm) showDeadline() {
	g := f.record().(*data.Gift)
	g.Derive()
	f.deadline.SetText(giftDeadlineText(g))
}

// giftDeadlineText says when, and under which rule, a gift is to be
// deposited or reported.
func giftDeadlineText(g *data.Gift) string {
	r, ok := data.GiftRuleFor(g.RecipientNation)
	switch {
	case !ok:
		return "No rule in the table for this recipient's nation"
	case g.DepositDue == "":
		return "None: at or under the threshold of " + r.Currency + " " + strconv.FormatFloat(r.Threshold, 'f', -1, 64) + " (" + r.Authority + ")"
	}
	return g.DepositDue + ": " + r.Rule
}

// precheck refuses a value that is not a number before the record is
// read (a blank is 0: not known).
func (f *giftForm) precheck() error {
	for _, v := range []struct {
		name string
		e    *widget.Entry
	}{{"value_usd", f.valueUSD}, {"value_inr", f.valueINR}} {
		if _, ok := parseSum(v.e.Text); !ok {
			return data.Invalid(v.name, "%q is not a sum of money", data.Clip(v.e.Text))
		}
	}
	return nil
}

// parseSum reads a typed sum: digits with optional separators; blank is 0.
func parseSum(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func formatSum(v float64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (f *giftForm) record() data.Record {
	usd, _ := parseSum(f.valueUSD.Text)
	inr, _ := parseSum(f.valueINR.Text)
	return &data.Gift{ID: f.id, GivenOn: strings.TrimSpace(f.given.Text), Giver: strings.TrimSpace(f.giver.Text),
		Recipient: strings.TrimSpace(f.recipient.Text), RecipientNation: strings.ToUpper(strings.TrimSpace(f.nation.Text)),
		Item: strings.TrimSpace(f.item.Text), ValueUSD: usd, ValueINR: inr, Occasion: strings.TrimSpace(f.occasion.Text),
		Disposition: f.disposition.Selected, Notes: f.notes.Text}
}

func (f *giftForm) load(rec data.Record) {
	g := rec.(*data.Gift)
	f.loading = true
	f.id = g.ID
	f.given.SetText(g.GivenOn)
	f.giver.SetText(g.Giver)
	f.recipient.SetText(g.Recipient)
	f.nation.SetText(g.RecipientNation)
	f.item.SetText(g.Item)
	f.valueUSD.SetText(formatSum(g.ValueUSD))
	f.valueINR.SetText(formatSum(g.ValueINR))
	f.occasion.SetText(g.Occasion)
	f.disposition.SetSelected(g.Disposition)
	f.notes.SetText(g.Notes)
	f.loading = false
	f.showDeadline()
}

func (f *giftForm) setEditable(on bool) {
	setEnabled(on, f.given.Entry, f.giver, f.recipient, f.nation, f.item, f.valueUSD, f.valueINR, f.occasion, f.disposition, f.notes)
	setDatePickable(f.given, on)
	showHints(f.hints, on)
}
