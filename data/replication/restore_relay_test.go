package replication

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"liaisondesk/data/store"
)

// A hub put back from an older copy lost A2, which B had already pulled.
// A's laptop is then lost (it never syncs again). The hub's signed vector
// in its replies to B is lower than what it acknowledged before, so B
// must lower its record and resend A2: otherwise C never gets it, and
// nothing says so.
func TestAPutBackHubGetsAnotherAuthorsLostChangesFromARelayer(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, hub.s, a, b, c)
	do := func(name string, r *store.Store) HubResult {
		t.Helper()
		res, err := SyncHub(ctx, r, hub.srv.URL, nil)
		if err != nil {
			t.Fatalf("sync %s: %v", name, err)
		}
		return res
	}
	addExchange(t, a, "A1")
	do("a", a)
	do("b", b)
	do("c", c)

	hub.stop()
	snapshot := filepath.Join(t.TempDir(), "hub-copy.db")
	copyStoreFile(t, hub.path, snapshot)
	hub.start()

	addExchange(t, a, "A2")
	do("a", a)
	do("b", b) // B now holds A2, and the hub acknowledged holding it

	hub.stop()
	copyStoreFile(t, snapshot, hub.path)
	hub.start()
	// A's laptop is gone. B and C keep syncing.
	for range 2 {
		do("b", b)
		do("c", c)
	}
	if got := titles(t, b); !slices.Equal(got, []string{"A1", "A2"}) {
		t.Fatalf("B holds %v", got)
	}
	if got := titles(t, c); !slices.Equal(got, []string{"A1", "A2"}) {
		t.Fatalf("C holds %v, want A1, A2: B still believes the put-back hub holds A2 and never resends it", got)
	}
}
