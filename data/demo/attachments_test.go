package demo

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// demoFiles lists a filled store's attachments of exchanges and actions,
// with the exchanges they belong to.
func demoFiles(t *testing.T, s *store.Store) (files []data.Attachment, exchanges map[string]*data.Exchange) {
	t.Helper()
	ctx := context.Background()
	exchanges = map[string]*data.Exchange{}
	for _, k := range []data.Kind{data.KindExchange, data.KindAction} {
		by, err := s.AttachmentsByRecord(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		for id, list := range by {
			files = append(files, list...)
			if k == data.KindExchange {
				r, err := s.Get(ctx, k, id)
				if err != nil {
					t.Fatal(err)
				}
				exchanges[id] = r.(*data.Exchange)
			}
		}
	}
	slices.SortFunc(files, func(a, b data.Attachment) int { return strings.Compare(a.Name+a.SHA256, b.Name+b.SHA256) })
	return files, exchanges
}

// Some past exchanges, and some of their actions, carry generated minutes
// (valid PDFs) and whiteboard photos (PNGs that decode), at their
// record's marking; a planned exchange carries none, and the same seed
// gives the same files.
func TestTheDemoAttachesGeneratedPDFsAndImages(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	fill(t, s, Options{Exchanges: 300, Seed: 7})
	files, exchanges := demoFiles(t, s)
	if len(exchanges) == 0 || len(exchanges) > attachedExchanges {
		t.Fatalf("%d exchanges carry files", len(exchanges))
	}
	var pdfs, pngs, onActions int
	dir := t.TempDir()
	for _, a := range files {
		var b bytes.Buffer
		if err := s.WriteContent(ctx, a.SHA256, &b); err != nil {
			t.Fatal(err)
		}
		if a.ParentKind == data.KindAction {
			onActions++
		}
		switch a.MediaType {
		case "application/pdf":
			pdfs++
			if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b.Bytes(), []byte("%%EOF\n")) {
				t.Errorf("%s is not a PDF", a.Name)
			}
			if _, err := exec.LookPath("pdfinfo"); err == nil {
				p := filepath.Join(dir, a.Name)
				os.WriteFile(p, b.Bytes(), 0o600)
				if out, err := exec.Command("pdfinfo", p).CombinedOutput(); err != nil || strings.Contains(string(out), "Syntax Error") {
					t.Errorf("pdfinfo %s: %v\n%s", a.Name, err, out)
				}
			}
		case "image/png":
			pngs++
			if _, err := png.Decode(&b); err != nil {
				t.Errorf("%s: %v", a.Name, err)
			}
		default:
			t.Errorf("%s is %s", a.Name, a.MediaType)
		}
		if e := exchanges[a.ParentID]; e != nil {
			if e.State == data.StatePlanned || e.OccurredAt > testNow.Format("2006-01-02T15:04:05Z") {
				t.Errorf("%s is attached to a planned or future exchange (%s, %s)", a.Name, e.State, e.OccurredAt)
			}
			if a.Classification != e.Classification {
				t.Errorf("%s is marked %s, its exchange %s", a.Name, a.Classification, e.Classification)
			}
		}
	}
	if pdfs == 0 || pngs == 0 || onActions == 0 {
		t.Fatalf("%d PDFs, %d PNGs, %d on actions", pdfs, pngs, onActions)
	}

	again := openStore(t)
	fill(t, again, Options{Exchanges: 300, Seed: 7})
	files2, _ := demoFiles(t, again)
	if len(files2) != len(files) {
		t.Fatalf("the same seed attached %d files, then %d", len(files), len(files2))
	}
	for i := range files {
		if files[i].Name != files2[i].Name || files[i].SHA256 != files2[i].SHA256 {
			t.Errorf("the same seed gave %s %s, then %s %s", files[i].Name, files[i].SHA256[:12], files2[i].Name, files2[i].SHA256[:12])
		}
	}
}
