package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/report"
)

// importWizard brings contacts, exchanges or requests in from a CSV or
// XLSX file in four steps: choose the kind and the file; match each of
// the file's columns to a field; a dry run listing what would be created
// and every rejected row with its row number, field and reason; then the
// import, in one transaction. Nothing is written before Import.
type importWizard struct {
	app *App
	rep reporter

	dialog *dialog.CustomDialog
	body   *fyne.Container // the current step
	step   int             // 1 choose, 2 map, 3 dry run, 4 done
	title  *widget.Label   // "Step 2 of 4: …"

	// step 1: what and which file
	kind     *widget.RadioGroup
	path     *widget.Entry
	choose   *widget.Button
	fields   *widget.Label // the fields a file of the kind may hold
	choice   *fieldForm
	format   report.Format
	readKind string // the kind the mapping was read for

	// step 2: columns to fields
	header   []string
	mapping  []*widget.Select // one per column
	mapNotes []*widget.Label  // what is wrong with a column's choice
	mapError *widget.Label    // a problem with the file as a whole

	// step 3: the dry run
	plan      *report.ImportPlan
	summary   *widget.Label
	created   *widget.List
	rejected  *widget.List
	skip      *widget.Check
	commitErr *widget.Label

	// step 4: the result
	result *widget.Label
	open   *widget.Button

	cancel, back, next, commit, done *widget.Button
}

// importKinds are the kinds a file can bring in, as the wizard names them.
var importKinds = []struct{ name, label, section string }{
	{"contact", "Contacts", "Contacts"},
	{"exchange", "Exchanges", "Exchanges"},
	{"request", "Priority-support requests", "Requests"},
	{"accreditation", "Accreditations", "Accreditation"},
}

const skipColumn = "(not imported)"

func newImportWizard(a *App, rep reporter) *importWizard {
	w := &importWizard{app: a, rep: rep}
	w.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var labels []string
	for _, k := range importKinds {
		labels = append(labels, k.label)
	}
	w.kind = widget.NewRadioGroup(labels, func(string) { w.kindChanged() })
	w.kind.Horizontal = true
	w.kind.Required = true
	w.path = widget.NewEntry()
	w.path.SetPlaceHolder("/path/to/file.csv or .xlsx")
	w.path.OnChanged = func(string) { w.choice.setError(nil) }
	w.choose = widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), w.chooseFile)
	w.fields = widget.NewLabel("")
	w.fields.Wrapping = fyne.TextWrapWord
	w.fields.SizeName = theme.SizeNameCaptionText
	w.choice = newFieldForm()
	w.choice.add("kind", "Records", w.kind, "")
	w.choice.add("file", "File", container.NewBorder(nil, nil, nil, w.choose, w.path), "CSV (UTF-8) or XLSX, with a header row")
	w.mapError = widget.NewLabel("")
	w.mapError.Wrapping = fyne.TextWrapWord
	w.mapError.Importance = widget.DangerImportance
	w.summary = widget.NewLabel("")
	w.summary.Wrapping = fyne.TextWrapWord
	w.skip = widget.NewCheck("Skip the rejected rows and import the rest", func(bool) { w.commitState() })
	w.commitErr = widget.NewLabel("")
	w.commitErr.Wrapping = fyne.TextWrapWord
	w.commitErr.Importance = widget.DangerImportance
	w.result = widget.NewLabel("")
	w.result.Wrapping = fyne.TextWrapWord

	w.cancel = widget.NewButton("Cancel", func() { w.dialog.Hide() })
	w.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), w.goBack)
	w.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), w.goNext)
	w.next.Importance = widget.HighImportance
	w.commit = widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), w.doCommit)
	w.commit.Importance = widget.HighImportance
	w.done = widget.NewButton("Close", func() { w.dialog.Hide() })
	w.open = widget.NewButtonWithIcon("Show them", theme.ListIcon(), func() {
		w.dialog.Hide()
		w.app.showSection(w.kindInfo().section)
	})
	w.open.Importance = widget.HighImportance

	w.body = container.NewStack()
	content := container.NewBorder(container.NewVBox(w.title, widget.NewSeparator()), nil, nil, nil, w.body)
	w.dialog = dialog.NewCustomWithoutButtons("Import records", container.NewGridWrap(fyne.NewSize(900, 540), content), a.win)
	w.kind.SetSelected(importKinds[0].label)
	return w
}

