package store

import (
	"context"
	"testing"
	"time"

	"liaisondesk/data"
)

// A hostile enrolled peer P crafts a change whose parents name a seq of
// laptop X far beyond what X has made, and gets it relayed (a hub or any
// other peer takes it: only X can tell). The crafted change must not be
// a poison pill: X keeps receiving the relayer's other, genuine work, and
// the crafted change alone is refused or held.
func TestACraftedParentNamingThisLaptopsFutureSeqDoesNotBlockItsSync(t *testing.T) {
	ctx := context.Background()
	x, p, r := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "p": p, "r": r})
	id := addOne(t, x, sampleExchange())
	sendAll(t, x, p)
	sendAll(t, x, r)
	sendAll(t, p, r) // the relayer holds P's earlier changes, so it relays P's next
	xdev, _ := x.Device()
	crafted := craft(t, p, nextSeq(t, p), data.MakeHLC(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).UnixMilli(), 0), "exchange", id,
		map[string]any{"summary": "Noted."}, map[string][]data.ChangeID{"title": {{Site: xdev.Site, Seq: 1_000_000}}})
	pdev, _ := p.Device()
	// The relayer (a hub, say) cannot tell: it takes the change.
	if _, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: crafted}); err != nil {
		t.Fatalf("the relayer refused the crafted change: %v", err)
	}
	// The relayer's own officer then records genuine work.
	genuine := addOne(t, r, sampleExchange())

	have, _ := x.Vector(ctx)
	b, err := r.Outgoing(ctx, have)
	if err != nil {
		t.Fatal(err)
	}
	rdev, _ := r.Device()
	if _, err := x.Import(ctx, data.Incoming{Sender: rdev.Site, Batch: b}); err != nil {
		t.Fatalf("one crafted change relayed by an honest peer blocks every sync of X with it (and X would have to make a million changes first): %v", err)
	}
	if _, err := x.Get(ctx, "exchange", genuine); err != nil {
		t.Fatalf("X lacks the relayer's genuine record: %v", err)
	}
}
