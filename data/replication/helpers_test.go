package replication

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// replica is a store in a temporary directory with its own clock, which
// starts at start and advances one second per reading.
func openReplica(t testing.TB, officer string, start time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	clock := start
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatalf("init: %v", err)
	}
	return s
}

var day = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// enrol makes every replica trust every other one.
func enrol(t testing.TB, rs ...*store.Store) {
	t.Helper()
	ctx := context.Background()
	for i, a := range rs {
		for j, b := range rs {
			if i == j {
				continue
			}
			id, err := b.Identity(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.AddPeer(ctx, peerName(j), id.String()); err != nil {
				t.Fatalf("enrol %d at %d: %v", j, i, err)
			}
		}
	}
}

func peerName(i int) string { return "peer" + string(rune('a'+i)) }

// bundle writes a bundle from one replica to the named peers.
func bundle(t testing.TB, from *store.Store, to ...string) []byte {
	t.Helper()
	peers, err := TrustedPeers(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := WriteBundle(context.Background(), from, peers, &buf); err != nil {
		t.Fatalf("write bundle: %v", err)
	}
	return buf.Bytes()
}

func importOK(t *testing.T, to *store.Store, b []byte) data.ImportResult {
	t.Helper()
	res, _, err := ImportBundle(context.Background(), to, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func digest(t *testing.T, s *store.Store) string {
	t.Helper()
	d, err := s.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func checkClean(t *testing.T, s *store.Store) {
	t.Helper()
	r, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) > 0 {
		t.Fatalf("check: %v", r.Problems)
	}
}

func addExchange(t testing.TB, s *store.Store, title string) string {
	t.Helper()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title,
		OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
		Summary: "Boarding drills.", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	ids, err := s.Add(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

func mustIdentity(t testing.TB, s *store.Store) string {
	t.Helper()
	id, err := s.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// enrol2 makes a and c trust each other under the names "a" and "c".
func enrol2(t *testing.T, a, c *store.Store) {
	t.Helper()
	if _, err := a.AddPeer(context.Background(), "c", mustIdentity(t, c)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddPeer(context.Background(), "a", mustIdentity(t, a)); err != nil {
		t.Fatal(err)
	}
}

func countExchanges(t *testing.T, s *store.Store) int {
	t.Helper()
	c, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(c["exchanges"])
}
