package gui

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// maxConflictCards bounds the cards built at once; the rest wait until
// these are settled.
const maxConflictCards = 100

// conflictsScreen shows each field whose concurrent edits disagree
// (docs/ARCHITECTURE.md §3) with its competing values side by side, who set each,
// when and on which device, and lets the officer keep one, write a merged
// value, or, for a record deleted on one laptop while edited on another,
// keep the deletion or restore it. The choice is one new change, which
// the next sync carries to everyone.
type conflictsScreen struct {
	app     *App
	icon    *widget.Icon
	heading *widget.Label
	detail  *widget.Label
	more    *widget.Label // more conflicts than cards
	box     *fyne.Container
	cards   []*conflictCard
	asked   *message // the last problem shown

	loads *reloader
}

// conflictCard is one conflicting field.
type conflictCard struct {
	c      data.Conflict
	title  string // the record's title, as far as it can be read
	values []*valueCard

	// A text field: a merged value typed by the officer.
	merged     *widget.Entry
	saveMerged *widget.Button
	mergedErr  *canvas.Text

	open *widget.Button // opens the record (not for a deleted one)
}

// valueCard is one competing value with its button: Keep this, or for a
// deleted record Keep deletion / Restore.
type valueCard struct {
	v      data.ConflictValue
	text   string // the value as shown
	byline string // who, where, when
	keep   *widget.Button
}

func newConflictsScreen(a *App) *conflictsScreen {
	return &conflictsScreen{app: a, loads: a.newReloader()}
}

func (sc *conflictsScreen) build() fyne.CanvasObject {
	title := container.NewHBox(widget.NewIcon(theme.WarningIcon()),
		widget.NewLabelWithStyle("Conflicts", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	sc.icon = widget.NewIcon(theme.ConfirmIcon())
	sc.heading = sectionHeading("Reading the store…")
	sc.detail = widget.NewLabel("")
	sc.detail.Wrapping = fyne.TextWrapWord
	sc.more = widget.NewLabel("")
	sc.more.Hide()
	sc.box = container.NewVBox()
	head := container.NewVBox(container.NewHBox(sc.icon, sc.heading), sc.detail)
	return container.NewBorder(container.NewPadded(title), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(head, sc.box, sc.more))))
}

func (sc *conflictsScreen) shown() { sc.refresh() }

// conflictView is what the screen shows, read off the UI thread.
type conflictView struct {
	conflicts []data.Conflict
	titles    map[string]string // kind/id → title
	contacts  map[string]string // contact id → name, for counterpart lists
	markings  []data.Marking    // of the records shown, and of the competing markings
}

func readConflicts(ctx context.Context, s Store) (v conflictView, err error) {
	if v.conflicts, err = s.Conflicts(ctx); err != nil {
		return v, err
	}
	if len(v.conflicts) > maxConflictCards {
		v.conflicts = v.conflicts[:maxConflictCards]
	}
	v.titles, v.contacts = map[string]string{}, map[string]string{}
	marks := map[string]data.Marking{}
	for _, c := range v.conflicts {
		key := string(c.Kind) + "/" + c.ID
		if _, ok := v.titles[key]; !ok {
			var m data.Marking
			if rec, err := s.Get(ctx, c.Kind, c.ID); err == nil {
				v.titles[key] = recordTitle(rec)
				m = recordMarking(rec)
			} else {
				v.titles[key] = deletedTitle(c)
				if v.titles[key] == "" {
					v.titles[key] = titleFromHistory(ctx, s, c.Kind, c.ID)
				}
				m = lastMarking(ctx, s, c.Kind, c.ID)
			}
			if m.Classification != "" {
				v.markings = append(v.markings, m)
			}
			marks[key] = m
		}
		v.markings = append(v.markings, competingMarkings(c, marks[key])...)
		if c.Field != "counterparts" {
			continue
		}
		for _, val := range c.Values {
			var ids []string
			_ = json.Unmarshal(val.Value, &ids)
			for _, id := range ids {
				if _, ok := v.contacts[id]; ok {
					continue
				}
				if rec, err := s.Get(ctx, data.KindContact, id); err == nil {
					v.contacts[id] = recordTitle(rec)
				}
			}
		}
	}
	return v, nil
}

