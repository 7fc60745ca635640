package pgstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication/replicatest"
	"liaisondesk/data/store"
)

// craftCommit is a one-change commit the device of l signs at seq without
// writing it to its own log, as a hostile enrolled peer can; parents, if
// not empty, are the change's.
func craftCommit(t *testing.T, l *store.Store, seq int64, parents string) (data.Commit, data.RawChange) {
	t.Helper()
	dev, err := l.Device()
	if err != nil {
		t.Fatal(err)
	}
	c := data.RawChange{ID: data.ChangeID{Site: dev.Site, Seq: seq}, HLC: data.HLC(uint64(replicatest.Day.UnixMilli())<<16 + uint64(seq)),
		Table: "exchanges", RowID: fmt.Sprintf("crafted-%d", seq), Fields: []byte(`{"summary":"Noted."}`), Schema: data.SchemaVersion}
	if parents != "" {
		c.Parents = []byte(parents)
	}
	h := c.Hash()
	sig, err := dev.Sign(data.CommitMessage(dev.Site, seq, seq, h[:]))
	if err != nil {
		t.Fatal(err)
	}
	return data.Commit{Site: dev.Site, FirstSeq: seq, LastSeq: seq, Hashes: h[:], Signature: sig}, c
}

// A commit with a change no honest writer makes (a parent that is its
// author's own later change) is held at the hub as invalid, and its
// author's later commits wait behind it, in the same push and in the
// next one: the hub's vector stops before it, and the rest of the push
// applies.
func TestASuspectCommitIsHeldAtThePostgreSQLHubAndItsAuthorsLaterOnesWait(t *testing.T) {
	ctx := context.Background()
	h, _ := openHub(t, replicatest.Day)
	l := laptopStore(t, "Cdr A")
	addExchange(t, l)
	id, _ := l.Identity(ctx)
	if _, err := h.AddPeer(ctx, "deva", id.String()); err != nil {
		t.Fatal(err)
	}
	first := incomingOf(t, l)
	made := int64(len(first.Batch.Changes))
	if res, err := h.Import(ctx, first); err != nil || res.Applied != int(made) {
		t.Fatalf("the honest push: %+v %v", res, err)
	}
	suspectC, suspect := craftCommit(t, l, made+1, fmt.Sprintf(`{"summary":[%q]}`, data.ChangeID{Site: id.Site, Seq: made + 5}))
	laterC, later := craftCommit(t, l, made+2, "")
	res, err := h.Import(ctx, paged(id.Site, &data.Batch{Commits: []data.Commit{laterC, suspectC}}, pagesOf([]data.RawChange{later, suspect}, 1)))
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]data.HeldCommit{}
	for _, c := range res.Held {
		held[c.Reason] = c
	}
	if res.Applied != 0 || res.Quarantined != 2 || len(held) != 2 ||
		held["invalid"].FirstSeq != made+1 || !strings.Contains(held["invalid"].Detail, suspect.ID.String()) ||
		held["waits"].FirstSeq != made+2 {
		t.Fatalf("the suspect commit and the one after it: %+v", res)
	}
	nextC, next := craftCommit(t, l, made+3, "")
	res, err = h.Import(ctx, data.Incoming{Sender: id.Site, Batch: &data.Batch{Commits: []data.Commit{nextC}, Changes: []data.RawChange{next}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 0 || len(res.Held) != 1 || res.Held[0].Reason != "waits" || !strings.Contains(res.Held[0].Detail, fmt.Sprintf(":%d-%d", made+1, made+1)) {
		t.Fatalf("a later push of the same author: %+v", res)
	}
	if v, _ := h.Vector(ctx); v[id.Site] != made {
		t.Fatalf("the hub's vector moved past the held commit: %v, want %d", v[id.Site], made)
	}
	if r, err := h.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %+v %v", r, err)
	}
}

// A commit held because its author was not enrolled leaves review once
// the enrolled author pushes it itself: the held copy of that version is
// dropped, and the vector moves over it and its successors.
func TestAHeldCommitLeavesReviewWhenItsEnrolledAuthorPushesIt(t *testing.T) {
	ctx := context.Background()
	h, _ := openHub(t, replicatest.Day)
	relayer, author := laptopStore(t, "Cdr R"), laptopStore(t, "Cdr A")
	addExchange(t, author)
	rid, _ := relayer.Identity(ctx)
	aid, _ := author.Identity(ctx)
	if _, err := relayer.AddPeer(ctx, "author", aid.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := relayer.Import(ctx, incomingOf(t, author)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.AddPeer(ctx, "relayer", rid.String()); err != nil {
		t.Fatal(err)
	}
	res, err := h.Import(ctx, incomingOf(t, relayer))
	if err != nil || len(res.Held) != 1 || res.Held[0].Reason != "unknown" {
		t.Fatalf("the relayed commit of an author not enrolled: %+v %v", res, err)
	}
	if _, err := h.AddPeer(ctx, "author", aid.String()); err != nil {
		t.Fatal(err)
	}
	addExchange(t, author)
	in := incomingOf(t, author)
	res, err = h.Import(ctx, in)
	if err != nil || res.Applied != len(in.Batch.Changes) || res.Quarantined != 0 {
		t.Fatalf("the enrolled author's own push: %+v %v", res, err)
	}
	if q, err := h.Quarantine(ctx); err != nil || len(q) != 0 {
		t.Fatalf("still held for review: %+v %v", q, err)
	}
	if v, _ := h.Vector(ctx); v[aid.Site] != int64(len(in.Batch.Changes)) {
		t.Fatalf("the hub holds %d of the author's %d changes", v[aid.Site], len(in.Batch.Changes))
	}
}
