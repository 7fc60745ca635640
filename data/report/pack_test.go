package report

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// packStore is a store with one key exchange of the handover period,
// unclassified, carrying two files: the minutes at the record's level and
// a photo marked CONFIDENTIAL. It returns the files' paths.
func packStore(t *testing.T) (*store.Store, string, []string) {
	t.Helper()
	s := openStore(t)
	id := add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Boarding drills", OccurredAt: "2026-11-20T06:00:00Z",
		TimeZone: "Asia/Bahrain", Outcome: "Agreed a second drill", Marking: data.Marking{Classification: "UNCLASSIFIED"}})[0]
	dir := t.TempDir()
	files := []string{filepath.Join(dir, "minutes.pdf"), filepath.Join(dir, "whiteboard.png")}
	for i, f := range files {
		if err := os.WriteFile(f, bytes.Repeat([]byte{byte('a' + i)}, 5000+i), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if _, err := s.Attach(ctx, data.KindExchange, id, files[0], store.AttachOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, data.KindExchange, id, files[1], store.AttachOptions{Classification: "CONFIDENTIAL"}); err != nil {
		t.Fatal(err)
	}
	return s, id, files
}

func handoverOptions() Options {
	return Options{Kind: "handover", From: "2026-11-01", To: "2026-11-30"}
}

// readZip reads every entry of a zip by name.
func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b
	}
	return out
}

// A handover pack holds the report and every file attached to the records
// it lists, byte for byte; its name and README carry the highest marking
// inside (an attached file's, above the report's), the README names each
// file's record, size, hash and marking, and the pack is audited once.
func TestAHandoverPackCarriesTheFilesUnderTheirHighestMarking(t *testing.T) {
	ctx := context.Background()
	s, _, files := packStore(t)
	dir := t.TempDir()
	asked := filepath.Join(dir, "pack.zip")
	got, p, err := WritePack(ctx, s, handoverOptions(), asked)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "pack_CONFIDENTIAL.zip"); got != want {
		t.Errorf("written at %s, want %s", got, want)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 1 {
		t.Errorf("the folder holds %v, want the pack alone", names)
	}
	if p.Banner.Classification.ID != "CONFIDENTIAL" || len(p.Files) != 2 {
		t.Errorf("pack banner %s with %d files", p.Banner, len(p.Files))
	}
	entries := readZip(t, got)
	if len(entries) != 4 {
		t.Errorf("the zip holds %d entries, want the PDF, two files and the README", len(entries))
	}
	if !bytes.HasPrefix(entries[p.PDF.Path], []byte("%PDF")) {
		t.Errorf("no PDF at %s", p.PDF.Path)
	}
	readme := string(entries[PackReadme])
	if !strings.HasPrefix(readme, "CONFIDENTIAL\r\n") || !strings.HasSuffix(readme, "CONFIDENTIAL\r\n") {
		t.Errorf("README does not open and close with the banner:\n%s", readme)
	}
	for _, f := range files {
		want, _ := os.ReadFile(f)
		sum := sha256.Sum256(want)
		var found bool
		for name, b := range entries {
			if filepath.Base(name) == filepath.Base(f) {
				found = bytes.Equal(b, want)
			}
		}
		if !found {
			t.Errorf("%s is not in the pack byte for byte", filepath.Base(f))
		}
		for _, s := range []string{filepath.Base(f), hex.EncodeToString(sum[:]), "exchange “Boarding drills”"} {
			if !strings.Contains(readme, s) {
				t.Errorf("README lacks %q:\n%s", s, readme)
			}
		}
	}
	if !strings.Contains(readme, "(5001 bytes)\r\n   SHA-256") || !strings.Contains(readme, "Marking: CONFIDENTIAL\r\n") {
		t.Errorf("README lacks the photo's size or marking:\n%s", readme)
	}
	audit, err := s.Audit(ctx, data.AuditQuery{})
	if err != nil || len(audit) != 1 {
		t.Fatalf("audit = %+v, %v", audit, err)
	}
	if a := audit[0]; a.Name != "handover" || a.Format != "zip" || a.Classification != "CONFIDENTIAL" || a.File != "pack_CONFIDENTIAL.zip" {
		t.Errorf("audit entry = %+v", a)
	}
}

// The name always ends with the pack's own level: a level the name
// already ends with (the suggested name's, or one typed) is replaced, so
// no name under-states the zip.
func TestAPackNameCarriesItsLevelBeforeTheExtension(t *testing.T) {
	levels := data.OrderedLevels(nil)
	conf := data.Banner{Classification: data.Classification{ID: "CONFIDENTIAL"}}
	for asked, want := range map[string]string{
		"pack.zip":              "pack_CONFIDENTIAL.zip",
		"pack_UNCLASSIFIED.zip": "pack_CONFIDENTIAL.zip",
		"pack_restricted.ZIP":   "pack_CONFIDENTIAL.zip",
		"pack_CONFIDENTIAL.zip": "pack_CONFIDENTIAL.zip",
		"2026-11-25_handover-pack_CMF_UNCLASSIFIED.zip": "2026-11-25_handover-pack_CMF_CONFIDENTIAL.zip",
		filepath.Join("out", "SECRET.zip"):              filepath.Join("out", "SECRET_CONFIDENTIAL.zip"),
	} {
		if got := PackPath(asked, levels, conf); got != want {
			t.Errorf("PackPath(%s) = %s, want %s", asked, got, want)
		}
	}
}

// Under a ceiling, a record above it stays out with its files (an
// attached file's marking raises its record's): the pack takes the lower
// level and holds the report alone.
func TestAPackUnderACeilingLeavesOutTheRecordAboveItWithItsFiles(t *testing.T) {
	s, _, _ := packStore(t)
	o := handoverOptions()
	o.Ceiling = "RESTRICTED"
	got, p, err := WritePack(context.Background(), s, o, filepath.Join(t.TempDir(), "pack.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(got) != "pack_UNCLASSIFIED.zip" || len(p.Files) != 0 || p.Report.LeftOut != 1 {
		t.Fatalf("wrote %s with %d files, %d records left out", got, len(p.Files), p.Report.LeftOut)
	}
	entries := readZip(t, got)
	if len(entries) != 2 || !strings.Contains(string(entries[PackReadme]), "It holds 1 file besides this README") {
		t.Errorf("the pack holds %d entries; README:\n%s", len(entries), entries[PackReadme])
	}
}

// A pack is a zip of the handover: another file type or another report is
// refused, nothing is written and nothing audited.
func TestAPackRefusesAnotherFileOrReport(t *testing.T) {
	ctx := context.Background()
	s, _, _ := packStore(t)
	dir := t.TempDir()
	if _, _, err := WritePack(ctx, s, handoverOptions(), filepath.Join(dir, "pack.pdf")); data.FieldOf(err) != "file" {
		t.Errorf("a .pdf pack: %v", err)
	}
	if _, _, err := WritePack(ctx, s, Options{Kind: "weekly", From: "2026-11-01", To: "2026-11-30"}, filepath.Join(dir, "w.zip")); data.FieldOf(err) != "kind" {
		t.Errorf("a weekly pack: %v", err)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
		t.Errorf("left %v", names)
	}
	if audit, _ := s.Audit(ctx, data.AuditQuery{}); len(audit) != 0 {
		t.Errorf("audited %+v", audit)
	}
}
