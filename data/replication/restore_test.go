package replication

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// fileHub is a hub whose store lives in a file the test can copy and put
// back while the hub is stopped, as an operator restoring it would.
type fileHub struct {
	t    *testing.T
	path string
	s    *store.Store
	srv  *httptest.Server
	log  *bytes.Buffer
}

func newFileHub(t *testing.T) *fileHub {
	t.Helper()
	h := &fileHub{t: t, path: filepath.Join(t.TempDir(), "hub.db"), log: &bytes.Buffer{}}
	s, err := store.Open(context.Background(), h.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Init(context.Background(), data.Officer{Name: "Hub", Rank: "Hub", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	h.s = s
	h.serve()
	t.Cleanup(h.stop)
	return h
}

func (h *fileHub) serve() {
	h.srv = httptest.NewServer((&Hub{R: h.s, Log: slog.New(slog.NewTextHandler(h.log, nil))}).Handler())
}

func (h *fileHub) stop() {
	if h.srv != nil {
		h.srv.Close()
		h.srv = nil
	}
	if h.s != nil {
		if err := h.s.Close(); err != nil {
			h.t.Fatal(err)
		}
		h.s = nil
	}
}

func (h *fileHub) start() {
	s, err := store.Open(context.Background(), h.path)
	if err != nil {
		h.t.Fatal(err)
	}
	h.s = s
	h.serve()
}

// copyStoreFile copies a stopped store: closed, it is all in one file.
func copyStoreFile(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(from + suffix); err == nil {
			t.Fatalf("%s%s is still there: the store was not closed cleanly", from, suffix)
		}
		os.Remove(to + suffix)
	}
	copyFile(t, from, to)
}

func titles(t *testing.T, s *store.Store) []string {
	t.Helper()
	var out []string
	err := s.List(context.Background(), "exchange", data.ListFilter{}, func(r data.Record) error {
		out = append(out, r.(*data.Exchange).Title)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// The scenario: a hub put back from a file copy taken before A's
// second change. A's later syncs find the gap, resend, say so, and B gets
// everything.
func TestAHubPutBackFromAnOlderCopyCatchesUpAndRelaysAgain(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, hub.s, a, b)
	sync := func(r *store.Store) HubResult {
		t.Helper()
		res, err := SyncHub(ctx, r, hub.srv.URL, nil)
		if err != nil {
			t.Fatalf("sync: %v", err)
		}
		return res
	}
	addExchange(t, a, "A1")
	sync(a)
	sync(b)

	hub.stop()
	snapshot := filepath.Join(t.TempDir(), "hub-copy.db")
	copyStoreFile(t, hub.path, snapshot)
	hub.start()

	addExchange(t, a, "A2")
	sync(a)

	hub.stop()
	copyStoreFile(t, snapshot, hub.path)
	hub.start()

	addExchange(t, a, "A3")
	first := sync(a)
	sync(b)
	sync(a)
	sync(b)

	if got := titles(t, b); !slices.Equal(got, []string{"A1", "A2", "A3"}) {
		t.Fatalf("B holds %v, want A1, A2, A3", got)
	}
	if da, db, dh := digest(t, a), digest(t, b), digest(t, hub.s); da != db || db != dh {
		t.Fatalf("digests differ: a %s, b %s, hub %s", da, db, dh)
	}
	t.Run("the laptop says the hub had lost its changes", func(t *testing.T) {
		if first.HubLost != 1 || !strings.Contains(first.Note, "the hub had lost 1 change of this laptop: resent") {
			t.Fatalf("the first sync after the restore said %d lost, %q", first.HubLost, first.Note)
		}

	})
	t.Run("the hub logs it", func(t *testing.T) {
		if !strings.Contains(hub.log.String(), "gap") {
			t.Fatalf("the hub's log says nothing of the gap:\n%s", hub.log)
		}
	})
}

// Only the pushing device's own changes must leave no gap at the hub: a
// relay of another author's later changes is taken as before, held until
// the gap fills, then relayed. The relay comes by bundle file here: by
// sync, A would read in the hub's signed reply that the hub lacks what A
// recorded it as holding, and resend it at once (restore_relay_test.go).
func TestAHubTakesAnotherAuthorsChangesWithAGap(t *testing.T) {
	ctx := context.Background()
	hub, a, b, c := openReplica(t, "Hub", day), openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, hub, a, b, c) // the hub is peera everywhere; c is peerd
	addExchange(t, c, "From C")
	importOK(t, a, bundle(t, c, "peerb"))
	// A believes the hub holds C's first changes, so it relays only the rest.
	cs, _ := c.Device()
	hs, _ := hub.Device()
	all, err := c.Outgoing(ctx, data.Vector{})
	if err != nil || len(all.Commits) < 2 {
		t.Fatalf("C's commits: %v", err)
	}
	if err := a.RecordAck(ctx, hs.Site, data.Vector{cs.Site: all.Commits[0].LastSeq}); err != nil {
		t.Fatal(err)
	}
	if res := importOK(t, hub, bundle(t, a, "peera")); res.Applied == 0 {
		t.Fatalf("the relay with a gap was not taken: %+v", res)
	}
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	if _, err := SyncHub(ctx, b, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if countExchanges(t, b) != 0 {
		t.Fatal("the hub relayed C's changes across the gap")
	}
	if _, err := SyncHub(ctx, c, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := SyncHub(ctx, b, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, b); !slices.Equal(got, []string{"From C"}) {
		t.Fatalf("once the gap filled, B holds %v", got)
	}
}

// With nothing new to push, a laptop still finds that a hub put back from
// an older copy lost its changes, and resends them.
func TestALaptopWithNothingNewResendsWhatAPutBackHubLost(t *testing.T) {
	ctx := context.Background()
	hub := newFileHub(t)
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, hub.s, a, b)
	hub.stop()
	snapshot := filepath.Join(t.TempDir(), "hub-copy.db")
	copyStoreFile(t, hub.path, snapshot)
	hub.start()
	addExchange(t, a, "A1")
	addExchange(t, a, "A2")
	if _, err := SyncHub(ctx, a, hub.srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	hub.stop()
	copyStoreFile(t, snapshot, hub.path)
	hub.start()
	res, err := SyncHub(ctx, a, hub.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.HubLost == 0 || !strings.Contains(res.Note, "the hub had lost") {
		t.Fatalf("the sync did not say the hub had lost changes: %+v", res)
	}
	if _, err := SyncHub(ctx, b, hub.srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, b); !slices.Equal(got, []string{"A1", "A2"}) {
		t.Fatalf("B holds %v", got)
	}
}
