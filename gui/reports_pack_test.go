package gui

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/report"
	"liaisondesk/data/store"
)

// "Include attached files" shows for the handover only, holds the format
// at PDF, previews the zip's banner and its attached files, and saves a
// zip named with that banner holding both files byte for byte; the empty
// file the dialog made under the name asked for is gone.
func TestReportsScreenSavesAHandoverPackWithItsAttachedFiles(t *testing.T) {
	_, s, sc := openReports(t, 40)
	ctx := context.Background()
	var key string
	err := s.ReportExchanges(ctx, data.ExchangeQuery{From: reportsToday.AddDate(0, -1, 0).Format(data.DateLayout)}, func(e *data.Exchange) error {
		if key == "" && strings.TrimSpace(e.Outcome) != "" {
			key = e.ID
		}
		return nil
	})
	if err != nil || key == "" {
		t.Fatalf("no key exchange in the period: %v", err)
	}
	dir := t.TempDir()
	files := map[string][]byte{"minutes.pdf": []byte("%PDF-1.4\nminutes\n%%EOF\n"), "whiteboard.png": bytes.Repeat([]byte("png"), 3000)}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Attach(ctx, data.KindExchange, key, p, store.AttachOptions{Classification: "SECRET"}); err != nil {
			t.Fatal(err)
		}
	}

	pickReport(t, sc, "weekly", false, report.CSV)
	shown := func() bool { return sc.form.rows["files"].cell.Visible() }
	if shown() {
		t.Fatal("the check box shows for the weekly report")
	}
	pickReport(t, sc, "handover", false, report.XLSX)
	if !shown() || sc.files.Checked {
		t.Fatalf("for the handover: shown %v, ticked %v", shown(), sc.files.Checked)
	}
	test.Tap(sc.files)
	if sc.format.Selected != "PDF" || !sc.format.Disabled() {
		t.Fatalf("format %q, locked %v", sc.format.Selected, sc.format.Disabled())
	}
	sc.posting.SetSelected("All postings")
	p := sc.preview
	if !p.ok || p.pack == nil || len(p.pack.Files) < 2 || p.pack.Banner.Classification.ID != "SECRET" {
		t.Fatalf("preview %+v", p)
	}
	if !strings.HasSuffix(sc.fileName.Text, "_SECRET.zip") {
		t.Fatalf("suggested name %q", sc.fileName.Text)
	}

	asked := filepath.Join(t.TempDir(), "pack.zip")
	os.WriteFile(asked, nil, 0o600) // as the save dialog leaves it
	sc.saveTo(asked)
	want := filepath.Join(filepath.Dir(asked), "pack_SECRET.zip")
	if sc.saved != want || !strings.HasPrefix(sc.status.Text, "Saved pack_SECRET.zip") || !sc.openFile.Visible() {
		t.Fatalf("saved %q; status %q", sc.saved, sc.status.Text)
	}
	if _, err := os.Stat(asked); !os.IsNotExist(err) {
		t.Errorf("the dialog's empty file is still at %s", asked)
	}
	zr, err := zip.OpenReader(want)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got := map[string][]byte{}
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		got[filepath.Base(f.Name)] = b
	}
	for name, b := range files {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s is not in the pack byte for byte", name)
		}
	}
	if !strings.HasPrefix(string(got[report.PackReadme]), "SECRET") {
		t.Errorf("README:\n%s", got[report.PackReadme])
	}

	test.Tap(sc.files)
	if sc.format.Disabled() || sc.preview.pack != nil {
		t.Fatalf("unticked: format locked %v, pack %v", sc.format.Disabled(), sc.preview.pack)
	}
}