// recordTitle is how a record is named to people.
func recordTitle(rec data.Record) string {
	switch r := rec.(type) {
	case *data.Exchange:
		return r.Title
	case *data.Request:
		return strings.TrimSpace(r.Ref + " " + r.Program)
	case *data.Contact:
		return r.Name
	case *data.Action:
		return r.Title
	case *data.Document:
		return r.Title
	case *data.Gift:
		return r.Item + " from " + r.Giver
	case *data.Accreditation:
		return "Accreditation of " + r.Officer
	}
	return ""
}

// recordMarking is a record's marking, for those that carry one.
func recordMarking(rec data.Record) data.Marking {
	switch r := rec.(type) {
	case *data.Exchange:
		return r.Marking
	case *data.Request:
		return r.Marking
	case *data.Document:
		return r.Marking
	}
	return data.Marking{}
}

// lastMarking reads the marking a record had from its history, for one
// that cannot be read because it is deleted meanwhile.
func lastMarking(ctx context.Context, s Store, kind data.Kind, id string) data.Marking {
	var m data.Marking
	entries, err := s.History(ctx, kind, id)
	if err != nil {
		return m
	}
	for _, e := range entries {
		switch e.Field {
		case "classification":
			_ = json.Unmarshal(e.New, &m.Classification)
		case "releasability":
			_ = json.Unmarshal(e.New, &m.Releasability)
		}
	}
	return m
}

// competingMarkings are the markings a conflict over a record's marking
// puts on screen: each competing level, or each competing releasability
// (at the record's level).
func competingMarkings(c data.Conflict, record data.Marking) []data.Marking {
	var out []data.Marking
	for _, v := range c.Values {
		var m data.Marking
		switch c.Field {
		case "classification":
			if json.Unmarshal(v.Value, &m.Classification) != nil {
				continue
			}
		case "releasability":
			if json.Unmarshal(v.Value, &m.Releasability) != nil {
				continue
			}
			m.Classification = record.Classification
		case data.DeletedField:
			var fields map[string]json.RawMessage
			if json.Unmarshal(v.Value, &fields) != nil {
				continue
			}
			_ = json.Unmarshal(fields["classification"], &m.Classification)
			_ = json.Unmarshal(fields["releasability"], &m.Releasability)
		}
		if m.Classification != "" {
			out = append(out, m)
		}
	}
	return out
}

// deletedTitle finds a title for a record that cannot be read (it is
// deleted meanwhile) in the edits that compete with the delete.
func deletedTitle(c data.Conflict) string {
	for _, v := range c.Values {
		var fields map[string]json.RawMessage
		if json.Unmarshal(v.Value, &fields) != nil {
			continue
		}
		for _, f := range []string{"title", "name", "ref"} {
			var s string
			if json.Unmarshal(fields[f], &s) == nil && s != "" {
				return s
			}
		}
	}
	return ""
}

// titleFromHistory names a deleted record by the last title (or name, or
// ref) its history gave it.
func titleFromHistory(ctx context.Context, s Store, kind data.Kind, id string) string {
	h, err := s.History(ctx, kind, id)
	if err != nil {
		return ""
	}
	title := ""
	for _, e := range h {
		var v string
		if (e.Field == "title" || e.Field == "name" || e.Field == "ref") && json.Unmarshal(e.New, &v) == nil && v != "" {
			title = v
		}
	}
	return title
}

// refresh reads the conflicts off the UI thread and shows them.
func (sc *conflictsScreen) refresh() {
	var v conflictView
	var n int
	var err error
	sc.loads.load(func() {
		ctx := context.Background()
		if n, err = sc.app.store.ConflictCount(ctx); err == nil {
			v, err = readConflicts(ctx, sc.app.store)
		}
	}, func() {
		if err != nil {
			sc.icon.SetResource(theme.ErrorIcon())
			sc.heading.SetText("Could not read the conflicts")
			sc.detail.SetText(err.Error())
			return
		}
		sc.show(v, n)
	})
}

