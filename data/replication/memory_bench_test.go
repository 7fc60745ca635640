package replication_test

// Benchmarks of issue 15, items 4 and 5, with the hub on a SQLite store
// (data/pgstore runs the same on PostgreSQL): each step of a transfer runs
// in a child process, the hub in one of its own (data/replication/synctest).
//
//	make bench BENCH='SyncMemory1M|HubVsBundle100k' BENCHPKG='./data/replication/ ./data/pgstore/'
//
// BENCH_MEM_N sets the size of the memory run (default 1,000,000 changes;
// bench-smoke runs it small), BENCH_SYNC_N the speed run's (100,000);
// BENCH_STEP_CPUPROFILE=DIR writes each step's CPU profile there,
// BENCH_STEP_MEMPROFILE=DIR its heap profile nearest its peak.
//
// These live in the external test package: synctest imports replication.

import (
	"testing"

	"liaisondesk/data/replication"
	"liaisondesk/data/replication/synctest"
)

// TestSyncStepChild is one step of a benchmark, run in a child process;
// a plain test run skips it.
func TestSyncStepChild(t *testing.T) { synctest.Step(t, synctest.SQLiteHub()) }

// BenchmarkSyncMemory1M: peak RSS of bundle create and import, hub push
// and pull, and the hub process serving both, for BENCH_MEM_N changes.
// Target: each under 250 MB.
func BenchmarkSyncMemory1M(b *testing.B) {
	synctest.Memory(b, synctest.SQLiteHub(), true, replication.CheckTarget)
}

// BenchmarkHubVsBundle100k: a hub sync (push, then pull to an empty
// laptop) against bundle create plus import of the same changes, each
// step in its own process, the hub in its own. Target: within 1.5×.
func BenchmarkHubVsBundle100k(b *testing.B) {
	synctest.Speed(b, synctest.SQLiteHub(), replication.CheckTarget)
}
