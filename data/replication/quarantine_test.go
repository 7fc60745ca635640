package replication

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
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

// A push carrying changes the hub holds for review applies the rest, and
// the hub's log and the laptop's sync summary name what was held.
func TestTheHubNamesWhatItHolds(t *testing.T) {
	ctx := context.Background()
	hub, a, x := openReplica(t, "Hub", day), openReplica(t, "Cdr A", day), openReplica(t, "Cdr X", day)
	if _, err := hub.AddPeer(ctx, "a", mustIdentity(t, a)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddPeer(ctx, "hub", mustIdentity(t, hub)); err != nil {
		t.Fatal(err)
	}
	enrol2(t, a, x)
	addExchange(t, x, "Written by X")
	importOK(t, a, bundle(t, x, "a"))
	addExchange(t, a, "Written by A")
	var logged bytes.Buffer
	srv := httptest.NewServer((&Hub{R: hub, Log: slog.New(slog.NewTextHandler(&logged, nil))}).Handler())
	defer srv.Close()
	res, err := SyncHub(ctx, a, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AtHub.Held) != 1 || res.AtHub.Held[0].Officer != "Cdr X" || !res.AtHub.Held[0].Claimed {
		t.Fatalf("the sync summary does not name what the hub held: %+v", res.AtHub)
	}
	if !strings.Contains(logged.String(), "held for review: ") || !strings.Contains(logged.String(), "Cdr X (claimed by the relaying peer)") {
		t.Fatalf("the hub's log does not name what it held: %s", logged.String())
	}
	if n := countExchanges(t, hub); n != 1 {
		t.Fatalf("the rest of the push did not apply: %d exchanges at the hub", n)
	}
}
