package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Row is one line of a list view: the record's id and its list columns as
// text.
type Row struct {
	ID     string
	Values map[string]string
}

// ListColumns are the columns a list view of each kind shows and may sort
// by.
var ListColumns = map[string][]string{
	"exchange": {"occurred_at", "posting", "kind", "title", "counterpart_names", "classification", "releasability", "state", "rfi_status"},
	"request":  {"ref", "posting", "direction", "program", "status", "rating", "required_by", "acceptance_due", "supplier", "classification", "releasability", "updated_at"},
	"action":   {"due_on", "status", "title", "owner", "exchange_id", "request_id", "updated_at"},
	"contact":  {"name", "rank", "appointment", "organisation", "directorate", "nation", "email"},
	"posting":  {"id", "name", "location", "time_zone"},
}

// anchorEvery is the spacing of the keys a Pager remembers: a jump to any
// row index starts from the nearest anchor and skips fewer than this many
// rows, instead of an OFFSET over the whole table.
const anchorEvery = 256

type anchor struct {
	v any
	n int64
}

// Pager serves a sorted, filtered list by row index, as a virtualised list
// asks for it: keyset paging from remembered anchors, never an OFFSET over
// the whole table. It is bound to the data as it was when first counted;
// make a new Pager after a change.
type Pager struct {
	s       *Store
	t       *table
	kind    string
	where   string
	args    []any
	sort    string
	desc    bool
	anchors []anchor // key of rows 0, anchorEvery, 2*anchorEvery, ...
	count   int      // -1 until counted
}

// NewPager prepares a list of a kind, filtered and sorted by a list column
// (the kind's default order when sort is empty).
func (s *Store) NewPager(kind string, f ListFilter, sort string, desc bool) (*Pager, error) {
	t, err := tableForKind(kind)
	if err != nil {
		return nil, err
	}
	where, args, err := f.where(kind)
	if err != nil {
		return nil, err
	}
	if sort == "" {
		sort, desc = defaultSort(kind)
	}
	if !slices.Contains(ListColumns[kind], sort) {
		return nil, invalid("sort", "cannot sort %s records by %q", kind, clip(sort))
	}
	return &Pager{s: s, t: t, kind: kind, where: where, args: args, sort: sort, desc: desc, count: -1}, nil
}

func defaultSort(kind string) (string, bool) {
	switch kind {
	case "exchange":
		return "occurred_at", true
	case "request":
		return "updated_at", true
	case "action":
		return "due_on", false
	case "contact":
		return "name", false
	}
	return "id", false
}

// Sort is the column and direction the pager orders by.
func (p *Pager) Sort() (string, bool) { return p.sort, p.desc }

func (p *Pager) order() string {
	dir := "ASC"
	if p.desc {
		dir = "DESC"
	}
	return fmt.Sprintf("%s %s, n %s", quote(p.sort), dir, dir)
}

// Count returns the number of rows, building the anchors on the way (one
// pass over the index).
func (p *Pager) Count(ctx context.Context) (int, error) {
	if p.count >= 0 {
		return p.count, nil
	}
	total := 0
	if err := p.s.rdb.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %s %s`, p.t.name, p.where), p.args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("count %s: %w", p.kind, err)
	}
	q := fmt.Sprintf(`SELECT v, n FROM (SELECT %s AS v, n, row_number() OVER (ORDER BY %s) - 1 AS i
		FROM %s %s) WHERE i %% %d = 0`, quote(p.sort), p.order(), p.t.name, p.where, anchorEvery)
	rows, err := p.s.rdb.QueryContext(ctx, q, p.args...)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", p.kind, err)
	}
	defer rows.Close()
	p.anchors = p.anchors[:0]
	for rows.Next() {
		var a anchor
		if err := rows.Scan(&a.v, &a.n); err != nil {
			return 0, err
		}
		p.anchors = append(p.anchors, a)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	p.count = total
	return total, nil
}

// Rows returns up to n rows starting at row index start.
func (p *Pager) Rows(ctx context.Context, start, n int) ([]Row, error) {
	if start < 0 || n <= 0 {
		return nil, nil
	}
	where, args := p.where, slices.Clone(p.args)
	skip := start
	if start >= anchorEvery {
		if _, err := p.Count(ctx); err != nil {
			return nil, err
		}
		i := start / anchorEvery
		if i >= len(p.anchors) {
			return nil, nil
		}
		a := p.anchors[i]
		skip = start % anchorEvery
		cmp, eq := "<", "<="
		if !p.desc {
			cmp, eq = ">", ">="
		}
		cond := fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND n %[3]s ?))", quote(p.sort), cmp, eq)
		if where == "" {
			where = "WHERE " + cond
		} else {
			where += " AND " + cond
		}
		args = append(args, a.v, a.v, a.n)
	}
	cols := ListColumns[p.kind]
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = "CAST(" + quote(c) + " AS TEXT)"
	}
	q := fmt.Sprintf(`SELECT id, %s FROM %s %s ORDER BY %s LIMIT %d OFFSET %d`,
		strings.Join(sel, ", "), p.t.name, where, p.order(), n, skip)
	rows, err := p.s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("page of %s: %w", p.kind, err)
	}
	defer rows.Close()
	var out []Row
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols)+1)
	for rows.Next() {
		r := Row{Values: make(map[string]string, len(cols))}
		ptrs[0] = &r.ID
		for i := range vals {
			ptrs[i+1] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, c := range cols {
			r.Values[c] = vals[i].String
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
