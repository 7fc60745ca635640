package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"liaisondesk/data"
)

// Dashboard limits.
const (
	AcceptanceWindow = 3  // working days ahead counted as "due"
	MaxAcceptance    = 20 // acceptance clocks listed
	MaxRecent        = 10 // recent items listed
)

// The dashboard's queries, each served by an index (dashboard_test.go
// checks their plans).
const (
	dashWeekQuery = `SELECT count(*) FROM exchanges
			WHERE posting = ? AND occurred_at >= ? AND occurred_at < ?`
	dashRFIQuery = `SELECT count(*),
			coalesce(sum(rfi_due <> '' AND rfi_due < ?), 0)
		FROM exchanges WHERE rfi_status <> '' AND rfi_status = 'open'`
	dashActionsQuery = `SELECT status, count(*), coalesce(sum(due_on <> '' AND due_on < ?), 0)
		FROM actions WHERE status IN ('open', 'in_progress') GROUP BY status`
	dashRequestsQuery        = `SELECT status, count(*) FROM requests GROUP BY status`
	dashAcceptanceCountQuery = `SELECT count(*), coalesce(sum(acceptance_due < ?), 0) FROM requests
		WHERE status = 'order_placed' AND acceptance_due <> '' AND acceptance_due <= ?`
	dashAcceptanceQuery = `SELECT id, ref, program, supplier, acceptance_due FROM requests
		WHERE status = 'order_placed' AND acceptance_due <> '' AND acceptance_due <= ?
		ORDER BY acceptance_due, n LIMIT ?`
	dashRecentQuery = `SELECT kind, id, title, updated_at, classification, releasability FROM (
			SELECT * FROM (SELECT 'exchange' AS kind, id, title, updated_at, classification, releasability
				FROM exchanges ORDER BY updated_at DESC LIMIT ?1)
			UNION ALL
			SELECT * FROM (SELECT 'request', id, trim(ref || '  ' || program), updated_at, classification, releasability
				FROM requests ORDER BY updated_at DESC LIMIT ?1)
			UNION ALL
			SELECT * FROM (SELECT 'action', id, title, updated_at, '', '[]'
				FROM actions ORDER BY updated_at DESC LIMIT ?1))
		ORDER BY updated_at DESC, kind, id LIMIT ?1`
)

// Dashboard reads the home screen's figures as of today. It uses the
// reader pool only and touches exchanges through their indexes.
func (s *Store) Dashboard(ctx context.Context, today time.Time) (data.Dashboard, error) {
	d := data.Dashboard{Today: today.Format(data.DateLayout), RequestsByStatus: map[string]int{}}
	if dev, err := s.Device(); err == nil {
		d.Device = dev
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	// One section at a time, each saying which failed.
	for _, read := range []func(context.Context, *data.Dashboard, time.Time) error{
		s.dashWeek, s.dashRFIs, s.dashActions, s.dashRequests, s.dashAcceptance, s.dashPlanned, s.dashRecent, s.dashAuthored,
	} {
		if err := read(ctx, &d, day); err != nil {
			return data.Dashboard{}, fmt.Errorf("dashboard: %w", err)
		}
	}
	return d, nil
}

// dashWeek counts each posting's exchanges of the week, Monday to Sunday,
// in UTC, through exchanges_posting_time: a range scan of one week.
func (s *Store) dashWeek(ctx context.Context, d *data.Dashboard, day time.Time) error {
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	next := monday.AddDate(0, 0, 7)
	d.WeekFrom, d.WeekTo = monday.Format(data.DateLayout), next.AddDate(0, 0, -1).Format(data.DateLayout)
	postings, err := s.Postings(ctx)
	if err != nil {
		return fmt.Errorf("postings: %w", err)
	}
	for _, p := range postings {
		pc := data.PostingCount{Posting: p.ID, Name: p.Name}
		if err := s.rdb.QueryRowContext(ctx, dashWeekQuery,
			p.ID, monday.Format(time.RFC3339), next.Format(time.RFC3339)).Scan(&pc.Count); err != nil {
			return fmt.Errorf("exchanges this week: %w", err)
		}
		d.ExchangesThisWeek = append(d.ExchangesThisWeek, pc)
	}
	return nil
}

// dashRFIs counts open and overdue RFIs.
func (s *Store) dashRFIs(ctx context.Context, d *data.Dashboard, _ time.Time) error {
	// Through the partial index exchanges_rfi (rfi_status <> '' is
	// repeated so SQLite knows the index applies).
	now := s.Now().UTC().Format(time.RFC3339)
	if err := s.rdb.QueryRowContext(ctx, dashRFIQuery, now).Scan(&d.OpenRFIs, &d.OverdueRFIs); err != nil {
		return fmt.Errorf("RFIs: %w", err)
	}
	return nil
}

// dashActions counts open and in-progress actions and the overdue of
// each, through actions_due (status, due_on).
func (s *Store) dashActions(ctx context.Context, d *data.Dashboard, _ time.Time) error {
	rows, err := s.rdb.QueryContext(ctx, dashActionsQuery, d.Today)
	if err != nil {
		return fmt.Errorf("actions: %w", err)
	}
	for rows.Next() {
		var st string
		var n, late int
		if err := rows.Scan(&st, &n, &late); err != nil {
			rows.Close()
			return fmt.Errorf("actions: %w", err)
		}
		if data.ActionStatus(st) == data.ActionOpen {
			d.OpenActions, d.OverdueOpen = n, late
		} else {
			d.InProgressActions, d.OverdueInProgress = n, late
		}
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("actions: %w", err)
	}
	return nil
}

// dashRequests counts requests by status, through requests_status.
func (s *Store) dashRequests(ctx context.Context, d *data.Dashboard, _ time.Time) error {
	rows, err := s.rdb.QueryContext(ctx, dashRequestsQuery)
	if err != nil {
		return fmt.Errorf("requests: %w", err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return fmt.Errorf("requests: %w", err)
		}
		d.RequestsByStatus[st] = n
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("requests: %w", err)
	}
	return nil
}

// dashAcceptance counts the acceptance clocks due within the window or
// overdue, and lists the first of them.
func (s *Store) dashAcceptance(ctx context.Context, d *data.Dashboard, day time.Time) error {
	fail := func(err error) error { return fmt.Errorf("acceptance clocks: %w", err) }
	horizon := data.AddWorkingDays(day, AcceptanceWindow).Format(data.DateLayout)
	if err := s.rdb.QueryRowContext(ctx, dashAcceptanceCountQuery, d.Today, horizon).
		Scan(&d.AcceptanceCount, &d.AcceptanceOverdue); err != nil {
		return fail(err)
	}
	rows, err := s.rdb.QueryContext(ctx, dashAcceptanceQuery, horizon, MaxAcceptance)
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var c data.AcceptanceClock
		if err := rows.Scan(&c.ID, &c.Ref, &c.Program, &c.Supplier, &c.AcceptanceDue); err != nil {
			rows.Close()
			return fail(err)
		}
		c.Overdue = c.AcceptanceDue < d.Today
		d.Acceptance = append(d.Acceptance, c)
	}
	if err := closeRows(rows); err != nil {
		return fail(err)
	}
	return nil
}

