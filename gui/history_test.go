package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// The history of a record marks a time that lies ahead of this laptop's
// clock: a colleague whose clock was days fast.
func TestHistoryMarksTimesAheadOfThisLaptop(t *testing.T) {
	ctx := context.Background()
	r, x := openStore(t), openStore(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { now = now.Add(time.Second); return now }
	fast := now.AddDate(0, 0, 3) // x's clock three days fast
	x.Now = func() time.Time { fast = fast.Add(time.Second); return fast }
	for _, s := range []*store.Store{r, x} {
		if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
	}
	rid, _ := r.Identity(ctx)
	xid, _ := x.Identity(ctx)
	if _, err := r.AddPeer(ctx, "x", xid.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := x.AddPeer(ctx, "r", rid.String()); err != nil {
		t.Fatal(err)
	}
	// Made before the import: after it, this laptop's clock is pushed up to
	// an hour ahead (MaxClockLead), and so are its own later changes.
	own := &data.Exchange{Posting: "CMF", Kind: "call", Title: "Own call", OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	oids, err := r.Add(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Gulf of Aden transit brief",
		OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain", Summary: "Transit brief.",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	ids, err := x.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := x.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	xdev, _ := x.Device()
	if _, err := r.Import(ctx, data.Incoming{Sender: xdev.Site, Batch: b}); err != nil {
		t.Fatal(err)
	}
	entries, err := r.History(ctx, "exchange", ids[0])
	if err != nil {
		t.Fatal(err)
	}
	rows := historyRows(entries)
	if len(rows) == 0 {
		t.Fatal("no history")
	}
	for _, row := range rows {
		if !strings.HasSuffix(row[0], "(ahead of this laptop's clock)") {
			t.Errorf("when %q: not marked ahead of this laptop's clock", row[0])
		}
	}
	entries, _ = r.History(ctx, "exchange", oids[0])
	for _, row := range historyRows(entries) {
		if strings.Contains(row[0], "ahead") {
			t.Errorf("this laptop's own change marked: %q", row[0])
		}
	}
}
