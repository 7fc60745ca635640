package replication

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// craftParent is a change the device of s signs without writing it to its
// own log, setting an exchange's summary and naming as a parent of its
// title a change of another device: what a hostile enrolled peer can send.
func craftParent(t *testing.T, s *store.Store, exchange string, parent data.ChangeID) *data.Batch {
	t.Helper()
	ctx := context.Background()
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seq := v[dev.Site] + 1
	raw := data.RawChange{ID: data.ChangeID{Site: dev.Site, Seq: seq}, HLC: data.HLC(uint64(day.UnixMilli()) << 16),
		Table: "exchanges", RowID: exchange, Fields: []byte(`{"summary":"Noted."}`),
		Parents: fmt.Appendf(nil, `{"title":[%q]}`, parent.String()), Schema: data.SchemaVersion}
	h := raw.Hash()
	// What a commit's signature signs (data's commitMessage).
	msg := append([]byte("liaisondesk-commit-v1\x00"), dev.Site[:]...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(seq))
	msg = binary.BigEndian.AppendUint64(msg, uint64(seq))
	msg = append(msg, h[:]...)
	return &data.Batch{
		Commits: []data.Commit{{Site: dev.Site, FirstSeq: seq, LastSeq: seq, Hashes: h[:], Signature: ed25519.Sign(dev.PrivateKey, msg)}},
		Changes: []data.RawChange{raw},
		Authors: []data.Author{{Site: dev.Site, PublicKey: dev.PublicKey(), Officer: dev.Officer}},
	}
}

// A change whose parents name a seq its receiver has not made is held at
// that receiver, and is no poison pill: a relayer that could not tell
// passes it on, and the hub's push, the hub's reply and a bundle carrying
// it all apply the relayer's other work (200 at the hub), naming the held
// change.
func TestACraftedParentHeldAtItsTargetDoesNotBlockSync(t *testing.T) {
	ctx := context.Background()
	hub, x, p, r := openReplica(t, "Hub", day), openReplica(t, "Cdr X", day), openReplica(t, "Cdr P", day), openReplica(t, "Cdr R", day)
	enrol(t, hub, x, p, r) // peera (the hub), peerb (X), peerc (P), peerd (R)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	sync := func(s *store.Store) HubResult {
		t.Helper()
		res, err := SyncHub(ctx, s, srv.URL, nil)
		if err != nil {
			t.Fatalf("sync: %v", err)
		}
		return res
	}
	id := addExchange(t, x, "Written by X")
	for _, s := range []*store.Store{x, p, r} {
		sync(s)
	}
	hubDev, _ := hub.Device()
	xDev, _ := x.Device()
	pDev, _ := p.Device()
	heldNaming := func(held []data.HeldCommit, change data.ChangeID) bool {
		return len(held) == 1 && held[0].Reason == "invalid" && strings.Contains(held[0].Detail, change.String())
	}

	// P crafts a change naming a future change of the hub; R takes it (it
	// cannot tell) and pushes it to the hub with its own work.
	atHub := craftParent(t, p, id, data.ChangeID{Site: hubDev.Site, Seq: 1_000_000})
	if _, err := r.Import(ctx, data.Incoming{Sender: pDev.Site, Batch: atHub}); err != nil {
		t.Fatalf("the relayer refused the crafted change: %v", err)
	}
	addExchange(t, r, "Written by R")
	res := sync(r)
	if !heldNaming(res.AtHub.Held, atHub.Changes[0].ID) {
		t.Errorf("the hub did not hold the change naming its future: %+v", res.AtHub)
	}
	if n := countExchanges(t, hub); n != 2 {
		t.Errorf("%d exchanges at the hub, want X's and R's", n)
	}

	// Another crafted change names X's future; R relays it through the
	// hub and in a bundle, with more of its own work.
	toX := craftParent(t, r, id, data.ChangeID{Site: xDev.Site, Seq: 1_000_000})
	rDev, _ := r.Device()
	sync(p) // P holds R's work before the crafted change, so it relays it
	if _, err := p.Import(ctx, data.Incoming{Sender: rDev.Site, Batch: toX}); err != nil {
		t.Fatal(err)
	}
	sync(p) // the hub takes it: it cannot tell
	res = sync(x)
	if !heldNaming(res.Pulled.Held, toX.Changes[0].ID) {
		t.Errorf("X did not hold the change naming its future: %+v", res.Pulled)
	}
	if n := countExchanges(t, x); n != 2 {
		t.Errorf("%d exchanges at X after syncing with the hub, want its own and R's", n)
	}

	// A bundle from P carries the crafted change again, with P's work.
	addExchange(t, p, "Written by P")
	got := importOK(t, x, bundle(t, p, "peerb"))
	if got.Applied == 0 || countExchanges(t, x) != 3 {
		t.Errorf("a bundle relaying the crafted change: %+v, %d exchanges at X", got, countExchanges(t, x))
	}
	if q, _ := x.Quarantine(ctx); len(q) != 1 || !strings.Contains(q[0].Detail, toX.Changes[0].ID.String()) {
		t.Errorf("X's held list: %+v", q)
	}
}
