package gui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// An edit of the exchange's other fields in the form
// leaves the engagement's plan and debrief as they are.
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

// scrollTo brings a form's widget into the window for a screenshot.
func scrollTo(ui *App, o fyne.CanvasObject) {
	walk(ui.Window().Content(), func(c fyne.CanvasObject) {
		if sc, ok := c.(*container.Scroll); ok {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
			top := fyne.CurrentApp().Driver().AbsolutePositionForObject(sc.Content)
			sc.Offset = fyne.NewPos(0, pos.Y-top.Y-8)
			sc.Refresh()
		}
	})
}

func TestPlanningAnEngagementInTheFormSavesItsObjectivesAndLines(t *testing.T) {
	ui, s := newTestApp(t)
	ui.newExchange()
	f := ui.exchanges.form
	p := f.pe
	if p.objectiveAdd.Visible() && f.ff.rows["objectives"].cell.Visible() {
		t.Fatal("a draft exchange offers objectives before it is planned")
	}
	test.Type(f.titleEntry, "Call on Commander CTF 150")
	f.occurred.SetText("2026-12-03 09:00")
	f.classification.SetSelected("RESTRICTED")
	f.state.SetSelected(string(data.StatePlanned))
	if !f.ff.rows["objectives"].cell.Visible() || !p.talkingPoints.Visible() || f.ff.rows["commitments"].cell.Visible() {
		t.Fatal("a planned engagement does not show its plan, or shows a debrief")
	}
	test.Tap(p.objectiveAdd)
	test.Tap(p.objectiveAdd)
	test.Tap(p.objectiveAdd)
	test.Type(p.objectiveRows[0].text, "Agree the drill schedule")
	test.Type(p.objectiveRows[0].priority, "HQ-P1")
	test.Type(p.objectiveRows[1].text, "Drop me")
	test.Type(p.objectiveRows[2].text, "Obtain the contact list")
	test.Tap(p.objectiveRows[1].remove)
	test.Type(p.talkingPoints, "Thanks for the last drill.")
	test.Type(p.asks, "A seat at planning.")
	test.Type(p.redLines, "No ship numbers.")
	scrollTo(ui, p.objectiveCell)
	capture(t, ui.Window(), "exchange_form_planned")
	if ui.exchanges.frame.saveBtn.Disabled() {
		t.Fatalf("save disabled: %v", ui.exchanges.frame.lastErr)
	}
	ui.save()

	var saved *data.Exchange
	if err := s.List(context.Background(), data.KindExchange, data.ListFilter{}, func(r data.Record) error { saved = r.(*data.Exchange); return nil }); err != nil || saved == nil {
		t.Fatalf("nothing saved: %v", err)
	}
	want := []data.Objective{{Text: "Agree the drill schedule", Priority: "HQ-P1"}, {Text: "Obtain the contact list"}}
	if saved.State != data.StatePlanned || !slices.Equal(saved.Objectives, want) || saved.TalkingPoints != "Thanks for the last drill." ||
		saved.Asks != "A seat at planning." || saved.RedLines != "No ship numbers." {
		t.Fatalf("saved %+v", saved)
	}
}

func TestAnEmptyObjectiveIsNamedBesideTheObjectives(t *testing.T) {
	ui, _ := newTestApp(t)
	ui.newExchange()
	f := ui.exchanges.form
	test.Type(f.titleEntry, "Call on Commander CTF 150")
	f.occurred.SetText("2026-12-03 09:00")
	f.classification.SetSelected("RESTRICTED")
	f.state.SetSelected(string(data.StatePlanned))
	test.Tap(f.pe.objectiveAdd)
	test.Type(f.pe.objectiveRows[0].priority, "HQ-P1")
	if !ui.exchanges.frame.saveBtn.Disabled() || !strings.Contains(f.ff.errorText("objectives"), "Objective 1 text") {
		t.Fatalf("an objective without text: save enabled %v, error %q", !ui.exchanges.frame.saveBtn.Disabled(), f.ff.errorText("objectives"))
	}
}