// show opens the wizard at its first step.
func (w *importWizard) show() {
	w.showStep(1)
	w.dialog.Show()
}

// kindInfo is the kind chosen.
func (w *importWizard) kindInfo() struct{ name, label, section string } {
	for _, k := range importKinds {
		if k.label == w.kind.Selected {
			return k
		}
	}
	return importKinds[0]
}

// kindChanged lists the fields a file of the chosen kind may hold.
func (w *importWizard) kindChanged() {
	k := w.kindInfo()
	names, _ := report.ImportFields(k.name)
	text := "Columns it may hold (the header row names them; the next step matches other names): " + strings.Join(names, ", ") + "."
	switch k.name {
	case "request":
		text += " Rows that share a ref are one request, one line per row; a new request starts at the start of its workflow."
	case "exchange":
		text += " Counterparts may be given by name."
	}
	w.fields.SetText(text)
}

// chooseFile picks the file with the desktop's file dialog.
func (w *importWizard) chooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.choice.setError(&data.FieldError{Field: "file", Problem: err.Error()})
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.app.reportsFolder().remember(path)
		w.path.SetText(path)
	}, w.app.win)
	d.SetTitleText("Choose the file to import")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".xlsx", ".CSV", ".XLSX"}))
	w.app.reportsFolder().startIn(d)
	d.Show()
	d.Resize(fyne.NewSize(860, 520)) // after Show: before it, Fyne 2.8.1's Resize panics
}

// showStep puts a step's content and buttons in the dialog.
func (w *importWizard) showStep(n int) {
	w.step = n
	var body fyne.CanvasObject
	var buttons []fyne.CanvasObject
	switch n {
	case 1:
		w.title.SetText("Step 1 of 4: what to import, from which file")
		intro := widget.NewLabel("Liaison Desk reads back its own exports, or a spreadsheet typed by hand. " +
			"Each row is checked as the forms check it, and nothing is written until the last step.")
		intro.Wrapping = fyne.TextWrapWord
		body = container.NewVBox(intro, w.choice.build(), w.fields)
		w.next.SetText("Next: match the columns")
		buttons = []fyne.CanvasObject{w.cancel, w.next}
	case 2:
		w.title.SetText(fmt.Sprintf("Step 2 of 4: match the columns of %s", filepath.Base(w.path.Text)))
		body = w.mappingView()
		w.next.SetText("Next: check the rows")
		buttons = []fyne.CanvasObject{w.cancel, w.back, w.next}
		w.mappingChanged()
	case 3:
		w.title.SetText("Step 3 of 4: check before importing (a dry run: nothing is written yet)")
		body = w.dryRunView()
		buttons = []fyne.CanvasObject{w.cancel, w.back, w.commit}
		w.commitState()
	case 4:
		w.title.SetText("Step 4 of 4: done")
		w.open.SetText("Show " + strings.ToLower(w.kindInfo().section))
		body = container.NewVBox(w.result)
		buttons = []fyne.CanvasObject{w.done, w.open}
	}
	w.body.Objects = []fyne.CanvasObject{body}
	w.body.Refresh()
	w.dialog.SetButtons(buttons)
}

func (w *importWizard) goBack() {
	if w.step > 1 {
		w.showStep(w.step - 1)
	}
}

func (w *importWizard) goNext() {
	switch w.step {
	case 1:
		w.readHeader()
	case 2:
		w.dryRun()
	}
}