func (sc *conflictsScreen) show(v conflictView, n int) {
	sc.app.setConflictCount(n)
	if sc.app.nav != nil && sc.app.nav[sc.app.current].sec == section(sc) {
		sc.app.setMarkings(v.markings) // the banners cover every record shown
	}
	sc.cards = nil
	var objs []fyne.CanvasObject
	for _, c := range v.conflicts {
		card := sc.newCard(c, v)
		sc.cards = append(sc.cards, card)
		objs = append(objs, sc.cardObject(card))
	}
	sc.box.Objects = objs
	sc.box.Refresh()
	if n > len(v.conflicts) {
		sc.more.SetText(fmt.Sprintf("%s more after these are settled.", plural(n-len(v.conflicts), "conflict", "conflicts")))
		sc.more.Show()
	} else {
		sc.more.Hide()
	}
	if n == 0 {
		sc.icon.SetResource(theme.ConfirmIcon())
		sc.heading.SetText("No conflicts")
		sc.detail.SetText("Every field of every record has one agreed value. When two laptops change the same field " +
			"before they sync, both values are kept and shown here until someone chooses.")
		return
	}
	sc.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	sc.heading.SetText(fmt.Sprintf("%s in conflict", plural(n, "field", "fields")))
	sc.detail.SetText("Both values are kept on every laptop until someone chooses; meanwhile the record shows the " +
		"most recent one. Your choice is saved as a new change, and the next sync takes it to everyone.")
}

// newCard makes the widgets of one conflicting field.
func (sc *conflictsScreen) newCard(c data.Conflict, v conflictView) *conflictCard {
	card := &conflictCard{c: c, title: v.titles[string(c.Kind)+"/"+c.ID]}
	deleted := c.Field == data.DeletedField
	for _, val := range c.Values {
		vc := &valueCard{v: val, byline: byline(val)}
		val := val
		switch {
		case deleted && string(val.Value) == "true":
			vc.text = "Deleted"
			vc.keep = widget.NewButtonWithIcon("Keep deletion", theme.DeleteIcon(), func() { sc.resolve(card, json.RawMessage("true"), "") })
		case deleted:
			vc.text = editedFields(val.Value)
			vc.keep = widget.NewButtonWithIcon("Restore", theme.ContentUndoIcon(), func() { sc.resolve(card, json.RawMessage("false"), "") })
		default:
			vc.text = valueText(c.Field, val.Value, v.contacts)
			vc.keep = widget.NewButtonWithIcon("Keep this", theme.ConfirmIcon(), func() { sc.resolve(card, nil, val.Change) })
		}
		vc.keep.Importance = widget.HighImportance
		card.values = append(card.values, vc)
	}
	if !deleted {
		kind, id := c.Kind, c.ID
		if _, ok := v.titles[string(kind)+"/"+id]; ok && isRecordKind(kind) {
			card.open = widget.NewButtonWithIcon("Open record", theme.DocumentIcon(), func() { sc.app.open(kind, id) })
			card.open.Importance = widget.LowImportance
		}
	}
	if isTextField(c) {
		card.merged = widget.NewMultiLineEntry()
		card.merged.Wrapping = fyne.TextWrapWord
		card.merged.SetMinRowsVisible(2)
		card.merged.SetPlaceHolder("Write a value that combines them")
		for _, vc := range card.values {
			if vc.v.Shown {
				var s string
				_ = json.Unmarshal(vc.v.Value, &s)
				card.merged.SetText(s)
			}
		}
		card.saveMerged = widget.NewButtonWithIcon("Save merged value", theme.DocumentSaveIcon(), func() {
			b, _ := json.Marshal(strings.TrimSpace(card.merged.Text))
			sc.resolve(card, b, "")
		})
		card.mergedErr = canvas.NewText("", theme.Color(theme.ColorNameError))
		card.mergedErr.TextSize = theme.CaptionTextSize()
		card.mergedErr.Hide()
	}
	return card
}

