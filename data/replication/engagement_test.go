package replication

import (
	"context"
	"testing"

	"liaisondesk/data"
)

// A debriefed engagement crosses by bundle with its objectives, results and
// commitments, and the actions its commitments became.
func TestADebriefedEngagementCrossesByBundle(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call on Commander CTF 150",
		OccurredAt: "2026-12-03T06:00:00Z", State: data.StatePlanned, TalkingPoints: "Thanks for the drill.",
		Objectives: []data.Objective{{Text: "Agree the schedule", Priority: "HQ-P1"}, {Text: "Obtain the list"}},
		Marking:    data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	ids, err := a.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetExchangeState(ctx, ids[0], data.StateHeld, "", ""); err != nil {
		t.Fatal(err)
	}
	rec, err := a.Get(ctx, data.KindExchange, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	held := rec.(*data.Exchange)
	held.Objectives[0].Result = data.ObjectiveMet
	held.Commitments = []data.Commitment{{Side: data.SideUs, Text: "Send the calendar", Owner: "Cdr. Rao"}}
	if err := a.Save(ctx, held); err != nil {
		t.Fatal(err)
	}
	if err := a.SetExchangeState(ctx, ids[0], data.StateFinal, "", ""); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera")) // and back: both hold the same
	if digest(t, a) != digest(t, b) {
		t.Fatal("the replicas differ after a round trip")
	}
	checkClean(t, b)
	rec, err = b.Get(ctx, data.KindExchange, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	got := rec.(*data.Exchange)
	if got.State != data.StateFinal || len(got.Objectives) != 2 || got.Objectives[0].Result != data.ObjectiveMet ||
		len(got.Commitments) != 1 || got.Commitments[0].ActionID == "" || got.TalkingPoints != "Thanks for the drill." {
		t.Fatalf("crossed as %+v", got)
	}
	if _, err := b.Get(ctx, data.KindAction, got.Commitments[0].ActionID); err != nil {
		t.Fatalf("the commitment's action did not cross: %v", err)
	}
}
