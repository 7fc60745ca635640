package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

func sampleDocument(exchangeID string) *data.Document {
	return &data.Document{Title: "CTF 150 threat assessment", ReceivedOn: "2026-11-20",
		Marking: markingOf("CONFIDENTIAL", "USA", "IND"), Category: "2", Disclosure: "documentary",
		Originator: "NAVCENT N2", ReleaseRef: "FDO-26-114", ControlNumber: "C-0042", HQRoute: "Defence Wing bag", ExchangeID: exchangeID}
}

func fieldOf(err error) string {
	var fe *data.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// TestDocumentLinksToAnExchangeThatExists: like an action, a document
// names an exchange that must exist; it is found by search, and refused
// with a date in the future by the store's clock.
func TestDocumentLinksToAnExchangeThatExists(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.Add(ctx, sampleDocument("0190c0de-0000-7000-8000-000000000001")); fieldOf(err) != "exchange_id" ||
		!strings.Contains(err.Error(), "no exchange has id") {
		t.Fatalf("an unknown exchange: %v", err)
	}
	ids, err := s.Add(ctx, sampleExchange())
	if err != nil {
		t.Fatal(err)
	}
	doc := sampleDocument(ids[0])
	if _, err := s.Add(ctx, doc); err != nil {
		t.Fatalf("a document received in an exchange: %v", err)
	}
	got, err := s.Get(ctx, data.KindDocument, doc.ID)
	if err != nil || got.(*data.Document).ExchangeID != ids[0] || got.(*data.Document).Disposition != data.DispositionHeld {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	hits, err := s.Search(ctx, "NAVCENT", data.SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].Kind != data.KindDocument {
		t.Fatalf("search: %+v, %v", hits, err)
	}
	if err := s.Update(ctx, data.KindDocument, doc.ID, []byte(`{"disposition": "forwarded", "disposition_on": "2026-12-24"}`)); fieldOf(err) != "disposition_on" ||
		!strings.Contains(err.Error(), "future") {
		t.Fatalf("a disposition a month ahead: %v", err)
	}
	if err := s.Update(ctx, data.KindDocument, doc.ID, []byte(`{"disposition": "forwarded", "disposition_on": "2026-11-24"}`)); err != nil {
		t.Fatal(err)
	}
}

// TestGiftDeadlineIsDerivedAndComesDue: the deposit deadline is computed
// by the store from the synced fields, refused as an edit, recomputed when
// the value changes, and a pending gift's deadline comes due as a
// reminder until it is deposited.
func TestGiftDeadlineIsDerivedAndComesDue(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	g := &data.Gift{GivenOn: "2026-11-10", Giver: "RADM B. Cooper, CTF 150", Recipient: "Cdr R. Iyer", RecipientNation: "IND",
		Item: "Silver salver", ValueINR: 18000, Occasion: "change of command"}
	if _, err := s.Add(ctx, g); err != nil {
		t.Fatal(err)
	}
	read := func() *data.Gift {
		t.Helper()
		rec, err := s.Get(ctx, data.KindGift, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		return rec.(*data.Gift)
	}
	if due := read().DepositDue; due != "2026-12-10" {
		t.Fatalf("deposit_due = %q, want 2026-12-10", due)
	}
	if err := s.Update(ctx, data.KindGift, g.ID, []byte(`{"deposit_due": "2027-06-01"}`)); fieldOf(err) != "deposit_due" {
		t.Fatalf("an edited deadline: %v", err)
	}
	list, err := s.DueItems(ctx, time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC), 1)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, it := range list.Items {
		found = found || (it.Kind == data.KindGift && it.ID == g.ID && it.What == data.DueGiftDeposit && it.When == "2026-12-10")
	}
	if !found {
		t.Fatalf("the gift's deadline is not a reminder the day before: %+v", list)
	}
	if err := s.Update(ctx, data.KindGift, g.ID, []byte(`{"value_inr": 4000}`)); err != nil {
		t.Fatal(err)
	}
	if due := read().DepositDue; due != "" {
		t.Fatalf("a gift under the threshold keeps a deadline %q", due)
	}
	if _, err := s.Add(ctx, &data.Gift{GivenOn: "2026-12-01", Giver: "a", Recipient: "b", Item: "c"}); fieldOf(err) != "given_on" {
		t.Fatalf("a gift dated next week: %v", err)
	}
}

// TestGiftDeadlinesFollowTheRuleTableOnOpen: a store whose deadlines were
// computed under another table (a stale fingerprint) recomputes them when
// it opens, with no change in the log.
func TestGiftDeadlinesFollowTheRuleTableOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	ids, err := s.Add(ctx, &data.Gift{GivenOn: "2026-01-10", Giver: "a", Recipient: "b", RecipientNation: "USA", Item: "Watch", ValueUSD: 900})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE gifts SET deposit_due = '2026-01-20'; UPDATE derived_rules SET fingerprint = 'old' WHERE name = 'gifts'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := s.Get(ctx, data.KindGift, ids[0])
	if err != nil || rec.(*data.Gift).DepositDue != "2026-03-11" {
		t.Fatalf("after reopening: %+v, %v", rec, err)
	}
}

// TestRegistersKeptByAnOlderVersionAppearOnUpgrade: a store whose version
// did not know documents and gifts kept a peer's changes of them in its log
// (§4.6); the migration that adds the tables merges them when it opens.
func TestRegistersKeptByAnOlderVersionAppearOnUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	ids, err := s.Add(ctx, &data.Gift{GivenOn: "2026-01-10", Giver: "a", Recipient: "b", RecipientNation: "USA", Item: "Watch", ValueUSD: 900},
		&data.Document{Title: "Annex B", ReceivedOn: "2026-01-10", Marking: markingOf("RESTRICTED")})
	if err != nil {
		t.Fatal(err)
	}
	// The store as the older version left it: the changes in the log, no tables.
	if _, err := s.db.ExecContext(ctx, `DROP TABLE gifts_fts; DROP TABLE gifts; DROP TABLE documents_fts; DROP TABLE documents;
		DELETE FROM derived_rules WHERE name = 'gifts'; DELETE FROM schema_migrations WHERE name LIKE '023%'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := s.Get(ctx, data.KindGift, ids[0])
	if err != nil || rec.(*data.Gift).DepositDue != "2026-03-11" {
		t.Fatalf("the gift after the upgrade: %+v, %v", rec, err)
	}
	if _, err := s.Get(ctx, data.KindDocument, ids[1]); err != nil {
		t.Fatalf("the document after the upgrade: %v", err)
	}
	if hits, err := s.Search(ctx, "Annex", data.SearchOptions{}); err != nil || len(hits) != 1 {
		t.Fatalf("search after the upgrade: %+v, %v", hits, err)
	}
	r, err := s.Check(ctx)
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %v %v", r.Problems, err)
	}
}
