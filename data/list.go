package data

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ListFilter narrows a list. Empty fields do not filter.
type ListFilter struct {
	Posting        string
	Status         string // exchange: state; request and action: status
	Kind           string // exchange kind
	Classification string
	From, To       string // YYYY-MM-DD, inclusive: exchange occurred_at, request required_by, action due_on
	OverdueOn      string // actions still to do and due before this date (YYYY-MM-DD)
	ExchangeID     string // actions born in this exchange
	RequestID      string // actions born in this request
	Limit          int    // 0: all
}

// listSpec says how one kind is listed.
type listSpec struct {
	dateCol   string
	statusCol string
	statuses  []string
	order     string
}

var listSpecs = map[string]listSpec{
	"exchange": {"occurred_at", "state", ExchangeState, "occurred_at DESC, n DESC"},
	"request":  {"required_by", "status", append(Statuses(InToUS), Statuses(USToIN)...), "n DESC"},
	"action":   {"due_on", "status", ActionStatuses, "due_on = '', due_on, n"},
	"contact":  {"", "", nil, "name COLLATE NOCASE, n"},
	"posting":  {"", "", nil, "id"},
}

// where builds the WHERE clause of a filter for a kind, refusing a filter
// that makes no sense for it.
func (f ListFilter) where(kind string) (string, []any, error) {
	spec := listSpecs[kind]
	t, _ := tableForKind(kind)
	var conds []string
	var args []any
	if f.Posting != "" {
		if _, ok := t.field("posting"); !ok {
			return "", nil, invalid("posting", "cannot filter %s records by posting", kind)
		}
		conds, args = append(conds, "posting = ?"), append(args, f.Posting)
	}
	if f.Status != "" {
		if spec.statusCol == "" {
			return "", nil, invalid("status", "%s records have no status", kind)
		}
		if !slices.Contains(spec.statuses, f.Status) {
			return "", nil, invalid("status", "%q is not a %s status", clip(f.Status), kind)
		}
		conds, args = append(conds, quote(spec.statusCol)+" = ?"), append(args, f.Status)
	}
	if f.Kind != "" {
		if kind != "exchange" {
			return "", nil, invalid("kind", "only exchanges have kinds")
		}
		if err := checkEnum("kind", f.Kind, ExchangeKinds, true); err != nil {
			return "", nil, err
		}
		conds, args = append(conds, "kind = ?"), append(args, f.Kind)
	}
	if f.Classification != "" {
		if _, ok := t.field("classification"); !ok {
			return "", nil, invalid("classification", "%s records carry no marking", kind)
		}
		conds, args = append(conds, "classification = ?"), append(args, f.Classification)
	}
	if f.OverdueOn != "" {
		if kind != "action" {
			return "", nil, invalid("overdue", "only actions can be overdue")
		}
		if err := checkDate("overdue", f.OverdueOn, true); err != nil {
			return "", nil, err
		}
		conds = append(conds, "status IN ('open', 'in_progress') AND due_on <> '' AND due_on < ?")
		args = append(args, f.OverdueOn)
	}
	for _, p := range []struct{ name, v string }{{"exchange_id", f.ExchangeID}, {"request_id", f.RequestID}} {
		if p.v == "" {
			continue
		}
		if kind != "action" {
			return "", nil, invalid(p.name, "only actions belong to an exchange or a request")
		}
		conds, args = append(conds, p.name+" = ?"), append(args, p.v)
	}
	for _, d := range []struct{ name, v, op string }{{"from", f.From, ">="}, {"to", f.To, "<"}} {
		if d.v == "" {
			continue
		}
		if spec.dateCol == "" {
			return "", nil, invalid(d.name, "%s records have no date to filter on", kind)
		}
		day, err := time.Parse(DateLayout, d.v)
		if err != nil {
			return "", nil, invalid(d.name, "%q is not a date (YYYY-MM-DD)", clip(d.v))
		}
		if d.name == "to" {
			day = day.AddDate(0, 0, 1) // inclusive
		}
		bound := day.Format(DateLayout)
		if spec.dateCol == "occurred_at" {
			bound = day.Format(time.RFC3339)
		}
		conds, args = append(conds, fmt.Sprintf("%s <> '' AND %s %s ?", spec.dateCol, spec.dateCol, d.op)), append(args, bound)
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		return "", nil, invalid("to", "is before from")
	}
	if f.Limit < 0 {
		return "", nil, invalid("limit", "must be 0 (all) or more")
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args, nil
}

// List streams the records of a kind that pass the filter to fn, newest
// first for exchanges and requests, by due date for actions, by name for
// contacts.
func (s *Store) List(ctx context.Context, kind string, f ListFilter, fn func(Record) error) error {
	t, err := tableForKind(kind)
	if err != nil {
		return err
	}
	where, args, err := f.where(kind)
	if err != nil {
		return fmt.Errorf("list %s: %w", kind, err)
	}
	tail := where + " ORDER BY " + listSpecs[kind].order
	if f.Limit > 0 {
		tail += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	var reqs []*Request
	err = s.each(ctx, t, tail, args, func(b []byte) error {
		rec, _ := NewRecord(kind)
		if err := json.Unmarshal(b, rec); err != nil {
			return err
		}
		if r, ok := rec.(*Request); ok {
			reqs = append(reqs, r) // children are read once the cursor is closed
			return nil
		}
		return fn(rec)
	})
	if err != nil {
		return fmt.Errorf("list %s: %w", kind, err)
	}
	for _, r := range reqs {
		if err := s.loadChildren(ctx, s.rdb, r); err != nil {
			return fmt.Errorf("list request: %w", err)
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

// Counts are the number of live records per table.
type Counts map[string]int64

// Count returns the live records of every domain table.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	out := Counts{}
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

// ContactStats are a counterpart's figures for the register: how many
// exchanges met them and when the last one was.
type ContactStats struct {
	Exchanges   int    `json:"exchanges"`
	LastContact string `json:"last_contact"` // RFC 3339, "" when never
}

// ContactStats reads a contact's register figures.
func (s *Store) ContactStats(ctx context.Context, id string) (ContactStats, error) {
	var st ContactStats
	err := s.rdb.QueryRowContext(ctx, `SELECT count(*), coalesce(max(occurred_at), '') FROM exchange_counterparts WHERE contact_id = ?`, id).
		Scan(&st.Exchanges, &st.LastContact)
	return st, err
}
