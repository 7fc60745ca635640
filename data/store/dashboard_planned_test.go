package store

import (
	"context"
	"testing"
	"time"

	"liaisondesk/data"
)

func TestTheDashboardListsPlannedEngagementsOfTheNext14DaysOnly(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	today := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	plan := func(at, title string, state data.ExchangeState) *data.Exchange {
		e := plannedEngagement()
		e.OccurredAt, e.Title, e.State = at, title, state
		return e
	}
	for _, e := range []*data.Exchange{
		plan("2026-11-24T23:59:59Z", "yesterday", data.StatePlanned),
		plan("2026-11-25T00:00:00Z", "today, first second", data.StatePlanned),
		plan("2026-12-09T23:59:59Z", "the 14th day ahead", data.StatePlanned),
		plan("2026-12-10T00:00:00Z", "the 15th day ahead", data.StatePlanned),
		plan("2026-12-01T06:00:00Z", "a draft dated ahead", data.StateDraft),
		plan("2026-11-30T06:00:00Z", "next Monday", data.StatePlanned),
	} {
		if _, err := s.Add(ctx, e); err != nil {
			t.Fatalf("%s: %v", e.Title, err)
		}
	}
	d, err := s.Dashboard(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Planned {
		got = append(got, p.Title)
		if p.Objectives != 2 {
			t.Errorf("%s: %d objectives, want 2", p.Title, p.Objectives)
		}
	}
	want := []string{"today, first second", "next Monday", "the 14th day ahead"}
	if d.PlannedCount != 3 || len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("planned %d %v, want %v", d.PlannedCount, got, want)
	}
}
