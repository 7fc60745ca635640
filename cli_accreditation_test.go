package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// With an accreditation whose DDL ceiling is CONFIDENTIAL, a SECRET
// exchange the officer received is refused without --justify (exit 1, the
// DDL named, nothing written) and saved with it; the note shows in
// `show` and in the memorandum for record.
func TestAnExchangeReceivedAboveTheDDLCeilingNeedsJustify(t *testing.T) {
	db := newStore(t)
	if r := liaisondesk(t, db, `{"officer":"Col. A. Sharma","ddl_ceiling":"CONFIDENTIAL"}`, "add", "accreditation"); r.code != 0 {
		t.Fatalf("add accreditation with officer and ddl_ceiling alone: %d %s", r.code, r.stderr)
	}
	secret := `{"posting":"CMF","kind":"briefing_received","title":"J2 threat brief","occurred_at":"2026-11-20T06:00:00Z",` +
		`"classification":"SECRET","releasability":["USA","IND"],"direction":"received","disclosure":"oral"}`

	r := liaisondesk(t, db, secret, "add", "exchange")
	if r.code != 1 || !strings.Contains(r.stderr, "DDL ceiling CONFIDENTIAL") || !strings.Contains(r.stderr, "--justify") {
		t.Fatalf("without --justify: exit %d, stderr %q; want exit 1 naming the DDL ceiling and --justify", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "list", "exchange"); strings.Contains(r.stdout, "J2 threat brief") {
		t.Fatalf("a refused exchange was written:\n%s", r.stdout)
	}

	const note = "Briefed above the ceiling by the J2 in person; FDO informed the same day."
	r = liaisondesk(t, db, secret, "add", "exchange", "--justify", note)
	if r.code != 0 {
		t.Fatalf("with --justify: %d %s", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	if r := liaisondesk(t, db, "", "show", "exchange", id); r.code != 0 || !strings.Contains(r.stdout, note) {
		t.Fatalf("show lacks the justification: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Clearing it by update is refused the same way; --justify on update sets it.
	if r := liaisondesk(t, db, `{"ddl_justification":""}`, "update", "exchange", id); r.code != 1 || !strings.Contains(r.stderr, "DDL") {
		t.Errorf("clearing the justification: exit %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, `{"disclosure":"documentary"}`, "update", "exchange", id, "--justify", "Handed the slides."); r.code != 0 {
		t.Errorf("update with --justify: exit %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, `{"name":"X"}`, "add", "contact", "--justify", "why"); r.code != 2 {
		t.Errorf("--justify on a contact: exit %d %s", r.code, r.stderr)
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing: install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "memo.pdf")
	if r := liaisondesk(t, db, "", "report", "exchange", "--id", id, "-o", path); r.code != 0 {
		t.Fatalf("memorandum: %d %s", r.code, r.stderr)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Disclosure authority (DDL)", "justification: Handed the slides."} {
		if !strings.Contains(text, want) {
			t.Errorf("the memorandum lacks %q:\n%s", want, text)
		}
	}
}

// The NDP-1 category names are data: listed with their fixed numbers and
// renamed by HQ.
func TestCategoryListAndRename(t *testing.T) {
	if r := liaisondesk(t, newStore(t), "", "category", "rename", "6", "US", "Order", "of", "Battle"); r.code != 1 || !strings.Contains(r.stderr, "set by HQ") {
		t.Errorf("a laptop renamed a category: exit %d %s", r.code, r.stderr)
	}
	db := hqStore(t)
	r := liaisondesk(t, db, "", "category", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "8  Military Intelligence") {
		t.Fatalf("category list: %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r := liaisondesk(t, db, "", "category", "rename", "6", "US", "Order", "of", "Battle"); r.code != 0 {
		t.Fatalf("rename: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "category", "list"); !strings.Contains(r.stdout, "6  US Order of Battle") {
		t.Errorf("after rename:\n%s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "category", "rename", "9", "Nuclear"); r.code != 1 {
		t.Errorf("a ninth category: exit %d %s", r.code, r.stderr)
	}
}
