package pgstore

// Issue 15's sync benchmarks (items 4 and 5) with the hub on PostgreSQL,
// the same steps as data/replication's with the SQLite hub
// (data/replication/synctest): the hub serves from a child process of
// its own, on a database of this package's throwaway cluster (or of
// LIAISONDESK_TEST_PG).
//
//	make bench BENCH='SyncMemory1M|HubVsBundle100k' BENCHPKG='./data/replication/ ./data/pgstore/'

import (
	"context"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/replication/synctest"
)

// postgresHub keeps the hub's replica in a fresh database on this
// package's server, dropped when the benchmark ends.
func postgresHub() synctest.HubStore {
	return synctest.HubStore{
		Name: "PostgreSQL hub",
		Make: func(b *testing.B, _ string) (synctest.Replica, string) {
			url := server.Database(b)
			s, err := Open(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Init(context.Background(), data.Officer{Name: "Cdr hub", Rank: "Commander", Posting: "CMF"}, testPassphrase); err != nil {
				s.Close()
				b.Fatal(err)
			}
			return s, url
		},
		Open: func(ctx context.Context, url string) (replication.Replica, func(), error) {
			s, err := Open(ctx, url)
			if err != nil {
				return nil, nil, err
			}
			if err := s.Unlock(ctx, testPassphrase); err != nil {
				s.Close()
				return nil, nil, err
			}
			return s, func() { s.Close() }, nil
		},
	}
}

// TestSyncStepChild is one step of a benchmark, run in a child process;
// a plain test run skips it.
func TestSyncStepChild(t *testing.T) { synctest.Step(t, postgresHub()) }

// BenchmarkSyncMemory1M: peak RSS of hub push and pull and of the hub
// process serving both, for BENCH_MEM_N changes (bundle create and
// import, which no hub store changes, are data/replication's). Target:
// each under 250 MB.
func BenchmarkSyncMemory1M(b *testing.B) {
	synctest.Memory(b, postgresHub(), false, checkTarget)
}

// BenchmarkHubVsBundle100k: a hub sync through a PostgreSQL hub (push,
// then pull to an empty laptop) against bundle create plus import of the
// same changes. Target: within 1.5×.
func BenchmarkHubVsBundle100k(b *testing.B) {
	synctest.Speed(b, postgresHub(), checkTarget)
}
