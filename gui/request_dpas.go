package gui

import (
	"strings"

	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// requestDPAS is the part of the request form that records the DPAS rules
// of data/dpas.go: the rejection, an amendment, a DO→DX upgrade, the form
// of a delay notice, and Special Priorities Assistance with its SOSA
// steps. Its rows show only where they apply: in_to_us requests, and the
// delay rows once a delay is reported.
type requestDPAS struct {
	rejection, delayNotice, spaBasis                            *choice
	earliestOffered, amendmentOn, ratingChangedOn, delayLearned *dateEntry
	sponsored, endorsed, forwarded                              *dateEntry
	amendmentSignificant                                        *widget.Check
	urgentNeed, effortMade                                      *widget.Entry
	dates                                                       []*dateEntry
	choices                                                     []*choice
	inToUSRows, delayRows                                       []string // the rows show hides
}

// dpasLabels are the words the form shows for the codes of data/dpas.go.
var dpasLabels = map[string]string{
	"":                                  "—",
	"mandatory_cannot_meet_date":        "Mandatory: cannot meet the date (700.13(b)(1))",
	"mandatory_conflict_earlier_orders": "Mandatory: conflicts with earlier rated orders (700.13(b)(2), (3))",
	"optional_terms_of_sale":            "Optional: customer will not meet terms of sale (700.13(c))",
	"optional_not_supplied":             "Optional: item not supplied or service not performed",
	"optional_own_use":                  "Optional: made only for the supplier's own use",
	"optional_made_by_customer":         "Optional: the customer makes the item itself",
	"optional_legal_conflict":           "Optional: acceptance would break another order or rule",
	data.DelayVerbal:                    "Verbal: confirm in writing",
	data.DelayWritten:                   "Written",
	data.SPARatedOrder:                  "Against a placed rated order (700.52(a)(1))",
	data.SPARatingAuthority:             "For rating authority, before an order (700.51)",
	data.SPAUnratedOrder:                "For an unrated order (700.52(a)(3))",
}

func dpasLabel(code string) string {
	if l, ok := dpasLabels[code]; ok {
		return l
	}
	return code
}

// init makes the widgets; orderRows, delayRowsAdd and spaRows place them
// in three places of the form: after the acceptance clock, after the delay
// report, after the SPA request date.
func (d *requestDPAS) init(entry func(string) *widget.Entry, date func() *dateEntry, changed func()) {
	with := func(codes []string) *choice {
		c := newChoice(append([]string{""}, codes...), dpasLabel, changed)
		d.choices = append(d.choices, c)
		return c
	}
	dt := func() *dateEntry {
		e := date()
		d.dates = append(d.dates, e)
		return e
	}
	d.rejection = with(data.RejectionReasons)
	d.earliestOffered = dt()
	d.amendmentOn = dt()
	d.amendmentSignificant = widget.NewCheck("Significantly alters the schedule: a new rated order", func(bool) { changed() })
	d.ratingChangedOn = dt()
	d.delayNotice = with(data.DelayNotices)
	d.delayLearned = dt()
	d.spaBasis = with(data.SPABases)
	d.urgentNeed = entry("The urgent need the request must establish")
	d.effortMade = entry("What was already tried, and with whom")
	d.sponsored, d.endorsed, d.forwarded = dt(), dt(), dt()
}

func (d *requestDPAS) orderRows(ff *fieldForm) {
	ff.add("rejection_reason", "Rejection reason", d.rejection.Select, "The reason the supplier gave in writing (15 CFR 700.13(b), (c))")
	ff.add("earliest_offered_on", "Earliest date offered", d.earliestOffered.box, "The earliest delivery the supplier offered (700.13(b))")
	ff.add("amendment_received_on", "Amendment received", d.amendmentOn.box, "")
	ff.add("amendment_significant", "Amendment", d.amendmentSignificant, "A significant change starts a new acceptance clock (700.16(c))")
	ff.add("rating_changed_on", "Upgraded to DX on", d.ratingChangedOn.box, "DX applies from the day the supplier receives the upgrade (700.16(b))")
	d.inToUSRows = append(d.inToUSRows, "rejection_reason", "earliest_offered_on", "amendment_received_on", "amendment_significant", "rating_changed_on")
}

func (d *requestDPAS) delayRowsAdd(ff *fieldForm) {
	ff.add("delay_notice", "Delay notice", d.delayNotice.Select, "A verbal notice is confirmed in writing (700.13(d)(2))")
	ff.add("delay_learned_on", "Supplier learned of it", d.delayLearned.box, "The notice is due at once (700.13(d)(2))")
	d.delayRows = append(d.delayRows, "delay_notice", "delay_learned_on")
}

func (d *requestDPAS) spaRows(ff *fieldForm) {
	ff.add("spa_basis", "SPA basis", d.spaBasis.Select, "Allowed before an order: for rating authority or an unrated order")
	ff.add("urgent_need", "Urgent need", d.urgentNeed, "Required once forwarded to Commerce (15 CFR 700.53)")
	ff.add("effort_made", "Effort made", d.effortMade, "Required once forwarded to Commerce (15 CFR 700.53)")
	ff.add("spa_sponsored_on", "Sponsored by GoI", d.sponsored.box, "SOSA: Government of India → DoD → Commerce (700.57)")
	ff.add("spa_endorsed_on", "Endorsed by DoD", d.endorsed.box, "")
	ff.add("spa_forwarded_on", "Forwarded to Commerce", d.forwarded.box, "")
	d.inToUSRows = append(d.inToUSRows, "spa_basis", "urgent_need", "effort_made", "spa_sponsored_on", "spa_endorsed_on", "spa_forwarded_on")
}

// show shows the rows that apply to the request as it stands.
func (d *requestDPAS) show(ff *fieldForm, direction string, delayed bool) {
	for _, n := range d.inToUSRows {
		ff.show(n, direction != data.USToIN)
	}
	for _, n := range d.delayRows {
		ff.show(n, delayed)
	}
}

func (d *requestDPAS) read(r *data.Request) {
	text := func(e *dateEntry) string { return strings.TrimSpace(e.Text) }
	r.RejectionReason, r.EarliestOfferedOn = d.rejection.value(), text(d.earliestOffered)
	r.AmendmentReceivedOn, r.AmendmentSignificant = text(d.amendmentOn), d.amendmentSignificant.Checked
	r.RatingChangedOn = text(d.ratingChangedOn)
	r.DelayNotice, r.DelayLearnedOn = d.delayNotice.value(), text(d.delayLearned)
	r.SPABasis, r.UrgentNeed, r.EffortMade = d.spaBasis.value(), strings.TrimSpace(d.urgentNeed.Text), strings.TrimSpace(d.effortMade.Text)
	r.SPASponsoredOn, r.SPAEndorsedOn, r.SPAForwardedOn = text(d.sponsored), text(d.endorsed), text(d.forwarded)
}

func (d *requestDPAS) load(r *data.Request) {
	d.rejection.set(r.RejectionReason)
	d.earliestOffered.SetText(r.EarliestOfferedOn)
	d.amendmentOn.SetText(r.AmendmentReceivedOn)
	d.amendmentSignificant.SetChecked(r.AmendmentSignificant)
	d.ratingChangedOn.SetText(r.RatingChangedOn)
	d.delayNotice.set(r.DelayNotice)
	d.delayLearned.SetText(r.DelayLearnedOn)
	d.spaBasis.set(r.SPABasis)
	d.urgentNeed.SetText(r.UrgentNeed)
	d.effortMade.SetText(r.EffortMade)
	d.sponsored.SetText(r.SPASponsoredOn)
	d.endorsed.SetText(r.SPAEndorsedOn)
	d.forwarded.SetText(r.SPAForwardedOn)
}

func (d *requestDPAS) setEditable(on bool) {
	for _, c := range d.choices {
		setEnabled(on, c)
	}
	setEnabled(on, d.amendmentSignificant, d.urgentNeed, d.effortMade)
	for _, e := range d.dates {
		setDateEditable(e, on)
	}
}

// entries are the text entries whose hints become dashes when read-only.
func (d *requestDPAS) entries() []*widget.Entry {
	out := []*widget.Entry{d.urgentNeed, d.effortMade}
	for _, e := range d.dates {
		out = append(out, e.Entry)
	}
	return out
}
