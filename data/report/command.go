package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// maxBars is how many bars a category chart shows; the table lists all.
const maxBars = 12

// command builds the per-command summary of a month or quarter: figures,
// exchanges per week by kind, by kind, organisations engaged, actions and
// requests by status, each with a chart.
func (b *builder) command(ctx context.Context) error {
	o := b.o
	figures := b.add(&section{name: "summary", title: "Summary"})
	exTally := &section{}
	exs, err := b.exchanges(ctx, data.ExchangeQuery{Posting: o.Posting, From: o.From, To: o.To}, exTally, nil)
	if err != nil {
		return err
	}
	kindCount := map[string]int{}
	for _, e := range exs {
		kindCount[humanise(e.Kind)]++
	}
	kinds := sortedKeys(kindCount)
	b.commandWeeks(exs, kinds, exTally.leftOut)
	b.commandKinds(kinds, kindCount)
	people, orgs, err := b.commandOrganisations(ctx, exs)
	if err != nil {
		return err
	}
	acts, overdue, err := b.commandActions(ctx)
	if err != nil {
		return err
	}
	reqs, late, err := b.commandRequests(ctx)
	if err != nil {
		return err
	}
	objectives := b.commandObjectives(exs)
	quiet, err := b.commandQuietCounterparts(ctx)
	if err != nil {
		return err
	}
	rfis := 0
	for _, e := range exs {
		if e.IsRFI() {
			rfis++
		}
	}
	figures.fields = []field{
		{"Exchanges", fmt.Sprint(len(exs))},
		{"Counterparts met", fmt.Sprint(people)},
		{"Organisations", fmt.Sprint(orgs)},
		{"RFIs raised", fmt.Sprint(rfis)},
		{"Actions due", fmt.Sprintf("%d (%d overdue)", acts, overdue)},
		{"Requests live", fmt.Sprintf("%d (%d acceptance overdue)", reqs, late)},
		{"Objectives met", objectives},
		{"Key counterparts quiet", fmt.Sprintf("%d (no contact in %d days)", quiet, quietDays)},
	}
	return nil
}

// commandWeeks adds the exchanges per week, stacked by kind: the five
// commonest kinds (kinds, commonest first), then other.
func (b *builder) commandWeeks(exs []*data.Exchange, kinds []string, leftOut int) {
	top := kinds
	if len(top) > 5 {
		top = top[:5]
	}
	series := slices.Clone(top)
	if len(kinds) > len(top) {
		series = append(series, "other")
	}
	from, _ := time.Parse(data.DateLayout, b.o.From)
	to, _ := time.Parse(data.DateLayout, b.o.To)
	var weeks []time.Time
	for w := monday(from); !w.After(to); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, w)
	}
	perWeek := make([][]float64, len(weeks))
	for i := range perWeek {
		perWeek[i] = make([]float64, len(series))
	}
	for _, e := range exs {
		t := localTime(e.OccurredAt, b.zone(e))
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		wi := int(monday(day).Sub(monday(from)).Hours() / 24 / 7)
		if wi < 0 || wi >= len(weeks) {
			continue
		}
		si := slices.Index(series, humanise(e.Kind))
		if si < 0 {
			si = len(series) - 1
		}
		perWeek[wi][si]++
	}
	weekCols := []column{{key: "week", title: "Week of", typ: dateCol, width: 1.3}}
	for _, s := range series {
		weekCols = append(weekCols, column{key: strings.ToLower(strings.ReplaceAll(s, " ", "_")), title: upperFirst(s), typ: numCol, width: 1})
	}
	weekCols = append(weekCols, column{key: "total", title: "Total", typ: numCol, width: 0.8})
	var weekRows []row
	labels := make([]string, len(weeks))
	for i, w := range weeks {
		cells := []any{w.Format(data.DateLayout)}
		total := 0
		for _, v := range perWeek[i] {
			cells = append(cells, int(v))
			total += int(v)
		}
		weekRows = append(weekRows, row{cells: append(cells, total)})
		labels[i] = w.Format("2 Jan")
	}
	b.add(&section{name: "exchanges_by_week", title: "Exchanges per week, by kind", columns: weekCols, rows: slice(weekRows),
		count: len(weekRows), leftOut: leftOut, empty: "No exchanges in this period.",
		chart: &chart{labels: labels, series: series, values: perWeek, columns: true}})
}

// commandKinds adds the exchanges by kind.
func (b *builder) commandKinds(kinds []string, kindCount map[string]int) {
	var kindRows []row
	for _, k := range kinds {
		kindRows = append(kindRows, row{cells: []any{upperFirst(k), kindCount[k]}})
	}
	b.add(&section{name: "exchanges_by_kind", title: "Exchanges by kind", rows: slice(kindRows), count: len(kindRows),
		columns: []column{{key: "kind", title: "Kind", width: 2}, {key: "exchanges", title: "Exchanges", typ: numCol, width: 1}},
		empty:   "No exchanges in this period.", chart: barChart(kindRows)})
}

