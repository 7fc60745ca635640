package gui

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// requestForm edits one priority-support request (docs/DOMAIN.md §4): what is
// needed and why, its lines, the DPAS rating and dates, the supplier and
// the regulatory clocks, and its marking. The status is never a field: a
// saved request moves along its workflow through "Change status…", which
// offers only the transitions the workflow allows and asks for a note.
type requestForm struct {
	app *App
	ff  *fieldForm

	// Carried through unchanged: data refuses edits to them.
	id, ref string
	status  data.RequestStatus
	history []data.StatusEntry

	direction, coc, rating                                      *choice
	posting, classification                                     *widget.Select
	program, endUser, justification, supplier, supplierCountry  *widget.Entry
	contract, spaCase, releasability, caveats                   *widget.Entry
	relGroups                                                   *relGroupPicker
	requiredBy, orderReceived, promisedBy, delayReported, spaOn *dateEntry
	delayed, businessConf                                       *widget.Check
	acceptanceDue, delayConfirmDue                              *widget.Label
	dpas                                                        requestDPAS // the DPAS rules' fields (request_dpas.go)

	lines    []*lineRow
	lineBox  *fyne.Container
	lineHead fyne.CanvasObject
	addLine  *widget.Button

	statusText  *widget.Label
	statusHint  *widget.Label
	statusClock *widget.Label // the supplier's acceptance clock, while it runs
	changeBtn   *widget.Button
	historyBox  *fyne.Container
	historyHead *widget.Label

	// The status dialog, while open.
	statusDlg     *dialog.CustomDialog
	statusPick    *widget.RadioGroup
	statusWhen    *dateEntry // an optional date: officers record after the fact
	statusNote    *widget.Entry
	statusConfirm *widget.Button
	statusProblem *widget.Label
	offered       []data.RequestStatus // the statuses the dialog offers

	editable     bool
	loading      bool
	placeholders map[*widget.Entry]string // as built; read-only fields show "—" instead
	onChange     func()
	onStatus     func(id string, to data.RequestStatus) // a status change was written
	today        func() string                          // YYYY-MM-DD; a field so tests can fix it
}

func newRequestForm(a *App) *requestForm {
	return &requestForm{app: a, ff: newFieldForm(), today: func() string { return time.Now().Format(data.DateLayout) }}
}

func (f *requestForm) form() *fieldForm { return f.ff }

func (f *requestForm) title() string {
	if f.ref == "" {
		return "New request"
	}
	if p := strings.TrimSpace(f.program.Text); p != "" {
		return f.ref + " · " + p
	}
	return f.ref
}

// choice is a select that shows words for people and stores codes.
type choice struct {
	*widget.Select
	code  map[string]string // label → code
	label map[string]string // code → label
}

func newChoice(codes []string, label func(string) string, changed func()) *choice {
	c := &choice{code: map[string]string{}, label: map[string]string{}}
	opts := make([]string, 0, len(codes))
	for _, k := range codes {
		l := label(k)
		c.code[l], c.label[k] = k, l
		opts = append(opts, l)
	}
	c.Select = widget.NewSelect(opts, func(string) { changed() })
	return c
}

func (c *choice) value() string { return c.code[c.Selected] }

// set selects a code; one the list does not know is added rather than
// lost, so saving never drops a value the form cannot name.
func (c *choice) set(code string) {
	if _, ok := c.label[code]; !ok && code == "" {
		c.ClearSelected()
		return
	}
	if _, ok := c.label[code]; !ok {
		c.label[code], c.code[code] = code, code
		c.Options = append(c.Options, code)
	}
	c.SetSelected(c.label[code])
}

// selectValue selects v in s, adding it when the options lack it.
func selectValue(s *widget.Select, v string) {
	if v == "" {
		s.ClearSelected()
		return
	}
	if !slices.Contains(s.Options, v) {
		s.Options = append(s.Options, v)
	}
	s.SetSelected(v)
}

// noRating is the rating picker's first choice: not (yet) rated.
const noRating = "(none)"

// ratingCodes are every DPAS rating the picker offers: DO then DX, each
// with the program symbols of data.ProgramSymbols in order.
func ratingCodes() []string {
	syms := make([]string, 0, len(data.ProgramSymbols))
	for s := range data.ProgramSymbols {
		syms = append(syms, s)
	}
	slices.Sort(syms)
	out := []string{""}
	for _, p := range []string{"DO-", "DX-"} {
		for _, s := range syms {
			out = append(out, p+s)
		}
	}
	return out
}