func TestDebriefingInTheFormSavesResultsCommitmentsAndAtmospherics(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	ids, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call on Commander CTF 150", OccurredAt: "2026-11-20T06:00:00Z",
		State: data.StatePlanned, TalkingPoints: "Thanks for the drill.",
		Objectives: []data.Objective{{Text: "Agree the drill schedule", Priority: "HQ-P1"}, {Text: "Obtain the contact list"}},
		Marking:    data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	if err := s.SetExchangeState(ctx, id, data.StateHeld, "", ""); err != nil {
		t.Fatal(err)
	}
	ui.open(data.KindExchange, id)
	sc := ui.exchanges
	test.Tap(sc.frame.editBtn)
	f := sc.form
	p := f.pe
	if p.talkingPoints.Disabled() == false || p.objectiveAdd.Visible() {
		t.Fatal("the plan of a held engagement can still be changed")
	}
	p.objectiveRows[0].result.SetSelected("met")
	test.Type(p.objectiveRows[0].note, "Agreed to March")
	p.objectiveRows[1].result.SetSelected("partly met")
	test.Tap(p.commitmentAdd)
	test.Tap(p.commitmentAdd)
	test.Type(p.commitmentRows[0].text, "Send the drill calendar")
	test.Type(p.commitmentRows[0].owner, "Cdr. Rao")
	p.commitmentRows[0].due.SetText("2026-12-01")
	p.commitmentRows[1].side.SetSelected("Them")
	test.Type(p.commitmentRows[1].text, "Share the contact list")
	test.Type(p.atmospherics, "Cordial; pressed for time.")
	scrollTo(ui, p.objectiveCell)
	capture(t, ui.Window(), "exchange_form_debrief_edit")
	if sc.frame.saveBtn.Disabled() {
		t.Fatalf("save disabled: %v", sc.frame.lastErr)
	}
	ui.save()

	got := engagement(t, s, id)
	if got.Objectives[0].Result != data.ObjectiveMet || got.Objectives[0].Note != "Agreed to March" ||
		got.Objectives[1].Result != data.ObjectivePartly || got.Atmospherics != "Cordial; pressed for time." {
		t.Fatalf("debrief saved as %+v", got)
	}
	if len(got.Commitments) != 2 || got.Commitments[0].Side != data.SideUs || got.Commitments[0].Owner != "Cdr. Rao" ||
		got.Commitments[0].DueOn != "2026-12-01" || got.Commitments[0].ID == "" || got.Commitments[1].Side != data.SideThem ||
		got.Commitments[1].Text != "Share the contact list" {
		t.Fatalf("commitments saved as %+v", got.Commitments)
	}
	if got.TalkingPoints != "Thanks for the drill." || got.State != data.StateHeld {
		t.Fatalf("the plan changed: %+v", got)
	}
	// Final: the owned commitment becomes an action, due when promised.
	if err := s.SetExchangeState(ctx, id, data.StateFinal, "", ""); err != nil {
		t.Fatal(err)
	}
	var acts []*data.Action
	_ = s.List(ctx, data.KindAction, data.ListFilter{ExchangeID: id}, func(r data.Record) error { acts = append(acts, r.(*data.Action)); return nil })
	if len(acts) != 1 || acts[0].Title != "Send the drill calendar" || acts[0].DueOn != "2026-12-01" {
		t.Fatalf("actions %+v", acts)
	}
}

func TestCancellingADebriefLeavesTheRecordAsItWas(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	ids, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call", OccurredAt: "2026-12-03T06:00:00Z",
		State: data.StatePlanned, Objectives: []data.Objective{{Text: "Agree the drill schedule"}},
		Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}})
	if err != nil {
		t.Fatal(err)
	}
	ui.open(data.KindExchange, ids[0])
	test.Tap(ui.exchanges.frame.editBtn)
	p := ui.exchanges.form.pe
	test.Type(p.objectiveRows[0].text, " and the exercise")
	ui.exchanges.frame.cancelEdit()
	if got := ui.exchanges.form.plan.Objectives[0].Text; got != "Agree the drill schedule" {
		t.Fatalf("after Cancel the form shows %q", got)
	}
	if got := engagement(t, s, ids[0]).Objectives[0].Text; got != "Agree the drill schedule" {
		t.Fatalf("after Cancel the store has %q", got)
	}
}

func engagement(t *testing.T, s interface {
	Get(context.Context, data.Kind, string) (data.Record, error)
}, id string) *data.Exchange {
	t.Helper()
	rec, err := s.Get(context.Background(), data.KindExchange, id)
	if err != nil {
		t.Fatal(err)
	}
	return rec.(*data.Exchange)
}
