package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportEngagementBriefsAPlannedExchange: the brief of a planned
// exchange names both objectives, the counterpart and their last contact.
func TestReportEngagementBriefsAPlannedExchange(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing: install poppler-utils")
	}
	db := newStore(t)
	r := liaisondesk(t, db, `{"name":"Laura Walker","rank":"CDR","appointment":"Deputy N3","organisation":"CTF 151","nation":"USA"}`, "add", "contact")
	if r.code != 0 {
		t.Fatalf("add contact: %d %s", r.code, r.stderr)
	}
	walker := strings.TrimSpace(r.stdout)
	for _, past := range []string{
		`{"posting":"CMF","kind":"meeting","title":"Older call on CTF 151","occurred_at":"2026-10-01T06:00:00Z","classification":"UNCLASSIFIED","counterparts":["` + walker + `"]}`,
		`{"posting":"CMF","kind":"meeting","title":"Escort debrief with N3","occurred_at":"2026-11-05T06:00:00Z","classification":"UNCLASSIFIED","counterparts":["` + walker + `"]}`,
	} {
		if r := liaisondesk(t, db, past, "add", "exchange"); r.code != 0 {
			t.Fatalf("add past exchange: %d %s", r.code, r.stderr)
		}
	}
	planned := strings.Replace(plannedMeeting, `"state":"planned"`, `"state":"planned","counterparts":["`+walker+`"]`, 1)
	r = liaisondesk(t, db, planned, "add", "exchange")
	if r.code != 0 {
		t.Fatalf("add planned: %d %s", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)

	path := filepath.Join(t.TempDir(), "brief.pdf")
	if r := liaisondesk(t, db, "", "report", "engagement", "--id", id, "-o", path); r.code != 0 || !strings.Contains(r.stdout, "wrote "+path) {
		t.Fatalf("report engagement: %d %s %s", r.code, r.stdout, r.stderr)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"RESTRICTED//REL TO USA, IND", "Agree the drill schedule", "Obtain the contact list",
		"Laura Walker", "Escort debrief with N3", "No ship numbers."} {
		if !strings.Contains(text, want) {
			t.Errorf("the brief lacks %q:\n%s", want, text)
		}
	}
	if newer, older := strings.Index(text, "Escort debrief with N3"), strings.Index(text, "Older call on CTF 151"); older < newer {
		t.Errorf("last contacts are not newest first:\n%s", text)
	}
	if r := liaisondesk(t, db, "", "report", "engagement", "-o", path); r.code == 0 {
		t.Errorf("a brief without --id was written")
	}
}
