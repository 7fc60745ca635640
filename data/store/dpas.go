package store

import (
	"context"
	"database/sql"
	"fmt"

	"liaisondesk/data"
)

// dpasInputs are the columns of a request the DPAS clocks are computed
// from (data.Request.Derive), in the order rederiveDPAS scans them.
const dpasInputs = `id, rating, order_received_on, amendment_received_on, amendment_significant, rating_changed_on,
	delayed, delay_reported_on, delay_notice, acceptance_due, delay_confirm_due`

// rederiveDPAS recomputes the derived DPAS dates of every request when the
// clocks applied (the table of data/dpas.go and HQ's values) differ from
// those they were computed under, so a corrected clock shows on existing
// records without a step by the user, and two stores that sync never
// disagree on a deadline. The dates are derived columns, never in the
// change log: the update is local. It takes the write lock only when the
// fingerprint differs.
func (s *Store) rederiveDPAS(ctx context.Context) error {
	st, err := hqClocks(ctx, s.rdb)
	if err != nil {
		return err
	}
	want := data.DPASFingerprint(st.values)
	var have string
	err = s.rdb.QueryRowContext(ctx, `SELECT fingerprint FROM derived_rules WHERE name = 'dpas'`).Scan(&have)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("read DPAS rule fingerprint: %w", err)
	}
	if have == want {
		return nil
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		st, err := hqClocks(ctx, tx)
		if err != nil {
			return err
		}
		return rederiveRequests(ctx, tx, st.values)
	})
	if err != nil {
		return fmt.Errorf("recompute the DPAS dates: %w", err)
	}
	return nil
}

// rederiveRequests recomputes every request's derived DPAS dates under
// values and records the fingerprint they were computed under.
func rederiveRequests(ctx context.Context, q querier, values data.ClockValues) error {
	rows, err := q.QueryContext(ctx, `SELECT `+dpasInputs+` FROM requests`)
	if err != nil {
		return err
	}
	type fix struct{ id, acceptance, confirm string }
	var fixes []fix
	for rows.Next() {
		var r data.Request
		var id, oldAcceptance, oldConfirm string
		if err := rows.Scan(&id, &r.Rating, &r.OrderReceivedOn, &r.AmendmentReceivedOn, &r.AmendmentSignificant,
			&r.RatingChangedOn, &r.Delayed, &r.DelayReportedOn, &r.DelayNotice, &oldAcceptance, &oldConfirm); err != nil {
			rows.Close()
			return err
		}
		r.DeriveWith(values)
		if r.AcceptanceDue != oldAcceptance || r.DelayConfirmDue != oldConfirm {
			fixes = append(fixes, fix{id, r.AcceptanceDue, r.DelayConfirmDue})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fixes {
		if _, err := q.ExecContext(ctx, `UPDATE requests SET acceptance_due = ?, delay_confirm_due = ? WHERE id = ?`,
			f.acceptance, f.confirm, f.id); err != nil {
			return err
		}
	}
	_, err = q.ExecContext(ctx, `INSERT INTO derived_rules (name, fingerprint) VALUES ('dpas', ?)
		ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint`, data.DPASFingerprint(values))
	return err
}
