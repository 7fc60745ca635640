package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A report, an export and a backup made on the command line are each
// recorded once, and `audit --json` lists them with stable field names.
func TestAuditListsEachReportExportAndBackupOnce(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	if r := liaisondesk(t, db, meeting, "add", "exchange"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, args := range [][]string{
		{"report", "weekly", "--from", "2026-11-16", "--to", "2026-11-22", "-o", filepath.Join(dir, "weekly.pdf")},
		{"export", "exchange", "-o", filepath.Join(dir, "all.csv")},
		{"backup", filepath.Join(dir, "usb.db")},
	} {
		if r := liaisondesk(t, db, "", args...); r.code != 0 {
			t.Fatalf("%v: %d %s", args, r.code, r.stderr)
		}
	}
	r := liaisondesk(t, db, "", "audit", "--json")
	var raw []map[string]json.RawMessage
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &raw) != nil || len(raw) != 3 {
		t.Fatalf("audit --json: %d %s %s", r.code, r.stdout, r.stderr)
	}
	want := []string{"at", "classification", "device", "file", "format", "id", "name", "officer", "releasability", "rows", "site", "what"}
	for _, e := range raw {
		var keys []string
		for k := range e {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Fatalf("fields %v, want %v", keys, want)
		}
	}
	var entries []struct{ What, Name, File, Officer, Classification string }
	json.Unmarshal([]byte(r.stdout), &entries)
	got := []string{}
	for _, e := range entries {
		got = append(got, e.What+" "+e.Name+" "+e.File+" "+e.Classification)
		if e.Officer != "Col. A. Sharma" {
			t.Errorf("officer %q", e.Officer)
		}
	}
	if strings.Join(got, "; ") != "report weekly weekly.pdf RESTRICTED; export exchange all.csv RESTRICTED; backup  usb.db RESTRICTED" {
		t.Errorf("audit = %v", got)
	}

	text := liaisondesk(t, db, "", "audit", "--from", "2000-01-01")
	if text.code != 0 || !strings.Contains(text.stdout, "OFFICER") || !strings.Contains(text.stdout, "RESTRICTED REL TO USA, IND") {
		t.Errorf("audit: %d %s %s", text.code, text.stdout, text.stderr)
	}
	if none := liaisondesk(t, db, "", "audit", "--to", "2000-01-01"); none.code != 0 || !strings.Contains(none.stdout, "nothing has left") {
		t.Errorf("audit --to 2000-01-01: %d %s", none.code, none.stdout)
	}
	if bad := liaisondesk(t, db, "", "audit", "--from", "yesterday"); bad.code != 2 {
		t.Errorf("a malformed day: %d %s", bad.code, bad.stderr)
	}
}

// Nobody edits or deletes an audit entry on the command line: refused,
// saying why.
func TestAuditEntriesCannotBeChangedOrDeleted(t *testing.T) {
	db := newStore(t)
	if r := liaisondesk(t, db, "", "backup", filepath.Join(t.TempDir(), "usb.db")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	var entries []struct{ ID string }
	json.Unmarshal([]byte(liaisondesk(t, db, "", "audit", "--json").stdout), &entries)
	if len(entries) != 1 {
		t.Fatalf("audit holds %d entries", len(entries))
	}
	for _, args := range [][]string{{"update", "audit", entries[0].ID}, {"delete", "audit", entries[0].ID}} {
		r := liaisondesk(t, db, `{"file":"innocent.db"}`, args...)
		if r.code == 0 || !strings.Contains(r.stderr, "append-only") {
			t.Errorf("%v: %d %q", args, r.code, r.stderr)
		}
	}
}
