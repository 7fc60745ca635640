package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// Conflicts lists every conflicting field, by record and field.
func (s *Store) Conflicts(ctx context.Context) ([]data.Conflict, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT tbl, row_id, field FROM conflicts ORDER BY tbl, row_id, field`)
	if err != nil {
		return nil, data.Op("conflicts", "", err)
	}
	type key struct{ tbl, row, field string }
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.tbl, &k.row, &k.field); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []data.Conflict{}
	officers := map[data.SiteID]string{}
	for _, k := range keys {
		t, ok := tableByName(k.tbl)
		if !ok {
			continue
		}
		st, err := s.loadRowState(ctx, t, k.row)
		if err != nil {
			return nil, err
		}
		c := data.Conflict{Kind: t.kind, ID: k.row, Field: k.field}
		if ids := st.cleared[k.field]; len(ids) > 0 {
			names := make([]string, len(ids))
			for i, id := range ids {
				names[i] = id.String()
			}
			c.Note = fmt.Sprintf("no current value: change %s superseded every value without setting one; the last value is shown: keep it or set another",
				strings.Join(names, ", "))
		}
		if t.parent != "" {
			c.ParentKind = requestsTable.kind // both child tables belong to a request
			_ = json.Unmarshal(st.values[t.parent], &c.ParentID)
		}
		for _, leaf := range conflictLeaves(st, k.field) {
			officer, ok := officers[leaf.id.Site]
			if !ok {
				_ = s.rdb.QueryRowContext(ctx, `SELECT officer FROM sites WHERE site_id = ?`, leaf.id.Site[:]).Scan(&officer)
				officers[leaf.id.Site] = officer
			}
			v := data.ConflictValue{Change: leaf.id.String(), Officer: officer, Device: leaf.id.Site.ShortCode(),
				Site: leaf.id.Site.String(), At: leaf.hlc.Time().Format(time.RFC3339)}
			if k.field == data.DeletedField {
				v.Value = leaf.fields[data.DeletedField]
				if v.Value == nil {
					edits := map[string]json.RawMessage{}
					for f, val := range leaf.fields {
						edits[f] = val
					}
					v.Value = mustJSON(edits)
				}
				v.Shown = string(leaf.fields[data.DeletedField]) == "true"
			} else {
				v.Value = leaf.fields[k.field]
				v.Shown = bytes.Equal(v.Value, st.values[k.field])
			}
			c.Values = append(c.Values, v)
		}
		out = append(out, c)
	}
	return out, nil
}

// conflictLeaves are the competing changes of a field, oldest first. For
// "_deleted", the delete and every edit it did not see.
func conflictLeaves(st *rowState, field string) []*rowChange {
	var out []*rowChange
	if field == data.DeletedField {
		seen := map[data.ChangeID]bool{}
		for f, leaves := range st.leaves {
			for _, c := range leaves {
				_, del := c.fields[data.DeletedField]
				if (f == data.DeletedField || !del) && !seen[c.id] {
					seen[c.id] = true
					out = append(out, c)
				}
			}
		}
	} else {
		out = append(out, st.leaves[field]...)
	}
	slices.SortFunc(out, func(a, b *rowChange) int {
		if a.after(b) {
			return 1
		}
		return -1
	})
	return out
}

// loadRowState merges a row from the log, outside any write.
func (s *Store) loadRowState(ctx context.Context, t *table, rowID string) (*rowState, error) {
	cs, err := s.rowChanges(ctx, s.rdb, t, rowID)
	if err != nil {
		return nil, err
	}
	return mergeRow(t, cs), nil
}

// tableForAnyKind finds a table by kind, child tables included
// (request_line, request_status), as conflicts name them.
func tableForAnyKind(kind data.Kind) (*table, error) {
	for _, t := range allTables {
		if t.kind == kind {
			return t, nil
		}
	}
	return tableForKind(kind)
}

// Resolve settles a conflicting field with one change whose parents are
// all of its competing values: either a new value, or keep (the id of one
// of the competing changes). For "_deleted", true keeps the delete and
// false restores the record with the edits made meanwhile.
func (s *Store) Resolve(ctx context.Context, kind data.Kind, id, field string, value json.RawMessage, keep string) error {
	t, err := tableForAnyKind(kind)
	if err != nil {
		return data.Op("resolve", "", err)
	}
	if (value == nil) == (keep == "") {
		return data.Op("resolve", "", data.Invalid("value", "give either a value or the change to keep"))
	}
	err = s.write(ctx, func(w *writer) error {
		st, err := w.loadRow(t, id)
		if err != nil {
			return err
		}
		if st.empty() {
			return fmt.Errorf("%s %s: %w", kind, data.Clip(id), data.ErrNotFound)
		}
		if !slices.Contains(st.conflicts, field) {
			return data.Invalid("field", "%s %s has no conflict on %q", kind, data.Clip(id), data.Clip(field))
		}
		if keep != "" {
			kid, err := data.ParseChangeID(keep)
			if err != nil {
				return data.Invalid("keep", "%v", err)
			}
			var kept *rowChange
			for _, c := range conflictLeaves(st, field) {
				if c.id == kid {
					kept = c
				}
			}
			if kept == nil {
				return data.InvalidBecause(data.ErrNotCompeting, "keep", "%s is not one of the competing values of %s", keep, field)
			}
			value = kept.fields[field]
			if field == data.DeletedField && value == nil {
				value = json.RawMessage("false") // keeping an edit restores the record
			}
		}
		if field == data.DeletedField {
			return w.resolveDeleted(t, id, value)
		}
		if err := w.checkResolvedValue(t, id, field, value, st); err != nil {
			return err
		}
		if t == requestsTable && field == "status" {
			// The status history records the settled state, as a status
			// change would.
			var from, to data.RequestStatus
			_ = json.Unmarshal(st.values["status"], &from)
			_ = json.Unmarshal(value, &to)
			h := data.StatusEntry{RequestID: id, At: w.now(), By: w.dev.Officer, From: from, To: to,
				Note: "conflict settled: two devices had moved it to different states"}
			if _, err := w.addSimple(requestHistoryTable, &h.ID, &h, nil); err != nil {
				return err
			}
		}
		return w.change(t, id, map[string]json.RawMessage{field: value})
	})
	if err != nil {
		return data.Op("resolve", fmt.Sprintf("%s %s %s", kind, data.Clip(id), field), err)
	}
	return nil
}

// resolveDeleted keeps a delete (true) or restores the record (false) with
// every value it had, including the edits made while it was deleted.
func (w *writer) resolveDeleted(t *table, id string, value json.RawMessage) error {
	switch string(value) {
	case "true":
		return w.change(t, id, map[string]json.RawMessage{data.DeletedField: value})
	case "false":
	default:
		return data.Invalid("value", "for _deleted give true (keep the delete) or false (restore the record)")
	}
	all, err := w.s.rowChanges(w.ctx, w, t, id)
	if err != nil {
		return err
	}
	var cs []rowChange
	for _, c := range all {
		if string(c.fields[data.DeletedField]) != "true" {
			cs = append(cs, c) // as if never deleted: the values the record had
		}
	}
	st, err := w.loadRow(t, id)
	if err != nil {
		return err
	}
	// The values the delete superseded come back; a field edited while
	// deleted keeps its edits as they are, a conflict among them included
	// (restoring settles the delete, not which edit wins).
	restored := map[string]json.RawMessage{data.DeletedField: json.RawMessage("false")}
	for f, v := range mergeRow(t, cs).values {
		if len(st.leaves[f]) == 0 {
			restored[f] = v
		}
	}
	parents := map[string][]data.ChangeID{}
	for f := range restored {
		if ids := st.leafIDs(f); len(ids) > 0 {
			parents[f] = ids
			w.seen(st.leaves[f])
		}
	}
	if _, err := w.record(t, id, restored, parents); err != nil {
		return err
	}
	return w.materialise(t, id)
}

// checkResolvedValue validates a field's new value as an edit of the
// record would be: its type, and for records the record's own rules.
func (w *writer) checkResolvedValue(t *table, id, field string, value json.RawMessage, st *rowState) error {
	col, ok := t.field(field)
	if !ok {
		return data.Invalid("field", "%q is not a field of %s", data.Clip(field), t.kind)
	}
	if _, err := col.sqlValue(value); err != nil {
		return data.Invalid(field, "%v", err)
	}
	if t == requestsTable && field == "status" {
		var dir string
		var status data.RequestStatus
		_ = json.Unmarshal(st.values["direction"], &dir)
		if err := json.Unmarshal(value, &status); err != nil || data.StatusRank(dir, status) < 0 {
			return data.Invalid("status", "%s is not a state of a %s request", value, dir)
		}
		return nil
	}
	rec, err := NewRecord(t.kind)
	if err != nil {
		return nil // a child row: its type is checked above
	}
	if err := w.s.getInto(w.ctx, w, t, id, rec); err != nil {
		return err
	}
	if r, ok := rec.(*data.Request); ok {
		if err := w.s.loadChildren(w.ctx, w, r); err != nil {
			return err
		}
	}
	patch, _ := json.Marshal(map[string]json.RawMessage{field: value})
	if err := decodeStrict(patch, rec); err != nil {
		return err
	}
	return rec.Validate()
}

// FieldValue reads a value for a field as typed on a command line: text
// fields take the text as it is (or a quoted JSON string), lists a JSON
// array or comma-separated items, other fields JSON (a number, true).
func FieldValue(kind data.Kind, field, text string) (json.RawMessage, error) {
	t, err := tableForAnyKind(kind)
	if err != nil {
		return nil, err
	}
	if field == data.DeletedField {
		return json.RawMessage(strings.TrimSpace(text)), nil
	}
	col, ok := t.field(field)
	if !ok {
		return nil, data.Invalid("field", "%q is not a field of %s", data.Clip(field), kind)
	}
	raw := json.RawMessage(strings.TrimSpace(text))
	switch col.typ {
	case data.TextField:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return raw, nil
		}
		return mustJSON(text), nil
	case data.ListField:
		if data.IsObjectList(field) {
			if err := data.CheckImportedField(field, col.typ, raw); err != nil {
				return nil, err
			}
			return raw, nil
		}
		var l []string
		if json.Unmarshal(raw, &l) == nil {
			return raw, nil
		}
		items := []string{}
		for _, p := range strings.Split(text, ",") {
			if p = strings.TrimSpace(p); p != "" {
				items = append(items, p)
			}
		}
		return mustJSON(items), nil
	}
	if !json.Valid(raw) {
		return nil, data.Invalid(field, "%q is not a value for this field", data.Clip(text))
	}
	return raw, nil
}
