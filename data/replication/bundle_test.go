package replication

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

func TestBundleCarriesChangesBetweenTwoLaptops(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "CTF 150 coordination")

	res := importOK(t, b, bundle(t, a, "peerb"))
	if res.Applied == 0 || res.Replay {
		t.Fatalf("import applied nothing: %+v", res)
	}
	got, err := b.Get(ctx, "exchange", id)
	if err != nil {
		t.Fatalf("exchange not at b: %v", err)
	}
	if got.(*data.Exchange).Title != "CTF 150 coordination" {
		t.Fatalf("title %q", got.(*data.Exchange).Title)
	}
	// b now sends back: a learns nothing new, and both are identical.
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("digests differ after a round trip")
	}
	checkClean(t, a)
	checkClean(t, b)
}

func TestReimportingABundleIsAVisibleNoOp(t *testing.T) {
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	addExchange(t, a, "One")
	bb := bundle(t, a, "peerb")
	importOK(t, b, bb)
	before := digest(t, b)
	res := importOK(t, b, bb)
	if !res.Replay || res.Applied != 0 {
		t.Fatalf("second import: %+v", res)
	}
	if digest(t, b) != before {
		t.Fatal("replay changed the store")
	}
}

func TestABundleWithNothingNewIsStillValid(t *testing.T) {
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	importOK(t, b, bundle(t, a, "peerb"))
	// a has heard nothing back, so it resends; a receipt shrinks the next bundle.
	res := importOK(t, b, bundle(t, a, "peerb"))
	if res.Applied != 0 {
		t.Fatalf("applied %d", res.Applied)
	}
}

