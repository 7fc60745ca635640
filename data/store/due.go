package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"liaisondesk/data"
)

// dueSource is one kind of date that comes due (data.DueWhat) and how to
// read it: from where, under which condition, and the column. Each
// source's three queries (coming due, overdue, count) read one index
// range (due_test.go checks their plans).
type dueSource struct {
	what data.DueWhat
	kind data.Kind
	// cols selects id, title, the due column, classification,
	// releasability and caveats; from and where say from which rows.
	cols, from, where string
	due               string // the due column, qualified as cols and where use it
	timed             bool   // an RFC 3339 time (RFI), not a date
	days              int    // when set, the horizon is at least this many calendar days ahead (papers that expire)
}

// dueSources are the dates that come due, in the order of data.DueWhat.
func dueSources() []dueSource {
	var live []string
	for _, s := range data.RequestDueStatuses() {
		live = append(live, "'"+string(s)+"'") // the domain's own state names: [a-z_]
	}
	liveRequest := "status IN (" + strings.Join(live, ", ") + ")"
	const request = `id, trim(ref || '  ' || program), %s, classification, releasability, caveats`
	return append([]dueSource{
		{what: data.DueRFI, kind: data.KindExchange, timed: true, due: "rfi_due",
			cols: `id, title, rfi_due, classification, releasability, caveats`, from: `exchanges`,
			// rfi_status <> '' is repeated so SQLite knows the partial
			// index exchanges_rfi applies.
			where: `rfi_status <> '' AND rfi_status = 'open'`},
		{what: data.DueAction, kind: data.KindAction, due: "a.due_on",
			// An action carries the marking of the record it was born in:
			// one lookup by id each, for the rows listed only.
			cols: `a.id, a.title, a.due_on, coalesce(e.classification, r.classification, ''),
				coalesce(e.releasability, r.releasability, '[]'), coalesce(e.caveats, r.caveats, '')`,
			from: `actions a LEFT JOIN exchanges e ON a.exchange_id <> '' AND e.id = a.exchange_id
				LEFT JOIN requests r ON a.request_id <> '' AND r.id = a.request_id`,
			where: `a.status IN ('open', 'in_progress')`},
		{what: data.DueAcceptance, kind: data.KindRequest, due: "acceptance_due",
			cols: fmt.Sprintf(request, "acceptance_due"), from: `requests`,
			where: `status = 'order_placed'`},
		{what: data.DueDelayConfirm, kind: data.KindRequest, due: "delay_confirm_due",
			cols: fmt.Sprintf(request, "delay_confirm_due"), from: `requests`,
			where: liveRequest + ` AND delayed = 1`},
		{what: data.DueRequired, kind: data.KindRequest, due: "required_by",
			cols: fmt.Sprintf(request, "required_by"), from: `requests`,
			where: liveRequest},
		// deposit_due <> '' is repeated so SQLite knows gifts_deposit applies.
		{what: data.DueGiftDeposit, kind: data.KindGift, due: "deposit_due",
			cols: `id, item || ' from ' || giver, deposit_due, '', '[]', ''`, from: `gifts`,
			where: `deposit_due <> '' AND disposition = 'pending'`},
	}, accreditationDueSources()...)
}

// comingQuery lists the source's items due from lo (inclusive) to hi
// (exclusive), soonest first.
func (d dueSource) comingQuery() string {
	return fmt.Sprintf(`SELECT %s FROM %s WHERE %s AND %s >= ?1 AND %s < ?2 ORDER BY %[4]s LIMIT ?3`,
		d.cols, d.from, d.where, d.due, d.due)
}

// overdueQuery lists the source's items due before lo, the most recently
// passed first: an old backlog must not hide what just fell due.
func (d dueSource) overdueQuery() string {
	return fmt.Sprintf(`SELECT %s FROM %s WHERE %s AND %s > '' AND %s < ?1 ORDER BY %[4]s DESC LIMIT ?2`,
		d.cols, d.from, d.where, d.due, d.due)
}

// countQuery counts the source's items due before hi, and of them those
// due before lo. It reads the one table only.
func (d dueSource) countQuery() string {
	from, _, _ := strings.Cut(d.from, " LEFT JOIN")
	return fmt.Sprintf(`SELECT count(*), coalesce(sum(%s < ?1), 0) FROM %s WHERE %s AND %s > '' AND %s < ?2`,
		d.due, from, d.where, d.due, d.due)
}

// DueItems reads what comes due on now's day, in now's zone, with a lead
// of lead working days (data.DueWindow): open RFIs whose time of last
// value falls before the horizon ends, open and in-progress actions,
// placed orders' acceptance clocks, delay confirmations and live
// requests' required dates up to the horizon, and all of them already
// past. It lists at most data.MaxDueListed coming due and as many overdue
// of each kind of date, and counts them all. Each read is an index range
// on the reader pool.
func (s *Store) DueItems(ctx context.Context, now time.Time, lead int) (data.DueList, error) {
	today, horizon, end := data.DueWindow(now, lead)
	out := data.DueList{Today: today, Horizon: horizon, Lead: max(0, min(lead, data.MaxDueLead))}
	dayAfter, err := time.Parse(data.DateLayout, horizon)
	if err != nil {
		return data.DueList{}, fmt.Errorf("due items: %w", err)
	}
	for _, src := range dueSources() {
		// Dates compare as text with the day after the horizon; RFI times,
		// stored in UTC, with the instants now and the horizon's end.
		lo, hi := today, dayAfter.AddDate(0, 0, 1).Format(data.DateLayout)
		if src.timed {
			lo, hi = now.UTC().Format(time.RFC3339), end.Format(time.RFC3339)
		}
		if far := now.AddDate(0, 0, src.days+1).Format(data.DateLayout); src.days > 0 && far > hi {
			hi = far
		}
		fail := func(err error) error { return fmt.Errorf("due items (%s): %w", src.what, err) }
		var n, late int
		if err := s.rdb.QueryRowContext(ctx, src.countQuery(), lo, hi).Scan(&n, &late); err != nil {
			return data.DueList{}, fail(err)
		}
		out.Count += n
		out.Overdue += late
		if n == 0 {
			continue
		}
		coming, err := s.readDue(ctx, src, false, src.comingQuery(), lo, hi, data.MaxDueListed)
		if err != nil {
			return data.DueList{}, fail(err)
		}
		overdue, err := s.readDue(ctx, src, true, src.overdueQuery(), lo, data.MaxDueListed)
		if err != nil {
			return data.DueList{}, fail(err)
		}
		out.Items = append(append(out.Items, coming...), overdue...)
	}
	data.SortDue(out.Items)
	return out, nil
}

// readDue reads one query's due items.
func (s *Store) readDue(ctx context.Context, src dueSource, overdue bool, query string, args ...any) ([]data.DueItem, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []data.DueItem
	for rows.Next() {
		it := data.DueItem{Kind: src.kind, What: src.what, Overdue: overdue}
		var rel string
		if err := rows.Scan(&it.ID, &it.Title, &it.When, &it.Classification, &rel, &it.Caveats); err != nil {
			rows.Close()
			return nil, err
		}
		_ = json.Unmarshal([]byte(rel), &it.Releasability)
		out = append(out, it)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	return out, nil
}
