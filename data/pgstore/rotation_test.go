package pgstore

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/replication/replicatest"
	"liaisondesk/data/store"
)

// A rotated device's commits verify in the hub's own check with the key
// it held at each: the old key before the rotation, the new one after.
func TestTheHubsCheckVerifiesARotatedDevicesCommitsByItsKeyHistory(t *testing.T) {
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
	for i, rotate := range []bool{false, true, true} {
		if rotate {
			if _, err := a.Rotate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Work " + string(rune('0'+i)),
			OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Summary: "Drills.",
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := replication.SyncHub(ctx, a, srv.URL, nil); err != nil {
			t.Fatalf("sync %d: %v", i, err)
		}
	}
	r, err := hub.Check(ctx)
	if err != nil || len(r.Problems) > 0 || r.Commits == 0 {
		t.Fatalf("check after two rotations: %+v %v", r, err)
	}
	if lines, _ := hub.RotationLines(ctx); len(lines) != 2 {
		t.Fatalf("the hub holds %d statements, want 2", len(lines))
	}
}