func TestConcurrentEditsMergePerFieldAndConflictsAreKeptEverywhere(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Original")
	importOK(t, b, bundle(t, a, "peerb"))

	if err := a.Update(ctx, "exchange", id, []byte(`{"title":"Title from A","location":"Manama"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, "exchange", id, []byte(`{"title":"Title from B","summary":"Summary from B"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("digests differ")
	}
	for _, s := range []*store.Store{a, b} {
		got, _ := s.Get(ctx, "exchange", id)
		e := got.(*data.Exchange)
		if e.Location != "Manama" || e.Summary != "Summary from B" {
			t.Fatalf("different fields did not both merge: %+v", e)
		}
		cs, err := s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Field != "title" || len(cs[0].Values) != 2 {
			t.Fatalf("conflicts: %+v", cs)
		}
		checkClean(t, s)
	}
	// Resolving on one replica clears it on both.
	cs, _ := a.Conflicts(ctx)
	if err := a.Resolve(ctx, "exchange", id, "title", nil, cs[0].Values[0].Change); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	for _, s := range []*store.Store{a, b} {
		if cs, _ := s.Conflicts(ctx); len(cs) != 0 {
			t.Fatalf("still in conflict: %+v", cs)
		}
	}
	if digest(t, a) != digest(t, b) {
		t.Fatal("digests differ after resolve")
	}
}

func TestAnEditMadeWhileDeletedSurfacesAndCanBeRestored(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Original")
	importOK(t, b, bundle(t, a, "peerb"))
	if err := a.Delete(ctx, "exchange", id); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, "exchange", id, []byte(`{"outcome":"Agreed next steps"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera"))
	for _, s := range []*store.Store{a, b} {
		cs, _ := s.Conflicts(ctx)
		if len(cs) != 1 || cs[0].Field != data.DeletedField {
			t.Fatalf("delete vs edit not surfaced: %+v", cs)
		}
		checkClean(t, s)
	}
	if err := b.Resolve(ctx, "exchange", id, data.DeletedField, json.RawMessage("false"), ""); err != nil {
		t.Fatal(err)
	}
	got, err := b.Get(ctx, "exchange", id)
	if err != nil {
		t.Fatalf("not restored: %v", err)
	}
	if e := got.(*data.Exchange); e.Outcome != "Agreed next steps" || e.Title != "Original" {
		t.Fatalf("restored without its values: %+v", e)
	}
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("digests differ")
	}
	checkClean(t, a)
}

func TestABundleFromAnUnknownSenderIsRefused(t *testing.T) {
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b)
	if _, err := c.AddPeer(context.Background(), "b", mustIdentity(t, b)); err != nil {
		t.Fatal(err)
	}
	addExchange(t, c, "From a stranger")
	before := digest(t, b)
	_, _, err := ImportBundle(context.Background(), b, bytesReader(bundle(t, c, "b")))
	if !errors.Is(err, data.ErrUntrusted) {
		t.Fatalf("want untrusted sender, got %v", err)
	}
	if digest(t, b) != before {
		t.Fatal("refused bundle changed the store")
	}
}

func TestChangesRelayedFromAnUnknownAuthorAreQuarantined(t *testing.T) {
	ctx := context.Background()
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b)
	enrol2(t, a, c)
	addExchange(t, c, "Written by C")
	importOK(t, a, bundle(t, c, "a"))
	res := importOK(t, b, bundle(t, a, "peerb"))
	if res.Quarantined == 0 {
		t.Fatalf("nothing quarantined: %+v", res)
	}
	q, err := b.Quarantine(ctx)
	if err != nil || len(q) != 1 || q[0].Officer != "Cdr C" {
		t.Fatalf("quarantine list: %+v %v", q, err)
	}
	if n := countExchanges(t, b); n != 0 {
		t.Fatalf("quarantined changes applied: %d exchanges", n)
	}
	if _, err := b.ReleaseQuarantine(ctx, q[0].Device); err != nil {
		t.Fatal(err)
	}
	if n := countExchanges(t, b); n != 1 {
		t.Fatalf("released changes not applied: %d exchanges", n)
	}
	if q, _ := b.Quarantine(ctx); len(q) != 0 {
		t.Fatalf("still held: %+v", q)
	}
	checkClean(t, b)
}

func TestAClockRunningAheadCannotHideALaterEdit(t *testing.T) {
	ctx := context.Background()
	// A's clock is three hours fast; B's is right.
	a, b := openReplica(t, "Cdr A", day.Add(3*time.Hour)), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Written with a fast clock")
	importOK(t, b, bundle(t, a, "peerb"))
	// B edits after seeing A's version: B's edit wins although its clock
	// reads earlier than A's, because it supersedes what B saw.
	if err := b.Update(ctx, "exchange", id, []byte(`{"title":"Corrected by B"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, a, bundle(t, b, "peera"))
	for _, s := range []*store.Store{a, b} {
		got, _ := s.Get(ctx, "exchange", id)
		if title := got.(*data.Exchange).Title; title != "Corrected by B" {
			t.Fatalf("the later edit is hidden: title %q", title)
		}
	}
	// Concurrent edits with the fast clock are a conflict, shown, not lost.
	a.Update(ctx, "exchange", id, []byte(`{"title":"A again"}`))
	b.Update(ctx, "exchange", id, []byte(`{"title":"B again"}`))
	importOK(t, a, bundle(t, b, "peera"))
	importOK(t, b, bundle(t, a, "peerb"))
	for _, s := range []*store.Store{a, b} {
		if cs, _ := s.Conflicts(ctx); len(cs) != 1 {
			t.Fatalf("concurrent edits not kept as a conflict: %+v", cs)
		}
	}
}

func TestAStoreCopiedOntoASecondLaptopIsCaught(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	addExchange(t, a, "Before the copy")
	importOK(t, b, bundle(t, a, "peerb"))
	cp := copiedByHand(t, a)
	addExchange(t, a, "Written on the original")
	addExchange(t, cp, "Written on the copy")
	importOK(t, b, bundle(t, a, "peerb"))
	before := storeState(t, b)
	_, _, err := ImportBundle(ctx, b, bytesReader(bundle(t, cp, "peerb")))
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "two different histories") {
		t.Fatalf("a copied store was not caught: %v", err)
	}
	if storeState(t, b) != before {
		t.Fatal("the refused import changed the store")
	}
}

// A laptop lost before it synced is restored from its backup: the restored
// store has a new identity, but the edits in the backup, made under the old
// one, must still reach the peers.
func TestARestoredStoreStillSendsWhatItsBackupHeld(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	id := addExchange(t, a, "Written before the laptop was lost, never sent")
	dir := t.TempDir()
	if err := a.Backup(ctx, filepath.Join(dir, "backup.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Restore(ctx, filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db"), false); err != nil {
		t.Fatal(err)
	}
	r, err := store.Open(ctx, filepath.Join(dir, "restored.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if va, vr := mustVector(t, a), mustVector(t, r); !vr.Covers(va) {
		t.Fatalf("the restored store holds %v, its backup held %v", vr, va)
	}
	// B enrols the restored laptop under a new name; it kept its peers.
	if _, err := b.AddPeer(ctx, "restored", mustIdentity(t, r)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, r, "peerb"))
	if _, err := b.Get(ctx, "exchange", id); err != nil {
		t.Fatalf("the edit in the backup never reached the peer: %v", err)
	}
	if vb, vr := mustVector(t, b), mustVector(t, r); !vb.Covers(vr) {
		t.Fatalf("the peer holds %v, the restored store %v", vb, vr)
	}
}

func mustVector(t *testing.T, s *store.Store) data.Vector {
	t.Helper()
	v, err := s.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The copy's changes reaching the original itself are caught too: they
// carry its own identity but it never made them.
func TestAStoreCopiedOntoASecondLaptopIsCaughtByTheOriginal(t *testing.T) {
	ctx := context.Background()
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b, c)
	addExchange(t, a, "Before the copy")
	cp := copiedByHand(t, a)
	addExchange(t, cp, "Written on the copy")
	importOK(t, b, bundle(t, cp, "peerb"))
	importOK(t, c, bundle(t, b, "peerc"))
	before := storeState(t, a)
	_, _, err := ImportBundle(ctx, a, bytesReader(bundle(t, c, "peera")))
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "two different histories") {
		t.Fatalf("the copy's changes were not caught at the original: %v", err)
	}
	if storeState(t, a) != before {
		t.Fatal("the refused import changed the store")
	}
}

// Changes held for review while their author was unknown are no longer
// listed as held once they arrive again, verified, after it is enrolled.
func TestHeldChangesThatArriveVerifiedLeaveTheQuarantine(t *testing.T) {
	ctx := context.Background()
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b)
	enrol2(t, a, c)
	addExchange(t, c, "Written by C")
	importOK(t, a, bundle(t, c, "a"))
	if res := importOK(t, b, bundle(t, a, "peerb")); res.Quarantined == 0 {
		t.Fatalf("nothing held: %+v", res)
	}
	if _, err := b.AddPeer(ctx, "c", mustIdentity(t, c)); err != nil {
		t.Fatal(err)
	}
	if res := importOK(t, b, bundle(t, a, "peerb")); res.Applied == 0 {
		t.Fatalf("C's changes not applied once C is enrolled: %+v", res)
	}
	if q, _ := b.Quarantine(ctx); len(q) != 0 {
		t.Fatalf("applied changes still listed as held for review: %+v", q)
	}
	checkClean(t, b)
}

