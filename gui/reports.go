package gui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/report"
	"liaisondesk/data/store"
)

// reporter is what the Reports screen and the import wizard ask of the
// store: the data/report calls the command line makes too. They read the
// store themselves, so they need the store itself rather than the Store
// interface; storeReports adapts one.
type reporter interface {
	Count(ctx context.Context, o report.Options) (report.Summary, error)
	Write(ctx context.Context, o report.Options, f report.Format, w io.Writer) (report.Summary, error)
	ImportHeader(kind string, f report.Format, r io.Reader) (header, fields []string, err error)
	ReadImport(ctx context.Context, kind string, f report.Format, r io.Reader, o report.ImportOptions) (*report.ImportPlan, error)
	Commit(ctx context.Context, p *report.ImportPlan, skipRejected bool) ([]string, error)
	CountPack(ctx context.Context, o report.Options) (report.Pack, error)
	WritePack(ctx context.Context, o report.Options, file string) (string, report.Pack, error)
}

// storeReports runs the report package's calls over a store.
type storeReports struct{ s *store.Store }

func (r storeReports) Count(ctx context.Context, o report.Options) (report.Summary, error) {
	return report.Count(ctx, r.s, o)
}

func (r storeReports) Write(ctx context.Context, o report.Options, f report.Format, w io.Writer) (report.Summary, error) {
	return report.Write(ctx, r.s, o, f, w)
}

func (r storeReports) ImportHeader(kind string, f report.Format, rd io.Reader) ([]string, []string, error) {
	return report.ImportHeader(kind, f, rd)
}

func (r storeReports) ReadImport(ctx context.Context, kind string, f report.Format, rd io.Reader, o report.ImportOptions) (*report.ImportPlan, error) {
	return report.ReadImport(ctx, r.s, kind, f, rd, o)
}

func (r storeReports) Commit(ctx context.Context, p *report.ImportPlan, skipRejected bool) ([]string, error) {
	return p.Commit(ctx, r.s, skipRejected)
}

// reportsFolderPreference remembers where reports were last saved and
// imports read from.
const reportsFolderPreference = "reportsFolder"

// previewDelay is how long the Reports screen waits after the last change
// before counting, so typing a date counts once, not per keystroke.
const previewDelay = 300 * time.Millisecond

// reportsScreen writes the reports of docs/DOMAIN.md §7 (and the whole-table
// exports): pick what, for which period and posting, in which format,
// under which ceiling; a preview counts what the file will hold and the
// banner it will carry; Save writes it in the background with a progress
// bar and Cancel. It also opens the import wizard.
type reportsScreen struct {
	app *App
	rep reporter
	now func() time.Time // "today" and the report's generated time; a field so tests fix it

	kinds    []report.Kind // reports, then exports, in the picker's order
	kind     *widget.Select
	about    *widget.Label
	from, to *dateEntry
	posting  *widget.Select
	postings map[string]string // option → posting code ("" for all)
	exchange *widget.SelectEntry
	picked   map[string]string // exchange option → id
	format   *widget.RadioGroup
	ceiling  *widget.Select
	rel      *widget.Entry
	files    *widget.Check // a handover with its attached files, as a zip (reports_pack.go)
	form     *fieldForm
	loading  bool // fields being set by the screen, not the officer

	banner   *banner
	rows     *widget.Label
	leftOut  *widget.Label
	sections *fyne.Container
	fileName *widget.Label
	note     *widget.Label // counting, or why there is no preview
	save     *widget.Button
	imports  *widget.Button
	audit    *widget.Button // opens the audit of what left the system (audit.go)

	bar      *widget.ProgressBar
	stop     *widget.Button
	status   *widget.Label
	openFile *widget.Button
	showDir  *widget.Button
	result   *fyne.Container // status and the open buttons; hidden until a save says something
	saved    string          // the file last written

	counts    *reloader          // the preview's count, after a pause in typing
	finds     *reloader          // the exchanges matching what is typed in the id box
	stopCount context.CancelFunc // the count pending or in flight
	preview   reportPreview      // what the preview shows, valid or not
	stopWrite context.CancelFunc // the write in flight
	writing   bool
	launch    func(path string) error // opens a saved file in its program (reveal.go)
	reveal    func(path string) error // shows a saved file in its folder
	wizard    *importWizard           // the import wizard last opened
}

