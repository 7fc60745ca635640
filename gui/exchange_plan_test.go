package gui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

// The form does not edit an engagement's plan and debrief yet: an edit
// through it must leave them as they are.
func TestEditingAPlannedEngagementInTheFormKeepsItsPlan(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call on Commander CTF 150", OccurredAt: "2026-12-03T06:00:00Z",
		State: data.StatePlanned, TalkingPoints: "Thanks for the drill.", RedLines: "No ship numbers.",
		Objectives: []data.Objective{{Text: "Agree the drill schedule", Priority: "HQ-P1"}},
		Marking:    data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}}
	ids, err := s.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	ui.open(data.KindExchange, ids[0])
	sc := ui.exchanges
	test.Tap(sc.frame.editBtn)
	sc.form.location.SetText("NSA Bahrain")
	ui.save()
	rec, err := s.Get(ctx, data.KindExchange, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	got := rec.(*data.Exchange)
	if got.Location != "NSA Bahrain" || len(got.Objectives) != 1 || got.Objectives[0].Priority != "HQ-P1" ||
		got.TalkingPoints != "Thanks for the drill." || got.RedLines != "No ship numbers." || got.State != data.StatePlanned {
		t.Fatalf("after an edit in the form: %+v", got)
	}
}
