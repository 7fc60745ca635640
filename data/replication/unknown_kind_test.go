package replication

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// futureChange is what a newer version of Liaison Desk on the device of s
// writes for a kind this version does not know: a signed change to the
// table "future_things", made without touching s's own log.
func futureChange(t *testing.T, s *store.Store, rowID string) *data.Batch {
	return changeOfTable(t, s, "future_things", rowID)
}

// changeOfTable is a change of s's device to the named table, signed.
func changeOfTable(t *testing.T, s *store.Store, table, rowID string) *data.Batch {
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
		Table: table, RowID: rowID, Fields: []byte(`{"name":"a thing from the future","weight":3}`),
		Schema: data.SchemaVersion}
	h := raw.Hash()
	msg := data.CommitMessage(dev.Site, seq, seq, h[:])
	return &data.Batch{
		Commits: []data.Commit{{Site: dev.Site, FirstSeq: seq, LastSeq: seq, Hashes: h[:], Signature: ed25519.Sign(dev.PrivateKey, msg)}},
		Changes: []data.RawChange{raw},
		Authors: []data.Author{{Site: dev.Site, PublicKey: dev.PublicKey(), Officer: dev.Officer}},
	}
}

// A replica meeting a change of a kind it does not know (written by a
// newer version) keeps it in its log, applies the rest of the sync, counts
// it for a warning, passes it on unchanged to a third replica, and its
// check finds nothing wrong.
func TestAChangeOfAnUnknownKindIsKeptRelayedAndCountedNeverFailingTheSync(t *testing.T) {
	ctx := context.Background()
	newer, b, c := openReplica(t, "Cdr New", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, newer, b, c) // peera (newer), peerb (b), peerc (c)
	addExchange(t, newer, "Known kind, before")
	importOK(t, b, bundle(t, newer, "peerb"))

	dev, err := newer.Device()
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Import(ctx, data.Incoming{Sender: dev.Site, Batch: futureChange(t, newer, "0190c0de-0000-7000-8000-000000000001")})
	if err != nil {
		t.Fatalf("a change of an unknown kind failed the import: %v", err)
	}
	if res.Applied != 1 || res.Quarantined != 0 || res.UnknownKinds["future_things"] != 1 {
		t.Fatalf("import result = %+v, want 1 applied, none held, 1 unknown change of future_things", res)
	}
	if w := res.UnknownKindsWarning(); w != "1 change of a kind this version does not know (future_things): upgrade Liaison Desk to see them; they are kept and passed on" {
		t.Fatalf("warning = %q", w)
	}
	checkClean(t, b)

	// Relayed by bundle to a third replica: byte-exact (the author's
	// signature verifies there), counted there too.
	res = importOK(t, c, bundle(t, b, "peerc"))
	if res.UnknownKinds["future_things"] != 1 || res.Quarantined != 0 {
		t.Fatalf("relayed import result = %+v, want the unknown change kept, not held", res)
	}
	importOK(t, b, bundle(t, c, "peerb"))
	if digest(t, b) != digest(t, c) {
		t.Fatal("the relayed change is not the same at the third replica")
	}
	if countExchanges(t, c) != 1 {
		t.Fatalf("the known work relayed with it was not applied at the third replica")
	}
	checkClean(t, c)

	// More work still flows after it.
	addExchange(t, c, "Known kind, after")
	importOK(t, b, bundle(t, c, "peerb"))
	if countExchanges(t, b) != 2 {
		t.Fatal("sync stopped after a change of an unknown kind")
	}
}

// Through the hub both ways: a laptop pushing a change of an unknown kind
// gets 200 and the hub keeps it; another laptop pulls it, warned.
func TestTheHubKeepsAndPassesOnAChangeOfAnUnknownKind(t *testing.T) {
	ctx := context.Background()
	hub, newer, old, third := openReplica(t, "Hub", day), openReplica(t, "Cdr New", day), openReplica(t, "Cdr Old", day), openReplica(t, "Cdr Third", day)
	enrol(t, hub, newer, old, third)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	// newer's own laptop would hold its future change; here a relaying
	// laptop (old) holds it and pushes it to the hub.
	if _, err := SyncHub(ctx, newer, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := SyncHub(ctx, old, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	dev, err := newer.Device()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Import(ctx, data.Incoming{Sender: dev.Site, Batch: futureChange(t, newer, "0190c0de-0000-7000-8000-000000000002")}); err != nil {
		t.Fatal(err)
	}
	pushed, err := SyncHub(ctx, old, srv.URL, nil)
	if err != nil {
		t.Fatalf("the hub refused a change of an unknown kind: %v", err)
	}
	if pushed.AtHub.UnknownKinds["future_things"] != 1 {
		t.Fatalf("at the hub: %+v", pushed.AtHub)
	}
	pulled, err := SyncHub(ctx, third, srv.URL, nil)
	if err != nil {
		t.Fatalf("a pull carrying a change of an unknown kind failed: %v", err)
	}
	if pulled.Pulled.UnknownKinds["future_things"] != 1 || pulled.Pulled.UnknownKindsWarning() == "" {
		t.Fatalf("pulled: %+v", pulled.Pulled)
	}
	if digest(t, hub) != digest(t, third) {
		t.Fatal("the hub and the laptop that pulled from it differ")
	}
}

// A table name no version would use is malformed, not new: the import is
// refused and nothing is kept.
func TestAChangeNamingAMalformedTableIsRefused(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	importOK(t, b, bundle(t, a, "peerb"))
	before := digest(t, b)
	dev, err := a.Device()
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"Future Things", "x'; DROP TABLE changes; --", "", "_hidden"} {
		_, err := b.Import(ctx, data.Incoming{Sender: dev.Site, Batch: changeOfTable(t, a, table, "0190c0de-0000-7000-8000-000000000003")})
		if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "malformed table") {
			t.Errorf("table %q: %v, want refused as malformed", table, err)
		}
	}
	if digest(t, b) != before {
		t.Fatal("a refused import changed the store")
	}
}
