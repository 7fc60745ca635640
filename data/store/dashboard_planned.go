package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"liaisondesk/data"
)

// dashPlanned lists the engagements planned from today (UTC, like the
// week) to data.PlannedWindow days ahead, through exchanges_time: a range
// scan of two weeks.
func (s *Store) dashPlanned(ctx context.Context, d *data.Dashboard, day time.Time) error {
	from := day.Format(time.RFC3339)
	to := day.AddDate(0, 0, data.PlannedWindow+1).Format(time.RFC3339)
	const where = ` FROM exchanges WHERE occurred_at >= ? AND occurred_at < ? AND state IN ('planned', 'postponed')`
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*)`+where, from, to).Scan(&d.PlannedCount); err != nil {
		return fmt.Errorf("planned engagements: %w", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, posting, kind, title, occurred_at, state, objectives`+where+
		` ORDER BY occurred_at, n LIMIT ?`, from, to, data.MaxPlanned)
	if err != nil {
		return fmt.Errorf("planned engagements: %w", err)
	}
	for rows.Next() {
		var p data.PlannedEngagement
		var objectives string
		if err := rows.Scan(&p.ID, &p.Posting, &p.Kind, &p.Title, &p.OccurredAt, &p.State, &objectives); err != nil {
			rows.Close()
			return fmt.Errorf("planned engagements: %w", err)
		}
		var list []json.RawMessage
		_ = json.Unmarshal([]byte(objectives), &list)
		p.Objectives = len(list)
		d.Planned = append(d.Planned, p)
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("planned engagements: %w", err)
	}
	return nil
}
