package gui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// fieldForm lays out labelled fields, each with a line under it where its
// problem is written, so a user sees what is wrong next to the field.
type fieldForm struct {
	rows    map[string]*fieldRow
	grid    *fyne.Container
	general *widget.Label // problems that belong to no one field
}

type fieldRow struct {
	label  *widget.Label
	widget fyne.CanvasObject
	err    *canvas.Text
	hint   string
	cell   *fyne.Container
	whole  string // the problem shown, whose line may be cut to the field's width
}

func newFieldForm() *fieldForm {
	f := &fieldForm{rows: map[string]*fieldRow{}, grid: container.New(layout.NewFormLayout()), general: widget.NewLabel("")}
	f.general.Importance = widget.DangerImportance
	f.general.Wrapping = fyne.TextWrapWord
	f.general.Hide()
	return f
}

// add appends a field; name is its JSON field name (as errors name it).
func (f *fieldForm) add(name, label string, w fyne.CanvasObject, hint string) {
	r := &fieldRow{label: widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), widget: w, hint: hint}
	r.err = canvas.NewText(hint, theme.Color(theme.ColorNamePlaceHolder))
	r.err.TextSize = theme.CaptionTextSize()
	r.cell = container.NewVBox(w, r.err)
	if hint == "" {
		r.err.Hide()
	}
	f.rows[name] = r
	f.grid.Add(r.label)
	f.grid.Add(r.cell)
}

// setHint changes a field's hint (the home time beside a time field); an
// error shown there stays until cleared.
func (f *fieldForm) setHint(name, hint string) {
	r, ok := f.rows[name]
	if !ok || r.hint == hint {
		return
	}
	showing := r.err.Text == r.hint
	r.hint = hint
	if !showing {
		return
	}
	r.err.Text = hint
	if hint == "" {
		r.err.Hide()
	} else {
		r.err.Show()
	}
	r.err.Refresh()
}

// build is the form's canvas object.
func (f *fieldForm) build() fyne.CanvasObject { return container.NewVBox(f.general, f.grid) }

// show hides or shows a field (e.g. the RFI fields for other kinds).
func (f *fieldForm) show(name string, visible bool) {
	r, ok := f.rows[name]
	if !ok {
		return
	}
	if visible {
		r.label.Show()
		r.cell.Show()
	} else {
		r.label.Hide()
		r.cell.Hide()
	}
}

// setError shows err next to the field it names ("lines[2].nsn" belongs
// to "lines"), or above the form when no field matches; nil clears all.
func (f *fieldForm) setError(err error) {
	for _, r := range f.rows {
		r.err.Text = r.hint
		r.err.Color = theme.Color(theme.ColorNamePlaceHolder)
		if r.hint == "" {
			r.err.Hide()
		}
		r.err.Refresh()
	}
	f.general.Hide()
	if err == nil {
		return
	}
	var fe *data.FieldError
	errors.As(err, &fe) // nil when the error names no field
	msg := plain(err)
	if r, name := f.rowFor(data.FieldOf(err)); r != nil {
		if fe != nil && fe.Field != name { // e.g. lines[2].nsn under "lines"
			msg = peopleField(fe.Field) + ": " + msg
		}
		r.err.Text, r.whole = fitLine(msg, r.err, r.cell.Size().Width), msg
		r.err.Color = theme.Color(theme.ColorNameError)
		r.err.Show()
		r.err.Refresh()
		if r.err.Text != msg { // cut under the field: all of it above the form
			f.general.SetText(msg)
			f.general.Resize(fyne.NewSize(f.grid.Size().Width, 1)) // wrapped at the form's width, not a hidden label's
			f.general.Show()
		}
		return
	}
	f.general.SetText(msg)
	f.general.Show()
}

// errorText is the message shown under a field ("" when none).
func (f *fieldForm) errorText(name string) string {
	if r, ok := f.rows[name]; ok && r.err.Visible() && r.err.Color == theme.Color(theme.ColorNameError) {
		return r.whole
	}
	return ""
}

