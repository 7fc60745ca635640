package demo

import (
	"context"
	"fmt"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// demoSeries is a meeting or forum an officer attends again and again.
type demoSeries struct {
	posting, title, location, zone string
	kind                           string
	hourUTC                        int
	everyDays, held                int // cadence, and how many fell in the past four weeks
	tags                           []string
}

// series adds each posting's recurring meeting: the ones held in the past
// four weeks, final, and the next one, planned. A successor finds them in
// the handover's "Recurring meetings and forums". They use no random
// numbers, so the rest of the demo is the same with them.
// recurringSeries are the demo's recurring meetings, one per posting.
func recurringSeries() []demoSeries {
	return []demoSeries{
		{posting: "CMF", title: "CMF morning update", location: "CMF headquarters, NSA Bahrain", zone: "Asia/Bahrain",
			kind: "briefing_received", hourUTC: 5, everyDays: 7, held: 4, tags: []string{"recurring"}},
		{posting: "INDOPACOM", title: "J4 international logistics coordination", location: "Camp H. M. Smith", zone: "Pacific/Honolulu",
			kind: "meeting", hourUTC: 19, everyDays: 14, held: 2, tags: []string{"j4", "recurring"}},
		{posting: "SOCOM", title: "SOCOM international partners' forum", location: "MacDill AFB, Tampa", zone: "America/New_York",
			kind: "conference", hourUTC: 14, everyDays: 30, held: 1, tags: []string{"forum"}},
	}
}

// seriesExchanges is how many exchanges the recurring meetings add: the
// ones held and the next, planned.
func seriesExchanges() int {
	n := 0
	for _, d := range recurringSeries() {
		n += d.held + 1
	}
	return n
}

// seriesFrom is the smallest fill that holds the recurring meetings, as
// part of its exchanges.
const seriesFrom = 100

func (g *gen) series(ctx context.Context, s *store.Store) (int, error) {
	today, added := g.today, 0
	list := recurringSeries()
	for _, d := range list {
		var counterparts []string
		for _, p := range g.posts {
			if p.code == d.posting && len(p.contacts) > 0 {
				counterparts = []string{p.contacts[0].id}
			}
		}
		for i := d.held; i >= 0; i-- {
			at := today.AddDate(0, 0, -i*d.everyDays+2).Add(time.Duration(d.hourUTC) * time.Hour)
			e := &data.Exchange{Posting: d.posting, Kind: d.kind, Title: d.title, Location: d.location, TimeZone: d.zone,
				OccurredAt: at.UTC().Format(time.RFC3339), Direction: "both", Disclosure: "oral", Tags: d.tags, Counterparts: counterparts,
				Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}}
			e.State = data.StateFinal
			e.Summary = "Attended the " + d.title + "; nothing for HQ beyond the weekly report."
			if !at.Before(today) {
				e.State, e.Summary = data.StatePlanned, "Planned: the next "+d.title+"."
			}
			if _, err := s.Add(ctx, e); err != nil {
				return added, fmt.Errorf("recurring meetings: %w", err)
			}
			added++
		}
	}
	return added, nil
}
