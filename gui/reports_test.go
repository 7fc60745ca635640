package gui

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/report"
	"liaisondesk/data/store"
)

// reportsToday is "today" in the Reports tests: the demo data is dated
// relative to it.
var reportsToday = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// openReports opens the Reports screen of a test app whose store holds a
// demo month of work (exchanges demo exchanges; 0 for the usual 300).
func openReports(t *testing.T, exchanges int) (*App, *store.Store, *reportsScreen) {
	t.Helper()
	ui, s := newTestApp(t)
	if _, err := demo.Fill(context.Background(), s, demo.Options{Exchanges: exchanges, Now: reportsToday, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ui.reports.now = func() time.Time { return reportsToday }
	ui.showSection("Reports")
	return ui, s, ui.reports
}

// pickReport chooses a report (or export) by name and a format.
func pickReport(t *testing.T, sc *reportsScreen, name string, export bool, f report.Format) report.Kind {
	t.Helper()
	k, err := report.Lookup(name, export)
	if err != nil {
		t.Fatal(err)
	}
	sc.kind.SetSelected(sc.kindLabel(k))
	sc.format.SetSelected(formatLabels[f])
	return k
}

func TestReportsScreenPreview(t *testing.T) {
	ui, s, sc := openReports(t, 0)
	ctx := context.Background()

	t.Run("sits between Sync and Settings, on Ctrl+8 and Ctrl+E", func(t *testing.T) {
		var names []string
		for _, it := range ui.nav {
			names = append(names, it.name)
		}
		if got := strings.Join(names, " "); !strings.Contains(got, "Sync Reports Settings") {
			t.Fatalf("navigation %s", got)
		}
		view := ui.menu().Items[2]
		ui.show(0)
		view.Items[7].Action()
		ctrl8 := &desktop.CustomShortcut{KeyName: fyne.Key8, Modifier: fyne.KeyModifierShortcutDefault}
		if ui.nav[ui.current].name != "Reports" || view.Items[7].Shortcut.ShortcutName() != ctrl8.ShortcutName() {
			t.Fatalf("Ctrl+8 shows %s (%s)", ui.nav[ui.current].name, view.Items[7].Shortcut.ShortcutName())
		}
		ui.show(0)
		menuItem(t, ui, "Report or export…").Action()
		if ui.nav[ui.current].name != "Reports" {
			t.Fatalf("Ctrl+E shows %s", ui.nav[ui.current].name)
		}
	})

	t.Run("the request tracker offers its formats and previews its count, banner and name", func(t *testing.T) {
		pickReport(t, sc, "requests", false, report.PDF)
		if got := strings.Join(sc.format.Options, " "); got != "PDF XLSX CSV JSON iCalendar" {
			t.Fatalf("formats %s", got)
		}
		if !strings.Contains(sc.about.Text, "Acceptance clock") && !strings.Contains(sc.about.Text, "acceptance clock") {
			t.Fatalf("about %q", sc.about.Text)
		}
		want, err := report.Count(ctx, s, report.Options{Kind: "requests", Posting: "CMF", Now: reportsToday})
		if err != nil {
			t.Fatal(err)
		}
		if want.Rows == 0 {
			t.Fatal("the demo store has no CMF requests")
		}
		if sc.rows.Text != thousands(want.Rows)+" rows" {
			t.Fatalf("preview says %q, the store %d", sc.rows.Text, want.Rows)
		}
		if sc.banner.Text() != want.Banner.String() || !sc.banner.box.Visible() {
			t.Fatalf("banner %q, want %q", sc.banner.Text(), want.Banner)
		}
		if sc.banner.bg.FillColor != parseColour(want.Banner.Classification.Colour) {
			t.Fatalf("banner colour %v for %s", sc.banner.bg.FillColor, want.Banner.Classification.Colour)
		}
		name := "2026-11-25_request-tracker_CMF_" + want.Banner.Classification.ID + ".pdf"
		if sc.fileName.Text != name {
			t.Fatalf("suggested %q, want %q", sc.fileName.Text, name)
		}
		if sc.save.Disabled() {
			t.Fatal("Save is off for a valid choice")
		}
		sc.format.SetSelected("iCalendar")
		if !strings.HasSuffix(sc.fileName.Text, ".ics") {
			t.Fatalf("suggested %q for iCalendar", sc.fileName.Text)
		}
	})

	t.Run("a ceiling says how many records it leaves out, and lowers the banner", func(t *testing.T) {
		pickReport(t, sc, "weekly", false, report.XLSX)
		sc.posting.SetSelected("All postings")
		all := sc.preview.summary
		sc.ceiling.SetSelected("RESTRICTED")
		sum := sc.preview.summary
		if sum.LeftOut == 0 || !strings.Contains(sc.leftOut.Text, "left out: above the ceiling") {
			t.Fatalf("left out %d, says %q", sum.LeftOut, sc.leftOut.Text)
		}
		if sum.Banner.Classification.ID != "RESTRICTED" && sum.Banner.Classification.ID != "UNCLASSIFIED" {
			t.Fatalf("banner %s under a RESTRICTED ceiling", sum.Banner)
		}
		if all.Banner.Classification.ID == sum.Banner.Classification.ID {
			t.Fatalf("the demo week is all %s: choose another ceiling", all.Banner)
		}
		if len(sc.sections.Objects) < 3 {
			t.Fatalf("%d section rows for the weekly report", len(sc.sections.Objects)-1)
		}
		sc.rel.SetText("usa, ind")
		if sc.preview.opts.Rel[0] != "USA" || sc.save.Disabled() {
			t.Fatalf("rel %v, save disabled %v", sc.preview.opts.Rel, sc.save.Disabled())
		}
		sc.rel.SetText("")
		sc.ceiling.SetSelected("No ceiling")
		if !strings.Contains(sc.leftOut.Text, "No ceiling") {
			t.Fatalf("left out says %q", sc.leftOut.Text)
		}
	})

	t.Run("each kind starts with its period", func(t *testing.T) {
		pickReport(t, sc, "weekly", false, report.PDF)
		if sc.from.Text != "2026-11-19" || sc.to.Text != "2026-11-25" {
			t.Fatalf("weekly %s–%s", sc.from.Text, sc.to.Text)
		}
		pickReport(t, sc, "command", false, report.PDF)
		if sc.from.Text != "2026-11-01" || sc.to.Text != "2026-11-30" {
			t.Fatalf("command %s–%s", sc.from.Text, sc.to.Text)
		}
		pickReport(t, sc, "contacts", false, report.CSV)
		if sc.form.rows["from"].cell.Visible() {
			t.Fatal("the counterpart register shows a period")
		}
	})
}

// menuItem finds a main menu item by its label.
func menuItem(t *testing.T, ui *App, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range ui.menu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

func TestReportsScreenRefusesAnInvalidChoice(t *testing.T) {
	_, s, sc := openReports(t, 0)
	pickReport(t, sc, "weekly", false, report.PDF)

	t.Run("a period that ends before it starts is named under To", func(t *testing.T) {
		sc.from.SetText("2026-11-20")
		sc.to.SetText("2026-11-10")
		if got := sc.form.errorText("to"); !strings.Contains(got, "before From") {
			t.Fatalf("under To: %q", got)
		}
		if !sc.save.Disabled() {
			t.Fatal("Save is on for a period that ends before it starts")
		}
		if sc.fileName.Text != "" || !strings.Contains(sc.note.Text, "marked in red") {
			t.Fatalf("preview shows %q / %q", sc.fileName.Text, sc.note.Text)
		}
		sc.to.SetText("2026-11-24")
		if sc.form.errorText("to") != "" || sc.save.Disabled() {
			t.Fatalf("still refused: %q", sc.form.errorText("to"))
		}
	})

	t.Run("a date that is not one is named under From", func(t *testing.T) {
		sc.from.SetText("2026-13-01")
		if got := sc.form.errorText("from"); !strings.Contains(got, "not a date") || !sc.save.Disabled() {
			t.Fatalf("under From: %q, save disabled %v", got, sc.save.Disabled())
		}
		sc.from.SetText("")
		if got := sc.form.errorText("from"); !strings.Contains(got, "required") {
			t.Fatalf("an empty From for the weekly report: %q", got)
		}
		sc.from.SetText("2026-11-18")
	})

	t.Run("an unknown nation is named under Releasable to", func(t *testing.T) {
		sc.rel.SetText("USA, XYZ")
		if got := sc.form.errorText("rel"); !strings.Contains(got, "XYZ") || !sc.save.Disabled() {
			t.Fatalf("under Releasable to: %q", got)
		}
		sc.rel.SetText("")
	})

	t.Run("the memorandum needs an exchange, found by its title", func(t *testing.T) {
		pickReport(t, sc, "exchange", false, report.PDF)
		if sc.form.rows["from"].cell.Visible() || !sc.form.rows["id"].cell.Visible() {
			t.Fatal("the memorandum shows a period or hides the exchange")
		}
		if got := sc.form.errorText("id"); !strings.Contains(got, "choose the exchange") || !sc.save.Disabled() {
			t.Fatalf("under Exchange: %q", got)
		}
		if len(sc.picked) == 0 {
			t.Fatal("no recent exchanges offered")
		}
		var e *data.Exchange
		s.List(context.Background(), "exchange", data.ListFilter{Limit: 1}, func(r data.Record) error {
			e = r.(*data.Exchange)
			return nil
		})
		word := strings.Fields(e.Title)[0]
		sc.exchange.SetText(word)
		var option string
		for label, id := range sc.picked {
			if id == e.ID {
				option = label
			}
		}
		if option == "" {
			t.Fatalf("typing %q did not offer %q (offered %d)", word, e.Title, len(sc.picked))
		}
		if !sc.save.Disabled() {
			t.Fatal("Save is on before an exchange is picked")
		}
		sc.exchange.SetText(option)
		if sc.form.errorText("id") != "" || sc.save.Disabled() || sc.preview.opts.ID != e.ID {
			t.Fatalf("picked %q: error %q, id %q", option, sc.form.errorText("id"), sc.preview.opts.ID)
		}
		if !strings.HasPrefix(sc.fileName.Text, "2026-11-25_memorandum-for-record_") {
			t.Fatalf("suggested %q", sc.fileName.Text)
		}
		sc.exchange.SetText("0193e1a2-0000-7000-8000-000000000000")
		if got := sc.form.errorText("id"); !strings.Contains(got, "no exchange has this id") || !sc.save.Disabled() {
			t.Fatalf("an unknown id: %q", got)
		}
	})
}

func TestReportsScreenSavesAFileItsReaderAccepts(t *testing.T) {
	ui, _, sc := openReports(t, 0)
	dir := t.TempDir()
	var opened, shown []string
	sc.launch = func(p string) error { opened = append(opened, p); return nil }
	sc.reveal = func(p string) error { shown = append(shown, p); return nil }

	t.Run("Save asks where, in a file dialog", func(t *testing.T) {
		pickReport(t, sc, "weekly", false, report.CSV)
		test.Tap(sc.save)
		if ui.Window().Canvas().Overlays().Top() == nil {
			t.Fatal("no file dialog")
		}
		ui.Window().Canvas().Overlays().Top().Hide()
		ui.Window().Canvas().Overlays().Remove(ui.Window().Canvas().Overlays().Top())
	})

	t.Run("a weekly CSV with its banner in the first and last rows", func(t *testing.T) {
		pickReport(t, sc, "weekly", false, report.CSV)
		path := filepath.Join(dir, sc.fileName.Text)
		sc.saveTo(path)
		if !strings.HasPrefix(sc.status.Text, "Saved "+filepath.Base(path)) || !strings.Contains(sc.status.Text, " in "+dir+" ") || !sc.openFile.Visible() || sc.bar.Visible() {
			t.Fatalf("status %q", sc.status.Text)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\uFEFF")) {
			t.Fatal("no byte order mark")
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatalf("encoding/csv: %v", err)
		}
		banner := sc.preview.summary.Banner.String()
		if rows[0][0] != banner || rows[len(rows)-1][0] != banner {
			t.Fatalf("first and last rows %q / %q, banner %q", rows[0], rows[len(rows)-1], banner)
		}
		if len(rows) < sc.preview.summary.Rows {
			t.Fatalf("%d CSV rows for %d report rows", len(rows), sc.preview.summary.Rows)
		}
		test.Tap(sc.openFile)
		test.Tap(sc.showDir)
		if len(opened) != 1 || opened[0] != path || len(shown) != 1 || shown[0] != path {
			t.Fatalf("opened %v, shown in its folder %v", opened, shown)
		}
	})

	t.Run("a request tracker PDF that pdfinfo reads", func(t *testing.T) {
		if _, err := exec.LookPath("pdfinfo"); err != nil {
			t.Skip("pdfinfo (poppler-utils) is not installed")
		}
		pickReport(t, sc, "requests", false, report.PDF)
		path := filepath.Join(dir, sc.fileName.Text)
		sc.saveTo(path)
		out, err := exec.Command("pdfinfo", path).CombinedOutput()
		if err != nil {
			t.Fatalf("pdfinfo: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "Pages:") {
			t.Fatalf("pdfinfo says %s", out)
		}
		if p := os.Getenv("LIAISONDESK_SHOTS"); p != "" {
			copyFile(t, path, filepath.Join(p, "request-tracker.pdf"))
		}
	})

	t.Run("a failed write leaves no file and says why", func(t *testing.T) {
		pickReport(t, sc, "contacts", false, report.XLSX)
		path := filepath.Join(dir, "no-such-folder", "register.xlsx")
		sc.saveTo(path)
		if !strings.HasPrefix(sc.status.Text, "Not saved:") || sc.openFile.Visible() {
			t.Fatalf("status %q", sc.status.Text)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a file is there: %v", err)
		}
		if sc.save.Disabled() {
			t.Fatal("Save stays off after a failure")
		}
	})
}

func TestReportsScreenCancelLeavesNoFile(t *testing.T) {
	_, _, sc := openReports(t, 2500) // a progress tick comes every 2,000 rows
	pickReport(t, sc, "exchange", true, report.CSV)
	sc.posting.SetSelected("All postings")
	if sc.preview.summary.Rows <= 2000 {
		t.Fatalf("%d rows: too few for a progress tick", sc.preview.summary.Rows)
	}
	path := filepath.Join(t.TempDir(), sc.fileName.Text)
	os.WriteFile(path, nil, 0o644) // as the save dialog leaves it
	ticks := 0
	sc.rep = tickingReporter{sc.rep, func(done, total int) {
		ticks++
		if ticks == 1 {
			if !sc.bar.Visible() || !sc.stop.Visible() || sc.bar.Value <= 0 {
				t.Errorf("while writing: bar shown %v at %v, Cancel shown %v", sc.bar.Visible(), sc.bar.Value, sc.stop.Visible())
			}
			test.Tap(sc.stop)
		}
	}}
	sc.saveTo(path)
	if sc.status.Text != "Cancelled: no file was written." {
		t.Fatalf("status %q after %d ticks", sc.status.Text, ticks)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file is there: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp"))
	if len(left) > 0 || sc.stop.Visible() || sc.save.Disabled() {
		t.Fatalf("temporary files %v, Cancel shown %v, Save off %v", left, sc.stop.Visible(), sc.save.Disabled())
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ---- import ----

// wizardContacts is a register typed by hand: its own column names, a
// column the store does not keep, and three bad rows.
const wizardContacts = "Full name,Rank,Appointment,Organisation,Country,E-mail,Desk phone colour\n" +
	"Laura Walker,CDR,Deputy N3,CTF 151,USA,laura.walker@us.navy.mil,grey\n" +
	",CAPT,Chief of Staff,CTF 150,USA,,\n" +
	"John Miller,CAPT,Deputy J4,INDOPACOM,US,john.miller@example.mil,black\n" +
	"Priya Nair,Cdr,Naval Attaché,Embassy of India,IND,not-an-email,\n" +
	"Marcus Reid,Col,Chief Foreign Liaison Office,SOCOM J3-I,USA,marcus.reid@socom.mil,\n"

func openWizard(t *testing.T, ui *App) *importWizard {
	t.Helper()
	menuItem(t, ui, "Import records…").Action()
	w := ui.reports.wizard
	if w == nil || ui.nav[ui.current].name != "Reports" || w.step != 1 {
		t.Fatal("File → Import records… did not open the wizard on the Reports screen")
	}
	return w
}

func countOf(t *testing.T, s *store.Store, kind data.Kind) int {
	t.Helper()
	n := 0
	if err := s.List(context.Background(), kind, data.ListFilter{}, func(data.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportWizard(t *testing.T) {
	ui, s := newTestApp(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "register.csv")
	if err := os.WriteFile(file, []byte(wizardContacts), 0o644); err != nil {
		t.Fatal(err)
	}
	w := openWizard(t, ui)

	t.Run("a file that is not CSV or XLSX is refused next to the field", func(t *testing.T) {
		w.path.SetText(filepath.Join(dir, "register.pdf"))
		test.Tap(w.next)
		if got := w.choice.errorText("file"); !strings.Contains(got, ".csv or .xlsx") || w.step != 1 {
			t.Fatalf("under File: %q (step %d)", got, w.step)
		}
		w.path.SetText(filepath.Join(dir, "missing.csv"))
		test.Tap(w.next)
		if got := w.choice.errorText("file"); !strings.Contains(got, "missing.csv: no such file or folder") || w.step != 1 {
			t.Fatalf("under File: %q (step %d)", got, w.step)
		}
	})

	t.Run("columns named like fields are matched; the others are picked", func(t *testing.T) {
		w.kind.SetSelected("Contacts")
		w.path.SetText(file)
		test.Tap(w.next)
		if w.step != 2 || len(w.mapping) != 7 {
			t.Fatalf("step %d with %d columns", w.step, len(w.mapping))
		}
		want := []string{skipColumn, "rank", "appointment", "organisation", skipColumn, skipColumn, skipColumn}
		for i, m := range w.mapping {
			if m.Selected != want[i] {
				t.Fatalf("column %d %q prefilled as %q, want %q", i+1, w.header[i], m.Selected, want[i])
			}
		}
		w.mapping[0].SetSelected("name")
		w.mapping[4].SetSelected("rank")
		if !w.next.Disabled() || !strings.Contains(w.mapNotes[4].Text, "column 2 is rank already") {
			t.Fatalf("two columns as rank: next off %v, note %q", w.next.Disabled(), w.mapNotes[4].Text)
		}
		w.mapping[4].SetSelected("nation")
		w.mapping[5].SetSelected("email")
		if w.next.Disabled() {
			t.Fatal("Next is off for a good mapping")
		}
	})

	t.Run("the dry run lists what would be created and every rejected row, writing nothing", func(t *testing.T) {
		before := countOf(t, s, "contact")
		test.Tap(w.next)
		if w.step != 3 {
			t.Fatalf("step %d: %s", w.step, w.mapError.Text)
		}
		if n := countOf(t, s, "contact"); n != before {
			t.Fatalf("the dry run wrote %d contacts", n-before)
		}
		p := w.plan
		if len(p.Rows) != 2 || p.Rows[0].Row != 2 || p.Rows[1].Row != 6 || w.created.Length() != 2 {
			t.Fatalf("would create %+v", p.Rows)
		}
		want := []struct {
			row   int
			field string
		}{{3, "name"}, {4, "nation"}, {5, "email"}}
		if len(p.Rejected) != len(want) || w.rejected.Length() != len(want) {
			t.Fatalf("rejected %v", p.Rejected)
		}
		for i, r := range want {
			if p.Rejected[i].Row != r.row || p.Rejected[i].Field != r.field || p.Rejected[i].Reason == "" {
				t.Fatalf("rejection %d: %+v, want row %d %s", i, p.Rejected[i], r.row, r.field)
			}
		}
		if !strings.Contains(w.summary.Text, "2 contacts would be created; 3 rows are rejected") {
			t.Fatalf("summary %q", w.summary.Text)
		}
		if !w.commit.Disabled() || !w.skip.Visible() {
			t.Fatal("Import is on with rejected rows not skipped")
		}
		w.skip.SetChecked(true)
		if w.commit.Disabled() || w.commit.Text != "Import 2 contacts" {
			t.Fatalf("Import %q, off %v", w.commit.Text, w.commit.Disabled())
		}
	})

	t.Run("Import creates the records in one go and says so", func(t *testing.T) {
		before := countOf(t, s, "contact")
		test.Tap(w.commit)
		if w.step != 4 || !strings.HasPrefix(w.result.Text, "Imported 2 contacts from register.csv") {
			t.Fatalf("step %d: %q %q", w.step, w.result.Text, w.commitErr.Text)
		}
		if n := countOf(t, s, "contact"); n != before+2 {
			t.Fatalf("%d contacts added", n-before)
		}
		var names []string
		s.List(context.Background(), "contact", data.ListFilter{}, func(r data.Record) error {
			c := r.(*data.Contact)
			names = append(names, c.Name+"/"+c.Nation+"/"+c.Email)
			return nil
		})
		if got := strings.Join(names, " "); !strings.Contains(got, "Laura Walker/USA/laura.walker@us.navy.mil") ||
			!strings.Contains(got, "Marcus Reid/USA/") {
			t.Fatalf("contacts %s", got)
		}
		test.Tap(w.open)
		if ui.nav[ui.current].name != "Contacts" {
			t.Fatalf("Show contacts opened %s", ui.nav[ui.current].name)
		}
	})
}

func TestImportWizardRequestsFromXLSX(t *testing.T) {
	// A request export read back: the wizard takes what Reports wrote.
	ui, s, sc := openReports(t, 0)
	pickReport(t, sc, "request", true, report.XLSX)
	path := filepath.Join(t.TempDir(), sc.fileName.Text)
	sc.saveTo(path)
	// Into the same store: the requests come in again, as new drafts.
	before := countOf(t, s, "request")
	w := openWizard(t, ui)
	w.kind.SetSelected("Priority-support requests")
	w.path.SetText(path)
	test.Tap(w.next)
	if w.step != 2 || w.next.Disabled() {
		t.Fatalf("step %d, next off %v: %s", w.step, w.next.Disabled(), w.mapError.Text)
	}
	test.Tap(w.next)
	if w.step != 3 || len(w.plan.Rows) == 0 {
		t.Fatalf("step %d: %s", w.step, w.mapError.Text)
	}
	if n := countOf(t, s, "request"); n != before {
		t.Fatalf("the dry run wrote %d requests", n-before)
	}
	for _, r := range w.plan.Rejected {
		if r.Field != "spa_case" { // a draft cannot have special priorities assistance
			t.Fatalf("rejected %+v", r)
		}
	}
	if len(w.plan.Rejected) > 0 {
		w.skip.SetChecked(true)
	}
	rows := len(w.plan.Rows)
	test.Tap(w.commit)
	if n := countOf(t, s, "request"); n != before+rows || w.step != 4 {
		t.Fatalf("%d requests added, want %d (step %d, %s)", n-before, rows, w.step, w.commitErr.Text)
	}
	if !strings.Contains(w.result.Text, "Imported "+strconv.Itoa(rows)+" priority-support requests") {
		t.Fatalf("result %q", w.result.Text)
	}
}

// tickingReporter calls tick after each progress tick of a write has
// reached the screen (in synchronous mode the screen's fyne.Do has run
// by then), so a test can act in the middle of a write.
type tickingReporter struct {
	reporter
	tick func(done, total int)
}

func (r tickingReporter) Write(ctx context.Context, o report.Options, f report.Format, w io.Writer) (report.Summary, error) {
	shown := o.Progress
	o.Progress = func(done, total int) {
		shown(done, total)
		r.tick(done, total)
	}
	return r.reporter.Write(ctx, o, f, w)
}