func ratingLabel(code string) string {
	if code == "" {
		return noRating
	}
	if d, ok := data.ProgramSymbols[strings.TrimPrefix(strings.TrimPrefix(code, "DO-"), "DX-")]; ok {
		return code + " — " + d
	}
	return code
}

// directionLabel names a request direction for people.
func directionLabel(d string) string {
	switch d {
	case data.InToUS:
		return "India asks a US supplier (DPAS)"
	case data.USToIN:
		return "US asks an Indian firm (Code of Conduct)"
	}
	return d
}

// askedBy is who asks, for a narrow column. (No arrows anywhere: the
// bundled font draws "→" badly.)
func askedBy(d string) string {
	switch d {
	case data.InToUS:
		return "India"
	case data.USToIN:
		return "US"
	}
	return d
}

// statusLabel names a workflow state for people: "forwarded_to_dod" →
// "Forwarded to DoD".
func statusLabel[S ~string](s S) string {
	words := strings.Split(string(s), "_")
	for i, w := range words {
		switch {
		case w == "dod":
			words[i] = "DoD"
		case w == "mod":
			words[i] = "MoD"
		case i == 0 && w != "":
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func (f *requestForm) fields(changed func()) fyne.CanvasObject {
	f.onChange = changed
	codes, levels := f.app.catalogue.postingCodes(), f.app.catalogue.levelIDs()
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	date := func() *dateEntry {
		d := newDateEntry(func() fyne.Window { return f.app.win })
		d.OnChanged = func(string) { f.changed() }
		return d
	}
	computed := func() *widget.Label {
		l := widget.NewLabel("—")
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}

	f.direction = newChoice(data.RequestDirections, directionLabel, f.directionChanged)
	f.posting = widget.NewSelect(codes, func(string) { f.changed() })
	f.program = entry("Programme or platform, e.g. P-8I, MH-60R")
	f.endUser = entry("Unit or organisation")
	f.justification = widget.NewMultiLineEntry()
	f.justification.SetPlaceHolder("Operational need, and the impact if it arrives late")
	f.justification.Wrapping = fyne.TextWrapWord
	f.justification.SetMinRowsVisible(3)
	f.justification.OnChanged = func(string) { f.changed() }
	f.rating = newChoice(ratingCodes(), ratingLabel, f.changed)
	f.requiredBy = date()
	f.supplier = entry("Firm")
	f.supplierCountry = entry("ISO alpha-3, e.g. USA")
	f.coc = newChoice(data.CoCAnswers, func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }, f.changed)
	f.contract = entry("Contract, order or subcontract number")
	f.orderReceived = date()
	f.acceptanceDue = computed()
	f.promisedBy = date()
	f.delayed = widget.NewCheck("The supplier reported a delay", func(bool) { f.changed() })
	f.delayReported = date()
	f.delayConfirmDue = computed()
	f.spaCase = entry("Form BIS-999 case number")
	f.spaOn = date()
	f.dpas.init(entry, date, f.changed)
	f.classification = widget.NewSelect(levels, func(string) { f.changed() })
	f.app.catalogue.onChange(func() {
		f.posting.SetOptions(f.app.catalogue.postingCodes())
		f.classification.SetOptions(f.app.catalogue.levelIDs())
	})
	f.releasability = entry("USA, IND")
	f.caveats = entry("Caveats (optional)")
	f.businessConf = widget.NewCheck("Holds supplier data that is business confidential (DPA §705(d))", func(bool) { f.changed() })

	f.lineBox = container.NewVBox()
	f.lineHead = container.NewBorder(nil, nil, nil, newSpacerFor(widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)),
		container.New(&columnsLayout{weights: lineWeights}, lineHeader("Description"), lineHeader("NSN"),
			lineHeader("Part number"), lineHeader("CAGE"), lineHeader("Quantity"), lineHeader("Unit"), lineHeader("Delivered")))
	f.addLine = widget.NewButtonWithIcon("Add line", theme.ContentAddIcon(), func() {
		f.appendLine(data.Line{})
		f.redrawLines()
		f.changed()
	})
	lines := container.NewVBox(f.lineHead, f.lineBox, container.NewHBox(f.addLine))

	ff := f.ff
	ff.add("direction", "Direction", f.direction.Select, "Who asks whom: it decides the workflow")
	ff.add("posting", "Posting", f.posting, "")
	ff.add("program", "Program", f.program, "")
	ff.add("end_user", "End user", f.endUser, "")
	ff.add("justification", "Justification", f.justification, "")
	ff.add("lines", "Lines", lines, "NSN with or without dashes, e.g. 5841015253012")
	ff.add("rating", "DPAS rating", f.rating.Select, "DX outranks DO; both outrank unrated orders")
	ff.add("required_by", "Required by", f.requiredBy.box, "A real delivery date: DPAS does not accept “ASAP”")
	formHeading(ff, "Supplier and order")
	ff.add("supplier", "Supplier", f.supplier, "")
	ff.add("supplier_country", "Supplier country", f.supplierCountry, "")
	ff.add("coc_participant", "Code of Conduct", f.coc.Select, "Has the firm signed its country's Code of Conduct?")
	ff.add("contract_number", "Contract number", f.contract, "")
	ff.add("order_received_on", "Order received", f.orderReceived.box, "When the supplier received the rated order")
	ff.add("acceptance_due", "Accept or reject by", f.acceptanceDue, "15 working days after receipt for DO, 10 for DX (15 CFR 700.13(d)(1))")
	f.dpas.orderRows(ff)
	ff.add("promised_by", "Promised by", f.promisedBy.box, "The supplier's promised date")
	ff.add("delayed", "Delay", f.delayed, "")
	ff.add("delay_reported_on", "Delay reported", f.delayReported.box, "")
	f.dpas.delayRowsAdd(ff)
	ff.add("delay_confirm_due", "Confirm in writing by", f.delayConfirmDue, "A verbal notice: 1 working day (15 CFR 700.13(d)(2))")
	ff.add("spa_case", "SPA case", f.spaCase, "Special Priorities Assistance (Form BIS-999)")
	ff.add("spa_requested_on", "SPA requested", f.spaOn.box, "")
	f.dpas.spaRows(ff)
	formHeading(ff, "Marking")
	ff.add("classification", "Classification", f.classification, "")
	f.relGroups = newRelGroupPicker(f.app, f.releasability) // gui/relgroups.go
	ff.add("releasability", "Releasable to", f.relGroups.box, "ISO alpha-3 codes, e.g. USA, IND, or a group")
	ff.add("caveats", "Caveats", f.caveats, "")
	ff.add("business_confidential", "Business data", f.businessConf, "")

	return container.NewVBox(f.buildStatus(), widget.NewSeparator(), ff.build())
}

// lineWeights are the widths of a line's cells: description, NSN, part
// number, CAGE, quantity, unit, delivered.
var lineWeights = []float32{3, 2, 1.6, 1, 1, 0.8, 1}

func lineHeader(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameCaptionText
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// newSpacerFor is an empty box as wide as o, to line headers up with rows
// that end in a button.
func newSpacerFor(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(o.MinSize().Width, 1))
}

// formHeading starts a titled group of fields.
func formHeading(ff *fieldForm, title string) {
	ff.grid.Add(widget.NewLabel(""))
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameSubHeadingText
	ff.grid.Add(h)
}

// buildStatus is the block at the top: the current status, the control to
// move it on, and its history.
func (f *requestForm) buildStatus() fyne.CanvasObject {
	f.statusText = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.statusText.SizeName = theme.SizeNameSubHeadingText
	f.statusText.Importance = widget.HighImportance
	f.statusHint = widget.NewLabel("")
	f.statusHint.Truncation = fyne.TextTruncateEllipsis
	f.changeBtn = widget.NewButtonWithIcon("Change status…", theme.NavigateNextIcon(), f.openStatusDialog)
	f.changeBtn.Importance = widget.HighImportance
	f.statusClock = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.statusClock.Hide()
	f.historyHead = widget.NewLabelWithStyle("Status history", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.historyBox = container.NewVBox()
	label := widget.NewLabel("Status")
	return container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(label, f.statusText), f.changeBtn, f.statusHint),
		f.statusClock, f.historyHead, f.historyBox)
}

