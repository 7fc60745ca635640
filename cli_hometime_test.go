package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportHomeTimeZoneFlag(t *testing.T) {
	db := newStore(t)
	id := strings.TrimSpace(liaisondesk(t, db, meeting, "add", "exchange").stdout)
	dir := t.TempDir()

	t.Run("an unknown zone is a mistake: exit 2, no file", func(t *testing.T) {
		path := filepath.Join(dir, "refused.pdf")
		r := liaisondesk(t, db, "", "report", "exchange", "--id", id, "--home-tz", "Asia/Atlantis", "-o", path)
		if r.code != 2 || !strings.Contains(r.stderr, "--home-tz") {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatal("a refused report left a file")
		}
	})
	t.Run("the memorandum prints the posting's time and the home zone's", func(t *testing.T) {
		path := filepath.Join(dir, "mfr.pdf")
		r := liaisondesk(t, db, "", "report", "exchange", "--id", id, "--home-tz", "Europe/London", "-o", path)
		if r.code != 0 {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext is missing: install poppler-utils")
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		// 06:00 UTC: 09:00 in Bahrain (the posting's zone), 06:00 in London.
		if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, "09:00 Bahrain · 06:00 London") {
			t.Errorf("memorandum text:\n%s", text)
		}
	})
}
