package replication

import (
	"context"
	"slices"
	"testing"
)

// The hub holds a commit of A's for review (here A's level NATO SECRET,
// which B had created first at another rank: levels never move) and its
// operator discards it. A's later
// work is then applied at the hub, but the discarded seqs leave a gap in
// A's sequence there that never fills, so the hub's vector for A stops
// below it: the hub must still relay A's later work to C.
func TestAfterTheHubDiscardsAHeldCommitTheAuthorsLaterWorkIsRelayed(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, hub.s, a, b, c)
	if _, err := b.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddClassification(ctx, "NATO SECRET", "CONFIDENTIAL", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := SyncHub(ctx, b, hub.srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if res, err := SyncHub(ctx, a, hub.srv.URL, nil); err != nil || len(res.AtHub.Held) == 0 {
		t.Fatalf("A's level was not held at the hub: %+v %v", res.AtHub, err)
	}
	asite, _ := a.Device()
	if n, err := hub.s.DiscardQuarantine(ctx, asite.Site.String()); err != nil || n == 0 {
		t.Fatalf("discard at the hub: %d %v", n, err)
	}
	addExchange(t, a, "A later")
	for range 2 {
		if _, err := SyncHub(ctx, a, hub.srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := SyncHub(ctx, c, hub.srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, hub.s); !slices.Contains(got, "A later") {
		t.Fatalf("the hub itself lacks A's later work: %v", got)
	}
	if got := titles(t, c); !slices.Contains(got, "A later") {
		t.Errorf("C holds %v: the hub applied A's later work but never relays it past the discarded seqs", got)
	}
}