// reportPreview is what was counted for which options.
type reportPreview struct {
	opts    report.Options
	format  report.Format
	summary report.Summary
	name    string       // the suggested file name
	pack    *report.Pack // a handover pack's files and banner; nil for a plain report
	ok      bool
}

func newReportsScreen(a *App) *reportsScreen {
	sc := &reportsScreen{app: a, rep: a.rep, counts: a.newReloader(), finds: a.newReloader(), launch: openWithSystem(a.app.OpenURL), reveal: revealWithSystem(a.app.OpenURL),
		now: func() time.Time { return time.Now().In(officerZone(a)) }}
	sc.kinds = append(report.Reports(), report.Exports()...)
	return sc
}

// kindLabel is what the picker says for a kind.
func (sc *reportsScreen) kindLabel(k report.Kind) string {
	if k.Export {
		return "Export: " + strings.ToLower(k.Title) + ", every field"
	}
	return k.Title
}

// formatLabels are what the format buttons say.
var formatLabels = map[report.Format]string{report.PDF: "PDF", report.XLSX: "XLSX", report.CSV: "CSV", report.JSON: "JSON", report.ICS: "iCalendar"}

func (sc *reportsScreen) build() fyne.CanvasObject {
	title := container.NewHBox(widget.NewIcon(theme.DocumentPrintIcon()),
		widget.NewLabelWithStyle("Reports", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	sc.imports = widget.NewButtonWithIcon("Import records…", theme.UploadIcon(), sc.openImport)
	sc.audit = widget.NewButtonWithIcon("Audit of outputs…", theme.ListIcon(), func() { sc.app.showAudit() })
	head := container.NewPadded(container.NewBorder(nil, nil, title, container.NewHBox(sc.audit, sc.imports)))
	body := container.NewGridWithColumns(2, sc.buildChoice(), sc.buildPreview())
	bar := sc.buildSaveBar()
	sc.loading = true
	sc.kind.SetSelected(sc.kindLabel(sc.kinds[0]))
	sc.loading = false
	sc.changed()
	// The save bar stays in view below the choice and the preview.
	return container.NewBorder(head, bar, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

func (sc *reportsScreen) shown() {
	if sc.writing {
		return
	}
	sc.loadChoices()
	sc.changed() // the store may have changed since
}

// ---- what to report ----

func (sc *reportsScreen) buildChoice() fyne.CanvasObject {
	var labels []string
	for _, k := range sc.kinds {
		labels = append(labels, sc.kindLabel(k))
	}
	sc.kind = widget.NewSelect(labels, func(string) { sc.kindChanged() })
	sc.about = widget.NewLabel("")
	sc.about.Wrapping = fyne.TextWrapWord
	sc.about.SizeName = theme.SizeNameCaptionText
	sc.about.Importance = widget.LowImportance
	win := func() fyne.Window { return sc.app.win }
	sc.from, sc.to = newDateEntry(win), newDateEntry(win)
	sc.posting = widget.NewSelect(nil, func(string) { sc.changed() })
	sc.exchange = widget.NewSelectEntry(nil)
	sc.exchange.SetPlaceHolder("Type words of its title, or paste its id")
	sc.exchange.OnChanged = sc.findExchange
	sc.format = widget.NewRadioGroup(nil, func(string) { sc.changed() })
	sc.format.Horizontal = true
	sc.format.Required = true
	sc.ceiling = widget.NewSelect(nil, func(string) { sc.changed() })
	sc.rel = widget.NewEntry()
	sc.rel.SetPlaceHolder("e.g. USA, IND")
	for _, e := range []*widget.Entry{sc.from.Entry, sc.to.Entry, sc.rel} {
		e.OnChanged = func(string) { sc.changed() }
	}
	sc.form = newFieldForm()
	sc.form.add("kind", "Report", container.NewVBox(sc.kind, sc.about), "")
	sc.form.add("from", "From", sc.from.box, "")
	sc.form.add("to", "To", sc.to.box, "")
	sc.form.add("id", "Exchange", sc.exchange, "the exchange the memorandum records")
	sc.form.add("posting", "Posting", sc.posting, "")
	sc.form.add("format", "Format", sc.format, "")
	sc.form.add("ceiling", "Ceiling", sc.ceiling, "records above it are left out, and the file says how many")
	sc.form.add("rel", "Releasable to", sc.rel, "nations every record must be releasable to; empty for no limit")
	sc.addFilesChoice()
	sc.loadChoices()
	return settingsSection("What to report", theme.DocumentIcon(),
		"The same reports staff run with 'liaisondesk report', marked with the highest classification they hold.",
		sc.form.build())
}

// loadChoices fills the posting and ceiling pickers from the store,
// keeping what is chosen.
func (sc *reportsScreen) loadChoices() {
	was := sc.loading
	sc.loading = true
	defer func() { sc.loading = was }()
	sc.postings = map[string]string{"All postings": ""}
	opts := []string{"All postings"}
	for _, p := range sc.app.catalogue.Postings() {
		label := p.ID
		if p.Name != "" {
			label += " — " + p.Name
		}
		sc.postings[label] = p.ID
		opts = append(opts, label)
	}
	chosen := sc.posting.Selected
	sc.posting.SetOptions(opts)
	if chosen == "" { // first time: the officer's own posting
		chosen = "All postings"
		if dev, err := sc.app.store.Device(); err == nil && dev != nil {
			for label, code := range sc.postings {
				if code == dev.Posting && code != "" {
					chosen = label
				}
			}
		}
	}
	sc.posting.SetSelected(chosen)

	levels := []string{"No ceiling"}
	levels = append(levels, sc.app.catalogue.levelIDs()...)
	chosen = sc.ceiling.Selected
	sc.ceiling.SetOptions(levels)
	if chosen == "" {
		chosen = "No ceiling"
	}
	sc.ceiling.SetSelected(chosen)
}

// current is the kind chosen in the picker.
func (sc *reportsScreen) current() report.Kind {
	for _, k := range sc.kinds {
		if sc.kindLabel(k) == sc.kind.Selected {
			return k
		}
	}
	return sc.kinds[0]
}

// kindChanged shows the fields the chosen kind reads, with its defaults:
// the last seven days for the weekly report, this month for the command
// summary, the last three months for a handover; no period (everything)
// for the others.
func (sc *reportsScreen) kindChanged() {
	k := sc.current()
	sc.loading = true
	sc.about.SetText(sentence(k.About))
	sc.form.show("from", k.Period)
	sc.form.show("to", k.Period)
	sc.form.show("id", k.Needs == "id")
	sc.form.show("posting", k.Needs != "id")
	sc.showFilesChoice(k)
	from, to := defaultPeriod(k.Name, k.Export, sc.now())
	sc.from.SetText(from)
	sc.to.SetText(to)
	hint := ""
	if k.Period && k.Needs != "period" {
		hint = "optional: leave both empty for everything"
	}
	setHint(sc.form, "from", hint)
	var opts []string
	for _, f := range k.Formats {
		opts = append(opts, formatLabels[f])
	}
	sc.format.Options = opts
	if !slices.Contains(opts, sc.format.Selected) {
		sc.format.Selected = opts[0]
	}
	sc.format.Refresh()
	if k.Needs == "id" && len(sc.picked) == 0 {
		sc.findExchange(sc.exchange.Text)
	}
	sc.loading = false
	sc.changed()
}

// setHint changes the grey line under a field (when it shows no problem).
func setHint(f *fieldForm, name, hint string) {
	r, ok := f.rows[name]
	if !ok || r.hint == hint {
		return
	}
	r.hint = hint
	if r.err.Color == theme.Color(theme.ColorNameError) && r.err.Visible() {
		return // a problem is shown; the hint comes back when it is fixed
	}
	r.err.Text = hint
	if hint == "" {
		r.err.Hide()
	} else {
		r.err.Show()
	}
	r.err.Refresh()
}

// defaultPeriod is the period a kind starts with.
func defaultPeriod(kind string, export bool, today time.Time) (from, to string) {
	day := func(t time.Time) string { return t.Format(data.DateLayout) }
	if export {
		return "", ""
	}
	switch kind {
	case "weekly":
		return day(today.AddDate(0, 0, -6)), day(today)
	case "command":
		first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
		return day(first), day(first.AddDate(0, 1, -1))
	case "handover":
		return day(today.AddDate(0, -3, 0)), day(today)
	}
	return "", ""
}

// findExchange offers the exchanges whose titles match what is typed (the
// latest ones when nothing is), and takes a chosen option or a pasted id.
// The store is searched off the UI thread after a pause in typing.
func (sc *reportsScreen) findExchange(text string) {
	text = strings.TrimSpace(text)
	if _, ok := sc.picked[text]; ok || looksLikeID(text) {
		sc.finds.stop()
		sc.changed()
		return
	}
	picked := map[string]string{}
	var opts []string
	offer := func(id, when, posting, title string) {
		label := strings.TrimSpace(firstTen(when) + " " + posting + " · " + title)
		if _, dup := picked[label]; dup {
			label += " (" + id[len(id)-4:] + ")"
		}
		picked[label] = id
		opts = append(opts, label)
	}
	sc.finds.after(lookupDelay, func() {
		ctx := context.Background()
		if text == "" {
			_ = sc.app.store.List(ctx, data.KindExchange, data.ListFilter{Limit: 15}, func(r data.Record) error {
				e := r.(*data.Exchange)
				offer(e.ID, e.OccurredAt, e.Posting, e.Title)
				return nil
			})
		} else if hits, err := sc.app.store.Search(ctx, text, data.SearchOptions{Prefix: true, Kinds: []data.Kind{data.KindExchange}, Limit: 15}); err == nil {
			for _, h := range hits {
				offer(h.ID, h.When, h.Posting, h.Title)
			}
		}
	}, func() {
		sc.picked = picked
		sc.exchange.SetOptions(opts)
		sc.changed()
	})
}

// looksLikeID reports whether text is a record id (a UUID).
func looksLikeID(text string) bool {
	if len(text) != 36 {
		return false
	}
	for i, r := range text {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", r):
			return false
		}
	}
	return true
}

// exchangeID is the exchange chosen for a memorandum ("" for none).
func (sc *reportsScreen) exchangeID() string {
	text := strings.TrimSpace(sc.exchange.Text)
	if id, ok := sc.picked[text]; ok {
		return id
	}
	if looksLikeID(text) {
		return strings.ToLower(text)
	}
	return ""
}

// options reads the fields into report options, naming the field that is
// wrong. What needs the store (an unknown exchange, a memorandum above
// the ceiling) is found by counting.
func (sc *reportsScreen) options() (report.Options, report.Format, error) {
	k := sc.current()
	o := report.Options{Kind: k.Name, Export: k.Export, Now: sc.now(), HomeZone: sc.app.homeZone().String()}
	var f report.Format
	for fm, label := range formatLabels {
		if label == sc.format.Selected {
			f = fm
		}
	}
	if k.Period {
		o.From, o.To = strings.TrimSpace(sc.from.Text), strings.TrimSpace(sc.to.Text)
		for _, d := range []struct{ field, v string }{{"from", o.From}, {"to", o.To}} {
			if d.v == "" {
				if k.Needs == "period" {
					return o, f, &data.FieldError{Field: d.field, Problem: "is required: the " + strings.ToLower(k.Title) + " covers a period"}
				}
				continue
			}
			if _, err := time.Parse(data.DateLayout, d.v); err != nil {
				return o, f, &data.FieldError{Field: d.field, Problem: fmt.Sprintf("%q is not a date: type YYYY-MM-DD, e.g. 2026-11-18", d.v)}
			}
		}
		if o.From != "" && o.To != "" && o.To < o.From {
			return o, f, &data.FieldError{Field: "to", Problem: "is before From: the period ends before it starts"}
		}
	}
	if k.Needs == "id" {
		if o.ID = sc.exchangeID(); o.ID == "" {
			problem := "choose the exchange: type words of its title and pick it from the list"
			if strings.TrimSpace(sc.exchange.Text) != "" {
				problem = "no exchange is chosen: pick one from the list, or paste its id"
			}
			return o, f, &data.FieldError{Field: "id", Problem: problem}
		}
	} else {
		o.Posting = sc.postings[sc.posting.Selected]
	}
	if c := sc.ceiling.Selected; c != "No ceiling" {
		o.Ceiling = c
	}
	o.Rel = upperAll(splitList(sc.rel.Text))
	if err := data.CheckNations("rel", o.Rel); err != nil {
		return o, f, err
	}
	if f == "" {
		return o, f, &data.FieldError{Field: "format", Problem: "choose a format"}
	}
	return o, f, nil
}

// changed validates the choice at once and counts it after a pause,
// off the UI thread. Save stays off until the count for exactly these
// options is on screen.
func (sc *reportsScreen) changed() {
	if sc.loading || sc.form == nil {
		return
	}
	sc.counts.stop()
	if sc.stopCount != nil {
		sc.stopCount()
	}
	sc.preview.ok = false
	sc.save.Disable()
	o, f, err := sc.options()
	sc.form.setError(err)
	if err != nil {
		sc.showNote("No preview: correct the field marked in red.", true)
		return
	}
	sc.showNote("Counting…", false)
	ctx, cancel := context.WithCancel(context.Background())
	sc.stopCount = cancel // a later change stops this count, pending or running
	var sum report.Summary
	if sc.packing() {
		sc.countPack(ctx, cancel, o, f)
		return
	}
	sc.counts.after(previewDelay, func() {
		defer cancel()
		sum, err = sc.rep.Count(ctx, o)
	}, func() {
		sc.showPreview(o, f, sum, err)
	})
}

// showPreview shows a count: the banner, rows per section, what the
// ceiling left out and the file name; or what is wrong.
func (sc *reportsScreen) showPreview(o report.Options, f report.Format, sum report.Summary, err error) {
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		if errors.Is(err, data.ErrNotFound) && o.ID != "" {
			err = &data.FieldError{Field: "id", Problem: "no exchange has this id"}
		}
		if data.FieldOf(err) != "" {
			sc.form.setError(err)
			sc.showNote("No preview: correct the field marked in red.", true)
			return
		}
		_, text := explain(err)
		sc.showNote("No preview: "+text, true)
		return
	}
	sc.preview = reportPreview{opts: o, format: f, summary: sum, name: report.FileName(o, f, sum.Banner), ok: true}
	sc.note.Hide()
	sc.banner.set(sum.Banner)
	sc.banner.box.Show()
	noun := "rows"
	if sum.Rows == 1 {
		noun = "row"
	}
	sc.rows.SetText(fmt.Sprintf("%s %s", thousands(sum.Rows), noun))
	if k, err := report.Lookup(o.Kind, o.Export); err == nil && k.Needs == "id" {
		sc.rows.SetText("one record") // a memorandum: its rows mean nothing
	}
	ceilinged := o.Ceiling != "" || len(o.Rel) > 0
	switch {
	case sum.LeftOut > 0:
		sc.leftOut.Importance = widget.WarningImportance
		sc.leftOut.SetText(sentenceCase(sum.LeftOutText()))
	case ceilinged:
		sc.leftOut.Importance = widget.MediumImportance
		sc.leftOut.SetText("Nothing is above the ceiling or unreleasable: nothing left out")
	default:
		sc.leftOut.Importance = widget.LowImportance
		sc.leftOut.SetText("No ceiling: every record of the choice goes in")
	}
	sc.sections.RemoveAll()
	if len(sum.Sections) > 1 || (len(sum.Sections) == 1 && sum.Sections[0].Title != "") {
		weights := []float32{5, 1.2, 1.4}
		sc.sections.Add(countRow(weights, true, "Section", "Rows", "Left out"))
		for _, s := range sum.Sections {
			title := s.Title
			if title == "" {
				title = s.Name
			}
			left := ""
			if s.LeftOut > 0 {
				left = thousands(s.LeftOut)
			}
			sc.sections.Add(countRow(weights, false, title, thousands(s.Rows), left))
		}
	}
	sc.fileName.SetText(sc.preview.name)
	if !sc.writing {
		sc.save.Enable()
	}
}

// showNote says why there is no preview (or that one is coming).
func (sc *reportsScreen) showNote(text string, problem bool) {
	sc.note.SetText(text)
	sc.note.Importance = widget.MediumImportance
	if problem {
		sc.note.Importance = widget.DangerImportance
		sc.banner.box.Hide()
		sc.rows.SetText("")
		sc.leftOut.SetText("")
		sc.sections.RemoveAll()
		sc.fileName.SetText("")
	}
	sc.note.Show()
}

// countRow is one row of a small table of counts in columns of the given
// weights: a name, then figures aligned right.
func countRow(weights []float32, head bool, cells ...string) fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(cells))
	for i, c := range cells {
		l := widget.NewLabel(c)
		l.Truncation = fyne.TextTruncateEllipsis
		if head {
			l.TextStyle = fyne.TextStyle{Bold: true}
		}
		if i > 0 {
			l.Alignment = fyne.TextAlignTrailing
		}
		objs[i] = l
	}
	return container.New(&columnsLayout{weights: weights}, objs...)
}

