package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A store hub init made relays the log and holds no records: a laptop's
// verb on it, or the window, is refused naming the verbs it answers, and
// the hub's own verbs work.
func TestALaptopVerbOnAHubsStoreIsRefusedWithAdvice(t *testing.T) {
	hub := filepath.Join(t.TempDir(), "hub.db")
	if r := liaisondesk(t, hub, "", "hub", "init", "--name", "hub-bahrain"); r.code != 0 {
		t.Fatalf("hub init: %d %s", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"add", "exchange"},
		{"list", "exchange"},
		{"search", "piracy"},
		{"report", "weekly", "-o", filepath.Join(t.TempDir(), "w.pdf")},
		{"export", "exchange", "-o", filepath.Join(t.TempDir(), "e.csv")},
		{"conflicts"},
		{}, // the window
	} {
		r := liaisondesk(t, hub, meeting, args...)
		what := "the window"
		if len(args) > 0 {
			what = args[0]
		}
		if r.code != 1 || !strings.Contains(r.stderr, "is a hub's store: it relays the signed log and holds no records, and "+what+" does not work on it") ||
			!strings.Contains(r.stderr, "on a hub's store use hub, identity, peers") {
			t.Errorf("%s on a hub's store: code %d, %s", what, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{{"identity"}, {"digest"}, {"check"}, {"peers", "list"}, {"quarantine", "list"}} {
		if r := liaisondesk(t, hub, "", args...); r.code != 0 {
			t.Errorf("%s on a hub's store: code %d, %s", args[0], r.code, r.stderr)
		}
	}
}
