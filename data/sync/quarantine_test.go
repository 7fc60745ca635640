package sync

import (
	"context"
	"testing"
)

func TestDiscardedChangesAreNotHeldAgainWhenRelayedAgain(t *testing.T) {
	ctx := context.Background()
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b)
	enrol2(t, a, c)
	addExchange(t, c, "Written by C")
	importOK(t, a, bundle(t, c, "a"))
	if res := importOK(t, b, bundle(t, a, "peerb")); res.Quarantined == 0 {
		t.Fatalf("nothing held: %+v", res)
	}
	q, _ := b.Quarantine(ctx)
	if _, err := b.DiscardQuarantine(ctx, q[0].Author); err != nil {
		t.Fatal(err)
	}
	// a has no receipt from b, so it relays C's changes again.
	res := importOK(t, b, bundle(t, a, "peerb"))
	if res.Quarantined != 0 {
		t.Fatalf("discarded changes held again: %+v", res)
	}
	if q, _ := b.Quarantine(ctx); len(q) != 0 {
		t.Fatalf("held again: %+v", q)
	}
	// Once C is enrolled, its changes arrive verified and apply.
	if _, err := b.AddPeer(ctx, "c", mustIdentity(t, c)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	if n := countExchanges(t, b); n != 1 {
		t.Fatalf("C's exchange after enrolling C: %d", n)
	}
}
