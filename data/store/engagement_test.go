package store

import (
	"context"
	"strings"
	"testing"

	"liaisondesk/data"
)

func plannedEngagement() *data.Exchange {
	e := sampleExchange()
	e.State = data.StatePlanned
	e.OccurredAt = "2026-12-03T06:00:00Z" // after the test clock's today: planned ahead
	e.Objectives = []data.Objective{{Text: "Agree the boarding drill schedule", Priority: "HQ-P1"},
		{Text: "Obtain the CTF 150 contact list"}}
	e.TalkingPoints = "Thank the commander for the last drill."
	e.Asks = "A liaison seat at the next planning conference."
	e.RedLines = "No commitment on ship availability."
	return e
}

func engagementOf(t *testing.T, s *Store, id string) *data.Exchange {
	t.Helper()
	rec, err := s.Get(context.Background(), data.KindExchange, id)
	if err != nil {
		t.Fatalf("get exchange: %v", err)
	}
	return rec.(*data.Exchange)
}

func actionsOf(t *testing.T, s *Store, exchangeID string) []*data.Action {
	t.Helper()
	var out []*data.Action
	err := s.List(context.Background(), data.KindAction, data.ListFilter{}, func(r data.Record) error {
		if a := r.(*data.Action); a.ExchangeID == exchangeID {
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list actions: %v", err)
	}
	return out
}

func TestAPlannedEngagementIsHeldDebriefedAndItsOwnedCommitmentsBecomeActionsOnce(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	ids, err := s.Add(ctx, plannedEngagement())
	if err != nil {
		t.Fatalf("add planned: %v", err)
	}
	id := ids[0]
	if err := s.SetExchangeState(ctx, id, data.StateHeld, "met at NSA Bahrain", ""); err != nil {
		t.Fatalf("held: %v", err)
	}
	e := engagementOf(t, s, id)
	e.Objectives[0].Result, e.Objectives[0].Note = data.ObjectiveMet, "Schedule agreed to March."
	e.Objectives[1].Result = data.ObjectiveNotMet
	e.Atmospherics = "Cordial; the commander was pressed for time."
	e.Commitments = []data.Commitment{
		{Side: data.SideUs, Text: "Send the drill calendar", Owner: "Cdr. Rao"},
		{Side: data.SideThem, Text: "Share the contact list", Owner: "Lt Cdr Smith"},
		{Side: data.SideThem, Text: "Consider a further seat"}, // no owner: no action
	}
	if err := s.Save(ctx, e); err != nil {
		t.Fatalf("debrief: %v", err)
	}
	if got := actionsOf(t, s, id); len(got) != 0 {
		t.Fatalf("a held debrief made %d actions before it was final", len(got))
	}
	if err := s.SetExchangeState(ctx, id, data.StateFinal, "", ""); err != nil {
		t.Fatalf("final: %v", err)
	}
	got := actionsOf(t, s, id)
	if len(got) != 2 {
		t.Fatalf("final made %d actions, want 2 (the owned commitments)", len(got))
	}
	owners := got[0].Owner + "," + got[1].Owner
	if !strings.Contains(owners, "Cdr. Rao") || !strings.Contains(owners, "Lt Cdr Smith") {
		t.Errorf("action owners %q", owners)
	}
	e = engagementOf(t, s, id)
	if e.Objectives[0].Result != data.ObjectiveMet || e.Commitments[0].ActionID == "" || e.Commitments[2].ActionID != "" {
		t.Errorf("after final: objectives %+v commitments %+v", e.Objectives, e.Commitments)
	}
	if !strings.Contains(e.StateNotes, "planned → held: met at NSA Bahrain") || !strings.Contains(e.StateNotes, "held → final") {
		t.Errorf("state notes %q", e.StateNotes)
	}
	// Amended back to draft and finalised again: the actions are not made twice.
	if err := s.UpdateAmend(ctx, data.KindExchange, id, []byte(`{"state":"draft"}`)); err != nil {
		t.Fatalf("amend to draft: %v", err)
	}
	if err := s.SetExchangeState(ctx, id, data.StateFinal, "", ""); err != nil {
		t.Fatalf("final again: %v", err)
	}
	if got := actionsOf(t, s, id); len(got) != 2 {
		t.Errorf("finalised twice: %d actions, want 2", len(got))
	}
}

func TestAPostponementMovesTheDateAndSaysFromWhen(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	e := plannedEngagement()
	e.EndedAt = "2026-12-03T07:00:00Z"
	ids, err := s.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetExchangeState(ctx, ids[0], data.StatePostponed, "commander at sea", ""); err == nil || data.FieldOf(err) != "date" {
		t.Fatalf("a postponement without a date: %v", err)
	}
	if err := s.SetExchangeState(ctx, ids[0], data.StatePostponed, "commander at sea", "2026-12-10T06:00:00Z"); err != nil {
		t.Fatal(err)
	}
	got := engagementOf(t, s, ids[0])
	if got.State != data.StatePostponed || got.OccurredAt != "2026-12-10T06:00:00Z" || got.EndedAt != "2026-12-10T07:00:00Z" {
		t.Errorf("postponed: %s %s–%s", got.State, got.OccurredAt, got.EndedAt)
	}
	if !strings.Contains(got.StateNotes, "from 2026-12-03T06:00:00Z to 2026-12-10T06:00:00Z: commander at sea") {
		t.Errorf("state notes %q", got.StateNotes)
	}
}

func TestExchangeStateChangesOutsideTheWorkflowAreRefused(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	ids, err := s.Add(ctx, plannedEngagement())
	if err != nil {
		t.Fatal(err)
	}
	err = s.SetExchangeState(ctx, ids[0], data.StateFinal, "", "")
	if err == nil || !strings.Contains(err.Error(), "allowed: held, postponed, cancelled") {
		t.Errorf("planned → final: %v", err)
	}
	if err := s.Update(ctx, data.KindExchange, ids[0], []byte(`{"state":"draft"}`)); err == nil {
		t.Error("an edit moved a planned exchange to draft")
	}
	held := sampleExchange()
	held.State = data.StateHeld
	if _, err := s.Add(ctx, held); err == nil || data.FieldOf(err) != "state" {
		t.Errorf("a new exchange created held: %v", err)
	}
	// An exchange recorded after the fact still goes draft → final by an edit.
	ids, err = s.Add(ctx, sampleExchange())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, data.KindExchange, ids[0], []byte(`{"state":"final"}`)); err != nil {
		t.Errorf("draft → final: %v", err)
	}
}

func TestAnObjectiveGetsAResultOnlyOnceTheEngagementIsHeld(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	e := plannedEngagement()
	e.Objectives[0].Result = data.ObjectiveMet
	_, err := s.Add(ctx, e)
	if err == nil || data.FieldOf(err) != "objectives[0].result" || !strings.Contains(err.Error(), "once the engagement is held") {
		t.Errorf("a result while planned: %v", err)
	}
	e = plannedEngagement()
	e.Objectives[1].Result = "done"
	if _, err := s.Add(ctx, e); err == nil || data.FieldOf(err) != "objectives[1].result" {
		t.Errorf("an unknown result: %v", err)
	}
	e = plannedEngagement()
	e.Commitments = []data.Commitment{{Side: "both", Text: "x"}}
	if _, err := s.Add(ctx, e); err == nil || data.FieldOf(err) != "commitments[0].side" {
		t.Errorf("a commitment from neither side: %v", err)
	}
}

// A debrief amended so a commitment forgets its action (action_id
// cleared) and finalised again still makes no second action: the
// action's id comes from the exchange and the commitment.
func TestACommitmentRewrittenWithoutItsActionStillMakesOneAction(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	ids, err := s.Add(ctx, plannedEngagement())
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	if err := s.SetExchangeState(ctx, id, data.StateHeld, "", ""); err != nil {
		t.Fatal(err)
	}
	debrief := []byte(`{"commitments":[{"side":"us","text":"Send the drill calendar","owner":"Cdr. Rao","due_on":"2026-12-10"}]}`)
	if err := s.Update(ctx, data.KindExchange, id, debrief); err != nil {
		t.Fatal(err)
	}
	if err := s.SetExchangeState(ctx, id, data.StateFinal, "", ""); err != nil {
		t.Fatal(err)
	}
	forget := []byte(`{"state":"draft","commitments":[{"side":"us","text":"Send the drill calendar","owner":"Cdr. Rao","due_on":"2026-12-10","action_id":""}]}`)
	if err := s.UpdateAmend(ctx, data.KindExchange, id, forget); err != nil {
		t.Fatalf("amend: %v", err)
	}
	if e := engagementOf(t, s, id); e.Commitments[0].ActionID != "" {
		t.Fatalf("the amendment kept the action id: %+v", e.Commitments)
	}
	if err := s.SetExchangeState(ctx, id, data.StateFinal, "", ""); err != nil {
		t.Fatalf("final again: %v", err)
	}
	got := actionsOf(t, s, id)
	if len(got) != 1 || got[0].DueOn != "2026-12-10" {
		t.Fatalf("actions %+v, want one, due 2026-12-10", got)
	}
	if e := engagementOf(t, s, id); e.Commitments[0].ActionID != got[0].ID {
		t.Errorf("the commitment points at %s, the action is %s", e.Commitments[0].ActionID, got[0].ID)
	}
}

// A commitment added to a final debrief by amendment becomes its action
// then: the move to final that would have made it is past.
func TestACommitmentAddedByAmendmentToAFinalDebriefBecomesAnAction(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	ids, err := s.Add(ctx, plannedEngagement())
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	for _, st := range []data.ExchangeState{data.StateHeld, data.StateFinal} {
		if err := s.SetExchangeState(ctx, id, st, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	e := engagementOf(t, s, id)
	e.Commitments = append(e.Commitments, data.Commitment{Side: data.SideUs, Text: "Send the minutes", Owner: "Cdr. Rao", DueOn: "2026-12-05"},
		data.Commitment{Side: data.SideThem, Text: "Consider a seat"})
	if err := s.Amend(ctx, e); err != nil {
		t.Fatalf("amend: %v", err)
	}
	got := actionsOf(t, s, id)
	if len(got) != 1 || got[0].Title != "Send the minutes" || got[0].DueOn != "2026-12-05" {
		t.Fatalf("actions after the amendment: %+v", got)
	}
	// Amended again: still one.
	e = engagementOf(t, s, id)
	e.Atmospherics = "Warm."
	if err := s.Amend(ctx, e); err != nil {
		t.Fatalf("amend again: %v", err)
	}
	if got := actionsOf(t, s, id); len(got) != 1 {
		t.Fatalf("a second amendment made %d actions", len(got))
	}
}
