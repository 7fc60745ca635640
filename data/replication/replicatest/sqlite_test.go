package replicatest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// The SQLite store, a hub on one machine (a hub's store, which builds no
// records), passes the suite.
func TestSQLiteHubConforms(t *testing.T) {
	Run(t, func(t testing.TB, clock func() time.Time) Hub {
		s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Now = clock
		if err := s.Init(context.Background(), data.Officer{Name: "Hub", Rank: "Commander", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkHub(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	})
}
