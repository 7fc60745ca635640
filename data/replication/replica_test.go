package replication

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// replicaKit is what the conformance suite needs to make replicas of one
// implementation: open a new initialised one, enrol one in another, and
// make a local edit.
type replicaKit struct {
	open  func(t *testing.T, officer string) Replica
	enrol func(t *testing.T, in, peer Replica, name string)
	edit  func(t *testing.T, r Replica, title string)
}

// runReplicaConformance is the suite every store behind the hub must pass
// (embedded SQLite now; PostgreSQL later runs the same).
func runReplicaConformance(t *testing.T, kit replicaKit) {
	ctx := context.Background()
	pair := func(t *testing.T) (Replica, Replica) {
		a, b := kit.open(t, "Cdr A"), kit.open(t, "Cdr B")
		kit.enrol(t, a, b, "b")
		kit.enrol(t, b, a, "a")
		return a, b
	}
	send := func(t *testing.T, from Replica, to string) []byte {
		peers, err := TrustedPeers(ctx, from, []string{to})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := WriteBundle(ctx, from, peers, &buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	t.Run("a new replica holds its own changes and offers them all", func(t *testing.T) {
		a := kit.open(t, "Cdr A")
		kit.edit(t, a, "One")
		v, err := a.Vector(ctx)
		if err != nil || len(v) != 1 {
			t.Fatalf("vector %v %v", v, err)
		}
		out, err := a.OutgoingPage(ctx, data.Vector{}, 1000)
		if err != nil || len(out.Changes) == 0 || len(out.Commits) == 0 {
			t.Fatalf("outgoing %v %v", out, err)
		}
		if none, _ := a.OutgoingPage(ctx, v, 1000); len(none.Changes) != 0 {
			t.Fatalf("offers %d changes to a replica holding all", len(none.Changes))
		}
	})
	t.Run("outgoing pages are bounded, in seq order, covered by their commits, and continue where the last ended", func(t *testing.T) {
		a, b := pair(t)
		for _, title := range []string{"One", "Two", "Three"} {
			kit.edit(t, a, title)
			kit.edit(t, b, title)
		}
		res, _, err := ImportBundle(ctx, a, bytes.NewReader(send(t, b, "a")))
		if err != nil || res.Applied == 0 {
			t.Fatalf("import %+v %v", res, err)
		}
		all, err := a.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		have, got := data.Vector{}, data.Vector{}
		for pages := 0; ; pages++ {
			page, err := a.OutgoingPage(ctx, have, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Changes) == 0 {
				break
			}
			if len(page.Changes) > 2 || pages > 100 {
				t.Fatalf("page %d holds %d changes, limit 2", pages, len(page.Changes))
			}
			for _, c := range page.Changes {
				if c.ID.Seq != got[c.ID.Site]+1 {
					t.Fatalf("page %d: change %s after %d of its site", pages, c.ID, got[c.ID.Site])
				}
				got[c.ID.Site] = c.ID.Seq
				if !slices.ContainsFunc(page.Commits, func(cm data.Commit) bool {
					return cm.Site == c.ID.Site && cm.FirstSeq <= c.ID.Seq && c.ID.Seq <= cm.LastSeq
				}) {
					t.Fatalf("page %d: change %s without its commit", pages, c.ID)
				}
				if !slices.ContainsFunc(page.Authors, func(au data.Author) bool { return au.Site == c.ID.Site }) {
					t.Fatalf("page %d: change %s without its author", pages, c.ID)
				}
			}
			have.Merge(got)
		}
		if !got.Covers(all) || !all.Covers(got) {
			t.Fatalf("the pages carried %v, the replica holds %v", got, all)
		}
	})
	t.Run("a paged import with a change altered in its last page applies nothing of the earlier pages", func(t *testing.T) {
		a, b := pair(t)
		for _, title := range []string{"One", "Two", "Three"} {
			kit.edit(t, a, title)
		}
		batch, err := a.OutgoingPage(ctx, data.Vector{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		dev, err := a.Device()
		if err != nil {
			t.Fatal(err)
		}
		changes := batch.Changes
		altered := slices.Clone(changes)
		altered[len(altered)-1].Fields = []byte(`{"title":"Forged"}`)
		before, _ := b.Vector(ctx)
		pages := func(cs []data.RawChange) func(func([]data.RawChange) error) error {
			return func(page func([]data.RawChange) error) error {
				for _, c := range cs { // one change a page
					if err := page([]data.RawChange{c}); err != nil {
						return err
					}
				}
				return nil
			}
		}
		_, err = b.Import(ctx, data.Incoming{Sender: dev.Site, Batch: &data.Batch{Authors: batch.Authors, Commits: batch.Commits}, Pages: pages(altered)})
		if !errors.Is(err, data.ErrRefused) {
			t.Fatalf("an altered change was not refused: %v", err)
		}
		if after, _ := b.Vector(ctx); !before.Covers(after) {
			t.Fatalf("the refused import applied changes: %v, before %v", after, before)
		}
		res, err := b.Import(ctx, data.Incoming{Sender: dev.Site, Batch: &data.Batch{Authors: batch.Authors, Commits: batch.Commits}, Pages: pages(changes)})
		if err != nil || res.Applied != len(changes) {
			t.Fatalf("the same pages unaltered: %+v %v", res, err)
		}
	})
	t.Run("an import from a trusted sender brings its vector and records what it holds", func(t *testing.T) {
		a, b := pair(t)
		kit.edit(t, a, "One")
		res, bd, err := ImportBundle(ctx, b, bytes.NewReader(send(t, a, "b")))
		if err != nil || res.Applied == 0 {
			t.Fatalf("import %+v %v", res, err)
		}
		va, _ := a.Vector(ctx)
		vb, _ := b.Vector(ctx)
		if !vb.Covers(va) {
			t.Fatalf("b holds %v, a %v", vb, va)
		}
		if held, _ := b.PeerHolds(ctx, bd.Sender); !held.Covers(va) {
			t.Fatalf("b thinks a holds %v", held)
		}
		again, _, err := ImportBundle(ctx, b, bytes.NewReader(send(t, a, "b")))
		if err != nil || again.Applied != 0 {
			t.Fatalf("a second bundle re-applied: %+v %v", again, err)
		}
	})
	t.Run("the same bundle twice is a replay", func(t *testing.T) {
		a, b := pair(t)
		kit.edit(t, a, "One")
		bb := send(t, a, "b")
		ImportBundle(ctx, b, bytes.NewReader(bb))
		res, _, err := ImportBundle(ctx, b, bytes.NewReader(bb))
		if err != nil || !res.Replay {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("a sender it does not trust is refused", func(t *testing.T) {
		a, b := kit.open(t, "Cdr A"), kit.open(t, "Cdr B")
		kit.enrol(t, a, b, "b")
		_, _, err := ImportBundle(ctx, b, bytes.NewReader(send(t, a, "b")))
		if !errors.Is(err, data.ErrUntrusted) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("as a hub it syncs two laptops", func(t *testing.T) {
		hub, a := pair(t)
		b := kit.open(t, "Cdr C")
		kit.enrol(t, hub, b, "c")
		kit.enrol(t, b, hub, "hub")
		kit.enrol(t, a, b, "c")
		kit.enrol(t, b, a, "a")
		srv := httptest.NewServer((&Hub{R: hub}).Handler())
		defer srv.Close()
		kit.edit(t, a, "From A")
		kit.edit(t, b, "From C")
		for _, r := range []Replica{a, b, a} {
			if _, err := SyncHub(ctx, r, srv.URL, nil); err != nil {
				t.Fatal(err)
			}
		}
		va, _ := a.Vector(ctx)
		vb, _ := b.Vector(ctx)
		vh, _ := hub.Vector(ctx)
		if !va.Covers(vh) || !vb.Covers(vh) || !vh.Covers(va) || !vh.Covers(vb) {
			t.Fatalf("vectors differ: a %v, c %v, hub %v", va, vb, vh)
		}
	})
}

func TestTheSQLiteStorePassesTheReplicaConformanceSuite(t *testing.T) {
	runReplicaConformance(t, replicaKit{
		open: func(t *testing.T, officer string) Replica { return openReplica(t, officer, day) },
		enrol: func(t *testing.T, in, peer Replica, name string) {
			id, err := peer.Identity(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := in.(*store.Store).AddPeer(context.Background(), name, id.String()); err != nil {
				t.Fatal(err)
			}
		},
		edit: func(t *testing.T, r Replica, title string) { addExchange(t, r.(*store.Store), title) },
	})
}
