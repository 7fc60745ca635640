package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/report"
)

func TestDocumentThroughTheForm(t *testing.T) {
	t.Run("typed, linked to an exchange, saved; attachments and banner follow", func(t *testing.T) {
		a, s := newTestApp(t)
		ctx := context.Background()
		ids, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "briefing_received", Title: "N2 threat brief",
			OccurredAt: "2026-11-18T06:00:00Z", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
		if err != nil {
			t.Fatal(err)
		}
		a.showSection("Documents")
		sc := findDocuments(t, a)
		test.Tap(sc.newBtn)
		f := sc.form
		if f.disposition.Selected != data.DispositionHeld || f.received.Text == "" {
			t.Fatalf("a new document is %q, received %q", f.disposition.Selected, f.received.Text)
		}
		test.Type(f.titleEntry, "CTF 150 threat assessment")
		f.received.SetText("2026-11-18")
		f.classification.SetSelected("CONFIDENTIAL")
		f.category.SetSelected("2")
		f.disclosure.SetSelected("documentary")
		test.Type(f.control, "C-0042")
		test.Type(f.releaseRef, "FDO-26-114")
		f.exchange.SetSelected("2026-11-18  N2 threat brief")
		pressCtrlS(t, a)
		if sc.frame.editing {
			t.Fatalf("still editing after Ctrl+S: %v", sc.frame.lastErr)
		}
		rec, err := s.Get(ctx, data.KindDocument, sc.frame.id)
		if err != nil {
			t.Fatal(err)
		}
		if d := rec.(*data.Document); d.ExchangeID != ids[0] || d.ControlNumber != "C-0042" || d.Category != "2" || d.Classification != "CONFIDENTIAL" {
			t.Fatalf("stored %+v", d)
		}
		if !strings.Contains(a.top.Text(), "CONFIDENTIAL") {
			t.Fatalf("banner %q", a.top.Text())
		}
		at := sc.frame.files
		if at == nil || !at.box.Visible() {
			t.Fatal("a saved document shows no Attachments area")
		}
		annex := filepath.Join(t.TempDir(), "annex-b.pdf")
		if err := os.WriteFile(annex, []byte("%PDF-1.4 annex"), 0o600); err != nil {
			t.Fatal(err)
		}
		at.add([]string{annex})
		if len(at.files) != 1 || at.files[0].Name != "annex-b.pdf" || at.files[0].Classification != "CONFIDENTIAL" {
			t.Fatalf("files %+v", at.files)
		}
		if f.openExchange.Hidden {
			t.Fatal("no way to open the exchange it was received in")
		}
		sc.frame.close()
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].Values["control_number"] != "C-0042" {
			t.Fatalf("list rows %v", rows)
		}
	})

	t.Run("a disposition without its date, and a date in the future, are named beside the field", func(t *testing.T) {
		a, s := newTestApp(t)
		a.showSection("Documents")
		sc := findDocuments(t, a)
		test.Tap(sc.newBtn)
		f := sc.form
		test.Type(f.titleEntry, "Boarding drill card")
		f.received.SetText("2026-11-18")
		f.disposition.SetSelected(data.DispositionDestroyed)
		if msg := f.ff.errorText("disposition_on"); !strings.Contains(msg, "required") {
			t.Fatalf("disposition_on problem %q", msg)
		}
		pressCtrlS(t, a)
		if n := storeCount(t, s, "documents"); n != 0 {
			t.Fatalf("%d documents stored", n)
		}
		f.disposition.SetSelected(data.DispositionHeld)
		f.received.SetText(time.Now().AddDate(1, 0, 0).Format(data.DateLayout))
		pressCtrlS(t, a)
		if msg := f.ff.errorText("received_on"); !strings.Contains(msg, "future") {
			t.Fatalf("received_on problem %q", msg)
		}
		if n := storeCount(t, s, "documents"); n != 0 {
			t.Fatalf("%d documents stored", n)
		}
	})
}

// TestTheExchangePickerHidesTitlesAboveTheDocument: an exchange marked
// above the document is offered by date, kind and level only, so nothing
// on screen outranks the banners; raising the document's level shows it.
func TestTheExchangePickerHidesTitlesAboveTheDocument(t *testing.T) {
	a, s := newTestApp(t)
	if _, err := s.Add(context.Background(), &data.Exchange{Posting: "CMF", Kind: "briefing_received", Title: "Submarine movements brief",
		OccurredAt: "2026-11-18T06:00:00Z", Marking: data.Marking{Classification: "SECRET", Releasability: []string{"USA", "IND"}}}); err != nil {
		t.Fatal(err)
	}
	a.showSection("Documents")
	sc := findDocuments(t, a)
	test.Tap(sc.newBtn)
	f := sc.form
	f.classification.SetSelected("CONFIDENTIAL")
	options := strings.Join(f.exchange.Options, " | ")
	if strings.Contains(options, "Submarine") || !strings.Contains(options, "2026-11-18  briefing received (SECRET)") {
		t.Fatalf("options under CONFIDENTIAL: %s", options)
	}
	f.classification.SetSelected("SECRET")
	if options := strings.Join(f.exchange.Options, " | "); !strings.Contains(options, "2026-11-18  Submarine movements brief") {
		t.Fatalf("options under SECRET: %s", options)
	}
}

