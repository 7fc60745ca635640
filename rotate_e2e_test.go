package main

import (
	"strings"
	"testing"
)

// A laptop rotates its key through the real binary, in an organisation:
// its next sync through the hub carries the rotation, another laptop
// applies its new work with nothing held, HQ certifies the new key under
// the same roster name, and every digest is equal at the end; the old
// work still checks with the old key everywhere.
func TestARotatedLaptopSyncsThroughTheHubEndToEnd(t *testing.T) {
	e := newE2E(t)
	e.must("hq.db", "init", "--officer", "Brig HQ", "--rank", "Brigadier", "--posting", "IHQ")
	e.must("hq.db", "org", "init", "--name", "Indian Liaison Officers")
	orgLine := strings.TrimSpace(e.must("hq.db", "org", "identity"))
	e.must("hq.db", "org", "enrol", e.hubStore("hub.db", "Hub Delhi"), "--name", "hub", "--role", "hub")
	e.must("hq.db", "org", "enrol", e.laptop("a.db", "CMF"), "--name", "alpha")
	e.must("hq.db", "org", "enrol", e.laptop("b.db", "CMF"), "--name", "bravo")
	for _, db := range []string{"hub.db", "a.db", "b.db"} {
		e.must(db, "org", "trust", orgLine)
	}
	url, _ := e.serve("hub.db")
	e.must("hq.db", "sync", "--hub", url)
	e.mustIn("a.db", exchangeJSON("Alpha before the rotation"), "add", "exchange")
	e.must("a.db", "sync", "--hub", url)
	e.must("b.db", "sync", "--hub", url)

	before := strings.TrimSpace(e.must("a.db", "identity"))
	out := e.must("a.db", "identity", "rotate")
	after := strings.TrimSpace(e.must("a.db", "identity"))
	if after == before || strings.Fields(after)[1] != strings.Fields(before)[1] || !strings.Contains(out, after) {
		t.Fatalf("identity rotate printed %q; identity %q before, %q after: want the same site, new keys", out, before, after)
	}
	e.must("a.db", "check")
	e.mustIn("a.db", exchangeJSON("Alpha after the rotation"), "add", "exchange")
	e.must("a.db", "sync", "--hub", url)
	e.must("b.db", "sync", "--hub", url)
	if got := e.must("b.db", "list", "exchange", "--json"); !strings.Contains(got, "Alpha after the rotation") {
		t.Fatalf("bravo lacks alpha's new work: %s", got)
	}
	if q := e.must("b.db", "quarantine", "list", "--json"); strings.TrimSpace(q) != "[]" {
		t.Fatalf("bravo holds changes for review: %s", q)
	}
	e.must("hq.db", "sync", "--hub", url)
	e.must("hq.db", "org", "enrol", after, "--name", "alpha")
	if roster := e.must("hq.db", "org", "roster", "--json"); !strings.Contains(roster, strings.Fields(after)[3]) {
		t.Fatalf("HQ's roster lacks alpha's new key: %s", roster)
	}
	for round := 0; round < 2; round++ {
		for _, db := range []string{"hq.db", "a.db", "b.db"} {
			e.must(db, "sync", "--hub", url)
		}
	}
	want := e.must("hq.db", "digest")
	for _, db := range []string{"hub.db", "a.db", "b.db"} {
		if got := e.must(db, "digest"); got != want {
			t.Fatalf("%s's digest %s, HQ's %s", db, got, want)
		}
		e.must(db, "check")
	}
}
