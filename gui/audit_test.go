package gui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/report"
)

// A report saved and a backup made in the window are each recorded once
// in the audit, which the Reports screen opens, newest first.
func TestTheWindowRecordsEachOutputOnceAndListsTheAudit(t *testing.T) {
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(themePreference, "light")
	ui, s := newTestAppOn(t, fa, "Col. A. Sharma")
	if _, err := demo.Fill(context.Background(), s, demo.Options{Exchanges: 60, Now: reportsToday, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ui.reports.now = func() time.Time { return reportsToday }
	ui.showSection("Reports")
	sc := ui.reports
	pickReport(t, sc, "weekly", false, report.PDF)
	sc.ceiling.SetSelected("CONFIDENTIAL")
	dir := t.TempDir()
	name := sc.fileName.Text
	sc.saveTo(filepath.Join(dir, name))
	if !strings.HasPrefix(sc.status.Text, "Saved ") {
		t.Fatalf("status %q", sc.status.Text)
	}
	ui.showSection("Settings")
	ui.settings.backupPass = testPassphrase // the window asks for it before an encrypted backup
	ui.settings.confirmBackup(filepath.Join(dir, "usb.db"))

	got, err := s.Audit(context.Background(), data.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].What != data.OutputReport || got[0].Name != "weekly" || got[0].File != name ||
		got[1].What != data.OutputBackup || got[1].File != "usb.db" {
		t.Fatalf("audit = %+v", got)
	}

	ui.showSection("Reports")
	overlays := ui.Window().Canvas().Overlays()
	test.Tap(sc.audit)
	if overlays.Top() == nil {
		t.Fatal("the Reports screen's button did not open the audit")
	}
	overlays.Top().Hide()
	overlays.Remove(overlays.Top())
	v := ui.showAudit()
	if len(v.rows) != 2 || !strings.HasPrefix(v.rows[0][3], "backup") || !strings.HasPrefix(v.rows[1][3], "report: weekly") ||
		v.rows[1][1] != "Col. A. Sharma" || v.rows[1][6] != name || v.status.Text != "2 outputs recorded." {
		t.Fatalf("rows %v, status %q", v.rows, v.status.Text)
	}
	capture(t, ui.Window(), "audit")
}