// cardObject lays a conflict out: the record and field, the values side
// by side, and the merged value.
func (sc *conflictsScreen) cardObject(card *conflictCard) fyne.CanvasObject {
	c := card.c
	name := card.title
	if name == "" {
		name = "(untitled)"
	}
	recLine := widget.NewLabelWithStyle(kindTitle(c.Kind)+" · "+name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	recLine.Truncation = fyne.TextTruncateEllipsis
	what := fieldTitle(c.Field) + " · " + plural(len(c.Values), "value", "values") + " kept"
	if c.Field == data.DeletedField {
		what = "Deleted on one laptop while edited on another"
	}
	fieldLine := widget.NewLabel(what)
	fieldLine.Importance = widget.WarningImportance
	idLine := widget.NewLabel("id " + c.ID)
	idLine.TextStyle = fyne.TextStyle{Monospace: true}
	idLine.SizeName = theme.SizeNameCaptionText
	idLine.Importance = widget.LowImportance
	var right []fyne.CanvasObject
	right = append(right, idLine)
	if card.open != nil {
		right = append(right, card.open)
	}
	head := container.NewBorder(nil, nil, widget.NewIcon(kindIcon(c.Kind)), container.NewHBox(right...),
		container.NewVBox(recLine, fieldLine))

	var cols []fyne.CanvasObject
	for _, vc := range card.values {
		cols = append(cols, valueObject(vc))
	}
	body := []fyne.CanvasObject{head}
	if c.Note != "" { // one value only: say why it is a conflict at all
		body = append(body, caption(c.Note))
	}
	body = append(body, container.NewGridWithColumns(max(len(cols), 1), cols...))
	if card.merged != nil {
		label := widget.NewLabelWithStyle("Or write a merged value", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		body = append(body, label,
			container.NewBorder(nil, nil, nil, container.NewVBox(card.saveMerged), container.NewVBox(card.merged, card.mergedErr)))
	}
	return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground),
		container.NewPadded(container.NewVBox(body...))))
}

// valueObject draws one competing value as a card.
func valueObject(vc *valueCard) fyne.CanvasObject {
	text := widget.NewLabel(vc.text)
	text.Wrapping = fyne.TextWrapWord
	if vc.text == "Deleted" {
		text.Importance = widget.DangerImportance
		text.TextStyle = fyne.TextStyle{Bold: true}
	}
	by := widget.NewLabel(vc.byline)
	by.Wrapping = fyne.TextWrapWord
	by.SizeName = theme.SizeNameCaptionText
	by.Importance = widget.LowImportance
	tag := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	tag.SizeName = theme.SizeNameCaptionText
	tag.Importance = widget.SuccessImportance
	if vc.v.Shown {
		tag.SetText("SHOWN NOW")
		if vc.text == "Deleted" {
			tag.SetText("IN EFFECT NOW")
		}
	}
	return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameBackground),
		container.NewPadded(container.NewBorder(container.NewVBox(tag, text), container.NewBorder(nil, nil, nil, vc.keep, by), nil, nil))))
}

// byline says who set a value, on which device, when.
func byline(v data.ConflictValue) string {
	officer := v.Officer
	if officer == "" {
		officer = "an unknown officer"
	}
	return fmt.Sprintf("%s · device %s · %s", officer, v.Device, whenOrNever(v.At))
}