// commandOrganisations adds the organisations engaged, with the exchanges
// and counterparts of each, and returns how many counterparts and
// organisations there were.
func (b *builder) commandOrganisations(ctx context.Context, exs []*data.Exchange) (people, orgs int, err error) {
	orgEx, orgPeople := map[string]int{}, map[string]map[string]bool{}
	met := map[string]bool{}
	for _, e := range exs {
		seen := map[string]bool{}
		for _, id := range e.Counterparts {
			c, err := b.contact(ctx, id)
			if err != nil {
				return 0, 0, err
			}
			org := "(not recorded)"
			if c != nil && c.Organisation != "" {
				org = c.Organisation
			}
			if !seen[org] {
				orgEx[org]++
				seen[org] = true
			}
			if orgPeople[org] == nil {
				orgPeople[org] = map[string]bool{}
			}
			orgPeople[org][id] = true
			met[id] = true
		}
	}
	var orgRows []row
	for _, org := range sortedKeys(orgEx) {
		orgRows = append(orgRows, row{cells: []any{org, orgEx[org], len(orgPeople[org])}})
	}
	b.add(&section{name: "organisations", title: "Organisations engaged", rows: slice(orgRows), count: len(orgRows),
		columns: []column{{key: "organisation", title: "Organisation", width: 3, wrap: true}, {key: "exchanges", title: "Exchanges", typ: numCol, width: 1},
			{key: "counterparts", title: "Counterparts met", typ: numCol, width: 1}},
		empty: "No counterparts recorded in this period.", chart: barChart(orgRows)})
	return len(met), len(orgEx), nil
}

// commandActions adds the actions due in the period, by status, and
// returns how many are due and how many overdue.
func (b *builder) commandActions(ctx context.Context) (due, overdue int, err error) {
	o := b.o
	actTally := &section{}
	acts, err := b.actions(ctx, data.ActionQuery{Posting: o.Posting, From: o.From, To: o.To}, actTally, nil)
	if err != nil {
		return 0, 0, err
	}
	actCount := map[data.ActionStatus]int{}
	for _, a := range acts {
		actCount[a.Status]++
		if a.Overdue(b.today) {
			overdue++
		}
	}
	var actRows []row
	for _, st := range data.ActionStatuses {
		actRows = append(actRows, row{cells: []any{upperFirst(humanise(st)), actCount[data.ActionStatus(st)]}})
	}
	b.add(&section{name: "actions", title: "Actions due in the period, by status", rows: slice(actRows), count: len(actRows), leftOut: actTally.leftOut,
		columns: []column{{key: "status", title: "Status", width: 2}, {key: "actions", title: "Actions", typ: numCol, width: 1}},
		chart:   barChart(actRows)})
	return len(acts), overdue, nil
}

// commandRequests adds the requests live in the period, by status, and
// returns how many are live and how many have their acceptance overdue.
func (b *builder) commandRequests(ctx context.Context) (live, late int, err error) {
	reqTally := &section{}
	reqs, err := b.requests(ctx, data.RequestQuery{Posting: b.o.Posting, ActiveFrom: b.o.From}, reqTally)
	if err != nil {
		return 0, 0, err
	}
	reqCount := map[string]int{}
	today := b.todayTime()
	for _, r := range reqs {
		reqCount[string(r.Status)]++
		if strings.HasPrefix(acceptanceClock(r, today), "OVERDUE") {
			late++
		}
	}
	var reqRows []row
	for _, st := range allStatuses() {
		if reqCount[st] > 0 {
			reqRows = append(reqRows, row{cells: []any{upperFirst(humanise(st)), reqCount[st]}})
		}
	}
	b.add(&section{name: "requests_by_status", title: "Priority-support requests by status", rows: slice(reqRows), count: len(reqRows),
		leftOut: reqTally.leftOut, empty: "No requests live in this period.",
		columns: []column{{key: "status", title: "Status", width: 2}, {key: "requests", title: "Requests", typ: numCol, width: 1}},
		chart:   barChart(reqRows)})
	return len(reqs), late, nil
}

// allStatuses lists the request states of both workflows once, in
// workflow order.
func allStatuses() []string {
	var out []string
	for _, dir := range data.RequestDirections {
		for _, s := range data.StatusNames(dir) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func barChart(rows []row) *chart {
	c := &chart{series: []string{""}}
	for i, r := range rows {
		if i == maxBars {
			break
		}
		c.labels = append(c.labels, fmt.Sprint(r.cells[0]))
		c.values = append(c.values, []float64{float64(r.cells[1].(int))})
	}
	return c
}

func monday(d time.Time) time.Time {
	wd := (int(d.Weekday()) + 6) % 7
	return time.Date(d.Year(), d.Month(), d.Day()-wd, 0, 0, 0, 0, time.UTC)
}

// sortedKeys orders a count by size, then name.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := m[b] - m[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return keys
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
