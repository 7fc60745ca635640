package gui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// pngFile writes a small picture (a whiteboard photo, say) to attach.
func pngFile(t *testing.T, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		for y := 0; y < 48; y++ {
			img.Set(x, y, color.RGBA{uint8(40 + x*3), uint8(90 + y*2), 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAnExchangeFormAttachesListsOpensAndMarksFiles(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 150 briefing", OccurredAt: "2026-11-20T06:00:00Z",
		TimeZone: "Asia/Bahrain", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	ids, err := s.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	ui.showSection("Exchanges")
	ui.exchanges.open(ids[0])
	at := ui.exchanges.frame.files
	if at == nil || !at.box.Visible() || len(at.files) != 0 {
		t.Fatal("a saved exchange shows no Attachments area")
	}

	// Added as the file dialog does, and dropped on the window.
	at.add([]string{pngFile(t, "whiteboard.png")})
	slides := filepath.Join(t.TempDir(), "slides.pdf")
	os.WriteFile(slides, []byte("%PDF-1.4 slides"), 0o600)
	at.dropped([]fyne.URI{storage.NewFileURI(slides)})
	if len(at.files) != 2 || at.files[0].Name != "slides.pdf" || at.files[1].Name != "whiteboard.png" || at.files[1].Classification != "RESTRICTED" {
		t.Fatalf("files %+v", at.files)
	}
	if !strings.Contains(ui.top.Text(), "RESTRICTED") {
		t.Fatalf("banner %q", ui.top.Text())
	}

	t.Run("an attachment marked higher raises the form's banner", func(t *testing.T) {
		if _, err := s.Attach(ctx, data.KindExchange, ids[0], slides, store.AttachOptions{Name: "minutes-signed.pdf", Classification: "SECRET"}); err != nil {
			t.Fatal(err)
		}
		ui.exchanges.open(ids[0])
		if !strings.HasPrefix(ui.top.Text(), "SECRET") || !strings.HasPrefix(ui.bottom.Text(), "SECRET") {
			t.Fatalf("banner %q", ui.top.Text())
		}
		ui.exchanges.frame.scroll.ScrollToBottom()
		capture(t, ui.Window(), "exchange-attachments")
	})

	t.Run("Open gives the viewer a copy in an owner-only folder, removed at exit", func(t *testing.T) {
		var opened string
		at.open = func(p string) error { opened = p; return nil }
		at.openCopy(at.files[len(at.files)-1])
		got, err := os.ReadFile(opened)
		if err != nil || !bytes.HasPrefix(got, []byte("\x89PNG")) || filepath.Base(opened) != "whiteboard.png" {
			t.Fatalf("opened %q (%v)", opened, err)
		}
		if st, err := os.Stat(filepath.Dir(opened)); err != nil || st.Mode().Perm() != 0o700 {
			t.Fatalf("folder mode %v (%v)", st.Mode(), err)
		}
		removeOpenedCopies()
		if _, err := os.Stat(filepath.Dir(opened)); !os.IsNotExist(err) {
			t.Fatal("the opened copy outlived the window")
		}
	})

	t.Run("a file over the limit is refused with a message and nothing attached", func(t *testing.T) {
		if err := s.SetAttachLimit(ctx, 10); err != nil {
			t.Fatal(err)
		}
		before := len(at.files)
		at.add([]string{slides})
		if len(at.files) != before {
			t.Fatal("an over-limit file was attached")
		}
		if len(ui.Window().Canvas().Overlays().List()) == 0 {
			t.Fatal("no message shown")
		}
	})
}

// Remove detaches the one attachment chosen, even when another has its
// name.
func TestRemoveDetachesTheAttachmentChosen(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	ids, err := s.Add(ctx, &data.Action{Title: "Send the minutes", Owner: "Cdr Rao", Status: "open"})
	if err != nil {
		t.Fatal(err)
	}
	ui.showSection("Actions")
	ui.actions.open(ids[0])
	at := ui.actions.frame.files
	at.add([]string{pngFile(t, "photo.png")})
	other := filepath.Join(t.TempDir(), "photo.png")
	os.WriteFile(other, []byte("another photo"), 0o600)
	at.add([]string{other})
	if len(at.files) != 2 {
		t.Fatalf("files %+v", at.files)
	}
	keep := at.files[1]
	at.confirmRemove(at.files[0])
	dialogs := ui.Window().Canvas().Overlays().List()
	if len(dialogs) == 0 {
		t.Fatal("no confirmation asked")
	}
	yes := buttonLabelled(dialogs[len(dialogs)-1], "Yes")
	if yes == nil {
		t.Fatal("the confirmation has no Yes")
	}
	test.Tap(yes)
	if len(at.files) != 1 || at.files[0].ID != keep.ID {
		t.Fatalf("left %+v, want %s", at.files, keep.ID)
	}
}

// buttonLabelled finds a button by its text in a tree of objects.
func buttonLabelled(o fyne.CanvasObject, text string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	var kids []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		kids = v.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(v).Objects()
	}
	for _, k := range kids {
		if b := buttonLabelled(k, text); b != nil {
			return b
		}
	}
	return nil
}

// The Sync screen imports a split bundle part by part, in any order: each
// part but the last is kept with a note of what is missing.
func TestTheSyncScreenImportsASplitBundlePartByPart(t *testing.T) {
	a, b, sa, sb := twoLaptops(t)
	enrol(t, a, "iyer", identityLine(t, sb))
	enrol(t, b, "sharma", identityLine(t, sa))
	id := addTitled(t, sa, "Briefing with a pack")
	pack := filepath.Join(t.TempDir(), "pack.pdf")
	os.WriteFile(pack, bytes.Repeat([]byte("%PDF briefing pack "), 1200), 0o600)
	if _, err := sa.Attach(context.Background(), data.KindExchange, id, pack, store.AttachOptions{}); err != nil {
		t.Fatal(err)
	}
	whole := sendBundle(t, a, "iyer")
	f, err := os.Open(whole)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	parts, err := replication.SplitBundle(f, st.Size(), replication.MinPartSize, filepath.Join(t.TempDir(), "split"))
	f.Close()
	if err != nil || len(parts) < 2 {
		t.Fatalf("%d parts (%v)", len(parts), err)
	}
	for i := len(parts) - 1; i > 0; i-- {
		sc := receive(t, b, parts[i])
		if !strings.Contains(sc.status.Text, "import parts") {
			t.Fatalf("part %d: %q", i+1, sc.status.Text)
		}
	}
	sc := receive(t, b, parts[0])
	if sc.asked == nil || sc.asked.title != "Bundle imported" {
		t.Fatalf("the last part: %+v (status %q)", sc.asked, sc.status.Text)
	}
	list, err := sb.Attachments(context.Background(), data.KindExchange, id)
	if err != nil || len(list) != 1 {
		t.Fatalf("attachments %v (%v)", list, err)
	}
}