// editedFields describes an edit that competes with a delete: the fields
// it changed, with their new values.
func editedFields(raw json.RawMessage) string {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return "Edited"
	}
	names := make([]string, 0, len(fields))
	for f := range fields {
		if f != data.DeletedField {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	var lines []string
	for _, f := range names {
		v := jsonText(fields[f])
		if len([]rune(v)) > 80 {
			v = string([]rune(v)[:79]) + "…"
		}
		lines = append(lines, fieldTitle(f)+": "+v)
	}
	if len(lines) > 6 {
		lines = append(lines[:6], fmt.Sprintf("and %d more", len(lines)-6))
	}
	return "Edited\n" + strings.Join(lines, "\n")
}

// valueText shows a value; a list of contacts by their names.
func valueText(field string, raw json.RawMessage, contacts map[string]string) string {
	if field == "counterparts" {
		var ids []string
		if json.Unmarshal(raw, &ids) == nil {
			names := make([]string, len(ids))
			for i, id := range ids {
				if names[i] = contacts[id]; names[i] == "" {
					names[i] = id
				}
			}
			if len(names) == 0 {
				return "—"
			}
			return strings.Join(names, ", ")
		}
	}
	return jsonText(raw)
}

// notText are string fields whose values are codes, dates or references,
// where a typed merge makes no sense: keep one of them.
var notText = map[string]bool{"kind": true, "state": true, "status": true, "posting": true, "classification": true,
	"direction": true, "disclosure": true, "rfi_status": true, "time_zone": true, "rating": true, "nation": true,
	"supplier_country": true, "coc_participant": true, "request_id": true, "exchange_id": true, "from": true, "to": true,
	"unit": true, "email": true, "phone": true}

// isTextField reports whether a conflict is over free text, which the
// officer may merge by hand.
func isTextField(c data.Conflict) bool {
	if c.Field == data.DeletedField || notText[c.Field] {
		return false
	}
	for _, suffix := range []string{"_at", "_on", "_due", "_by"} {
		if strings.HasSuffix(c.Field, suffix) {
			return false
		}
	}
	for _, v := range c.Values {
		var s string
		if json.Unmarshal(v.Value, &s) != nil {
			return false
		}
	}
	return len(c.Values) > 0
}

// isRecordKind reports whether a kind has a section to open it in.
func isRecordKind(kind data.Kind) bool {
	switch kind {
	case data.KindExchange, data.KindRequest, data.KindAction, data.KindContact, data.KindDocument, data.KindGift:
		return true
	}
	return false
}

// kindTitle names a kind for people.
func kindTitle(kind data.Kind) string {
	switch kind {
	case data.KindRequestLine:
		return "Request line"
	case data.KindRequestStatus:
		return "Request status entry"
	case "":
		return "Record"
	}
	return strings.ToUpper(string(kind[:1])) + string(kind[1:])
}

// fieldTitles are field names that do not read well plainly.
var fieldTitles = map[string]string{"occurred_at": "When", "ended_at": "Ended", "rfi_question": "RFI question",
	"rfi_response": "RFI response", "rfi_due": "RFI due", "rfi_status": "RFI status", "time_zone": "Time zone",
	"nsn": "NSN", "cage": "CAGE", "spa_case": "SPA case", "coc_participant": "CoC participant", "due_on": "Due on",
	"done_at": "Done at", "end_user": "End user"}

// fieldTitle writes a field name for people: "rfi_due" → "RFI due".
func fieldTitle(f string) string {
	if t, ok := fieldTitles[f]; ok {
		return t
	}
	f = strings.ReplaceAll(f, "_", " ")
	if f == "" {
		return f
	}
	return strings.ToUpper(f[:1]) + f[1:]
}

// resolve settles a conflict with a value or by keeping a competing
// change, off the UI thread; a value the record refuses is named under
// the merged entry (or in a dialog).
func (sc *conflictsScreen) resolve(card *conflictCard, value json.RawMessage, keep string) {
	var err error
	c := card.c
	sc.app.async(func() {
		err = sc.app.store.Resolve(context.Background(), c.Kind, c.ID, c.Field, value, keep)
	}, func() {
		if err != nil {
			if card.mergedErr != nil && value != nil && keep == "" {
				_, text := explain(err)
				card.mergedErr.Text = text
				card.mergedErr.Color = theme.Color(theme.ColorNameError)
				card.mergedErr.Show()
				card.mergedErr.Refresh()
				return
			}
			sc.asked = sc.app.showProblem(err)
			return
		}
		sc.refresh()
		sc.app.storeChanged()
	})
}
