package report

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// The memorandum lists each attachment (name, size, hash start, marking),
// and an attachment marked above the exchange raises the banner; a
// ceiling below it refuses the memorandum.
func TestTheMemorandumListsAttachmentsAndTakesTheirMarking(t *testing.T) {
	s, ids := markedStore(t)
	ctx := context.Background()
	id := ids["CONFXMARK"]
	p := filepath.Join(t.TempDir(), "signed-minutes.pdf")
	if err := os.WriteFile(p, []byte("%PDF-1.4 minutes"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := s.Attach(ctx, data.KindExchange, id, p, store.AttachOptions{Classification: "SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	b, sum := write(t, s, Options{Kind: "exchange", ID: id}, PDF)
	if sum.Banner.Classification.ID != "SECRET" {
		t.Errorf("banner %s, want SECRET", sum.Banner)
	}
	text := flat(strings.Join(pdfPages(t, b), "\n"))
	if want := "(SECRET) signed-minutes.pdf, 16 bytes, SHA-256 " + a.SHA256[:12]; !strings.Contains(text, want) {
		t.Errorf("memorandum lacks %q:\n%s", want, text)
	}
	if _, err := Write(ctx, s, Options{Kind: "exchange", ID: id, Ceiling: "CONFIDENTIAL"}, PDF, io.Discard); data.FieldOf(err) != "ceiling" {
		t.Errorf("a ceiling below the attachment: %v", err)
	}
}

// A JSON export carries each record's attachment metadata; a record
// without attachments keeps its plain form.
func TestAJSONExportCarriesAttachmentMetadata(t *testing.T) {
	s, ids := markedStore(t)
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(p, []byte("\x89PNG\r\n\x1a\nwhiteboard"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := s.Attach(ctx, data.KindExchange, ids["CONFXMARK"], p, store.AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := write(t, s, Options{Kind: "exchange", Export: true}, JSON)
	var doc struct {
		Sections []struct {
			Rows []map[string]json.RawMessage `json:"rows"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	with, without := 0, 0
	for _, sec := range doc.Sections {
		for _, r := range sec.Rows {
			raw, ok := r["attachments"]
			if !ok {
				without++
				continue
			}
			var list []data.AttachmentMeta
			if err := json.Unmarshal(raw, &list); err != nil || len(list) != 1 || list[0] != a.Meta() {
				t.Fatalf("attachments %s", raw)
			}
			with++
		}
	}
	if with != 1 || without == 0 {
		t.Fatalf("%d rows with attachments, %d without", with, without)
	}
}
