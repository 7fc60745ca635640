package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report handover --attachments through the binary: a record with two
// attached files, one CONFIDENTIAL, gives a zip named and read-me'd
// CONFIDENTIAL (above the record's RESTRICTED) holding the PDF and both
// files byte for byte; stdout names the path actually written.
func TestAHandoverPackThroughTheBinary(t *testing.T) {
	e := newE2E(t)
	e.must("a.db", "init", "--officer", "Col. A. Sharma", "--rank", "Colonel", "--posting", "CMF")
	withOutcome := strings.Replace(meeting, `"summary"`, `"outcome":"Second drill agreed","summary"`, 1)
	id := strings.TrimSpace(e.mustIn("a.db", withOutcome, "add", "exchange"))
	files := map[string][]byte{"minutes.pdf": []byte("%PDF-1.4\nsigned minutes\n%%EOF\n"), "whiteboard.png": bytes.Repeat([]byte("\x89PNG whiteboard "), 4000)}
	for name, b := range files {
		if err := os.WriteFile(e.path(name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	e.must("a.db", "attach", "exchange", id, e.path("minutes.pdf"))
	e.must("a.db", "attach", "exchange", id, e.path("whiteboard.png"), "--marking", "CONFIDENTIAL")
	out := filepath.Join(t.TempDir(), "pack.zip")
	stdout := e.must("a.db", "report", "handover", "--attachments", "--from", "2026-11-01", "--to", "2026-11-30", "-o", out)
	want := filepath.Join(filepath.Dir(out), "pack_CONFIDENTIAL.zip")
	if !strings.HasPrefix(stdout, "wrote "+want+": ") || !strings.Contains(stdout, "2 attached files") {
		t.Fatalf("stdout: %s", stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a zip named without its level is at %s", out)
	}
	zr, err := zip.OpenReader(want)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got := map[string][]byte{}
	var pdfs int
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		got[filepath.Base(f.Name)] = b
		if strings.Contains(f.Name, "handover-pack") && bytes.HasPrefix(b, []byte("%PDF")) {
			pdfs++
		}
	}
	for name, b := range files {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s is not in the pack byte for byte", name)
		}
	}
	readme := string(got["README.txt"])
	if pdfs != 1 || !strings.HasPrefix(readme, "CONFIDENTIAL//REL TO USA, IND\r\n") || !strings.Contains(readme, "Marking: CONFIDENTIAL//REL TO USA, IND") {
		t.Errorf("%d PDFs; README:\n%s", pdfs, readme)
	}
	if audit := e.must("a.db", "audit"); !strings.Contains(audit, "pack_CONFIDENTIAL.zip") {
		t.Errorf("the pack is not in the audit:\n%s", audit)
	}

	t.Run("bad input is refused, nothing written", func(t *testing.T) {
		dir := t.TempDir()
		for _, args := range [][]string{
			{"report", "handover", "--attachments", "--from", "2026-11-01", "--to", "2026-11-30", "-o", filepath.Join(dir, "pack.pdf")},
			{"report", "handover", "--attachments", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx", "-o", filepath.Join(dir, "pack.zip")},
			{"report", "weekly", "--attachments", "--from", "2026-11-01", "--to", "2026-11-30", "-o", filepath.Join(dir, "pack.zip")},
			{"report", "handover", "--attachments", "--from", "2026-11-01", "--to", "2026-11-30", "-o", "-"},
		} {
			_, stderr, err := e.run("a.db", "", args...)
			if err == nil || !strings.Contains(stderr, "--attachments") {
				t.Errorf("%v: %v %s", args, err, stderr)
			}
		}
		if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
			t.Errorf("left %v", names)
		}
	})
}
