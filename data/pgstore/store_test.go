package pgstore

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication/replicatest"
	"liaisondesk/data/store"
)

// Hub processes starting at once on a fresh database migrate it once,
// one after another under the advisory lock.
func TestHubProcessesStartingAtOnceMigrateOnce(t *testing.T) {
	ctx := context.Background()
	url := server.Database(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(ctx, url)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("a hub process failed to start: %v", err)
		}
	}
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, _ := fs.Glob(migrations, "migrations/*.sql")
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(files) {
		t.Fatalf("%d migrations recorded for %d files: %v", n, len(files), err)
	}
}

// The hub's identity lives in the database, sealed under its passphrase:
// another process opens the same identity, locked until it gives the
// passphrase; a wrong one is refused, and a second init is refused.
func TestEveryHubProcessSharesTheIdentitySealedInTheDatabase(t *testing.T) {
	ctx := context.Background()
	first, url := openHub(t, replicatest.Day)
	second, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if _, err := second.AgeIdentity(ctx); !errors.Is(err, data.ErrLocked) {
		t.Fatalf("a process that has not unlocked opens bundles: %v", err)
	}
	if err := second.Unlock(ctx, "not the passphrase"); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if err := second.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	a, _ := first.Identity(ctx)
	b, _ := second.Identity(ctx)
	if a.String() != b.String() {
		t.Fatal("two processes on one database have different identities")
	}
	d1, _ := first.Device()
	d2, _ := second.Device()
	if !d1.PrivateKey.Equal(d2.PrivateKey) {
		t.Fatal("the unlocked signing keys differ")
	}
	if err := second.Init(ctx, data.Officer{Name: "Hub two"}, testPassphrase); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("a second hub init on one database: %v", err)
	}
	var raw []byte
	if err := first.pool.QueryRow(ctx, `SELECT sealed_keys FROM hub`).Scan(&raw); err != nil || len(raw) == 0 {
		t.Fatalf("no sealed keys: %v", err)
	}
	if containsSeed(raw, d1.PrivateKey.Seed()) {
		t.Fatal("the signing key is in the database in the clear")
	}
}

func containsSeed(b, seed []byte) bool { return bytes.Contains(b, seed) }

// A peer revoked through one hub process is refused by another at its
// next request, with no restart.
func TestARevocationInOneProcessCountsAtTheNextRequestInAnother(t *testing.T) {
	ctx := context.Background()
	first, url := openHub(t, replicatest.Day)
	second, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	l := laptopStore(t, "Cdr A")
	id, _ := l.Identity(ctx)
	if _, err := first.AddPeer(ctx, "deva", id.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := second.SenderKey(ctx, id.Site); err != nil {
		t.Fatalf("a peer added in one process is unknown to the other: %v", err)
	}
	if err := first.RevokePeer(ctx, "deva"); err != nil {
		t.Fatal(err)
	}
	var ue *data.UntrustedSenderError
	if _, err := second.SenderKey(ctx, id.Site); !errors.As(err, &ue) {
		t.Fatalf("a peer revoked in one process is still trusted by the other: %v", err)
	}
}

// Devices pushing at once through two hub processes on one database:
// nothing is lost, duplicated or reordered, and the same push arriving
// through both at once is applied once.
func TestConcurrentPushesThroughTwoProcessesApplyEachChangeOnce(t *testing.T) {
	ctx := context.Background()
	first, url := openHub(t, replicatest.Day)
	second, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if err := second.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	procs := []*Store{first, second}
	var laptops []*store.Store
	var ins []data.Incoming
	for i := range 6 {
		l := laptopStore(t, "Cdr "+string(rune('A'+i)))
		id, _ := l.Identity(ctx)
		if _, err := first.AddPeer(ctx, "dev"+string(rune('a'+i)), id.String()); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			addExchange(t, l)
		}
		laptops = append(laptops, l)
		ins = append(ins, incomingOf(t, l))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied := 0
	for i, in := range ins {
		for p := range procs { // each push through both processes at once
			wg.Go(func() {
				res, err := procs[p].Import(ctx, in)
				if err != nil {
					t.Errorf("push %d via process %d: %v", i, p, err)
					return
				}
				mu.Lock()
				applied += res.Applied
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	want := 0
	v, _ := first.Vector(ctx)
	for i, l := range laptops {
		lv, _ := l.Vector(ctx)
		dev, _ := l.Device()
		if v[dev.Site] != lv[dev.Site] {
			t.Fatalf("laptop %d: the hub holds %d of its %d changes", i, v[dev.Site], lv[dev.Site])
		}
		want += int(lv[dev.Site])
	}
	if applied != want {
		t.Fatalf("%d changes applied for %d pushed: some applied twice or lost", applied, want)
	}
	r, err := second.Check(ctx)
	if err != nil || len(r.Problems) > 0 || r.Changes != want {
		t.Fatalf("check after concurrent pushes: %+v %v", r, err)
	}
}

func laptopStore(t testing.TB, officer string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = replicatest.Ticking(replicatest.Day)
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func addExchange(t testing.TB, s *store.Store) {
	t.Helper()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Boarding drills",
		OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
		Summary: "Boarding drills.", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	if _, err := s.Add(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

func incomingOf(t testing.TB, l *store.Store) data.Incoming {
	t.Helper()
	ctx := context.Background()
	b, err := l.Outgoing(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := l.Vector(ctx)
	dev, _ := l.Device()
	return data.Incoming{Sender: dev.Site, SenderHolds: v, Batch: b}
}
