package replication

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data/store"
)

// A relaying laptop that finds the put-back hub lacks other devices'
// changes it holds says so once, resends them in the same sync, and its
// next sync has nothing more to resend.
func TestARelayerSaysOnceThatThePutBackHubHadLostOtherDevicesChanges(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, hub.s, a, b)
	do := func(r *store.Store) HubResult {
		t.Helper()
		res, err := SyncHub(ctx, r, hub.srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	addExchange(t, a, "A1")
	do(a)
	do(b)
	hub.stop()
	snapshot := filepath.Join(t.TempDir(), "hub-copy.db")
	copyStoreFile(t, hub.path, snapshot)
	hub.start()
	addExchange(t, a, "A2")
	do(a)
	do(b)
	hub.stop()
	copyStoreFile(t, snapshot, hub.path)
	hub.start()

	first := do(b)
	t.Run("the summary says the hub had lost other devices' changes, resent", func(t *testing.T) {
		if first.HubLost == 0 || first.HubLostOwn != 0 || !strings.Contains(first.Note, "the hub had lost") ||
			!strings.Contains(first.Note, "of other devices, which this laptop holds: resent") {
			t.Fatalf("B's sync said %d lost (%d its own): %q", first.HubLost, first.HubLostOwn, first.Note)
		}
		if got := titles(t, hub.s); !slices.Equal(got, []string{"A1", "A2"}) {
			t.Fatalf("after B's sync the hub holds %v", got)
		}
	})
	t.Run("the next sync resends nothing and says nothing", func(t *testing.T) {
		res := do(b)
		if res.HubLost != 0 || res.Note != "" || res.Pushed.Changes != 0 {
			t.Fatalf("B's next sync: lost %d, pushed %d, %q", res.HubLost, res.Pushed.Changes, res.Note)
		}
	})
	t.Run("the author's own sync finds nothing lost either", func(t *testing.T) {
		if res := do(a); res.HubLost != 0 || res.Note != "" {
			t.Fatalf("A's sync: lost %d, %q", res.HubLost, res.Note)
		}
	})
}

// After the hub discards a held commit of A's, A stops resending from the
// gap, and a laptop downstream (whose vector for A stops below the seqs it
// never gets) keeps syncing cleanly and gets A's later work as it comes.
func TestAfterADiscardTheAuthorStopsResendingAndDownstreamKeepsUp(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, hub.s, a, b, c)
	do := func(r *store.Store) HubResult {
		t.Helper()
		res, err := SyncHub(ctx, r, hub.srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if _, err := b.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddClassification(ctx, "NATO SECRET", "CONFIDENTIAL", ""); err != nil {
		t.Fatal(err)
	}
	do(b)
	if res := do(a); len(res.AtHub.Held) == 0 {
		t.Fatalf("A's level was not held at the hub: %+v", res.AtHub)
	}
	as, _ := a.Device()
	held := do(a).Pushed.Changes // resent from the gap while it is held
	if _, err := hub.s.DiscardQuarantine(ctx, as.Site.String()); err != nil {
		t.Fatal(err)
	}
	t.Run("the hub's vector passes the discarded seqs", func(t *testing.T) {
		av, _ := a.Vector(ctx)
		hv, _ := hub.s.Vector(ctx)
		if hv[as.Site] != av[as.Site] {
			t.Fatalf("the hub's vector for A is %d, A made %d", hv[as.Site], av[as.Site])
		}
	})
	addExchange(t, a, "A later")
	do(a)
	t.Run("the author stops resending from the gap", func(t *testing.T) {
		if res := do(a); res.Pushed.Changes != 0 {
			t.Fatalf("A still resends %d changes (it resent %d while they were held)", res.Pushed.Changes, held)
		}
	})
	for range 2 {
		if res := do(c); res.HubLost != 0 || res.Note != "" {
			t.Fatalf("C's sync: %+v", res)
		}
	}
	addExchange(t, a, "A later still")
	do(a)
	do(c)
	t.Run("downstream applies the later work, its vector below the gap", func(t *testing.T) {
		if got := titles(t, c); !slices.Equal(got, []string{"A later", "A later still"}) {
			t.Fatalf("C holds %v", got)
		}
		cv, _ := c.Vector(ctx)
		hv, _ := hub.s.Vector(ctx)
		if cv[as.Site] >= hv[as.Site] {
			t.Fatalf("C's vector for A is %d, the hub's %d: C cannot hold the seqs the hub discarded", cv[as.Site], hv[as.Site])
		}
	})
	t.Run("the hub's digest and C's agree", func(t *testing.T) {
		if dh, dc := digest(t, hub.s), digest(t, c); dh != dc {
			t.Fatalf("digests differ: hub %s, C %s", dh, dc)
		}
	})
}

// What is discarded from an author not enrolled here may be a forgery in
// place of the genuine changes: the vector does not pass it, and the
// genuine changes apply once the author is enrolled.
func TestADiscardOfAnUnenrolledAuthorLeavesTheGapOpen(t *testing.T) {
	ctx := context.Background()
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b)
	enrol2(t, a, c)
	addExchange(t, c, "Written by C")
	importOK(t, a, bundle(t, c, "a"))
	importOK(t, b, bundle(t, a, "peerb"))
	cs, _ := c.Device()
	if _, err := b.DiscardQuarantine(ctx, cs.Site.String()); err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Vector(ctx); v[cs.Site] != 0 {
		t.Fatalf("B's vector counts C's discarded changes as held: %d", v[cs.Site])
	}
	if _, err := b.AddPeer(ctx, "c", mustIdentity(t, c)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	cv, _ := c.Vector(ctx)
	if v, _ := b.Vector(ctx); v[cs.Site] != cv[cs.Site] || countExchanges(t, b) != 1 {
		t.Fatalf("once C is enrolled, B holds C up to %d (C made %d), %d exchanges", v[cs.Site], cv[cs.Site], countExchanges(t, b))
	}
}
