package pgstore

import (
	"context"
	"os"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/pgstore/pgtest"
	"liaisondesk/data/replication/replicatest"
	"liaisondesk/data/replication/synctest"
)

// server is this package's PostgreSQL: one throwaway cluster per run.
var server *pgtest.Server

func TestMain(m *testing.M) {
	if synctest.InChild() { // a benchmark's step: its hub uses the parent's server
		os.Exit(m.Run())
	}
	s, err := pgtest.Start()
	if err != nil {
		panic(err)
	}
	server = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}

const testPassphrase = "tide table lantern orchard 42"

// openHub is a fresh hub in its own database, initialised and unlocked,
// whose clock starts at start.
func openHub(t testing.TB, start time.Time) (*Store, string) {
	t.Helper()
	url := server.Database(t)
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = replicatest.Ticking(start)
	if err := s.Init(context.Background(), data.Officer{Name: "Hub", Rank: "Commander", Posting: "CMF"}, testPassphrase); err != nil {
		t.Fatal(err)
	}
	return s, url
}

// The PostgreSQL hub passes the same conformance suite as the SQLite
// store.
func TestPostgreSQLHubConforms(t *testing.T) {
	replicatest.Run(t, func(t testing.TB, clock func() time.Time) replicatest.Hub {
		s, _ := openHub(t, replicatest.Day)
		s.Now = clock
		return s
	})
}