// fileFormat is the format of the file chosen, by its extension.
func fileFormat(path string) (report.Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return report.CSV, nil
	case ".xlsx":
		return report.XLSX, nil
	}
	return "", &data.FieldError{Field: "file", Problem: "choose a .csv or .xlsx file"}
}

// readHeader reads the file's header row off the UI thread and goes on to
// the mapping, each column matched to the field of its name.
func (w *importWizard) readHeader() {
	path := strings.TrimSpace(w.path.Text)
	kind := w.kindInfo().name
	if path == "" {
		w.choice.setError(&data.FieldError{Field: "file", Problem: "choose the file to import"})
		return
	}
	f, err := fileFormat(path)
	if err != nil {
		w.choice.setError(err)
		return
	}
	w.next.Disable()
	var header, fields []string
	w.app.async(func() {
		var in *os.File
		if in, err = os.Open(path); err != nil {
			err = fmt.Errorf("cannot read %s: %w", path, data.FileError(err))
			return
		}
		defer in.Close()
		header, fields, err = w.rep.ImportHeader(kind, f, in)
		if err == nil && len(header) == 0 {
			err = errors.New("the file is empty")
		}
	}, func() {
		w.next.Enable()
		if err != nil {
			w.choice.setError(&data.FieldError{Field: "file", Problem: fileProblem(err)})
			return
		}
		w.format = f
		if kind != w.readKind || !slices.Equal(header, w.header) {
			w.header = header
			w.buildMapping(kind, fields)
		}
		w.readKind = kind
		w.showStep(2)
	})
}

// fileProblem says what is wrong with a file, without the operation's
// prefix or the path the officer just chose.
func fileProblem(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return sentence("cannot be opened: " + pe.Err.Error())
	}
	_, text := explain(err)
	for _, k := range importKinds {
		text = strings.TrimPrefix(text, "Import "+k.name+": ")
	}
	return sentence(text)
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// buildMapping makes a field picker per column, prefilled.
func (w *importWizard) buildMapping(kind string, fields []string) {
	names, _ := report.ImportFields(kind)
	opts := append([]string{skipColumn}, names...)
	w.mapping = make([]*widget.Select, len(w.header))
	w.mapNotes = make([]*widget.Label, len(w.header))
	for i := range w.header {
		s := widget.NewSelect(opts, func(string) { w.mappingChanged() })
		if i < len(fields) && fields[i] != "" {
			s.Selected = fields[i]
		} else {
			s.Selected = skipColumn
		}
		w.mapping[i] = s
		note := widget.NewLabel("")
		note.Truncation = fyne.TextTruncateEllipsis
		w.mapNotes[i] = note
	}
}