// ---- preview and saving ----

func (sc *reportsScreen) buildPreview() fyne.CanvasObject {
	sc.banner = newBanner()
	sc.banner.box.Hide() // until the first count
	sc.rows = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sc.rows.SizeName = theme.SizeNameSubHeadingText
	sc.leftOut = widget.NewLabel("")
	sc.leftOut.Wrapping = fyne.TextWrapWord
	sc.sections = container.NewVBox()
	sc.note = widget.NewLabel("")
	sc.note.Wrapping = fyne.TextWrapWord
	count := container.NewBorder(nil, nil, sc.rows, nil, sc.leftOut)
	return settingsSection("Preview", theme.VisibilityIcon(), "What the file will hold, and the banner on every page.",
		container.NewVBox(sc.banner.box, sc.note, count, sc.sections))
}

// buildSaveBar is the bar under the choice and the preview: the file
// name, Save, the progress of a write with Cancel, and what came of it.
func (sc *reportsScreen) buildSaveBar() fyne.CanvasObject {
	sc.fileName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	sc.fileName.Wrapping = fyne.TextWrapBreak
	sc.save = widget.NewButtonWithIcon("Save report…", theme.DocumentSaveIcon(), sc.askWhere)
	sc.save.Importance = widget.HighImportance
	sc.save.Disable()
	sc.bar = widget.NewProgressBar()
	sc.bar.Hide()
	sc.stop = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if sc.stopWrite != nil {
			sc.stopWrite()
		}
	})
	sc.stop.Hide()
	sc.status = widget.NewLabel("")
	sc.status.Wrapping = fyne.TextWrapWord
	sc.openFile = widget.NewButtonWithIcon("Open file", theme.FileIcon(), func() { sc.open(sc.saved, sc.launch) })
	sc.showDir = widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), func() { sc.open(sc.saved, sc.reveal) })
	sc.openFile.Hide()
	sc.showDir.Hide()
	name := widget.NewLabelWithStyle("Suggested file name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sc.result = container.NewBorder(nil, nil, nil, container.NewHBox(sc.openFile, sc.showDir), sc.status)
	sc.result.Hide()
	body := container.NewVBox(
		container.NewBorder(nil, nil, name, sc.save, sc.fileName),
		container.NewBorder(nil, nil, nil, sc.stop, sc.bar),
		sc.result)
	return container.NewPadded(container.NewStack(newThemedRect(theme.ColorNameInputBackground), container.NewPadded(body)))
}

