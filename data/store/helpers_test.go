package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
)

// openTestStore opens an initialised store in a temporary directory with a
// fixed clock that advances one second per reading.
func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	clock := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	if err := s.Init(context.Background(), data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatalf("init: %v", err)
	}
	return s
}

func sampleExchange() *data.Exchange {
	return &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 150 monthly coordination",
		OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
		Summary: "Discussed boarding drills and information sharing with the Indian Navy.",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
}

func sampleRequest() *data.Request {
	return &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", EndUser: "INAS 312",
		Justification: "Aircraft on ground: hydraulic pump failure.", RequiredBy: "2027-01-15",
		Lines:   []data.Line{{Description: "Hydraulic pump", NSN: "1650013456789", Quantity: 2, Unit: "EA"}},
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}}
}

// markingOf is a marking at level, releasable to rel.
func markingOf(level string, rel ...string) data.Marking {
	return data.Marking{Classification: level, Releasability: rel}
}