// updateStatus shows the current status, what may follow it, and the
// history.
func (f *requestForm) updateStatus() {
	dir := f.direction.value()
	f.statusText.SetText(statusLabel(f.status))
	switch {
	case f.id == "":
		f.statusHint.SetText(fmt.Sprintf("A new request starts as %s. Save it, then move it along its workflow here.",
			statusLabel(data.InitialStatus(dir))))
		f.changeBtn.Hide()
	case data.IsTerminal(dir, f.status):
		f.statusHint.SetText("final: no further changes")
		f.changeBtn.Hide()
	default:
		next := data.NextStatuses(dir, f.status)
		words := make([]string, len(next))
		for i, s := range next {
			words[i] = statusLabel(s)
		}
		hint := "Next: " + orList(words)
		if f.editable {
			hint += ". Save or cancel your edits to change the status."
			f.changeBtn.Disable()
		} else {
			f.changeBtn.Enable()
		}
		f.statusHint.SetText(hint)
		f.changeBtn.Show()
	}
	f.historyBox.RemoveAll()
	for _, h := range f.history {
		f.historyBox.Add(historyRow(h))
	}
	if len(f.history) == 0 {
		f.historyHead.Hide()
	} else {
		f.historyHead.Show()
	}
	f.historyBox.Refresh()
}

