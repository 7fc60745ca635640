package gui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// editor is what each record form (exchange, request, action, contact)
// gives the shared frame around it.
type editor interface {
	// fields builds the form's widgets, calling changed on every edit.
	fields(changed func()) fyne.CanvasObject
	// record reads the form into a record of its kind.
	record() data.Record
	// load fills the form from a record.
	load(rec data.Record)
	// setEditable switches between viewing and editing.
	setEditable(on bool)
	// form is where field errors are shown.
	form() *fieldForm
	// title names the record for the header.
	title() string
}

// recordFrame is the frame every record form shares: a header with Back,
// Edit/Save/Cancel, History and Delete; validation as you type; a draft
// autosaved off the UI thread; Ctrl+S through the app's menu.
type recordFrame struct {
	app  *App
	kind data.Kind
	id   string // "" until saved
	ed   editor

	heading  *widget.Label
	saveBtn  *widget.Button
	editBtn  *widget.Button
	cancel   *widget.Button
	history  *widget.Button
	del      *widget.Button
	saved    *widget.Label
	editing  bool
	loading  bool
	dirty    bool
	drafts   *reloader       // the autosave, after a pause in typing
	onSaved  func(id string) // tells the list to reload
	onClose  func()
	lastErr  error
	original data.Record
	quiet    bool // validate without showing problems (a form just opened)
	scroll   *container.Scroll
	amending bool // the user chose to amend a final record

	conflict     *fyne.Container // shown while the record has conflicting values
	conflictText *widget.Label

	files *attachmentsArea // nil for kinds that take no attachments
}

func newRecordFrame(a *App, kind data.Kind, ed editor) *recordFrame {
	return &recordFrame{app: a, kind: kind, ed: ed, drafts: a.newReloader()}
}

func (f *recordFrame) build() fyne.CanvasObject {
	f.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.heading.Truncation = fyne.TextTruncateEllipsis
	f.saved = widget.NewLabel("")
	f.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), f.save)
	f.saveBtn.Importance = widget.HighImportance
	f.editBtn = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), f.edit)
	f.cancel = widget.NewButton("Cancel", f.cancelEdit)
	f.history = widget.NewButtonWithIcon("History", theme.HistoryIcon(), f.showHistory)
	f.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), f.confirmDelete)
	back := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), f.close)
	bar := container.NewBorder(nil, nil, back, container.NewHBox(f.saved, f.history, f.del, f.cancel, f.editBtn, f.saveBtn), f.heading)
	f.conflictText = widget.NewLabel("")
	f.conflictText.Wrapping = fyne.TextWrapWord
	f.conflictText.Importance = widget.WarningImportance
	resolve := widget.NewButtonWithIcon("Resolve…", theme.WarningIcon(), f.showConflicts)
	f.conflict = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), resolve, f.conflictText)
	f.conflict.Hide()
	body := f.ed.fields(f.changed)
	if slices.Contains(data.AttachableKinds, f.kind) {
		f.files = newAttachmentsArea(f)
		body = container.NewVBox(body, f.files.box)
	}
	f.scroll = container.NewVScroll(container.NewPadded(body))
	return container.NewBorder(container.NewVBox(bar, f.conflict, widget.NewSeparator()), nil, nil, nil, f.scroll)
}

// markConflicts says, above a saved record, which of its fields were
// edited to different values on two devices, with a way to settle them.
// The store is read off the UI thread; a record opened meanwhile wins.
func (f *recordFrame) markConflicts() {
	f.conflict.Hide()
	id := f.id
	if id == "" {
		return
	}
	var fields []string
	f.app.async(func() {
		ctx := context.Background()
		marks, err := f.app.store.RowMarks(ctx, f.kind, []string{id})
		if err != nil || !marks[id].Conflict {
			return
		}
		cs, err := f.app.store.Conflicts(ctx)
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.ID == id {
				fields = append(fields, strings.ReplaceAll(c.Field, "_", " "))
			}
		}
	}, func() {
		if len(fields) == 0 || f.id != id {
			return
		}
		f.conflictText.SetText("Edited to different values on two devices: " + strings.Join(fields, ", ") +
			". The form shows the latest; the other values are kept until someone settles them.")
		f.conflict.Show()
	})
}

// showConflicts opens the Conflicts section.
func (f *recordFrame) showConflicts() {
	for i, it := range f.app.nav {
		if it.sec == section(f.app.conflicts) {
			f.app.show(i)
		}
	}
}

