package store

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"liaisondesk/data"
)

// Officer A adds NATO SECRET above SECRET and marks a record with it. An
// enrolled peer X, having pulled that, re-ranks NATO SECRET to 5 (below
// RESTRICTED) and sends a laptop V that has never seen the level A's
// commits and its own in one bundle. Each change is judged against V's
// levels before the bundle, where NATO SECRET does not exist yet, so the
// re-rank must not pass as "a new level": it moves a level, and must be
// held, leaving NATO SECRET above SECRET at V as at A.
func TestARelayedReRankOfALevelArrivingInTheSameBundleIsHeld(t *testing.T) {
	ctx := context.Background()
	a, x, v := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"a": a, "x": x, "v": v})
	if _, err := a.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	ex := sampleExchange()
	ex.Title = "Carrier group tasking"
	ex.Marking.Classification = "NATO SECRET"
	id := addOne(t, a, ex)
	sendAll(t, a, x)
	// X's own store would refuse nothing it writes itself.
	if err := x.CraftChange(ctx, "classifications", "NATO SECRET", map[string]json.RawMessage{"rank": json.RawMessage("5")}); err != nil {
		t.Fatal(err)
	}
	res := sendAll(t, x, v)
	if _, err := v.Get(ctx, "exchange", id); err != nil {
		t.Fatalf("V lacks A's record: %v", err)
	}
	levels, _ := v.Classifications(ctx)
	order := func(id string) int {
		return slices.IndexFunc(levels, func(l data.Classification) bool { return l.ID == id })
	}
	if n, s, r := order("NATO SECRET"), order("SECRET"), order("RESTRICTED"); n >= 0 && (n < s || n < r) {
		t.Fatalf("V ranks NATO SECRET below SECRET (%s), held %+v: A's NATO SECRET record now falls under a RESTRICTED ceiling",
			levelOrder(levels), res.Held)
	}
}
