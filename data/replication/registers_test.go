package replication

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