// dashRecent lists the latest edits: the newest few of each kind by the
// *_updated indexes (migration 005), merged.
func (s *Store) dashRecent(ctx context.Context, d *data.Dashboard, _ time.Time) error {
	rows, err := s.rdb.QueryContext(ctx, dashRecentQuery, MaxRecent)
	if err != nil {
		return fmt.Errorf("recent items: %w", err)
	}
	for rows.Next() {
		var it data.RecentItem
		var rel string
		if err := rows.Scan(&it.Kind, &it.ID, &it.Title, &it.Updated, &it.Classification, &rel); err != nil {
			rows.Close()
			return fmt.Errorf("recent items: %w", err)
		}
		_ = json.Unmarshal([]byte(rel), &it.Releasability)
		d.Recent = append(d.Recent, it)
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("recent items: %w", err)
	}
	return nil
}

// dashAuthored counts the changes this device wrote, when it has an
// identity.
func (s *Store) dashAuthored(ctx context.Context, d *data.Dashboard, _ time.Time) error {
	if d.Device == nil {
		return nil
	}
	var err error
	if d.AuthoredChanges, err = s.authoredChanges(ctx, d.Device.SiteNo); err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	return nil
}

// authoredChanges counts the changes a site wrote. Its sequence numbers
// are dense from 1, so the highest one is the count: one rowid lookup
// instead of a count over the log.
func (s *Store) authoredChanges(ctx context.Context, siteNo int64) (int64, error) {
	var top *int64
	if err := s.rdb.QueryRowContext(ctx, `SELECT max(id) FROM changes WHERE id > ? AND id <= ?`,
		packID(siteNo, 0), packID(siteNo, 1<<40-1)).Scan(&top); err != nil {
		return 0, err
	}
	if top == nil {
		return 0, nil
	}
	_, seq := unpackID(*top)
	return seq, nil
}

// ConflictCount is the number of fields whose concurrent edits disagree
// and wait for someone to choose (docs/ARCHITECTURE.md §3).
func (s *Store) ConflictCount(ctx context.Context) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM conflicts`).Scan(&n); err != nil {
		return 0, data.Op("conflicts", "", err)
	}
	return n, nil
}

// OpenRFIs lists open RFIs, those with the nearest (or longest passed)
// due time first and those without one last, at most limit of them; with
// overdueOnly, only those whose due time has passed. Both read the
// exchanges_rfi index in order.
func (s *Store) OpenRFIs(ctx context.Context, overdueOnly bool, limit int) ([]data.RFIItem, error) {
	if limit <= 0 {
		limit = 200
	}
	now := s.Now().UTC().Format(time.RFC3339)
	const cols = `SELECT id, posting, kind, title, rfi_due, classification, releasability FROM exchanges
		WHERE rfi_status <> '' AND rfi_status = 'open' AND `
	queries := []struct {
		where string
		args  []any
	}{{`rfi_due > '' AND rfi_due < ? ORDER BY rfi_due, n LIMIT ?`, []any{now}}}
	if !overdueOnly {
		queries = []struct {
			where string
			args  []any
		}{{`rfi_due > '' ORDER BY rfi_due, n LIMIT ?`, nil}, {`rfi_due = '' ORDER BY n LIMIT ?`, nil}}
	}
	var out []data.RFIItem
	for _, q := range queries {
		if len(out) >= limit {
			break
		}
		rows, err := s.rdb.QueryContext(ctx, cols+q.where, append(q.args, limit-len(out))...)
		if err != nil {
			return nil, fmt.Errorf("open RFIs: %w", err)
		}
		for rows.Next() {
			var it data.RFIItem
			var rel string
			if err := rows.Scan(&it.ID, &it.Posting, &it.Kind, &it.Title, &it.Due, &it.Classification, &rel); err != nil {
				rows.Close()
				return nil, fmt.Errorf("open RFIs: %w", err)
			}
			_ = json.Unmarshal([]byte(rel), &it.Releasability)
			it.Overdue = it.Due != "" && it.Due < now
			out = append(out, it)
		}
		if err := closeRows(rows); err != nil {
			return nil, fmt.Errorf("open RFIs: %w", err)
		}
	}
	return out, nil
}