// mappingView lists each column of the file with its field.
func (w *importWizard) mappingView() fyne.CanvasObject {
	intro := widget.NewLabel("Each column of the file and the field it goes into. Columns named like a field are matched " +
		"already; pick the field for the others, or leave them out.")
	intro.Wrapping = fyne.TextWrapWord
	weights := []float32{0.6, 2.4, 2.4, 3}
	heads := []fyne.CanvasObject{widget.NewLabel("")}
	for _, h := range []string{"Column in the file", "Field", ""} {
		heads = append(heads, widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	rows := container.NewVBox(container.New(&columnsLayout{weights: weights}, heads...))
	for i, h := range w.header {
		name := widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		if strings.TrimSpace(h) == "" {
			name.SetText("(no name)")
			name.Importance = widget.LowImportance
		}
		name.Truncation = fyne.TextTruncateEllipsis
		num := widget.NewLabelWithStyle(fmt.Sprint(i+1), fyne.TextAlignTrailing, fyne.TextStyle{})
		rows.Add(container.New(&columnsLayout{weights: weights}, num, name, w.mapping[i], w.mapNotes[i]))
	}
	return container.NewBorder(container.NewVBox(intro, w.mapError), nil, nil, nil, container.NewVScroll(rows))
}

// mappingValues is the mapping chosen, by column header.
func (w *importWizard) mappingValues() map[string]string {
	m := map[string]string{}
	for i, h := range w.header {
		v := w.mapping[i].Selected
		if v == skipColumn {
			v = ""
		}
		m[h] = v
	}
	return m
}

// mappingChanged names a field chosen for two columns, and a request
// file without a description, and keeps Next off until it is fixed.
func (w *importWizard) mappingChanged() {
	first := map[string]int{}
	bad, chosen := false, false
	for i, s := range w.mapping {
		w.mapNotes[i].SetText("")
		w.mapNotes[i].Importance = widget.MediumImportance
		v := s.Selected
		if v == skipColumn || v == "" {
			w.mapNotes[i].SetText("left out")
			w.mapNotes[i].Importance = widget.LowImportance
			continue
		}
		chosen = true
		if j, dup := first[v]; dup {
			w.mapNotes[i].SetText(fmt.Sprintf("column %d is %s already", j+1, v))
			w.mapNotes[i].Importance = widget.DangerImportance
			bad = true
			continue
		}
		first[v] = i
	}
	w.mapError.SetText("")
	switch {
	case !chosen:
		w.mapError.SetText("No column goes into a field: match at least one.")
		bad = true
	case w.kindInfo().name == "request" && !hasKey(first, "description"):
		w.mapError.SetText("A request file needs a description column: each row is one line of a request.")
		bad = true
	}
	if w.mapError.Text == "" {
		w.mapError.Hide()
	} else {
		w.mapError.Show()
	}
	if bad {
		w.next.Disable()
	} else {
		w.next.Enable()
	}
}

// dryRun reads every row with the mapping and checks it, off the UI
// thread, writing nothing.
func (w *importWizard) dryRun() {
	path, kind, f, m := strings.TrimSpace(w.path.Text), w.kindInfo().name, w.format, w.mappingValues()
	w.next.Disable()
	var plan *report.ImportPlan
	var err error
	w.app.async(func() {
		var in *os.File
		if in, err = os.Open(path); err != nil {
			err = fmt.Errorf("cannot read %s: %w", path, data.FileError(err))
			return
		}
		defer in.Close()
		plan, err = w.rep.ReadImport(context.Background(), kind, f, in, report.ImportOptions{Mapping: m})
	}, func() {
		w.next.Enable()
		if err != nil {
			w.mapError.SetText("The file cannot be imported: " + fileProblem(err))
			w.mapError.Show()
			return
		}
		w.plan = plan
		w.skip.SetChecked(false)
		w.commitErr.SetText("")
		w.showStep(3)
	})
}

// dryRunView shows what would be created and every rejected row.
func (w *importWizard) dryRunView() fyne.CanvasObject {
	p := w.plan
	noun := strings.ToLower(w.kindInfo().label)
	one := strings.TrimSuffix(noun, "s")
	text := fmt.Sprintf("%s would be created", plural(len(p.Rows), one, noun))
	if len(p.Rejected) == 0 {
		text += ", and no row is rejected."
	} else {
		text += fmt.Sprintf("; %s rejected. Correct them in the file and choose it again, or skip them.",
			plural(p.RejectedRows(), "row is", "rows are"))
	}
	if len(p.Ignored) > 0 {
		text += " Not read, as the store sets them: " + strings.Join(p.Ignored, ", ") + "."
	}
	w.summary.SetText(text)

	cw := []float32{1, 9}
	w.created = widget.NewList(func() int { return len(p.Rows) },
		func() fyne.CanvasObject {
			return container.New(&columnsLayout{weights: cw}, cell("row 0000"), cell("what"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(p.Rows) {
				return
			}
			r := p.Rows[i]
			cells := o.(*fyne.Container).Objects
			cells[0].(*widget.Label).SetText(rowsText(r.Rows))
			cells[1].(*widget.Label).SetText(r.Summary)
		})
	rw := []float32{1, 1.5, 7.5}
	w.rejected = widget.NewList(func() int { return len(p.Rejected) },
		func() fyne.CanvasObject {
			reason := cell("reason")
			reason.Importance = widget.DangerImportance
			return container.New(&columnsLayout{weights: rw}, cell("row 0000"), cell("field"), reason)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(p.Rejected) {
				return
			}
			r := p.Rejected[i]
			cells := o.(*fyne.Container).Objects
			cells[0].(*widget.Label).SetText(fmt.Sprintf("row %d", r.Row))
			field := r.Field
			if field == "" {
				field = "—"
			}
			cells[1].(*widget.Label).SetText(field)
			cells[2].(*widget.Label).SetText(r.Reason)
		})
	heading := func(text string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	created := container.NewBorder(heading(fmt.Sprintf("Would be created (%s)", thousands(len(p.Rows)))), nil, nil, nil, w.created)
	rejected := container.NewBorder(heading(fmt.Sprintf("Rejected: row, field and reason (%s)", thousands(len(p.Rejected)))),
		nil, nil, nil, w.rejected)
	var lists fyne.CanvasObject = created
	if len(p.Rejected) > 0 {
		// Each list gets room in proportion to its rows, within bounds.
		split := container.NewVSplit(created, rejected)
		split.Offset = min(0.7, max(0.3, float64(len(p.Rows))/float64(len(p.Rows)+len(p.Rejected))))
		lists = split
	}
	w.skip.Hidden = len(p.Rejected) == 0
	return container.NewBorder(w.summary, container.NewVBox(w.skip, w.commitErr), nil, nil, lists)
}

// rowsText names a record's rows: "row 4", "rows 4–6".
func rowsText(rows []int) string {
	if len(rows) <= 1 {
		if len(rows) == 0 {
			return ""
		}
		return fmt.Sprintf("row %d", rows[0])
	}
	return fmt.Sprintf("rows %d–%d", rows[0], rows[len(rows)-1])
}

// commitState says what Import will do, and keeps it off when it would
// do nothing or the rejected rows are not to be skipped.
func (w *importWizard) commitState() {
	if w.plan == nil {
		return
	}
	p := w.plan
	noun := strings.ToLower(w.kindInfo().label)
	w.commit.SetText("Import " + plural(len(p.Rows), strings.TrimSuffix(noun, "s"), noun))
	if len(p.Rows) == 0 || (len(p.Rejected) > 0 && !w.skip.Checked) {
		w.commit.Disable()
	} else {
		w.commit.Enable()
	}
}

// doCommit adds the records in one transaction, off the UI thread.
func (w *importWizard) doCommit() {
	p, skip := w.plan, w.skip.Checked
	w.commit.Disable()
	w.back.Disable()
	w.commitErr.SetText("Importing…")
	w.commitErr.Importance = widget.MediumImportance
	var ids []string
	var err error
	w.app.async(func() {
		ids, err = w.rep.Commit(context.Background(), p, skip)
	}, func() {
		w.back.Enable()
		if err != nil {
			w.commitErr.Importance = widget.DangerImportance
			w.commitErr.SetText("Nothing was imported: " + fileProblem(err))
			w.commitState()
			return
		}
		noun := strings.ToLower(w.kindInfo().label)
		text := fmt.Sprintf("Imported %s from %s, in one transaction.", plural(len(ids), strings.TrimSuffix(noun, "s"), noun),
			filepath.Base(w.path.Text))
		if len(p.Rejected) > 0 {
			text += fmt.Sprintf(" %s skipped.", plural(p.RejectedRows(), "rejected row was", "rejected rows were"))
		}
		if w.kindInfo().name == "request" {
			text += " Each new request starts at the start of its workflow."
		}
		w.result.SetText(text)
		w.plan = nil // a plan is committed once
		w.showStep(4)
		w.app.storeChanged()
	})
}
