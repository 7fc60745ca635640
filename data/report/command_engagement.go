package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// quietDays is how long a key counterpart may go without a contact before
// the command summary names them.
const quietDays = 60

// commandObjectives adds the objectives the period's debriefed exchanges
// (held or final) assessed, by result, and returns the figure "Objectives
// met": the share met, where partly met counts as half. Objectives not yet
// assessed count for nothing.
func (b *builder) commandObjectives(exs []*data.Exchange) string {
	count := map[data.ObjectiveResult]int{}
	for _, e := range exs {
		if e.State != data.StateHeld && e.State != data.StateFinal {
			continue
		}
		for _, o := range e.Objectives {
			if o.Result != "" {
				count[o.Result]++
			}
		}
	}
	met, partly, notMet := count[data.ObjectiveMet], count[data.ObjectivePartly], count[data.ObjectiveNotMet]
	assessed := met + partly + notMet
	rows := []row{{cells: []any{"Met", met}}, {cells: []any{"Partly met", partly}}, {cells: []any{"Not met", notMet}}}
	b.add(&section{name: "objectives", title: "Objectives assessed in debriefs", rows: slice(rows), count: len(rows),
		note:    "From exchanges held or final in the period. The share met counts partly met as half: (met + partly ÷ 2) ÷ assessed.",
		columns: []column{{key: "result", title: "Result", width: 2}, {key: "objectives", title: "Objectives", typ: numCol, width: 1}}})
	if assessed == 0 {
		return "None assessed"
	}
	pct := math.Round(100 * (float64(met) + float64(partly)/2) / float64(assessed))
	return fmt.Sprintf("%.0f%% (of %d assessed, partly as half)", pct, assessed)
}

// commandQuietCounterparts adds the key counterparts with no contact in
// the last quietDays days, counted back from the period's end (or today,
// if that is earlier). A counterpart is key when an engagement (an
// exchange with objectives) up to the period's end names them; a contact
// is an exchange that took place, not one planned, postponed or cancelled.
// Only exchanges the ceiling allows count, like the contact register.
func (b *builder) commandQuietCounterparts(ctx context.Context) (int, error) {
	asOf := b.today
	if b.o.To != "" {
		asOf = min(asOf, b.o.To)
	}
	day, err := time.Parse(data.DateLayout, asOf)
	if err != nil {
		return 0, fmt.Errorf("command summary: the period's end %q: %w", asOf, err)
	}
	cutoff := day.AddDate(0, 0, -quietDays).Format(data.DateLayout)
	tally := &section{}
	exs, err := b.exchanges(ctx, data.ExchangeQuery{Posting: b.o.Posting, To: b.o.To}, tally, nil)
	if err != nil {
		return 0, err
	}
	engagedAt := map[string]string{} // key counterpart → title of their latest engagement
	last := map[string]string{}      // counterpart → day of their last contact
	slices.SortStableFunc(exs, func(a, b *data.Exchange) int { return strings.Compare(a.OccurredAt, b.OccurredAt) })
	for _, e := range exs {
		took := !e.State.IsPlanning() && e.OccurredAt[:10] <= asOf
		for _, id := range e.Counterparts {
			if len(e.Objectives) > 0 {
				engagedAt[id] = e.Title
			}
			if took {
				last[id] = e.OccurredAt[:10]
			}
		}
	}
	type quiet struct{ id, name, org, last, engagement string }
	var qs []quiet
	for id, title := range engagedAt {
		if last[id] >= cutoff {
			continue
		}
		q := quiet{id: id, name: "(contact " + id + " not in this register)", last: last[id], engagement: title}
		c, err := b.contact(ctx, id)
		if err != nil {
			return 0, err
		}
		if c != nil {
			q.name, q.org = strings.TrimSpace(c.Rank+" "+c.Name), c.Organisation
		}
		qs = append(qs, q)
	}
	// Longest quiet first: never contacted, then the oldest last contact.
	slices.SortFunc(qs, func(a, b quiet) int {
		if c := strings.Compare(a.last, b.last); c != 0 {
			return c
		}
		return strings.Compare(a.name+a.id, b.name+b.id)
	})
	rows := make([]row, len(qs))
	for i, q := range qs {
		if q.last == "" {
			q.last = "never"
		}
		rows[i] = row{cells: []any{q.name, q.org, q.last, q.engagement}}
	}
	b.add(&section{name: "key_counterparts_quiet", title: fmt.Sprintf("Key counterparts with no contact in %d days", quietDays),
		note:  fmt.Sprintf("Key: named in an engagement (an exchange with objectives). Counted back from %s; planned, postponed and cancelled exchanges are not contacts.", proseDate(asOf)),
		empty: fmt.Sprintf("Every key counterpart was met in the last %d days.", quietDays), rows: slice(rows), count: len(rows), leftOut: tally.leftOut,
		columns: []column{{key: "counterpart", title: "Counterpart", width: 2.5, wrap: true}, {key: "organisation", title: "Organisation", width: 2, wrap: true},
			{key: "last_contact", title: "Last contact", width: 1.4}, {key: "engagement", title: "Latest engagement", width: 3, wrap: true}}})
	return len(rows), nil
}