// orList writes ["a" "b" "c"] as "a, b or c".
func orList(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// historyRow shows one transition: when, who, from » to, and the note.
func historyRow(h data.StatusEntry) fyne.CanvasObject {
	at := h.At
	if t, err := time.Parse(time.RFC3339, h.At); err == nil {
		at = t.Local().Format("2006-01-02 15:04")
	}
	when := widget.NewLabel(at)
	who := widget.NewLabel(h.By)
	who.Truncation = fyne.TextTruncateEllipsis
	move := widget.NewLabelWithStyle(statusLabel(h.From)+"  »  "+statusLabel(h.To), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	move.Truncation = fyne.TextTruncateEllipsis
	note := widget.NewLabel(h.Note)
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.MediumImportance
	if h.Note == "" {
		note.SetText("(no note)")
		note.Importance = widget.LowImportance
	}
	return container.New(&columnsLayout{weights: []float32{1.3, 1.5, 3.4, 3.8}}, when, who, move, note)
}

// directionChanged: a new request starts over in the new workflow; a
// us_to_in request carries no DPAS rating.
func (f *requestForm) directionChanged() {
	if f.loading {
		return
	}
	dir := f.direction.value()
	if f.id == "" {
		f.status = data.InitialStatus(dir)
	}
	if dir == data.USToIN {
		f.rating.set("")
	}
	f.refreshEnabled()
	f.updateStatus()
	f.changed()
}

// changed runs on every edit: the computed dates are shown, then the frame
// validates (a line's problem is named "Line 2 NSN" by the form).
func (f *requestForm) changed() {
	if f.loading {
		return
	}
	f.showDerived()
	if f.onChange != nil {
		f.onChange()
	}
}

// showDerived shows the regulatory clocks as data computes them, with the
// acceptance date flagged when it has come or gone and the supplier has
// not yet answered.
func (f *requestForm) showDerived() {
	r := f.record().(*data.Request)
	r.Derive()
	text, late := acceptanceText(r.AcceptanceDue, f.status, f.today())
	f.acceptanceDue.SetText(orDash(text))
	switch late {
	case "overdue":
		f.acceptanceDue.Importance = widget.DangerImportance
	case "due":
		f.acceptanceDue.Importance = widget.WarningImportance
	default:
		f.acceptanceDue.Importance = widget.MediumImportance
	}
	f.acceptanceDue.Refresh()
	if f.status == data.StatusOrderPlaced && r.AcceptanceDue != "" {
		f.statusClock.SetText("The supplier must accept or reject the order by " + text)
		f.statusClock.Importance = f.acceptanceDue.Importance
		f.statusClock.Show()
	} else {
		f.statusClock.Hide()
	}
	f.delayConfirmDue.SetText(orDash(r.DelayConfirmDue))
	f.dpas.show(f.ff, r.Direction, r.Delayed)
}

// acceptanceText writes an acceptance due date, marked "(overdue)" when it
// is past and "(due today)" when it is today, while the order still waits
// for the supplier's answer (status order_placed). late is "overdue",
// "due" or "".
func acceptanceText(due string, status data.RequestStatus, today string) (text, late string) {
	if due == "" || status != data.StatusOrderPlaced {
		return due, ""
	}
	switch {
	case due < today:
		return due + " (overdue)", "overdue"
	case due == today:
		return due + " (due today)", "due"
	}
	return due, ""
}

// lineRow is one line of the request being edited.
type lineRow struct {
	id, requestID string
	lineNo        int

	desc, nsn, part, cage, qty, unit, delivered *widget.Entry
	remove                                      *widget.Button
	box                                         *fyne.Container
}

func (f *requestForm) appendLine(l data.Line) {
	mk := func(placeholder, text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.SetText(text)
		e.OnChanged = func(string) { f.changed() }
		return e
	}
	row := &lineRow{id: l.ID, requestID: l.RequestID, lineNo: l.LineNo,
		desc: mk("What is needed", l.Description), nsn: mk("1234-00-567-8901", l.NSN), part: mk("", l.PartNumber),
		cage: mk("", l.CAGE), qty: mk("", number(l.Quantity)), unit: mk("EA", l.Unit), delivered: mk("0", number(l.DeliveredQuantity))}
	row.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		f.dropLine(row)
		f.redrawLines()
		f.changed()
	})
	row.box = container.NewBorder(nil, nil, nil, row.remove,
		container.New(&columnsLayout{weights: lineWeights}, row.desc, row.nsn, row.part, row.cage, row.qty, row.unit, row.delivered))
	f.lines = append(f.lines, row)
}

