package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

func TestTheExchangeFormShowsObjectivesAndTheirResultsOnceHeld(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call on Commander CTF 150", OccurredAt: "2026-11-20T06:00:00Z",
		State: data.StatePlanned, Summary: "Met the commander on the flagship.",
		Objectives: []data.Objective{{Text: "Agree the drill schedule", Priority: "HQ-P1"}, {Text: "Obtain the contact list"}},
		Marking:    data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}}
	ids, err := s.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetExchangeState(ctx, ids[0], data.StateHeld, "", ""); err != nil {
		t.Fatal(err)
	}
	debrief := `{"objectives":[{"text":"Agree the drill schedule","priority":"HQ-P1","result":"met","note":"Agreed to March"},{"text":"Obtain the contact list","result":"not_met"}],` +
		`"commitments":[{"side":"us","text":"Send the drill calendar","owner":"Cdr. Rao"},{"side":"them","text":"Share the contact list"}]}`
	if err := s.Update(ctx, data.KindExchange, ids[0], []byte(debrief)); err != nil {
		t.Fatal(err)
	}
	ui.open(data.KindExchange, ids[0])
	var texts []string
	walk(ui.exchanges.form.planView, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	all := strings.Join(texts, "|")
	for _, want := range []string{"1. Agree the drill schedule [HQ-P1] — met: Agreed to March", "2. Obtain the contact list — not met",
		"Us: Send the drill calendar (Cdr. Rao)", "Them: Share the contact list"} {
		if !strings.Contains(all, want) {
			t.Errorf("the form does not show %q: %q", want, all)
		}
	}
	walk(ui.Window().Content(), func(o fyne.CanvasObject) {
		if sc, ok := o.(*container.Scroll); ok {
			sc.ScrollToBottom() // the plan and debrief sit below the marking
		}
	})
	capture(t, ui.Window(), "exchange_form_debrief")
}