// fitLine cuts text at a word, with an ellipsis, to fit width in t's
// style: a line under a field does not wrap (0: not laid out yet).
func fitLine(text string, t *canvas.Text, width float32) string {
	fits := func(s string) bool { return width <= 0 || fyne.MeasureText(s, t.TextSize, t.TextStyle).Width <= width }
	if fits(text) {
		return text
	}
	words := strings.Fields(text)
	for n := len(words) - 1; n > 0; n-- {
		if cut := strings.Join(words[:n], " ") + "…"; fits(cut) {
			return cut
		}
	}
	return "…"
}

func (f *fieldForm) rowFor(field string) (*fieldRow, string) {
	if field == "" {
		return nil, ""
	}
	if r, ok := f.rows[field]; ok {
		return r, field
	}
	return f.rows[fieldBase(field)], fieldBase(field)
}

// peopleField writes a field path for people: "lines[1].nsn" → "Line 2
// NSN", "lines[1]" → "Line 2".
func peopleField(path string) string {
	base, rest, _ := strings.Cut(path, "[")
	idx, sub, ok := strings.Cut(rest, "]")
	n, err := strconv.Atoi(idx)
	if !ok || err != nil || (sub != "" && sub[0] != '.') {
		return path
	}
	sub = strings.TrimPrefix(sub, ".")
	noun := strings.TrimSuffix(base, "s")
	noun = strings.ToUpper(noun[:1]) + noun[1:]
	word := strings.ReplaceAll(sub, "_", " ")
	if word == "nsn" || word == "cage" {
		word = strings.ToUpper(word)
	}
	return strings.TrimSpace(fmt.Sprintf("%s %d %s", noun, n+1, word))
}

// fieldBase is the top-level field of a path: "lines[2].nsn" → "lines".
func fieldBase(field string) string {
	if i := strings.IndexAny(field, "[."); i >= 0 {
		return field[:i]
	}
	return field
}

// dateEntry is a text entry for an optional date (YYYY-MM-DD) with a
// calendar button. Empty is a valid answer: the record decides whether
// the date is required.
type dateEntry struct {
	*widget.Entry
	pick *widget.Button
	box  *fyne.Container
}

// Disable makes the date read-only, calendar included.
func (d *dateEntry) Disable() {
	d.Entry.Disable()
	d.pick.Hide()
}

// Enable makes the date editable again.
func (d *dateEntry) Enable() {
	d.Entry.Enable()
	d.pick.Show()
}

func newDateEntry(win func() fyne.Window) *dateEntry {
	d := &dateEntry{Entry: widget.NewEntry()}
	d.SetPlaceHolder("YYYY-MM-DD")
	pick := widget.NewButtonWithIcon("", theme.CalendarIcon(), nil)
	pick.OnTapped = func() {
		start := time.Now()
		if t, err := time.Parse(data.DateLayout, d.Text); err == nil {
			start = t
		}
		var dlg dialog.Dialog
		cal := widget.NewCalendar(start, func(t time.Time) {
			d.SetText(t.Format(data.DateLayout))
			dlg.Hide()
		})
		dlg = dialog.NewCustom("Pick a date", "Cancel", cal, win())
		dlg.Show()
	}
	d.pick = pick
	d.box = container.NewBorder(nil, nil, nil, pick, d.Entry)
	return d
}

// localTime converts what the user typed as a time in a zone
// ("2006-01-02 15:04") to RFC 3339 UTC, passing anything else through for
// the record's own validation to name.
func localTime(text, zone string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, text, loc); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return text
}

// showLocal writes an RFC 3339 time as "2006-01-02 15:04" in a zone.
func showLocal(rfc, zone string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	if loc, err := time.LoadLocation(zone); err == nil && zone != "" {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04")
}

// splitList reads "USA, IND" as ["USA" "IND"].
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