// number writes a quantity plainly; zero is left blank.
func number(v float64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// parseNumber reads a typed quantity: blank is 0, and text that is no
// number is NaN, which the request's validation refuses.
func parseNumber(s string) float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// dropLine forgets a line row.
func (f *requestForm) dropLine(row *lineRow) {
	f.lines = slices.DeleteFunc(f.lines, func(r *lineRow) bool { return r == row })
	for _, e := range row.entries() {
		delete(f.placeholders, e)
	}
}

func (r *lineRow) entries() []*widget.Entry {
	return []*widget.Entry{r.desc, r.nsn, r.part, r.cage, r.qty, r.unit, r.delivered}
}

func (f *requestForm) redrawLines() {
	objs := make([]fyne.CanvasObject, len(f.lines))
	for i, r := range f.lines {
		objs[i] = r.box
	}
	f.lineBox.Objects = objs
	f.lineBox.Refresh()
	if len(f.lines) == 0 {
		f.lineHead.Hide()
	} else {
		f.lineHead.Show()
	}
	f.refreshEnabled()
}

func (r *lineRow) line() data.Line {
	return data.Line{ID: r.id, RequestID: r.requestID, LineNo: r.lineNo, Description: strings.TrimSpace(r.desc.Text),
		NSN: strings.TrimSpace(r.nsn.Text), PartNumber: strings.TrimSpace(r.part.Text),
		CAGE: strings.ToUpper(strings.TrimSpace(r.cage.Text)), Quantity: parseNumber(r.qty.Text),
		Unit: strings.ToUpper(strings.TrimSpace(r.unit.Text)), DeliveredQuantity: parseNumber(r.delivered.Text)}
}

// record reads the form. Status, reference and history are carried
// through as loaded: only a status change moves the status.
func (f *requestForm) record() data.Record {
	r := &data.Request{ID: f.id, Ref: f.ref, Direction: f.direction.value(), Posting: f.posting.Selected,
		Program: strings.TrimSpace(f.program.Text), EndUser: strings.TrimSpace(f.endUser.Text),
		Justification: f.justification.Text, Lines: make([]data.Line, 0, len(f.lines)), Rating: f.rating.value(),
		RequiredBy: strings.TrimSpace(f.requiredBy.Text), Supplier: strings.TrimSpace(f.supplier.Text),
		SupplierCountry: strings.ToUpper(strings.TrimSpace(f.supplierCountry.Text)), CoCParticipant: f.coc.value(),
		ContractNumber: strings.TrimSpace(f.contract.Text), OrderReceivedOn: strings.TrimSpace(f.orderReceived.Text),
		PromisedBy: strings.TrimSpace(f.promisedBy.Text), Delayed: f.delayed.Checked,
		DelayReportedOn: strings.TrimSpace(f.delayReported.Text), SPACase: strings.TrimSpace(f.spaCase.Text),
		SPARequestedOn: strings.TrimSpace(f.spaOn.Text), Status: f.status, History: slices.Clone(f.history),
		Marking: data.Marking{Classification: f.classification.Selected,
			Releasability: upperAll(splitList(f.releasability.Text)), Caveats: strings.TrimSpace(f.caveats.Text)},
		BusinessConfidential: f.businessConf.Checked}
	f.dpas.read(r)
	for _, l := range f.lines {
		r.Lines = append(r.Lines, l.line())
	}
	return r
}

func (f *requestForm) load(rec data.Record) {
	r := rec.(*data.Request)
	f.loading = true
	defer func() { f.loading = false; f.showDerived() }()
	f.id, f.ref, f.status, f.history = r.ID, r.Ref, r.Status, slices.Clone(r.History)
	if f.status == "" {
		f.status = data.InitialStatus(r.Direction)
	}
	f.direction.set(r.Direction)
	selectValue(f.posting, r.Posting)
	f.program.SetText(r.Program)
	f.endUser.SetText(r.EndUser)
	f.justification.SetText(r.Justification)
	for _, row := range slices.Clone(f.lines) {
		f.dropLine(row)
	}
	for _, l := range r.Lines {
		f.appendLine(l)
	}
	f.rating.set(r.Rating)
	f.requiredBy.SetText(r.RequiredBy)
	f.supplier.SetText(r.Supplier)
	f.supplierCountry.SetText(r.SupplierCountry)
	f.coc.set(r.CoCParticipant)
	f.contract.SetText(r.ContractNumber)
	f.orderReceived.SetText(r.OrderReceivedOn)
	f.promisedBy.SetText(r.PromisedBy)
	f.delayed.SetChecked(r.Delayed)
	f.delayReported.SetText(r.DelayReportedOn)
	f.spaCase.SetText(r.SPACase)
	f.spaOn.SetText(r.SPARequestedOn)
	selectValue(f.classification, r.Classification)
	f.releasability.SetText(strings.Join(r.Releasability, ", "))
	f.caveats.SetText(r.Caveats)
	f.businessConf.SetChecked(r.BusinessConfidential)
	f.dpas.load(r)
	f.redrawLines()
	f.updateStatus()
}

func (f *requestForm) setEditable(on bool) {
	f.editable = on
	f.refreshEnabled()
	f.updateStatus()
}

// refreshEnabled enables what may be edited now: everything while editing,
// except the direction of a saved request (its status belongs to that
// workflow) and the rating of a us_to_in request.
func (f *requestForm) refreshEnabled() {
	if f.posting == nil {
		return
	}
	on := f.editable
	setEnabled(on && f.id == "", f.direction)
	setEnabled(on && f.direction.value() != data.USToIN, f.rating)
	setEnabled(on, f.posting, f.coc, f.classification, f.delayed, f.businessConf,
		f.program, f.endUser, f.justification, f.supplier, f.supplierCountry, f.contract, f.spaCase,
		f.releasability, f.relGroups, f.caveats)
	for _, d := range []*dateEntry{f.requiredBy, f.orderReceived, f.promisedBy, f.delayReported, f.spaOn} {
		setDateEditable(d, on)
	}
	f.dpas.setEditable(on)
	f.showPlaceholders(on)
	for _, r := range f.lines {
		for _, e := range r.entries() {
			setEnabled(on, e)
		}
		setShown(on, r.remove)
	}
	setShown(on, f.addLine)
}

// showPlaceholders shows the typing hints while editing; a read-only
// field left empty shows a dash, so a hint is never taken for a value.
func (f *requestForm) showPlaceholders(on bool) {
	if f.placeholders == nil {
		f.placeholders = map[*widget.Entry]string{}
	}
	all := []*widget.Entry{f.program, f.endUser, f.justification, f.supplier, f.supplierCountry, f.contract,
		f.spaCase, f.releasability, f.caveats, f.requiredBy.Entry, f.orderReceived.Entry, f.promisedBy.Entry,
		f.delayReported.Entry, f.spaOn.Entry}
	all = append(all, f.dpas.entries()...)
	for _, r := range f.lines {
		all = append(all, r.entries()...)
	}
	for _, e := range all {
		ph, ok := f.placeholders[e]
		if !ok {
			ph = e.PlaceHolder
			f.placeholders[e] = ph
		}
		if !on {
			ph = "—"
		}
		if e.PlaceHolder != ph {
			e.SetPlaceHolder(ph)
		}
	}
}

// setDateEditable enables or disables a date entry and its calendar
// button, so a read-only form cannot be changed through the calendar.
func setDateEditable(d *dateEntry, on bool) {
	for _, o := range d.box.Objects {
		if w, ok := o.(fyne.Disableable); ok {
			if on {
				w.Enable()
			} else {
				w.Disable()
			}
		}
	}
}

// statusChoices are the states the current one may move to: exactly the
// workflow's allowed transitions.
func (f *requestForm) statusChoices() []data.RequestStatus {
	return data.NextStatuses(f.direction.value(), f.status)
}

// openStatusDialog asks which allowed state comes next and why.
func (f *requestForm) openStatusDialog() {
	if f.id == "" || f.editable {
		return
	}
	f.offered = f.statusChoices()
	labels := make([]string, len(f.offered))
	for i, s := range f.offered {
		labels[i] = statusLabel(s)
	}
	f.statusPick = widget.NewRadioGroup(labels, func(string) { f.checkStatusDialog() })
	f.statusNote = widget.NewMultiLineEntry()
	f.statusNote.SetPlaceHolder("What happened, who decided, what was agreed")
	f.statusNote.Wrapping = fyne.TextWrapWord
	f.statusNote.SetMinRowsVisible(3)
	f.statusNote.OnChanged = func(string) { f.checkStatusDialog() }
	f.statusProblem = widget.NewLabel("")
	f.statusProblem.Importance = widget.DangerImportance
	f.statusProblem.Wrapping = fyne.TextWrapWord
	f.statusProblem.Hide()
	f.statusConfirm = widget.NewButtonWithIcon("Change status", theme.ConfirmIcon(), f.applyStatus)
	f.statusConfirm.Importance = widget.HighImportance
	f.statusConfirm.Disable()
	from := widget.NewLabel("Now " + statusLabel(f.status) + ". Move it to:")
	noteLabel := widget.NewLabelWithStyle("Note (required)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.statusWhen = newDateEntry(func() fyne.Window { return f.app.win })
	f.statusWhen.SetPlaceHolder("Today, or the date it happened (YYYY-MM-DD)")
	whenLabel := widget.NewLabelWithStyle("When", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	content := container.NewVBox(from, f.statusPick, noteLabel, f.statusNote, whenLabel, f.statusWhen.box, f.statusProblem)
	d := dialog.NewCustomWithoutButtons("Change status of "+f.ref, content, f.app.win)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide)
	d.SetButtons([]fyne.CanvasObject{cancel, f.statusConfirm})
	d.Resize(fyne.NewSize(520, content.MinSize().Height+140))
	f.statusDlg = d
	d.Show()
	f.app.win.Canvas().Focus(f.statusNote)
}

// checkStatusDialog allows the change once a state is chosen and a note
// written.
func (f *requestForm) checkStatusDialog() {
	if f.statusPick.Selected != "" && strings.TrimSpace(f.statusNote.Text) != "" {
		f.statusConfirm.Enable()
	} else {
		f.statusConfirm.Disable()
	}
}

// pickedStatus is the code of the state chosen in the dialog ("" if none).
func (f *requestForm) pickedStatus() data.RequestStatus {
	for i, s := range f.offered {
		if statusLabel(s) == f.statusPick.Selected {
			return f.offered[i]
		}
	}
	return ""
}

// applyStatus writes the status change through the store, which checks
// the workflow again and appends the history entry.
func (f *requestForm) applyStatus() {
	to, note := f.pickedStatus(), strings.TrimSpace(f.statusNote.Text)
	fail := func(err error) {
		f.statusProblem.SetText(err.Error())
		f.statusProblem.Show()
	}
	if note == "" {
		fail(fmt.Errorf("write a note: why the status changes"))
		return
	}
	if err := data.CheckTransition(f.direction.value(), f.status, to); err != nil {
		fail(err)
		return
	}
	var at time.Time
	if w := strings.TrimSpace(f.statusWhen.Text); w != "" {
		d, err := time.Parse(data.DateLayout, w)
		if err != nil {
			fail(fmt.Errorf("when: %q is not a date (YYYY-MM-DD)", w))
			return
		}
		at = d.Add(12 * time.Hour) // midday UTC: the same day in every posting's zone
	}
	if err := f.app.store.SetStatusAt(context.Background(), f.id, to, note, at); err != nil {
		fail(err)
		return
	}
	f.statusDlg.Hide()
	if f.onStatus != nil {
		f.onStatus(f.id, to)
	}
}
