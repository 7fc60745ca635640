package replication

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// Documents and gifts cross by bundle like every kind: a document with its
// exchange and attachment, a gift whose deadline each store derives
// itself; edits of different fields on both sides merge field by field,
// and both replicas end with equal digests and the same deadline.
func TestDocumentsAndGiftsCrossByBundleAndMergePerField(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	ex := addExchange(t, a, "N2 threat brief")
	doc := &data.Document{Title: "CTF 150 threat assessment", ReceivedOn: "2026-11-18", ExchangeID: ex,
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}, Category: "2",
		Disclosure: "documentary", ControlNumber: "C-0042"}
	gift := &data.Gift{GivenOn: "2026-11-10", Giver: "RADM B. Cooper", Recipient: "Cdr R. Iyer", RecipientNation: "IND",
		Item: "Silver salver", ValueINR: 18000}
	if _, err := a.Add(ctx, doc, gift); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "annex-b.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4 annex B"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Attach(ctx, data.KindDocument, doc.ID, file, store.AttachOptions{}); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))

	// Both edit at once, different fields of the same records.
	if err := a.Update(ctx, data.KindDocument, doc.ID, []byte(`{"hq_route": "Defence Wing bag"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, data.KindDocument, doc.ID, []byte(`{"disposition": "forwarded", "disposition_on": "2026-11-24"}`)); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(ctx, data.KindGift, gift.ID, []byte(`{"occasion": "change of command"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, data.KindGift, gift.ID, []byte(`{"recipient_nation": "USA", "value_usd": 900}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, a, bundle(t, b, "peera"))
	importOK(t, b, bundle(t, a, "peerb"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("the replicas differ")
	}
	checkClean(t, a)
	checkClean(t, b)
	for _, s := range []*store.Store{a, b} {
		rec, err := s.Get(ctx, data.KindDocument, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := rec.(*data.Document)
		if d.HQRoute != "Defence Wing bag" || d.Disposition != data.DispositionForwarded || d.ExchangeID != ex {
			t.Fatalf("document merged as %+v", d)
		}
		rec, err = s.Get(ctx, data.KindGift, gift.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Now a US recipient's gift above $480: 60 days from 10 November.
		if g := rec.(*data.Gift); g.Occasion != "change of command" || g.DepositDue != "2027-01-09" {
			t.Fatalf("gift merged as %+v", g)
		}
		files, err := s.Attachments(ctx, data.KindDocument, doc.ID)
		if err != nil || len(files) != 1 || files[0].Name != "annex-b.pdf" {
			t.Fatalf("attachments %+v, %v", files, err)
		}
	}
	if cs, err := b.Conflicts(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("edits of different fields conflicted: %+v, %v", cs, err)
	}
}

// craftGiftChange is a change the device of s signs without writing it
// to its own log, setting fields of a gift as a hostile enrolled peer may.
func craftGiftChange(t *testing.T, s *store.Store, gift, fields string) *data.Batch {
	t.Helper()
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seq := v[dev.Site] + 1
	raw := data.RawChange{ID: data.ChangeID{Site: dev.Site, Seq: seq}, HLC: data.HLC(uint64(day.Add(time.Hour).UnixMilli()) << 16),
		Table: "gifts", RowID: gift, Fields: []byte(fields), Schema: data.SchemaVersion}
	h := raw.Hash()
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

// A hostile enrolled peer cannot set a gift's deadline: deposit_due is
// derived by each store from the synced fields, so a change naming it
// moves nothing, and the deadline follows the value the change does set.
func TestAPeerCannotSetAGiftsDeadline(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	g := &data.Gift{GivenOn: "2026-11-10", Giver: "RADM B. Cooper", Recipient: "Cdr R. Iyer", RecipientNation: "IND",
		Item: "Silver salver", ValueINR: 18000}
	if _, err := a.Add(ctx, g); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	aDev, err := a.Device()
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Import(ctx, data.Incoming{Sender: aDev.Site, Batch: craftGiftChange(t, a, g.ID, `{"deposit_due":"2099-01-01","occasion":"farewell"}`)})
	if err != nil || res.Applied != 1 {
		t.Fatalf("the crafted change: %+v, %v", res, err)
	}
	rec, err := b.Get(ctx, data.KindGift, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.(*data.Gift); got.DepositDue != "2026-12-10" || got.Occasion != "farewell" {
		t.Fatalf("after the crafted change: deadline %q, occasion %q", got.DepositDue, got.Occasion)
	}
	checkClean(t, b)
}
