package replication

import (
	"context"
	"slices"
	"testing"

	"liaisondesk/data/store"
)

// Officers A and B each add a level after SECRET before syncing: both
// take rank 40 (RankAfter), an honest race. The hub, holding B's first,
// holds A's level for review, and A, holding B's, holds B's. Every later
// commit of each then waits behind it, everywhere: two officers who did
// nothing wrong stop reaching anyone. Two added levels on one rank are
// already safe (OrderedLevels leaves both off the order, as unknown), so
// later work must keep flowing; and A's syncs must not be taken for a hub
// that lost A's changes (no 412 loop, no false note).
func TestTwoOfficersAddingALevelAtOnceStillReachEachOther(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, hub.s, a, b, c)
	if _, err := b.AddClassification(ctx, "COSMIC", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	var notes []string
	if _, err := SyncHub(ctx, b, hub.srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	res, err := SyncHub(ctx, a, hub.srv.URL, nil)
	t.Logf("a's first sync: held at hub %+v, err %v", res.AtHub.Held, err)
	addExchange(t, a, "A later")
	for i := range 2 {
		res, err := SyncHub(ctx, a, hub.srv.URL, nil)
		if err != nil {
			t.Fatalf("A's sync %d after the hub held its level: %v", i+2, err)
		}
		if res.HubLost != 0 || res.Note != "" {
			notes = append(notes, res.Note)
		}
	}
	addExchange(t, b, "B later")
	for _, r := range []*store.Store{b, c, a} {
		if _, err := SyncHub(ctx, r, hub.srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(notes) > 0 {
		t.Errorf("A was told the hub lost its changes: %q; hub log:\n%s", notes, hub.log)
	}
	if got := titles(t, c); !slices.Contains(got, "A later") {
		t.Errorf("C holds %v: A's later work waits at the hub behind a level added concurrently with B's", got)
	}
	if got := titles(t, a); !slices.Contains(got, "B later") {
		t.Errorf("A holds %v: B's later work waits at A behind B's level", got)
	}
}
