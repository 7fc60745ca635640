package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"liaisondesk/data"
)

// briefContacts is how many past exchanges the brief shows per counterpart.
const briefContacts = 3

// engagementBrief lays out one exchange, usually a planned one, as a brief
// for whoever goes to it: its objectives and lines to take, then for each
// counterpart their role, their last contacts and the actions still open
// from exchanges with them. Past exchanges and actions above the ceiling
// are left out and counted like in any other report.
func (b *builder) engagementBrief(ctx context.Context) error {
	rec, err := b.s.Get(ctx, "exchange", b.o.ID)
	if err != nil {
		return fmt.Errorf("engagement brief: %w", err)
	}
	e := rec.(*data.Exchange)
	if !b.t.c.allows(e.Marking) {
		return &data.FieldError{Field: "ceiling", Problem: fmt.Sprintf("exchange %s is marked %s, above the ceiling %s or not releasable: nothing written",
			e.ID, e.Marking.Text(), b.t.c.text())}
	}
	b.t.note(e.Marking)
	loc := b.zone(e)
	b.d.subtitle = e.Title
	when := localTime(e.OccurredAt, loc)
	details := [][2]string{{"Exchange", e.Title}, {"When", when.Format("Mon 2 Jan 2006, 15:04") + " (" + loc.String() + ")"},
		{"State", humanise(e.State)}, {"Marking", markText(e.Marking)}}
	if e.Location != "" {
		details = append(details, [2]string{"Where", e.Location})
	}
	b.add(detailSection("engagement", "Engagement", details...))
	b.briefObjectives(e)
	b.add(detailSection("lines", "Lines to take", [2]string{"Talking points", orNone(e.TalkingPoints)},
		[2]string{"Asks", orNone(e.Asks)}, [2]string{"Red lines", orNone(e.RedLines)}))

	var past []*data.Exchange
	err = b.s.ReportExchanges(ctx, data.ExchangeQuery{}, func(x *data.Exchange) error {
		if x.ID != e.ID && len(x.Counterparts) > 0 {
			c := *x // ReportExchanges reuses x
			past = append(past, &c)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("engagement brief: %w", err)
	}
	// Newest first, so the first few naming a counterpart are their last contacts.
	slices.SortStableFunc(past, func(a, b *data.Exchange) int { return strings.Compare(b.OccurredAt, a.OccurredAt) })
	var open []*data.ReportAction
	err = b.s.ReportActions(ctx, data.ActionQuery{OpenOnly: true}, func(a *data.ReportAction) error {
		if a.ExchangeID != "" {
			c := *a
			open = append(open, &c)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("engagement brief: %w", err)
	}
	for _, id := range e.Counterparts {
		c, err := b.contact(ctx, id)
		if err != nil {
			return err
		}
		b.briefCounterpart(id, c, past, open)
	}
	return nil
}

// detailSection lays out labelled text as a two-column table whose text
// wraps: the figure cards of other reports are for short numbers and cut
// a sentence off.
func detailSection(name, title string, pairs ...[2]string) *section {
	rows := make([]row, len(pairs))
	for i, p := range pairs {
		rows[i] = row{cells: []any{p[0], p[1]}}
	}
	return &section{name: name, title: title, count: len(rows), rows: slice(rows),
		columns: []column{{key: "item", title: "", width: 1.5}, {key: "text", title: "", width: 6, wrap: true}}}
}

func (b *builder) briefObjectives(e *data.Exchange) {
	rows := make([]row, len(e.Objectives))
	for i, o := range e.Objectives {
		rows[i] = row{cells: []any{o.Text, o.Priority}}
	}
	b.add(&section{name: "objectives", title: "Objectives", empty: "No objectives recorded.", count: len(rows), rows: slice(rows),
		columns: []column{{key: "text", title: "Objective", width: 6, wrap: true}, {key: "priority", title: "Priority", width: 1.5}}})
}

// briefCounterpart adds one counterpart's sections: role, last contacts
// and the open actions of exchanges with them.
func (b *builder) briefCounterpart(id string, c *data.Contact, past []*data.Exchange, open []*data.ReportAction) {
	name := "(contact " + id + " not in this register)"
	role := "Not recorded."
	if c != nil {
		name = strings.TrimSpace(c.Rank + " " + c.Name)
		var parts []string
		for _, v := range []string{c.Rank, c.Appointment, c.Organisation} {
			if v != "" {
				parts = append(parts, v)
			}
		}
		if len(parts) > 0 {
			role = strings.Join(parts, ", ")
		}
		if c.Nation != "" {
			role += " (" + c.Nation + ")"
		}
	}
	b.add(detailSection("counterpart_"+id, "Counterpart: "+name, [2]string{"Role", role}))

	last := &section{name: "last_contacts_" + id, title: "Last contacts with " + name, empty: "No earlier exchange names them.",
		columns: []column{{key: "occurred_at", title: "Date", typ: dateCol, width: 1.4}, {key: "title", title: "Exchange", width: 6, wrap: true}}}
	met := map[string]bool{}
	var rows []row
	for _, x := range past {
		if !slices.Contains(x.Counterparts, id) {
			continue
		}
		if !b.t.c.allows(x.Marking) {
			last.leftOut++
			continue
		}
		met[x.ID] = true
		if len(rows) < briefContacts {
			b.t.keep(last, x.Marking)
			rows = append(rows, row{cells: []any{localTime(x.OccurredAt, b.zone(x)).Format(data.DateLayout), x.Title}, marking: markingOf(x.Marking)})
		}
	}
	last.rows = slice(rows)
	b.add(last)

	acts := &section{name: "open_actions_" + id, title: "Open actions with " + name, empty: "None open.",
		columns: []column{{key: "title", title: "Action", width: 4, wrap: true}, {key: "source", title: "From", width: 3, wrap: true},
			{key: "owner", title: "Owner", width: 2, wrap: true}, {key: "due_on", title: "Due", typ: dateCol, width: 1.4}}}
	var arows []row
	for _, a := range open {
		if !met[a.ExchangeID] {
			continue
		}
		if b.t.keep(acts, a.Marking) {
			arows = append(arows, row{cells: []any{a.Title, a.Source, a.Owner, a.DueOn}, marking: markingOf(a.Marking)})
		}
	}
	acts.rows = slice(arows)
	b.add(acts)
	b.briefCommitments(id, name, past, open)
}