// open hands the saved file to the desktop (how is sc.launch or
// sc.reveal), saying so when it could not.
func (sc *reportsScreen) open(path string, how func(string) error) {
	if err := how(path); err != nil {
		sc.status.Importance = widget.DangerImportance
		sc.status.SetText("Could not open " + path + ": " + err.Error())
	}
}

// askWhere asks where to save the report, suggesting its name in the
// folder last used.
func (sc *reportsScreen) askWhere() {
	if !sc.preview.ok || sc.writing {
		return
	}
	p := sc.preview
	ext := "." + string(p.format)
	if p.pack != nil {
		ext = ".zip"
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			sc.app.showProblem(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		w.Close()
		sc.app.reportsFolder().remember(path)
		sc.saveTo(path)
	}, sc.app.win)
	d.SetTitleText("Save the " + strings.ToLower(p.summary.Kind.Title))
	d.SetFileName(p.name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	sc.app.reportsFolder().startIn(d)
	d.Show()
	d.Resize(fyne.NewSize(860, 560)) // after Show: before it, Fyne 2.8.1's Resize panics
}

// saveTo writes the previewed report to path, atomically, off the UI
// thread, with a progress bar and Cancel. A cancelled or failed write
// leaves no file (the empty one the save dialog made is removed).
func (sc *reportsScreen) saveTo(path string) {
	if !sc.preview.ok || sc.writing {
		return
	}
	p := sc.preview
	if p.pack != nil {
		sc.savePack(path)
		return
	}
	o := p.opts
	o.File = path // named in the audit entry Write records
	ctx, cancel := context.WithCancel(context.Background())
	sc.stopWrite = cancel
	sc.writing = true
	sc.save.Disable()
	sc.openFile.Hide()
	sc.showDir.Hide()
	sc.bar.SetValue(0)
	sc.bar.Show()
	sc.stop.Show()
	sc.status.Importance = widget.MediumImportance
	sc.status.SetText("Writing " + filepath.Base(path) + "…")
	sc.result.Show()
	o.Progress = func(done, total int) {
		fyne.Do(func() {
			if total > 0 {
				sc.bar.SetValue(float64(done) / float64(total))
			}
			sc.status.SetText(fmt.Sprintf("Writing %s: %s of %s…", filepath.Base(path), thousands(done), plural(total, "row", "rows")))
		})
	}
	var sum report.Summary
	var err error
	sc.app.async(func() {
		defer cancel()
		err = report.SaveFile(path, func(w io.Writer) error {
			var werr error
			sum, werr = sc.rep.Write(ctx, o, p.format, &stoppableWriter{ctx: ctx, w: w})
			return werr
		})
	}, func() {
		sc.writing = false
		sc.stopWrite = nil
		sc.bar.Hide()
		sc.stop.Hide()
		if sc.preview.ok {
			sc.save.Enable()
		}
		if err != nil {
			removeIfEmpty(path)
			if errors.Is(err, context.Canceled) {
				sc.status.Importance = widget.MediumImportance
				sc.status.SetText("Cancelled: no file was written.")
				return
			}
			_, text := explain(err)
			sc.status.Importance = widget.DangerImportance
			sc.status.SetText("Not saved: " + text + " No file was written.")
			return
		}
		sc.saved = path
		size := ""
		if fi, serr := os.Stat(path); serr == nil {
			size = " (" + humanSize(fi.Size()) + ")"
		}
		left := ""
		if sum.LeftOut > 0 {
			left = "; " + sum.LeftOutText()
		}
		rows := plural(sum.Rows, "row", "rows") + ", "
		if k, err := report.Lookup(sc.preview.opts.Kind, sc.preview.opts.Export); err == nil && k.Needs == "id" {
			rows = ""
		}
		sc.status.Importance = widget.MediumImportance
		sc.status.SetText(fmt.Sprintf("Saved %s%s in %s at %s: %smarked %s%s.", filepath.Base(path), size, filepath.Dir(path),
			time.Now().Format("15:04"), rows, sum.Banner, left))
		sc.openFile.Show()
		sc.showDir.Show()
	})
}

// stoppableWriter refuses to write once its context is cancelled, so
// Cancel stops a report at its next write rather than its next progress
// tick.
type stoppableWriter struct {
	ctx context.Context
	w   io.Writer
}

func (s *stoppableWriter) Write(p []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	return s.w.Write(p)
}

// openImport opens the import wizard.
func (sc *reportsScreen) openImport() {
	sc.wizard = newImportWizard(sc.app, sc.rep)
	sc.wizard.show()
}

// reportsFolder is where reports were last saved and imports read from.
func (a *App) reportsFolder() lastFolder {
	return lastFolder{prefs: a.app.Preferences(), key: reportsFolderPreference}
}
