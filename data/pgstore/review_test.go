package pgstore

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/replication/replicatest"
	"liaisondesk/data/store"
)

// The seqs the operator discarded count as held: the hub's own check
// takes them as covered, not as a vector running past its commits.
func TestTheHubsCheckCountsDiscardedSeqsAsCovered(t *testing.T) {
	ctx := context.Background()
	hub, _ := openHub(t, replicatest.Day)
	a, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Now = replicatest.Ticking(replicatest.Day)
	if err := a.Init(ctx, data.Officer{Name: "Cdr A", Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	aID, _ := a.Identity(ctx)
	hubID, _ := hub.Identity(ctx)
	if _, err := hub.AddPeer(ctx, "a", aID.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddPeer(ctx, "hub", hubID.String()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&replication.Hub{R: hub}).Handler())
	defer srv.Close()
	add := func(title string) {
		t.Helper()
		if _, err := a.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title,
			OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Summary: "Drills.",
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := replication.SyncHub(ctx, a, srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	add("On time")
	ahead := replicatest.Day.Add(data.MaxStampLead + 10*24*time.Hour)
	a.Now = replicatest.Ticking(ahead)
	add("Stamped ahead")
	if n, err := hub.DiscardQuarantine(ctx, aID.Site.String()); err != nil || n == 0 {
		t.Fatalf("discard: %d %v", n, err)
	}
	// Sent again before the hub's time catches up: not held again, and
	// the hub's vector moves over it, so a stops sending it.
	if _, err := replication.SyncHub(ctx, a, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	hub.Now = replicatest.Ticking(ahead.Add(time.Hour))
	add("Later work")
	v, _ := hub.Vector(ctx)
	av, _ := a.Vector(ctx)
	if v[aID.Site] != av[aID.Site] {
		t.Fatalf("the hub holds a to %d, a has made %d", v[aID.Site], av[aID.Site])
	}
	if n, err := hub.pool.Exec(ctx, `SELECT 1 FROM changes WHERE site_id = $1`, aID.Site[:]); err != nil || n.RowsAffected() != av[aID.Site]-1 {
		t.Fatalf("the hub holds %d of a's changes, want all but the discarded one (%v)", n.RowsAffected(), err)
	}
	r, err := hub.Check(ctx)
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("check after a discard: %+v %v", r, err)
	}
}
