package main

import (
	"os"
	"strings"
	"testing"
)

// An organisation through the real binary, with no 'peers add' anywhere:
// HQ (posted to IHQ) makes the organisation and enrols a hub and four
// laptops by their identity lines; each of them trusts the organisation
// once, after comparing its fingerprint; all sync with the hub and every
// laptop applies the others' work. HQ revokes the fourth laptop: after a
// round of syncs the hub refuses it, and so does a laptop it sends a
// bundle to. The organisation's key moves to a new HQ machine encrypted
// with the passphrase from LIAISONDESK_PASSPHRASE_FILE.
func TestAnOrganisationEndToEndThroughTheBinaryWithNoPeersAdd(t *testing.T) {
	e := newE2E(t)
	pass := e.path("passphrase")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LIAISONDESK_PASSPHRASE_FILE", pass)

	e.must("hq.db", "init", "--officer", "Brig HQ", "--rank", "Brigadier", "--posting", "IHQ")
	created := e.must("hq.db", "org", "init", "--name", "Indian Liaison Officers")
	orgLine := strings.TrimSpace(e.must("hq.db", "org", "identity"))
	if !strings.Contains(created, orgLine) {
		t.Fatalf("org init printed %q, org identity %q", created, orgLine)
	}
	if out := e.must("hub.db", "hub", "init", "--name", "Hub Delhi"); !strings.Contains(out, "posting IHQ") {
		t.Fatalf("hub init does not default to IHQ: %s", out)
	}
	hubID := strings.TrimSpace(e.must("hub.db", "identity"))
	e.must("hq.db", "org", "enrol", hubID, "--name", "hub", "--role", "hub")
	laptops := []string{"l1.db", "l2.db", "l3.db", "l4.db"}
	for i, db := range laptops {
		id := e.laptop(db, "CMF")
		e.must("hq.db", "org", "enrol", id, "--name", "laptop"+string(rune('1'+i)), "--until", "2099-12-31")
	}
	if _, errOut, err := e.run("hq.db", "", "org", "enrol", strings.TrimSpace(e.must("l1.db", "identity")), "--name", "again"); err == nil || !strings.Contains(errOut, "already on the roster") {
		t.Fatalf("enrolling laptop1 twice: %v %s", err, errOut)
	}
	fingerprint := e.must("hq.db", "org", "fingerprint", orgLine)
	for _, db := range append([]string{"hub.db"}, laptops...) {
		if got := e.must(db, "org", "fingerprint", orgLine); got != fingerprint {
			t.Fatalf("fingerprints differ: %q and %q", got, fingerprint)
		}
		if out := e.must(db, "org", "trust", orgLine); !strings.Contains(out, strings.TrimSpace(strings.Split(fingerprint, "fingerprint")[1])) {
			t.Fatalf("org trust does not print the fingerprint: %s", out)
		}
	}

	url, _ := e.serve("hub.db")
	e.must("hq.db", "sync", "--hub", url) // the roster reaches the hub
	for i, db := range laptops {
		e.mustIn(db, exchangeJSON("Work of laptop "+string(rune('1'+i))), "add", "exchange")
		e.must(db, "sync", "--hub", url)
	}
	for _, db := range laptops {
		e.must(db, "sync", "--hub", url)
	}
	for _, db := range laptops {
		out := e.must(db, "list", "exchange", "--json")
		for i := range laptops {
			if !strings.Contains(out, "Work of laptop "+string(rune('1'+i))) {
				t.Fatalf("%s lacks laptop %d's work", db, i+1)
			}
		}
		if q := e.must(db, "quarantine", "list", "--json"); strings.TrimSpace(q) != "[]" {
			t.Fatalf("%s holds changes for review: %s", db, q)
		}
	}
	if roster := e.must("l2.db", "org", "roster"); !strings.Contains(roster, "laptop4") || !strings.Contains(roster, "hub") {
		t.Fatalf("laptop2's roster: %s", roster)
	}

	e.must("hq.db", "org", "revoke", "laptop4", "--reason", "laptop lost")
	e.must("hq.db", "sync", "--hub", url)
	for _, db := range laptops[:3] {
		e.must(db, "sync", "--hub", url)
	}
	e.mustIn("l4.db", exchangeJSON("Written after the revocation"), "add", "exchange")
	if _, errOut, err := e.run("l4.db", "", "sync", "--hub", url); err == nil || !strings.Contains(errOut, "403") {
		t.Fatalf("the revoked laptop's sync: %v %s", err, errOut)
	}
	e.must("l4.db", "bundle", "create", "--to", "laptop1", "-o", e.path("from-l4.bundle"))
	if _, errOut, err := e.run("l1.db", "", "bundle", "import", e.path("from-l4.bundle")); err == nil || !strings.Contains(errOut, "revoked by the organisation") {
		t.Fatalf("laptop4's bundle at laptop1: %v %s", err, errOut)
	}

	// The key moves to HQ's new machine, encrypted to the passphrase.
	e.must("hq.db", "org", "export", e.path("org.key"))
	if raw, _ := os.ReadFile(e.path("org.key")); strings.Contains(string(raw), "liaisondesk-org-key") {
		t.Fatal("the exported key is not encrypted")
	}
	e.must("hq2.db", "init", "--officer", "Brig New", "--rank", "Brigadier", "--posting", "IHQ")
	e.must("hq2.db", "org", "import", e.path("org.key"))
	if got := strings.TrimSpace(e.must("hq2.db", "org", "identity")); got != orgLine {
		t.Fatalf("the new machine's organisation: %q", got)
	}

	for round := 0; round < 2; round++ {
		for _, db := range append([]string{"hq.db"}, laptops[:3]...) {
			e.must(db, "sync", "--hub", url)
		}
	}
	want := e.must("hq.db", "digest")
	for _, db := range append([]string{"hub.db"}, laptops[:3]...) {
		if got := e.must(db, "digest"); got != want {
			t.Fatalf("%s's digest %s, HQ's %s", db, got, want)
		}
	}
}
