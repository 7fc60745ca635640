package replication

import (
	"context"
	"slices"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// TestTwoLaptopsFinalisingOneDebriefMakeEachCommitmentOneAction: both
// laptops hold the same debrief and finalise it before they sync. Each
// owned commitment's action has an id derived from the exchange and the
// commitment, so both create the same row and, once bundles cross, each
// commitment is one action and the stores agree.
func TestTwoLaptopsFinalisingOneDebriefMakeEachCommitmentOneAction(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr. Rao", day), openReplica(t, "Lt Cdr Iyer", day)
	enrol(t, a, b)
	ids, err := a.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call on CTF 150", State: data.StatePlanned,
		OccurredAt: "2026-11-20T06:00:00Z", Objectives: []data.Objective{{Text: "Agree the drill schedule"}},
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	if err := a.SetExchangeState(ctx, id, data.StateHeld, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(ctx, data.KindExchange, id, []byte(`{"commitments":[
		{"side":"us","text":"Send the drill calendar","owner":"Cdr. Rao","due_on":"2026-12-01"},
		{"side":"them","text":"Share the contact list","owner":"Lt Cdr Smith"},
		{"side":"them","text":"Consider a further seat"}]}`)); err != nil {
		t.Fatalf("debrief: %v", err)
	}
	importOK(t, b, bundle(t, a, peerName(1)))
	for _, s := range []*store.Store{a, b} {
		if err := s.SetExchangeState(ctx, id, data.StateFinal, "", ""); err != nil {
			t.Fatalf("final: %v", err)
		}
	}
	importOK(t, b, bundle(t, a, peerName(1)))
	importOK(t, a, bundle(t, b, peerName(0)))
	for name, s := range map[string]*store.Store{"a": a, "b": b} {
		var titles []string
		err := s.List(ctx, data.KindAction, data.ListFilter{ExchangeID: id}, func(r data.Record) error {
			titles = append(titles, r.(*data.Action).Title+" "+r.(*data.Action).DueOn)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(titles, "Send the drill calendar 2026-12-01") {
			t.Errorf("laptop %s: the action does not take the commitment's due date: %q", name, titles)
		}
		if len(titles) != 2 {
			t.Errorf("laptop %s has %d actions for 2 owned commitments: %q", name, len(titles), titles)
		}
		checkClean(t, s)
	}
	// Both laptops wrote the same actions and the same commitments: no
	// conflict to resolve there (the state notes, written by each, differ).
	cs, err := a.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Kind == data.KindAction || c.Field == "commitments" || c.Field == "state" {
			t.Errorf("a conflict on %s %s: %+v", c.Kind, c.Field, c.Values)
		}
	}
	if da, db := digest(t, a), digest(t, b); da != db {
		t.Errorf("the stores disagree after both finalised: %s vs %s", da, db)
	}
}