// openNew starts an empty form, or the draft left from last time.
func (f *recordFrame) openNew(blank data.Record) {
	f.id, f.original = "", nil
	f.loading = true
	f.ed.load(blank)
	if d, err := f.app.store.LoadDraft(context.Background(), f.kind, ""); err == nil {
		if rec, err := store.NewRecord(f.kind); err == nil && json.Unmarshal(d.Body, rec) == nil {
			f.ed.load(rec)
			f.saved.SetText("Draft restored from " + d.SavedAt.Local().Format("15:04"))
		}
	}
	f.loading = false
	if f.files != nil {
		f.files.show("")
	}
	f.setEditing(true)
	f.quiet = true // no "is required" before the user has typed anything
	f.changed()
	f.quiet = false
}

// openRecord shows a saved record, read-only until Edit.
func (f *recordFrame) openRecord(rec data.Record, id string) {
	f.id, f.original, f.amending = id, rec, false
	f.loading = true
	f.ed.load(rec)
	f.loading = false
	f.saved.SetText("")
	f.setEditing(false)
	if d, err := f.app.store.LoadDraft(context.Background(), f.kind, id); err == nil {
		if draft, err := store.NewRecord(f.kind); err == nil && json.Unmarshal(d.Body, draft) == nil {
			f.loading = true
			f.ed.load(draft)
			f.loading = false
			f.setEditing(true)
			f.saved.SetText("Unsaved edits restored from " + d.SavedAt.Local().Format("15:04"))
		}
	}
	f.markConflicts()
	if f.files != nil {
		f.files.show(id)
	}
	f.changed()
}

// edit switches a saved record to editing. A final record is locked: it
// opens only as an explicit amendment, which its history then shows.
func (f *recordFrame) edit() {
	if l, ok := f.ed.(interface{ locked() bool }); ok && l.locked() {
		dialog.ShowConfirm("Amend a final record",
			"This record is final. Amend it? The amendment is recorded in its history like any other change.",
			func(ok bool) {
				if ok {
					f.amending = true
					f.setEditing(true)
				}
			}, f.app.win)
		return
	}
	f.setEditing(true)
}

func (f *recordFrame) setEditing(on bool) {
	f.editing = on
	f.ed.setEditable(on)
	for _, b := range []*widget.Button{f.saveBtn, f.cancel} {
		if on {
			b.Show()
		} else {
			b.Hide()
		}
	}
	if on {
		f.editBtn.Hide()
	} else {
		f.editBtn.Show()
	}
	if f.id == "" {
		f.history.Hide()
		f.del.Hide()
	} else {
		f.history.Show()
		f.del.Show()
	}
	f.heading.SetText(f.ed.title())
}

// changed runs on every edit: validate, show problems next to fields,
// enable Save only when the record is valid, update the banner, and keep
// a draft.
func (f *recordFrame) changed() {
	if f.loading {
		return
	}
	rec := f.ed.record()
	err := f.validate(rec)
	f.lastErr = err
	if f.quiet {
		f.ed.form().setError(nil)
	} else {
		f.ed.form().setError(err)
	}
	if err != nil {
		f.saveBtn.Disable()
	} else {
		f.saveBtn.Enable()
	}
	ms := recordMarkings(rec)
	if f.files != nil {
		ms = append(ms, f.files.markings()...) // the banner covers the attachments
	}
	if m, ok := f.ed.(interface{ markings() []data.Marking }); ok {
		ms = append(ms, m.markings()...) // e.g. the exchange an action links to
	}
	f.app.setMarkings(ms)
	if f.scroll != nil {
		// Fields appear and go (RFI fields, lines, actions, error lines):
		// lay the form out again so nothing is cut off.
		f.scroll.Refresh()
	}
	if f.editing && !f.quiet {
		f.dirty = true
		f.keepDraft(rec)
	}
}

// validate checks what the form's own fields can tell (a time typed in a
// form's layout) before the record's rules.
func (f *recordFrame) validate(rec data.Record) error {
	if p, ok := f.ed.(interface{ precheck() error }); ok {
		if err := p.precheck(); err != nil {
			return err
		}
	}
	return rec.Validate()
}

// draftDelay is how long the form waits after the last keystroke before
// keeping a draft.
const draftDelay = 700 * time.Millisecond

// keepDraft writes the form to the store's draft table shortly after the
// last keystroke, off the UI thread. A draft is a convenience: one that
// cannot be written is not worth interrupting the officer for.
func (f *recordFrame) keepDraft(rec data.Record) {
	f.app.touch() // typing counts as activity for the idle lock
	body, err := json.Marshal(rec)
	if err != nil {
		return
	}
	kind, id := f.kind, f.id
	f.drafts.after(draftDelay, func() {
		_ = f.app.store.SaveDraft(context.Background(), data.Draft{Kind: kind, ID: id, Body: body})
	}, func() {})
}

func (f *recordFrame) dropDraft() {
	f.drafts.stop() // a pending autosave must not bring the draft back
	_ = f.app.store.DeleteDraft(context.Background(), f.kind, f.id)
}

