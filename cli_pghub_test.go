package main

import (
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data/pgstore/pgtest"
)

// testPG is the PostgreSQL these tests make hub databases on, started at
// first use and stopped by TestMain.
var testPG pgtest.Lazy

// A laptop's verb given a PostgreSQL URL is refused before anything is
// opened, saying which verbs such a database answers.
func TestALaptopVerbOnAPostgresURLIsRefusedWithAdvice(t *testing.T) {
	for _, args := range [][]string{
		{"add", "exchange"},
		{"update", "exchange", "x"},
		{"report", "weekly", "-o", filepath.Join(t.TempDir(), "w.pdf")},
		{"list", "exchanges"},
		{"sync", "--hub", "http://127.0.0.1:1"},
		{"org", "enrol", "liaisondesk-identity-v1 x"},
		{"identity", "rotate"},
	} {
		for _, url := range []string{"postgres://hub@db.invalid/liaison", "postgresql:///liaison?host=/nonexistent"} {
			r := liaisondesk(t, url, meeting, args...)
			if r.code != 1 || !strings.Contains(r.stderr, "a PostgreSQL database holds a hub's replica, and") ||
				!strings.Contains(r.stderr, "use hub init, hub --listen, identity, peers, org, quarantine, digest or check") {
				t.Errorf("%s on %s: code %d, %s", args[0], url, r.code, r.stderr)
			}
		}
	}
}

// Only postgres:// and postgresql:// URLs name a database: anything else,
// a Windows path included, is a file.
func TestAWindowsPathStaysAPath(t *testing.T) {
	for _, p := range []string{`C:\Users\officer\liaisondesk.db`, "postgres:relative.db", "hub.db"} {
		got, err := storePath(p)
		if err != nil || !filepath.IsAbs(got) {
			t.Errorf("%s: %q %v, want an absolute path", p, got, err)
		}
	}
	url := "postgresql://hub:secret@db.example:5432/liaison?sslmode=verify-full"
	if got, _ := storePath(url); got != url {
		t.Errorf("a URL was rewritten: %q", got)
	}
}

// A hub's verbs work on its replica in PostgreSQL: init, identity, peers
// add, list and revoke, digest, check, and quarantine list, release and
// discard.
func TestTheHubsVerbsWorkOnPostgreSQL(t *testing.T) {
	url := testPG.Database(t)
	r := liaisondesk(t, url, "", "hub", "init", "--name", "hub-delhi")
	if r.code != 0 || !strings.Contains(r.stdout, "created hub hub-delhi") {
		t.Fatalf("hub init: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if again := liaisondesk(t, url, "", "hub", "init", "--name", "hub-two"); again.code != 1 || !strings.Contains(again.stderr, "already holds a hub") {
		t.Fatalf("a second hub init: %d %s", again.code, again.stderr)
	}
	id := liaisondesk(t, url, "", "identity")
	if id.code != 0 || !strings.HasPrefix(id.stdout, "liaisondesk-identity-v1") {
		t.Fatalf("identity: %d %s", id.code, id.stderr)
	}
	lap := newStore(t)
	lapID := strings.TrimSpace(liaisondesk(t, lap, "", "identity").stdout)
	if r := liaisondesk(t, url, "", "peers", "add", "sharma", lapID); r.code != 0 {
		t.Fatalf("peers add: %s", r.stderr)
	}
	if r := liaisondesk(t, url, "", "peers", "list"); r.code != 0 || !strings.Contains(r.stdout, "sharma") {
		t.Fatalf("peers list: %s %s", r.stdout, r.stderr)
	}
	if r := liaisondesk(t, url, "", "peers", "revoke", "sharma"); r.code != 0 {
		t.Fatalf("peers revoke: %s", r.stderr)
	}
	if r := liaisondesk(t, url, "", "peers", "revoke", "sharma"); r.code != 1 || !strings.Contains(r.stderr, "already revoked") {
		t.Fatalf("a second revoke: %s", r.stderr)
	}
	if r := liaisondesk(t, url, "", "digest"); r.code != 0 || len(strings.TrimSpace(r.stdout)) != 64 {
		t.Fatalf("digest: %s %s", r.stdout, r.stderr)
	}
	if r := liaisondesk(t, url, "", "check"); r.code != 0 || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("check: %s %s", r.stdout, r.stderr)
	}
	if r := liaisondesk(t, url, "", "quarantine", "list"); r.code != 0 || !strings.Contains(r.stdout, "nothing held for review") {
		t.Fatalf("quarantine list: %s %s", r.stdout, r.stderr)
	}
	for _, verb := range []string{"release", "discard"} { // the hub's operator reviews there (replicatest)
		if r := liaisondesk(t, url, "", "quarantine", verb, "abcd"); r.code != 1 || !strings.Contains(r.stderr, "nothing held from abcd") {
			t.Fatalf("quarantine %s of an author the hub holds nothing from: %d %s", verb, r.code, r.stderr)
		}
		if r := liaisondesk(t, url, "", "quarantine", verb, "ab%d"); r.code != 1 || !strings.Contains(r.stderr, "is not an author id") {
			t.Fatalf("quarantine %s of an id that is not hex: %d %s", verb, r.code, r.stderr)
		}
	}
	hq := newStore(t)
	orgLine := strings.TrimSpace(liaisondesk(t, hq, "", "org", "init", "--name", "Indian Navy").stdout)
	orgLine = orgLine[strings.LastIndex(orgLine, "\n")+1:]
	if r := liaisondesk(t, url, "", "org", "trust", orgLine); r.code != 0 || !strings.Contains(r.stdout, "trusting organisation Indian Navy") {
		t.Fatalf("org trust: %s %s", r.stdout, r.stderr)
	}
	if r := liaisondesk(t, url, "", "org", "roster"); r.code != 0 || !strings.Contains(r.stdout, "NAME") {
		t.Fatalf("org roster: %s %s", r.stdout, r.stderr)
	}
	if r := liaisondesk(t, url, "", "org", "init", "--name", "Another"); r.code != 1 || !strings.Contains(r.stderr, "org init does not work on it") {
		t.Fatalf("org init on a hub database: %d %s", r.code, r.stderr)
	}
}
