package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"liaisondesk/data"
)

// History lists every change of a record in the order they were made. A
// request's history includes its lines (fields named lines[N].field) and
// status entries.
func (s *Store) History(ctx context.Context, kind data.Kind, id string) ([]data.HistoryEntry, error) {
	t, err := tableForKind(kind)
	if err != nil {
		return nil, err
	}
	entries, err := s.rowHistory(ctx, t, id, "")
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, data.Op("history", fmt.Sprintf("of %s %s", kind, data.Clip(id)), data.ErrNotFound)
	}
	if t == requestsTable {
		lines, err := readColumn[string](ctx, s.rdb, `SELECT DISTINCT c.row_id FROM changes c
			WHERE c.tbl = 'request_lines' AND json_extract(c.fields, '$.request_id') = ?`, id)
		if err != nil {
			return nil, err
		}
		for i, l := range lines {
			more, err := s.rowHistory(ctx, requestLinesTable, l, fmt.Sprintf("lines[%s].", lineLabel(ctx, s, l, i)))
			if err != nil {
				return nil, err
			}
			entries = append(entries, more...)
		}
		slices.SortStableFunc(entries, func(a, b data.HistoryEntry) int {
			if a.At != b.At {
				if a.At < b.At {
					return -1
				}
				return 1
			}
			return 0
		})
	}
	return entries, nil
}

// lineLabel names a line by its number when it still exists.
func lineLabel(ctx context.Context, s *Store, id string, i int) string {
	var no int
	if err := s.rdb.QueryRowContext(ctx, `SELECT line_no FROM request_lines WHERE id = ?`, id).Scan(&no); err == nil {
		return fmt.Sprint(no)
	}
	return fmt.Sprintf("removed %d", i+1)
}

// rowHistory lists a row's field changes in the order they were made.
// A change's old value is the value it superseded (its parents' for that
// field), not merely the one before it in time: with concurrent edits the
// two differ, and the history must say what the author actually replaced.
func (s *Store) rowHistory(ctx context.Context, t *table, id, prefix string) ([]data.HistoryEntry, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.id, c.hlc, c.fields, c.parents, coalesce(st.officer, '')
		FROM changes c LEFT JOIN sites st ON st.no = c.id >> 40
		WHERE c.tbl = ? AND c.row_id = ? ORDER BY c.hlc, c.id`, t.name, id)
	if err != nil {
		return nil, data.Op("history", "", err)
	}
	defer rows.Close()
	type made struct {
		c       rowChange
		officer string
	}
	var all []made
	byID := map[data.ChangeID]*rowChange{}
	for rows.Next() {
		var cid, hlc int64
		var fields, parents []byte
		var officer string
		if err := rows.Scan(&cid, &hlc, &fields, &parents, &officer); err != nil {
			return nil, err
		}
		c, err := s.decodeRowChange(ctx, s.rdb, cid, hlc, fields, parents)
		if err != nil {
			return nil, err
		}
		all = append(all, made{c, officer})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range all {
		byID[all[i].c.id] = &all[i].c
	}
	var out []data.HistoryEntry
	wall := s.Now()
	for _, m := range all {
		c := m.c
		names := make([]string, 0, len(c.fields))
		for f := range c.fields {
			names = append(names, f)
		}
		slices.Sort(names)
		for _, f := range names {
			v := c.fields[f]
			old := supersededValue(byID, &c, f)
			if f == "request_id" || bytes.Equal(old, v) || (old == nil && isEmptyJSON(v)) {
				continue
			}
			if old == nil {
				old = json.RawMessage("null")
			}
			out = append(out, data.HistoryEntry{At: c.hlc.Time().Format("2006-01-02T15:04:05.000Z07:00"), Change: c.id.String(),
				Site: c.id.Site.String(), Officer: m.officer, Field: prefix + f, Old: old, New: v, Ahead: data.AheadOf(c.hlc, wall)})
		}
	}
	return out, nil
}

// supersededValue is the value a change replaced in a field: its parent's,
// or, when it settled a conflict, the competing values as a JSON array.
// nil when it replaced nothing (the field was new). As in the merge, a
// parent stamped at or after the change is not one it can have seen.
func supersededValue(byID map[data.ChangeID]*rowChange, c *rowChange, field string) json.RawMessage {
	var vals []json.RawMessage
	for _, p := range c.parents[field] {
		pc, ok := byID[p]
		if !ok || pc.hlc >= c.hlc {
			continue
		}
		v, ok := pc.fields[field]
		if !ok || slices.ContainsFunc(vals, func(x json.RawMessage) bool { return bytes.Equal(x, v) }) {
			continue
		}
		vals = append(vals, v)
	}
	switch len(vals) {
	case 0:
		return nil
	case 1:
		return vals[0]
	}
	out, _ := json.Marshal(vals)
	return out
}

// isEmptyJSON is true for "", [], 0, false and null: values not worth a
// line in the history of a new record.
func isEmptyJSON(v json.RawMessage) bool {
	switch string(v) {
	case `""`, `[]`, `0`, `false`, `null`:
		return true
	}
	return false
}
