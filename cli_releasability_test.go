package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// hqStore is HQ's store: posted to IHQ, holding the organisation's key.
func hqStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "hq.db")
	if r := liaisondesk(t, db, "", "init", "--officer", "Brig. K. Rao", "--rank", "Brigadier", "--posting", "IHQ"); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "org", "init", "--name", "Indian Liaison Officers"); r.code != 0 {
		t.Fatalf("org init: %d %s", r.code, r.stderr)
	}
	return db
}

func TestAGroupWithAFlaggedNationWarnsOnStderrAndExpandsToItsNations(t *testing.T) {
	db := hqStore(t)
	if r := liaisondesk(t, db, "", "releasability", "flag", "PAK", "--reason", "No releasability agreement"); r.code != 0 {
		t.Fatalf("flag: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "releasability", "group", "GULF", "--nations", "BHR,ARE,PAK", "--title", "Gulf partners"); r.code != 0 {
		t.Fatalf("group: %d %s", r.code, r.stderr)
	}
	r := liaisondesk(t, db, "", "releasability", "list", "--json")
	var got struct {
		Groups []struct {
			ID      string   `json:"id"`
			Nations []string `json:"nations"`
			BuiltIn bool     `json:"built_in"`
		} `json:"groups"`
		Flags []struct{ ID, Reason string } `json:"flags"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got.Flags) != 1 || got.Flags[0].ID != "PAK" {
		t.Fatalf("list: %v %s", err, r.stdout)
	}
	names := map[string]bool{}
	for _, g := range got.Groups {
		names[g.ID] = g.BuiltIn
	}
	if !names["FVEY"] || !names["CMF"] || names["GULF"] {
		t.Fatalf("groups %v (built in: true)", names)
	}

	ex := `{"posting":"CMF","kind":"meeting","title":"CTF 152 brief","occurred_at":"2026-11-20T06:00:00Z","classification":"RESTRICTED","releasability":["IND","GULF"]}`
	r = liaisondesk(t, db, ex, "add", "exchange")
	if r.code != 0 || !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stderr, "GULF includes nations HQ flagged: PAK (No releasability agreement)") {
		t.Fatalf("add with a flagged group: %d %q", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	var e struct{ Releasability []string }
	if err := json.Unmarshal([]byte(liaisondesk(t, db, "", "show", "exchange", id, "--json").stdout), &e); err != nil {
		t.Fatal(err)
	}
	if strings.Join(e.Releasability, ",") != "IND,BHR,ARE,PAK" {
		t.Fatalf("releasability saved as %v", e.Releasability)
	}
	if r := liaisondesk(t, db, `{"releasability":["FVEY"]}`, "update", "exchange", id); r.code != 0 || r.stderr != "" {
		t.Fatalf("update to FVEY (no flagged nation): %d %q", r.code, r.stderr)
	}
}

func TestALaptopCannotSetGroupsOrFlags(t *testing.T) {
	db := newStore(t)
	for _, args := range [][]string{{"releasability", "flag", "CHN", "--reason", "x"}, {"releasability", "group", "GULF", "--nations", "BHR"},
		{"releasability", "unflag", "CHN"}} {
		if r := liaisondesk(t, db, "", args...); r.code != 1 || (!strings.Contains(r.stderr, "set by HQ") && !strings.Contains(r.stderr, "not found")) {
			t.Fatalf("%v on a laptop: %d %s", args, r.code, r.stderr)
		}
	}
	if r := liaisondesk(t, db, "", "releasability", "list"); r.code != 0 || !strings.Contains(r.stdout, "FVEY (built in)") {
		t.Fatalf("list on a laptop: %d %s", r.code, r.stdout)
	}
}
