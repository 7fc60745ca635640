package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"liaisondesk/data"
)

// anchorEvery is the spacing of the keys a Pager remembers: a jump to any
// row index starts from the nearest anchor and skips fewer than this many
// rows, instead of an OFFSET over the whole table.
const anchorEvery = 256

type anchor struct {
	v any
	n int64
}

// Pager serves a sorted, filtered list by row index, as a virtualised list
// asks for it: keyset paging from remembered anchors (the key of every
// 256th row), never an OFFSET over the whole table. Anchors are found as
// far as a request needs them, or all at once by Warm. It is bound to the
// data as it was; make a new Pager after a change. Safe for concurrent use.
type Pager struct {
	s     *Store
	t     *table
	kind  data.Kind
	where string // WHERE clause of the filter, or ""
	args  []any
	sort  string
	desc  bool

	mu       sync.Mutex
	anchors  []anchor // anchors[k] is the key of row k*anchorEvery
	complete bool     // anchors cover every row
	count    int      // -1 until counted
}

// NewPager prepares a list of a kind, filtered and sorted by a list column
// (the kind's default order when sort is empty).
func (s *Store) NewPager(kind data.Kind, f data.ListFilter, sort string, desc bool) (*Pager, error) {
	t, err := tableForKind(kind)
	if err != nil {
		return nil, err
	}
	where, args, err := filterWhere(f, kind)
	if err != nil {
		return nil, err
	}
	if sort == "" {
		sort, desc = t.info.List.Sort, t.info.List.Desc
	}
	if !slices.Contains(t.info.List.Columns, sort) {
		return nil, data.Invalid("sort", "cannot sort %s records by %q", kind, data.Clip(sort))
	}
	return &Pager{s: s, t: t, kind: kind, where: where, args: args, sort: sort, desc: desc, count: -1}, nil
}

// Sort is the column and direction the pager orders by.
func (p *Pager) Sort() (string, bool) { return p.sort, p.desc }

// optionalDates are date columns that may be empty: an empty one sorts
// after every date, in either direction.
var optionalDates = []string{"due_on", "required_by", "acceptance_due", "rfi_due", "ended_at"}

// key is the SQL the list is ordered by.
func (p *Pager) key() string {
	if !p.desc && slices.Contains(optionalDates, p.sort) {
		return fmt.Sprintf("coalesce(nullif(%s, ''), '9999-12-31')", quote(p.sort))
	}
	return quote(p.sort)
}

func (p *Pager) order() string {
	dir := "ASC"
	if p.desc {
		dir = "DESC"
	}
	return fmt.Sprintf("%s %s, n %s", p.key(), dir, dir)
}

// after is the condition "comes after the anchor in this order" (or at it,
// with orEqual), as a row value so the index serves it.
func (p *Pager) after(orEqual bool) string {
	op := map[[2]bool]string{{true, false}: "<", {true, true}: "<=", {false, false}: ">", {false, true}: ">="}[[2]bool{p.desc, orEqual}]
	return fmt.Sprintf("(%s, n) %s (?, ?)", p.key(), op)
}

func (p *Pager) whereAnd(cond string) string {
	if p.where == "" {
		return "WHERE " + cond
	}
	return p.where + " AND " + cond
}

// Count returns the number of rows.
func (p *Pager) Count(ctx context.Context) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.countLocked(ctx)
}

func (p *Pager) countLocked(ctx context.Context) (int, error) {
	if p.count >= 0 {
		return p.count, nil
	}
	if err := p.s.rdb.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %s %s`, p.t.name, p.where), p.args...).Scan(&p.count); err != nil {
		p.count = -1
		return 0, fmt.Errorf("count %s: %w", p.kind, err)
	}
	return p.count, nil
}

// Warm finds every anchor now (a background task after the first page is
// on screen), so later jumps anywhere cost one short index walk.
func (p *Pager) Warm(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.anchorsTo(ctx, 1<<40)
}

// anchorsTo extends the anchors to index k (or to the end).
func (p *Pager) anchorsTo(ctx context.Context, k int) error {
	if p.complete || k < len(p.anchors) {
		return nil
	}
	if !slices.Contains(p.t.info.List.Indexed, p.sort) {
		return p.anchorsInOnePass(ctx)
	}
	if len(p.anchors) == 0 {
		var a anchor
		err := p.s.rdb.QueryRowContext(ctx, fmt.Sprintf(`SELECT %s, n FROM %s %s ORDER BY %s LIMIT 1`,
			p.key(), p.t.name, p.where, p.order()), p.args...).Scan(&a.v, &a.n)
		if errors.Is(err, sql.ErrNoRows) {
			p.complete = true
			return nil
		}
		if err != nil {
			return err
		}
		p.anchors = append(p.anchors, a)
	}
	step, err := p.s.rdb.PrepareContext(ctx, fmt.Sprintf(`SELECT %s, n FROM %s %s ORDER BY %s LIMIT 1 OFFSET %d`,
		p.key(), p.t.name, p.whereAnd(p.after(false)), p.order(), anchorEvery-1))
	if err != nil {
		return err
	}
	defer step.Close()
	for len(p.anchors) <= k {
		last := p.anchors[len(p.anchors)-1]
		var a anchor
		err := step.QueryRowContext(ctx, append(slices.Clone(p.args), last.v, last.n)...).Scan(&a.v, &a.n)
		if errors.Is(err, sql.ErrNoRows) {
			p.complete = true
			return nil
		}
		if err != nil {
			return err
		}
		p.anchors = append(p.anchors, a)
	}
	return nil
}

// anchorsInOnePass numbers the rows once, for orders no index serves.
func (p *Pager) anchorsInOnePass(ctx context.Context) error {
	rows, err := p.s.rdb.QueryContext(ctx, fmt.Sprintf(`SELECT v, n FROM (SELECT %s AS v, n, row_number() OVER (ORDER BY %s) - 1 AS i
		FROM %s %s) WHERE i %% %d = 0`, p.key(), p.order(), p.t.name, p.where, anchorEvery), p.args...)
	if err != nil {
		return fmt.Errorf("page of %s: %w", p.kind, err)
	}
	defer rows.Close()
	p.anchors = p.anchors[:0]
	for rows.Next() {
		var a anchor
		if err := rows.Scan(&a.v, &a.n); err != nil {
			return err
		}
		p.anchors = append(p.anchors, a)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.complete = true
	return nil
}

// Rows returns up to n rows starting at row index start.
func (p *Pager) Rows(ctx context.Context, start, n int) ([]data.Row, error) {
	if start < 0 || n <= 0 {
		return nil, nil
	}
	where, args := p.where, slices.Clone(p.args)
	skip := start
	if start >= anchorEvery {
		p.mu.Lock()
		k := start / anchorEvery
		err := p.anchorsTo(ctx, k)
		var a anchor
		ok := k < len(p.anchors)
		if ok {
			a = p.anchors[k]
		}
		p.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("page of %s: %w", p.kind, err)
		}
		if !ok {
			return nil, nil // past the end
		}
		where, skip = p.whereAnd(p.after(true)), start%anchorEvery
		args = append(args, a.v, a.n)
	}
	cols := p.t.info.List.Columns
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
	var out []data.Row
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols)+1)
	for rows.Next() {
		r := data.Row{Values: make(map[string]string, len(cols))}
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
