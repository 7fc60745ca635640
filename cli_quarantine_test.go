package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A bundle import names what it held for review and why, and the held
// list says whose word the officer's name is.
func TestBundleImportNamesWhatItHeld(t *testing.T) {
	a, b := twoEnrolledStores(t)
	c := filepath.Join(t.TempDir(), "c.db")
	if r := liaisondesk(t, c, "", "init", "--officer", "Cdr C", "--rank", "Commander", "--posting", "CMF"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	idA := strings.TrimSpace(liaisondesk(t, a, "", "identity").stdout)
	idC := strings.TrimSpace(liaisondesk(t, c, "", "identity").stdout)
	if r := liaisondesk(t, a, "", "peers", "add", "c", idC); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := liaisondesk(t, c, "", "peers", "add", "a", idA); r.code != 0 {
		t.Fatal(r.stderr)
	}
	liaisondesk(t, c, meeting, "add", "exchange")
	dir := t.TempDir()
	if r := liaisondesk(t, c, "", "bundle", "create", "--to", "a", "-o", filepath.Join(dir, "c-a")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := liaisondesk(t, a, "", "bundle", "import", filepath.Join(dir, "c-a")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := liaisondesk(t, a, "", "bundle", "create", "--to", "b", "-o", filepath.Join(dir, "a-b")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := liaisondesk(t, b, "", "bundle", "import", filepath.Join(dir, "a-b"))
	if r.code != 0 || !strings.Contains(r.stdout, `"held"`) ||
		!strings.Contains(r.stderr, "held for review:") || !strings.Contains(r.stderr, "Cdr C (claimed by the relaying peer)") ||
		!strings.Contains(r.stderr, "its author is not an enrolled peer") {
		t.Fatalf("the import does not name what it held: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = liaisondesk(t, b, "", "quarantine", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "Cdr C (claimed by the relaying peer)") || !strings.Contains(r.stdout, "its author is not an enrolled peer") {
		t.Fatalf("quarantine list: %d %q", r.code, r.stdout)
	}
}