// Restoring a record deleted while two others edited one of its fields
// differently keeps that field's conflict: the restore settles the delete,
// not which edit wins.
func TestRestoringADeletedRecordKeepsTheConflictsOfItsEdits(t *testing.T) {
	ctx := context.Background()
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b, c)
	id := addExchange(t, a, "Original")
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, c, bundle(t, a, "peerc"))
	if err := a.Delete(ctx, "exchange", id); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, "exchange", id, []byte(`{"outcome":"Outcome by B"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Update(ctx, "exchange", id, []byte(`{"outcome":"Outcome by C"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, a, bundle(t, b, "peera"))
	importOK(t, a, bundle(t, c, "peera"))
	fields := func() []string {
		cs, _ := a.Conflicts(ctx)
		var out []string
		for _, cf := range cs {
			out = append(out, cf.Field)
		}
		return out
	}
	if got := fields(); !slices.Equal(got, []string{data.DeletedField, "outcome"}) {
		t.Fatalf("conflicts before the restore: %v", got)
	}
	if err := a.Resolve(ctx, "exchange", id, data.DeletedField, json.RawMessage("false"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get(ctx, "exchange", id); err != nil {
		t.Fatalf("not restored: %v", err)
	}
	if got := fields(); !slices.Equal(got, []string{"outcome"}) {
		t.Fatalf("after the restore the conflicts are %v, want outcome's kept", got)
	}
	checkClean(t, a)
}

// A peer that says it holds more of this device's changes than this device
// ever made has them from a copy of its store: refused, or this device
// would stop sending its own new edits to that peer, believing it had them.
func TestAPeerHoldingMoreOfThisDevicesChangesThanItMadeIsRefused(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	addExchange(t, a, "Before the copy")
	importOK(t, b, bundle(t, a, "peerb"))
	cp := copiedByHand(t, a)
	addExchange(t, cp, "Written on the copy")
	addExchange(t, cp, "Written on the copy again")
	importOK(t, b, bundle(t, cp, "peerb"))

	before := storeState(t, a)
	_, _, err := ImportBundle(ctx, a, bytesReader(bundle(t, b, "peera")))
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "copied") {
		t.Fatalf("a bundle from a peer holding a copy's changes was not refused: %v", err)
	}
	var rc bytes.Buffer
	if err := WriteReceipt(ctx, b, "", &rc); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportReceipt(ctx, a, &rc); !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "copied") {
		t.Fatalf("a receipt from a peer holding a copy's changes was not refused: %v", err)
	}
	if storeState(t, a) != before {
		t.Fatal("the refusals changed the store")
	}
}

// copiedByHand is a copy of a store's file, opened as a second laptop
// would: it has the same identity.
func copiedByHand(t *testing.T, s *store.Store) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copy.db")
	// Not Backup: a backup holds no keys. A file copy holds them all.
	raw, err := sql.Open("sqlite", store.WriterDSN(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`VACUUM INTO ?`, path); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cp.Close() })
	return cp
}
