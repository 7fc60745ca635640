package gui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data/demo"
	"liaisondesk/data/report"
)

// TestReportsScreenshots captures the Reports screen after saving a
// request tracker under a ceiling, and each step of the import wizard
// over a contact register typed by hand, on a demo month of work. It runs
// only with LIAISONDESK_SHOTS set (a folder for the PNGs).
func TestReportsScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISONDESK_SHOTS")
	if dir == "" {
		t.Skip("set LIAISONDESK_SHOTS to a folder to capture the screens")
	}
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(themePreference, "light")
	ui, s := newTestAppOn(t, fa, "Col. A. Sharma")
	if _, err := demo.Fill(context.Background(), s, demo.Options{Now: reportsToday, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ui.reports.now = func() time.Time { return reportsToday }
	ui.showSection("Reports")
	sc := ui.reports
	pickReport(t, sc, "weekly", false, report.PDF)
	sc.ceiling.SetSelected("CONFIDENTIAL")
	sc.rel.SetText("USA, IND")
	sc.saveTo(filepath.Join(dir, sc.fileName.Text))
	// A real window lays itself out again when the result row appears;
	// the test canvas does on a resize.
	ui.Window().Resize(fyne.NewSize(1200, 781))
	ui.Window().Resize(fyne.NewSize(1200, 780))
	capture(t, ui.Window(), "reports")

	file := filepath.Join(t.TempDir(), "cmf-counterparts.csv")
	if err := os.WriteFile(file, []byte(wizardContacts), 0o644); err != nil {
		t.Fatal(err)
	}
	w := openWizard(t, ui)
	w.path.SetText(file)
	capture(t, ui.Window(), "import-1")
	test.Tap(w.next)
	w.mapping[0].SetSelected("name")
	w.mapping[4].SetSelected("nation")
	w.mapping[5].SetSelected("email")
	capture(t, ui.Window(), "import-2")
	test.Tap(w.next)
	capture(t, ui.Window(), "import")
	w.skip.SetChecked(true)
	test.Tap(w.commit)
	ui.Window().Resize(fyne.NewSize(1200, 780))
	capture(t, ui.Window(), "import-4")
}
