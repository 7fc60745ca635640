package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

func TestTheDashboardShowsPlannedEngagements(t *testing.T) {
	ui, s := newTestApp(t)
	fixDashboardDay(ui, s)
	addDashboardSample(t, s)
	m := data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}
	plan := func(at, title string) *data.Exchange {
		return &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title, OccurredAt: at, State: data.StatePlanned,
			Objectives: []data.Objective{{Text: "Agree the drill schedule"}, {Text: "Obtain the contact list"}}, Marking: m}
	}
	if _, err := s.Add(context.Background(), plan("2026-11-30T06:00:00Z", "Call on Commander CTF 150"),
		plan("2026-12-03T09:30:00Z", "UKMTO liaison lunch"), plan("2027-01-20T09:30:00Z", "Beyond the window")); err != nil {
		t.Fatal(err)
	}
	showDashboard(ui)
	sc := refreshDashboard(ui)
	if len(sc.planned) != 2 || sc.plannedEmpty.Visible() {
		t.Fatalf("planned on screen: %+v", sc.planned)
	}
	var texts []string
	walk(sc.plannedList, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	all := strings.Join(texts, "|")
	if !strings.Contains(all, "Call on Commander CTF 150|Mon 30 Nov 09:00 · 2 objectives") ||
		strings.Contains(all, "Beyond the window") {
		t.Errorf("planned panel reads %q", all)
	}
	capture(t, ui.Window(), "dashboard-planned")
}
