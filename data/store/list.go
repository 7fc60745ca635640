package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// listOrder is the SQL of a kind's list order (data.ListInfo.Order),
// ending in the order of entry.
func listOrder(l *data.ListInfo) string {
	var keys []string
	for _, k := range l.Order {
		switch {
		case k.EmptyLast:
			keys = append(keys, quote(k.Field)+" = ''", quote(k.Field))
		case k.Fold:
			keys = append(keys, quote(k.Field)+" COLLATE NOCASE")
		case k.Desc:
			keys = append(keys, quote(k.Field)+" DESC")
		default:
			keys = append(keys, quote(k.Field))
		}
	}
	if l.NewestFirst {
		return strings.Join(append(keys, "n DESC"), ", ")
	}
	return strings.Join(append(keys, "n"), ", ")
}

// where builds the WHERE clause of a filter for a kind, refusing a filter
// that makes no sense for it.
func filterWhere(f data.ListFilter, kind data.Kind) (string, []any, error) {
	t, err := tableForKind(kind)
	if err != nil {
		return "", nil, err
	}
	spec := t.info.List
	if spec == nil {
		return "", nil, data.Invalid("kind", "%s records are not listed", kind)
	}
	var conds []string
	var args []any
	if f.Posting != "" {
		if _, ok := t.field("posting"); !ok {
			return "", nil, data.Invalid("posting", "cannot filter %s records by posting", kind)
		}
		conds, args = append(conds, "posting = ?"), append(args, f.Posting)
	}
	if f.Status != "" {
		if spec.StatusField == "" {
			return "", nil, data.Invalid("status", "%s records have no status", kind)
		}
		if !slices.Contains(spec.Statuses, f.Status) {
			return "", nil, data.Invalid("status", "%q is not a %s status", data.Clip(f.Status), kind)
		}
		conds, args = append(conds, quote(spec.StatusField)+" = ?"), append(args, f.Status)
	}
	if f.Kind != "" {
		if kind != data.KindExchange {
			return "", nil, data.Invalid("kind", "only exchanges have kinds")
		}
		if err := data.CheckEnum("kind", f.Kind, data.ExchangeKinds, true); err != nil {
			return "", nil, err
		}
		conds, args = append(conds, "kind = ?"), append(args, f.Kind)
	}
	if f.Classification != "" {
		if _, ok := t.field("classification"); !ok {
			return "", nil, data.Invalid("classification", "%s records carry no marking", kind)
		}
		conds, args = append(conds, "classification = ?"), append(args, f.Classification)
	}
	if f.OverdueOn != "" {
		if kind != data.KindAction {
			return "", nil, data.Invalid("overdue", "only actions can be overdue")
		}
		if err := data.CheckDate("overdue", f.OverdueOn, true); err != nil {
			return "", nil, err
		}
		conds = append(conds, "status IN ('open', 'in_progress') AND due_on <> '' AND due_on < ?")
		args = append(args, f.OverdueOn)
	}
	for _, p := range []struct{ name, v string }{{"exchange_id", f.ExchangeID}, {"request_id", f.RequestID}} {
		if p.v == "" {
			continue
		}
		if kind != data.KindAction {
			return "", nil, data.Invalid(p.name, "only actions belong to an exchange or a request")
		}
		conds, args = append(conds, p.name+" = ?"), append(args, p.v)
	}
	for _, d := range []struct{ name, v, op string }{{"from", f.From, ">="}, {"to", f.To, "<"}} {
		if d.v == "" {
			continue
		}
		if spec.DateField == "" {
			return "", nil, data.Invalid(d.name, "%s records have no date to filter on", kind)
		}
		day, err := time.Parse(data.DateLayout, d.v)
		if err != nil {
			return "", nil, data.Invalid(d.name, "%q is not a date (YYYY-MM-DD)", data.Clip(d.v))
		}
		if d.name == "to" {
			day = day.AddDate(0, 0, 1) // inclusive
		}
		bound := day.Format(data.DateLayout)
		if spec.DateField == "occurred_at" {
			bound = day.Format(time.RFC3339)
		}
		conds, args = append(conds, fmt.Sprintf("%s <> '' AND %s %s ?", spec.DateField, spec.DateField, d.op)), append(args, bound)
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		return "", nil, data.Invalid("to", "is before from")
	}
	if f.Limit < 0 {
		return "", nil, data.Invalid("limit", "must be 0 (all) or more")
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args, nil
}

// List streams the records of a kind that pass the filter to fn, newest
// first for exchanges and requests, by due date for actions, by name for
// contacts.
func (s *Store) List(ctx context.Context, kind data.Kind, f data.ListFilter, fn func(data.Record) error) error {
	t, err := tableForKind(kind)
	if err != nil {
		return err
	}
	where, args, err := filterWhere(f, kind)
	if err != nil {
		return data.Op("list", fmt.Sprint(kind), err)
	}
	tail := where + " ORDER BY " + listOrder(t.info.List)
	if f.Limit > 0 {
		tail += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	var reqs []*data.Request
	err = s.each(ctx, t, tail, args, func(b []byte) error {
		rec := t.info.New()
		if err := json.Unmarshal(b, rec); err != nil {
			return err
		}
		if r, ok := rec.(*data.Request); ok {
			reqs = append(reqs, r) // children are read once the cursor is closed
			return nil
		}
		return fn(rec)
	})
	if err != nil {
		return data.Op("list", fmt.Sprint(kind), err)
	}
	for _, r := range reqs {
		if err := s.loadChildren(ctx, s.rdb, r); err != nil {
			return data.Op("list", "request", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// each runs a SELECT of whole records as JSON over a table.
func (s *Store) each(ctx context.Context, t *table, tail string, args []any, fn func([]byte) error) error {
	rows, err := s.rdb.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s %s`, t.selectJSON(), t.name, tail), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count returns the live records of every domain table.
func (s *Store) Count(ctx context.Context) (data.Counts, error) {
	out := data.Counts{}
	for _, t := range allTables {
		var n int64
		if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&n); err != nil {
			return nil, err
		}
		out[t.name] = n
	}
	var n int64
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM changes`).Scan(&n); err != nil {
		return nil, err
	}
	out["changes"] = n
	return out, nil
}

// ContactStats reads a contact's register figures.
func (s *Store) ContactStats(ctx context.Context, id string) (data.ContactStats, error) {
	var st data.ContactStats
	err := s.rdb.QueryRowContext(ctx, `SELECT count(*), coalesce(max(occurred_at), '') FROM exchange_counterparts WHERE contact_id = ?`, id).
		Scan(&st.Exchanges, &st.LastContact)
	return st, err
}
