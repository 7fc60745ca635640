// Package sourcestore builds the SQLite stores the sync benchmarks start
// from (data/replication's and data/replication/synctest's): n changes,
// made as exchanges added 100 per commit, cached in os.TempDir() between
// runs, since a store of 1,000,000 changes takes many minutes to build.
package sourcestore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// version names the cached source stores' shape: change it when
// Exchange or the way Path builds them changes.
const version = 1

// Exchange is the i-th exchange of a benchmark's source store.
func Exchange(i int) *data.Exchange {
	kinds := []string{"meeting", "call", "briefing_given", "visit"}
	places := []string{"NSA Bahrain", "Camp H. M. Smith", "MacDill AFB", "Pearl Harbor"}
	return &data.Exchange{Posting: "CMF", Kind: kinds[i%4], Title: fmt.Sprintf("CTF 15%d coordination %d", i%5, i),
		OccurredAt: time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
		TimeZone:   "Asia/Bahrain", Location: places[i%4],
		Summary: "Discussed boarding drills, information sharing and the schedule of the next passage exercise with the Indian Navy.",
		Outcome: "Agreed to exchange liaison contacts before the next exercise.",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
}

// Path returns the path of the cached store holding n changes
// (exchanges added 100 per commit) in os.TempDir(), building it on first
// use: at 1,000,000 changes building takes many minutes.
func Path(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("liaisondesk-syncbench-%d-v%d.db", n, version))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	s, err := store.Open(ctx, tmp)
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Init(ctx, data.Officer{Name: "Cdr Bench", Rank: "Commander", Posting: "CMF"}); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < n; i += 100 {
		var recs []data.Record
		for j := i; j < min(i+100, n); j++ {
			recs = append(recs, Exchange(j))
		}
		if _, err := s.Add(ctx, recs...); err != nil {
			tb.Fatal(err)
		}
	}
	s.Close()
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}