func findDocuments(t *testing.T, a *App) *documentsScreen {
	t.Helper()
	_, p, ok := a.sectionOf(data.KindDocument)
	if !ok {
		t.Fatal("no Documents section")
	}
	for _, it := range a.nav {
		if sc, ok := it.sec.(*documentsScreen); ok && &sc.recordPages == p {
			return sc
		}
	}
	t.Fatal("the Documents section is not a documentsScreen")
	return nil
}

// TestDocumentsRegisterScreenshot captures the documents register over a
// demo month. It runs only with LIAISONDESK_SHOTS set.
func TestDocumentsRegisterScreenshot(t *testing.T) {
	if os.Getenv("LIAISONDESK_SHOTS") == "" {
		t.Skip("set LIAISONDESK_SHOTS to a folder to capture the screens")
	}
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(themePreference, "light")
	ui, s := newTestAppOn(t, fa, "Col. A. Sharma")
	if _, err := demo.Fill(context.Background(), s, demo.Options{Exchanges: 120, Now: reportsToday, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ui.showSection("Documents")
	sc := findDocuments(t, ui)
	sc.list.reload()
	ui.Window().Resize(fyne.NewSize(1200, 781))
	ui.Window().Resize(fyne.NewSize(1200, 780))
	capture(t, ui.Window(), "documents-register")
	sc.open(listRows(t, sc.list)[0].ID)
	capture(t, ui.Window(), "document-form")
}

// TestTheReportsScreenWritesTheDocumentsRegister: the register is picked
// and saved from the Reports screen like any report, under its banner.
func TestTheReportsScreenWritesTheDocumentsRegister(t *testing.T) {
	_, _, sc := openReports(t, 40)
	pickReport(t, sc, "documents", false, report.PDF)
	path := filepath.Join(t.TempDir(), sc.fileName.Text)
	if !strings.Contains(sc.fileName.Text, "documents-register") {
		t.Fatalf("file name %q (%s)", sc.fileName.Text, sc.note.Text)
	}
	sc.saveTo(path)
	if !strings.HasPrefix(sc.status.Text, "Saved "+filepath.Base(path)) {
		t.Fatalf("status %q", sc.status.Text)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("not a PDF: %v", err)
	}
	if sc.preview.summary.Rows != 8 {
		t.Fatalf("the register holds %d documents, want the demo's 8", sc.preview.summary.Rows)
	}
}

// TestADocumentInConflictIsTitledAndMarked: two laptops edit one
// document's control number between syncs; the Conflicts screen names the
// document, opens it, and its banners carry the document's marking.
func TestADocumentInConflictIsTitledAndMarked(t *testing.T) {
	a, b, sa, sb := twoLaptops(t)
	ctx := context.Background()
	enrol(t, a, "iyer", identityLine(t, sb))
	enrol(t, b, "sharma", identityLine(t, sa))
	ids, err := sa.Add(ctx, &data.Document{Title: "Mine countermeasures survey extract", ReceivedOn: "2026-11-18",
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}, ControlNumber: "C-0158"})
	if err != nil {
		t.Fatal(err)
	}
	receive(t, b, sendBundle(t, a, "iyer"))
	if err := sa.Update(ctx, data.KindDocument, ids[0], []byte(`{"control_number": "C-0158/1"}`)); err != nil {
		t.Fatal(err)
	}
	if err := sb.Update(ctx, data.KindDocument, ids[0], []byte(`{"control_number": "C-0158/2"}`)); err != nil {
		t.Fatal(err)
	}
	receive(t, a, sendBundle(t, b, "sharma"))
	sc := openConflicts(a)
	card := cardFor(t, sc, ids[0], "control_number")
	if card.title != "Mine countermeasures survey extract" || card.open == nil {
		t.Fatalf("card titled %q, open %v", card.title, card.open != nil)
	}
	if !strings.Contains(a.top.Text(), "CONFIDENTIAL") {
		t.Fatalf("banner %q over a CONFIDENTIAL document's conflict", a.top.Text())
	}
	test.Tap(card.open)
	if a.nav[a.current].name != "Documents" {
		t.Fatalf("Open record shows %s", a.nav[a.current].name)
	}
}