// save writes the record (Ctrl+S). Bad input changes nothing: the problem
// is shown next to its field and the form stays open.
func (f *recordFrame) save() {
	if !f.editing {
		return
	}
	rec := f.ed.record()
	if err := f.validate(rec); err != nil {
		f.ed.form().setError(err)
		return
	}
	ctx := context.Background()
	var err error
	id := f.id
	var extras []data.Record
	if x, ok := f.ed.(withFollowUps); ok {
		if id == "" {
			id = data.NewID() // known before saving, so the actions can name it
			rec.SetRecordID(id)
		}
		if extras, err = x.followUps(id); err != nil {
			f.ed.form().setError(err)
			return
		}
	}
	if f.id == "" {
		// The record and its follow-ups land in one transaction, or none do.
		var ids []string
		ids, err = f.app.store.Add(ctx, append([]data.Record{rec}, extras...)...)
		if err == nil {
			id = ids[0]
		}
	} else {
		if f.amending {
			err = f.app.store.Amend(ctx, rec)
		} else {
			err = f.app.store.Save(ctx, rec)
		}
		if err == nil && len(extras) > 0 {
			_, err = f.app.store.Add(ctx, extras...)
		}
	}
	if err != nil {
		f.ed.form().setError(err)
		if data.FieldOf(err) == "" {
			dialog.ShowError(fmt.Errorf("could not save: %w", err), f.app.win)
		}
		return
	}
	oldID := f.id
	f.id = id
	f.drafts.stop()
	_ = f.app.store.DeleteDraft(ctx, f.kind, oldID)
	f.dirty = false
	saved, err := f.app.store.Get(ctx, f.kind, id)
	if err == nil {
		f.openRecord(saved, id)
	}
	f.saved.SetText("Saved " + time.Now().Format("15:04:05"))
	if f.onSaved != nil {
		f.onSaved(id)
	}
}

func (f *recordFrame) cancelEdit() {
	f.dropDraft()
	f.dirty = false
	if f.original == nil {
		f.close()
		return
	}
	f.openRecord(f.original, f.id)
}

// onScreen says whether this form is what the window shows.
func (f *recordFrame) onScreen() bool {
	i, _, ok := f.app.sectionOf(f.kind)
	return ok && i == f.app.current && f.scroll != nil && f.scroll.Visible()
}

func (f *recordFrame) close() {
	if f.files != nil && f.app.dropTarget == f.files {
		f.app.dropTarget = nil
	}
	if f.onClose != nil {
		f.onClose()
	}
}

func (f *recordFrame) confirmDelete() {
	dialog.ShowConfirm("Delete "+string(f.kind), "Delete “"+f.ed.title()+"”? The deletion is recorded in the change log and syncs to other laptops.", func(ok bool) {
		if !ok {
			return
		}
		if err := f.app.store.Delete(context.Background(), f.kind, f.id); err != nil {
			dialog.ShowError(err, f.app.win)
			return
		}
		f.dropDraft()
		if f.onSaved != nil {
			f.onSaved("")
		}
		f.close()
	}, f.app.win)
}

// showHistory lists every change of the record: when, who, which device,
// field, old → new.
func (f *recordFrame) showHistory() {
	entries, err := f.app.store.History(context.Background(), f.kind, f.id)
	if err != nil {
		dialog.ShowError(err, f.app.win)
		return
	}
	f.app.showHistory(f.ed.title(), entries)
}

// withFollowUps is an editor whose form also creates follow-up actions,
// saved with the record.
type withFollowUps interface {
	followUps(parentID string) ([]data.Record, error)
}

// recordMarkings is the marking a record carries, if its kind has one.
func recordMarkings(rec data.Record) []data.Marking {
	switch r := rec.(type) {
	case *data.Exchange:
		return []data.Marking{r.Marking}
	case *data.Request:
		return []data.Marking{r.Marking}
	}
	return nil
}

// historyRows formats history entries for a table.
func historyRows(entries []data.HistoryEntry) [][]string {
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		at := e.At
		if t, err := time.Parse(time.RFC3339, e.At); err == nil {
			at = t.Local().Format("2006-01-02 15:04:05")
		}
		if e.Ahead {
			at += " (ahead of this laptop's clock)"
		}
		rows = append(rows, []string{at, e.Officer, strings.ToUpper(e.Site[:4]), e.Field, jsonText(e.Old), jsonText(e.New)})
	}
	return rows
}

// jsonText shows a JSON value plainly: strings without quotes, lists
// comma-separated, null as a dash.
func jsonText(b json.RawMessage) string {
	var v any
	if err := json.Unmarshal(b, &v); err != nil || v == nil {
		return "—"
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return "—"
		}
		return x
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

var _ = errors.New
