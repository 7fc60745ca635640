package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// writer is one write transaction of the local device: it issues change
// ids and clock readings, writes changes and materialises the rows they
// touch, and signs everything as one commit when the transaction ends.
type writer struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
	dev *data.Device

	hlc      data.HLC
	firstSeq int64
	seq      int64
	hashes   []byte

	stmts   map[string]*sql.Stmt
	ftsFrom map[*table]int64      // rows with n above this are indexed at the end
	lastN   map[*table]int64      // the last n given to a new row of a searched table
	names   map[string]*string    // contact id → name (nil: no such contact), read once per write
	clocks  data.ClockValues      // HQ's DPAS clock values, read once per write (clockValuesOf)
	sites   map[int64]data.SiteID // site numbers read in this write

	progress func(done, total int) // an import's progress, when asked for
}

// contactName returns a contact's name and whether it exists, reading each
// contact once per write (a bulk load names the same few hundred contacts
// in every exchange).
func (w *writer) contactName(id string) (string, bool, error) {
	if p, ok := w.names[id]; ok {
		if p == nil {
			return "", false, nil
		}
		return *p, true, nil
	}
	var name string
	err := w.QueryRowContext(w.ctx, `SELECT name FROM contacts WHERE id = ?`, id).Scan(&name)
	if err == sql.ErrNoRows {
		w.names[id] = nil
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	w.names[id] = &name
	return name, true, nil
}

// siteOf is Store.siteOf remembered for this transaction (a site's number
// never changes within it): a merge reads the site of every change.
func (w *writer) siteOf(no int64) (data.SiteID, error) {
	if site, ok := w.sites[no]; ok {
		return site, nil
	}
	site, err := w.s.siteOf(w.ctx, w, no)
	if err == nil {
		w.sites[no] = site
	}
	return site, err
}

// write runs fn as one signed commit in one transaction.
func (s *Store) write(ctx context.Context, fn func(w *writer) error) error {
	dev, err := s.Device()
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error { return s.writeTx(ctx, tx, dev, fn) })
	s.prepareWanted(ctx)
	return err
}

// writeTx runs fn as one signed commit of dev inside tx.
func (s *Store) writeTx(ctx context.Context, tx *sql.Tx, dev *data.Device, fn func(w *writer) error) error {
	w := &writer{s: s, ctx: ctx, tx: tx, dev: dev, stmts: map[string]*sql.Stmt{}, ftsFrom: map[*table]int64{}, lastN: map[*table]int64{}, names: map[string]*string{}, sites: map[int64]data.SiteID{}}
	defer w.closeStmts()
	var hlc int64
	var last sql.NullInt64
	if err := w.QueryRowContext(ctx, `SELECT hlc FROM device`).Scan(&hlc); err != nil {
		return err
	}
	if err := w.QueryRowContext(ctx, `SELECT max(id) FROM changes WHERE id > ? AND id < ?`,
		packID(dev.SiteNo, 0), packID(dev.SiteNo+1, 0)).Scan(&last); err != nil {
		return err
	}
	w.hlc = data.HLC(hlc)
	if last.Valid {
		_, w.seq = unpackID(last.Int64)
	}
	w.firstSeq = w.seq + 1
	if err := fn(w); err != nil {
		return err
	}
	return w.finish()
}

// stmt returns query prepared for this transaction. A statement the store
// has prepared on the writer connection before is reused (preparing costs
// 20-50 µs each, and a save runs ~25 statements); a new one is prepared
// for this transaction, and on the connection after it (prepareWanted).
func (w *writer) stmt(query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	s := w.s
	s.prepMu.Lock()
	parent := s.prep[query]
	if parent == nil {
		if s.want == nil {
			s.want = map[string]bool{}
		}
		s.want[query] = true
	}
	s.prepMu.Unlock()
	var st *sql.Stmt
	var err error
	if parent != nil {
		st = w.tx.StmtContext(w.ctx, parent)
	} else if st, err = w.tx.PrepareContext(w.ctx, query); err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

// prepareWanted prepares on the writer connection, outside any
// transaction (the pool's only connection is free then), the statements
// the last write used for the first time.
func (s *Store) prepareWanted(ctx context.Context) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	for q := range s.want {
		if st, err := s.db.PrepareContext(ctx, q); err == nil {
			if s.prep == nil {
				s.prep = map[string]*sql.Stmt{}
			}
			s.prep[q] = st
		}
	}
	s.want = nil
}

// QueryRowContext, QueryContext and ExecContext make the writer a querier
// whose statements are prepared once per transaction: bulk writes run the
// same few statements for every row.
func (w *writer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := w.stmt(query)
	if err != nil {
		return w.tx.QueryRowContext(ctx, query, args...) // reports the error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (w *writer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (w *writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (w *writer) closeStmts() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// seen moves the clock to at least the readings of the changes the next
// change supersedes, so it is stamped after them: the merge lets a parent
// supersede only a change stamped before its child. A value stamped far
// ahead (a peer's clock days fast) drags this clock with it, which
// Store.ClockLead reports. It never moves the clock past a reading that
// exists, so never past the last one; tick refuses to go beyond that.
func (w *writer) seen(parents []*rowChange) {
	for _, p := range parents {
		if p.hlc > w.hlc {
			w.hlc = p.hlc
		}
	}
}

// now is the wall clock in UTC, RFC 3339.
func (w *writer) now() string { return w.s.Now().UTC().Format(time.RFC3339) }

// record appends one change of the local device to the log.
func (w *writer) record(t *table, rowID string, fields map[string]json.RawMessage, parents map[string][]data.ChangeID) (*data.Change, error) {
	w.seq++
	if w.seq >= 1<<40 {
		return nil, fmt.Errorf("change log: sequence exhausted")
	}
	hlc, err := data.Tick(w.hlc, w.s.Now())
	if err != nil {
		return nil, fmt.Errorf("change log: %w", err)
	}
	w.hlc = hlc
	c := &data.Change{ID: data.ChangeID{Site: w.dev.Site, Seq: w.seq}, HLC: w.hlc, Table: t.name, RowID: rowID,
		Fields: fields, Parents: parents, Schema: data.SchemaVersion}
	fj, err := c.FieldsJSON()
	if err != nil {
		return nil, err
	}
	pj, err := c.ParentsJSON()
	if err != nil {
		return nil, err
	}
	h := c.Hash(fj, pj)
	w.hashes = append(w.hashes, h[:]...)
	st, err := w.stmt(`INSERT INTO changes (id, hlc, tbl, row_id, fields, parents, schema) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	var pv any
	if pj != nil {
		pv = string(pj)
	}
	if _, err := st.ExecContext(w.ctx, packID(w.dev.SiteNo, w.seq), int64(c.HLC), t.name, rowID, string(fj), pv, data.SchemaVersion); err != nil {
		return nil, fmt.Errorf("change log: %w", err)
	}
	return c, nil
}

// finish signs the commit over the hashes of its changes, indexes new rows
// for search and persists the clock.
func (w *writer) finish() error {
	if w.seq >= w.firstSeq {
		sig, err := w.dev.Sign(data.CommitMessage(w.dev.Site, w.firstSeq, w.seq, w.hashes))
		if err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		if _, err := w.ExecContext(w.ctx, `INSERT INTO commits (site, first_seq, last_seq, hashes, signature) VALUES (?, ?, ?, ?, ?)`,
			w.dev.SiteNo, w.firstSeq, w.seq, w.hashes, sig); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	if err := w.linkFresh(); err != nil {
		return err
	}
	for t, from := range w.ftsFrom {
		cols := strings.Join(t.fts, ", ")
		if _, err := w.ExecContext(w.ctx, fmt.Sprintf(`INSERT INTO %[1]s_fts (rowid, %[2]s) SELECT n, %[2]s FROM %[1]s WHERE n > ?`, t.name, cols), from); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	_, err := w.ExecContext(w.ctx, `UPDATE device SET hlc = ?`, int64(w.hlc))
	return err
}

// create writes a new row: one change holding every field, and the row
// itself (a row with one change needs no merge). A fresh id, made here by
// NewID, cannot be in the log yet, so only a given id is looked up.
func (w *writer) create(t *table, rowID string, fields map[string]json.RawMessage, fresh bool) error {
	if !fresh {
		var exists int
		if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM changes WHERE tbl = ? AND row_id = ?`, t.name, rowID).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			var live int
			if err := w.QueryRowContext(w.ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE id = ?`, t.name), rowID).Scan(&live); err != nil {
				return err
			}
			if live > 0 {
				return data.Invalid("id", "%s %s already exists", t.kind, rowID)
			}
			// Deleted before (a posting, a seed): adding it again restores
			// it, as a change over its tombstone.
			restored := map[string]json.RawMessage{data.DeletedField: json.RawMessage("false")}
			for f, v := range fields {
				restored[f] = v
			}
			return w.change(t, rowID, restored)
		}
	}
	c, err := w.record(t, rowID, fields, nil)
	if err != nil {
		return err
	}
	return w.writeRow(t, rowID, fields, c.HLC, c.HLC, nil, fresh)
}

// change writes the given fields of an existing row, superseding the
// values the user saw (the current leaves of each field), and
// re-materialises the row.
func (w *writer) change(t *table, rowID string, fields map[string]json.RawMessage) error {
	if len(fields) == 0 {
		return nil
	}
	if t.info.AppendOnly {
		return appendOnlyError(t, rowID)
	}
	st, err := w.loadRow(t, rowID)
	if err != nil {
		return err
	}
	parents := map[string][]data.ChangeID{}
	for f := range fields {
		if ids := st.leafIDs(f); len(ids) > 0 {
			parents[f] = ids
			w.seen(st.leaves[f])
		}
	}
	if fields[data.DeletedField] != nil {
		// A delete supersedes what the user saw of every field, so an edit
		// made concurrently elsewhere surfaces as "edited while deleted".
		for f := range st.leaves {
			if ids := st.leafIDs(f); len(ids) > 0 {
				parents[f] = ids
				w.seen(st.leaves[f])
			}
		}
	}
	if _, err := w.record(t, rowID, fields, parents); err != nil {
		return err
	}
	return w.materialise(t, rowID)
}

// materialise recomputes one row from all of its changes in the log and
// writes it (or removes it when deleted). A hub's store builds few
// (hub.go).
func (w *writer) materialise(t *table, rowID string) error {
	if !w.s.builds(t) {
		return nil
	}
	st, err := w.loadRow(t, rowID)
	if err != nil {
		return err
	}
	if st.empty() {
		return nil
	}
	if st.deleted {
		if err := w.removeRow(t, rowID); err != nil {
			return err
		}
		return w.setConflicts(t, rowID, st.conflicts)
	}
	if err := w.writeRow(t, rowID, st.values, st.created, st.updated, st.conflicts, false); err != nil {
		return err
	}
	return nil
}

// loadRow reads a row's changes from the log and merges them.
func (w *writer) loadRow(t *table, rowID string) (*rowState, error) {
	cs, err := w.s.rowChanges(w.ctx, w, t, rowID)
	if err != nil {
		return nil, err
	}
	return mergeRow(t, cs), nil
}

// rowChanges reads every change of a row from the log, through q (a
// write's own transaction, or the readers).
func (s *Store) rowChanges(ctx context.Context, q querier, t *table, rowID string) ([]rowChange, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, hlc, fields, parents FROM changes WHERE tbl = ? AND row_id = ?`, t.name, rowID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []rowChange
	for rows.Next() {
		var id, hlc int64
		var fields, parents []byte
		if err := rows.Scan(&id, &hlc, &fields, &parents); err != nil {
			return nil, err
		}
		c, err := s.decodeRowChange(ctx, q, id, hlc, fields, parents)
		if err != nil {
			return nil, fmt.Errorf("change log %s %s: %w", t.name, rowID, err)
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func (s *Store) decodeRowChange(ctx context.Context, q querier, id, hlc int64, fields, parents []byte) (rowChange, error) {
	no, seq := unpackID(id)
	var site data.SiteID
	var err error
	if w, ok := q.(*writer); ok {
		site, err = w.siteOf(no)
	} else {
		site, err = s.siteOf(ctx, q, no)
	}
	if err != nil {
		return rowChange{}, err
	}
	c := rowChange{id: data.ChangeID{Site: site, Seq: seq}, hlc: data.HLC(hlc)}
	if err := json.Unmarshal(fields, &c.fields); err != nil {
		return c, err
	}
	c.parents, err = data.DecodeParents(parents)
	return c, err
}

// writeRow upserts the materialised row with its derived columns and keeps
// the search index, the conflict list and what depends on the row (its
// table's hooks) in step. A fresh row (a new id made in this write) has
// nothing to unindex or un-conflict.
func (w *writer) writeRow(t *table, rowID string, values map[string]json.RawMessage, created, updated data.HLC, conflicts []string, fresh bool) error {
	names, args, err := w.rowColumns(t, rowID, values, created, updated)
	if err != nil {
		return err
	}
	var oldN int64
	if fresh {
		err = w.noteFTSStart(t)
	} else {
		oldN, err = w.unindex(t, rowID)
	}
	if err != nil {
		return err
	}
	if oldN == 0 && len(t.fts) > 0 {
		// A new row of a searched table gets a number above every row this
		// write started with, even if the highest was deleted meanwhile
		// (SQLite would reuse it), so finish indexes exactly the new rows.
		w.lastN[t]++
		names = append(names, "n")
		args = append(args, w.lastN[t])
	}
	if err := t.beforeWrite(w, rowID, oldN > 0, fresh, values); err != nil {
		return err
	}
	if fresh {
		if err := w.insertRow(t, rowID, names, args); err != nil {
			return err
		}
	} else {
		if err := w.upsertRow(t, rowID, names, args, oldN); err != nil {
			return err
		}
		if err := w.setConflicts(t, rowID, conflicts); err != nil {
			return err
		}
	}
	return w.afterWrite(t, rowID, fresh, values)
}

// rowColumns lists the columns of a row and their values: the id, the
// synced fields, the derived columns and the two times.
func (w *writer) rowColumns(t *table, rowID string, values map[string]json.RawMessage, created, updated data.HLC) ([]string, []any, error) {
	names := []string{"id"}
	args := []any{rowID}
	for _, c := range t.fields {
		v, err := c.sqlValue(values[c.name])
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: field %s: %w", t.name, rowID, c.name, err)
		}
		names = append(names, quote(c.name))
		args = append(args, v)
	}
	derived, err := w.derive(t, rowID, values)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range t.derived {
		names = append(names, quote(d))
		args = append(args, derived[d])
	}
	names = append(names, "created_at", "updated_at")
	args = append(args, created.Time().Format(time.RFC3339), updated.Time().Format(time.RFC3339))
	return names, args, nil
}

// insertRow writes a row with a new id: a plain INSERT. The upsert's
// RETURNING opens an ephemeral table on every execution, and a fresh row's
// n is not needed (finish indexes it).
func (w *writer) insertRow(t *table, rowID string, names []string, args []any) error {
	q := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, t.name, strings.Join(names, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "))
	if _, err := w.ExecContext(w.ctx, q, args...); err != nil {
		return fmt.Errorf("write %s %s: %w", t.name, rowID, err)
	}
	return nil
}

// upsertRow writes a row that may exist, and puts a row that did (oldN, its
// number before) back in the search index.
func (w *writer) upsertRow(t *table, rowID string, names []string, args []any, oldN int64) error {
	sets := make([]string, 0, len(names)-1)
	for _, n := range names[1:] {
		if n != "n" {
			sets = append(sets, n+" = excluded."+n)
		}
	}
	query := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s RETURNING n`,
		t.name, strings.Join(names, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "), strings.Join(sets, ", "))
	st, err := w.stmt(query)
	if err != nil {
		return err
	}
	var n int64
	if err := st.QueryRowContext(w.ctx, args...).Scan(&n); err != nil {
		return fmt.Errorf("write %s %s: %w", t.name, rowID, err)
	}
	if oldN > 0 {
		return w.index(t, n)
	}
	return nil
}

// linkFresh links the exchanges made in this write to their counterparts,
// in one statement (writeRow leaves fresh rows to it). Linking twice is
// harmless.
func (w *writer) linkFresh() error {
	from, ok := w.ftsFrom[exchangesTable]
	if !ok {
		return nil
	}
	if _, err := w.ExecContext(w.ctx, `INSERT OR IGNORE INTO exchange_counterparts (contact_id, exchange_id, occurred_at)
		SELECT j.value, e.id, e.occurred_at FROM exchanges e, json_each(e.counterparts) j WHERE e.n > ?`, from); err != nil {
		return fmt.Errorf("counterparts: %w", err)
	}
	return nil
}

// linkCounterparts keeps exchange_counterparts in step with an exchange
// about to be written (values nil: removed); an exchange's beforeWrite.
// Fresh exchanges are linked by finish, in one statement (linkFresh).
func linkCounterparts(w *writer, rowID string, existed, fresh bool, values map[string]json.RawMessage) error {
	if fresh {
		return nil
	}
	if existed {
		if _, err := w.ExecContext(w.ctx, `DELETE FROM exchange_counterparts WHERE exchange_id = ? AND contact_id IN
			(SELECT value FROM json_each((SELECT counterparts FROM exchanges WHERE id = ?)))`, rowID, rowID); err != nil {
			return err
		}
	}
	var ids []string
	_ = json.Unmarshal(values["counterparts"], &ids)
	var at string
	_ = json.Unmarshal(values["occurred_at"], &at)
	st, err := w.stmt(`INSERT OR IGNORE INTO exchange_counterparts (contact_id, exchange_id, occurred_at) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := st.ExecContext(w.ctx, id, rowID, at); err != nil {
			return err
		}
	}
	return nil
}

// forgetContactName drops a contact about to change from the write's cache
// of names (contactName); a contact's beforeWrite.
func forgetContactName(w *writer, rowID string, _, _ bool, _ map[string]json.RawMessage) error {
	delete(w.names, rowID)
	return nil
}

// removeRow drops a deleted row from its table and the search index.
func (w *writer) removeRow(t *table, rowID string) error {
	if _, err := w.unindex(t, rowID); err != nil {
		return err
	}
	if err := t.beforeWrite(w, rowID, true, false, nil); err != nil {
		return err
	}
	var values map[string]json.RawMessage
	if t.parent != "" {
		var parent string
		err := w.QueryRowContext(w.ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE id = ?`, quote(t.parent), t.name), rowID).Scan(&parent)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		values = map[string]json.RawMessage{t.parent: mustJSON(parent)}
	}
	if _, err := w.ExecContext(w.ctx, fmt.Sprintf(`DELETE FROM %s WHERE id = ?`, t.name), rowID); err != nil {
		return err
	}
	if err := w.setConflicts(t, rowID, nil); err != nil {
		return err
	}
	return w.afterWrite(t, rowID, false, values)
}

// unindex removes an existing row from the search index before it changes;
// it returns the row's n, or 0 when the row does not exist yet. Rows made in
// this transaction are indexed in one statement by finish instead.
func (w *writer) unindex(t *table, rowID string) (int64, error) {
	if len(t.fts) == 0 {
		return 0, nil
	}
	if err := w.noteFTSStart(t); err != nil {
		return 0, err
	}
	cols := strings.Join(t.fts, ", ")
	st, err := w.stmt(fmt.Sprintf(`SELECT n, %s FROM %s WHERE id = ?`, cols, t.name))
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(t.fts)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := st.QueryRowContext(w.ctx, rowID).Scan(ptrs...); err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	n := vals[0].(int64)
	if n <= w.ftsFrom[t] {
		q := fmt.Sprintf(`INSERT INTO %[1]s_fts (%[1]s_fts, rowid, %[2]s) VALUES ('delete', %[3]s)`, t.name, cols,
			strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", "))
		if _, err := w.ExecContext(w.ctx, q, vals...); err != nil {
			return 0, fmt.Errorf("search index: %w", err)
		}
	}
	return n, nil
}

// noteFTSStart remembers, before a write first adds a row to t, the
// highest row number: rows above it are indexed in one statement at the end.
func (w *writer) noteFTSStart(t *table) error {
	if _, ok := w.ftsFrom[t]; ok || len(t.fts) == 0 {
		return nil
	}
	var max sql.NullInt64
	if err := w.QueryRowContext(w.ctx, fmt.Sprintf(`SELECT max(n) FROM %s`, t.name)).Scan(&max); err != nil {
		return err
	}
	w.ftsFrom[t] = max.Int64
	w.lastN[t] = max.Int64
	return nil
}

// index adds an existing row back to the search index after it changed.
func (w *writer) index(t *table, n int64) error {
	if len(t.fts) == 0 || n > w.ftsFrom[t] {
		return nil
	}
	cols := strings.Join(t.fts, ", ")
	_, err := w.ExecContext(w.ctx, fmt.Sprintf(`INSERT INTO %[1]s_fts (rowid, %[2]s) SELECT n, %[2]s FROM %[1]s WHERE n = ?`, t.name, cols), n)
	return err
}

func (w *writer) setConflicts(t *table, rowID string, fields []string) error {
	if len(fields) == 0 {
		// Most rows never conflict: skip the delete unless one is recorded.
		var n int
		if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM conflicts WHERE tbl = ? AND row_id = ?`, t.name, rowID).Scan(&n); err != nil || n == 0 {
			return err
		}
	}
	if _, err := w.ExecContext(w.ctx, `DELETE FROM conflicts WHERE tbl = ? AND row_id = ?`, t.name, rowID); err != nil {
		return err
	}
	for _, f := range fields {
		if _, err := w.ExecContext(w.ctx, `INSERT INTO conflicts (tbl, row_id, field) VALUES (?, ?, ?)`, t.name, rowID, f); err != nil {
			return err
		}
	}
	return nil
}

// derive computes the derived columns of a row about to be written.
func (w *writer) derive(t *table, rowID string, values map[string]json.RawMessage) (map[string]any, error) {
	if t == exchangesTable {
		var ids []string
		_ = json.Unmarshal(values["counterparts"], &ids)
		names := make([]string, 0, len(ids))
		for _, id := range ids {
			name, _, err := w.contactName(id)
			if err != nil {
				return nil, err
			}
			if name != "" {
				names = append(names, name)
			}
		}
		return map[string]any{"counterpart_names": strings.Join(names, "; ")}, nil
	}
	return deriveColumns(w.ctx, w, t, rowID, values)
}

// deriveColumns computes derived columns from a row's values and the rows
// it refers to.
func deriveColumns(ctx context.Context, q querier, t *table, rowID string, values map[string]json.RawMessage) (map[string]any, error) {
	out := map[string]any{}
	switch t {
	case exchangesTable:
		var ids []string
		_ = json.Unmarshal(values["counterparts"], &ids)
		names := make([]string, 0, len(ids))
		for _, id := range ids {
			var name string
			err := q.QueryRowContext(ctx, `SELECT name FROM contacts WHERE id = ?`, id).Scan(&name)
			if err != nil && err != sql.ErrNoRows {
				return nil, err
			}
			if name != "" {
				names = append(names, name)
			}
		}
		out["counterpart_names"] = strings.Join(names, "; ")
	case requestsTable:
		var r data.Request
		b, _ := json.Marshal(values)
		_ = json.Unmarshal(b, &r)
		clocks, cerr := clockValuesOf(ctx, q)
		if cerr != nil {
			return nil, cerr
		}
		r.DeriveWith(clocks)
		out["acceptance_due"] = r.AcceptanceDue
		out["delay_confirm_due"] = r.DelayConfirmDue
		var text sql.NullString
		err := q.QueryRowContext(ctx, `SELECT group_concat(trim(description || ' ' || nsn || ' ' || part_number), ' | ')
			FROM (SELECT description, nsn, part_number FROM request_lines WHERE request_id = ? ORDER BY line_no)`, rowID).Scan(&text)
		if err != nil {
			return nil, err
		}
		out["line_text"] = text.String
	case giftsTable:
		out["deposit_due"] = giftDeadline(values)
	case visitsTable:
		out["visitor_names"] = data.VisitorNames(values["visitors"])
	}
	return out, nil
}

// afterWrite keeps in step what depends on a row just written or removed
// (values nil), through its table's afterWrite.
func (w *writer) afterWrite(t *table, rowID string, fresh bool, values map[string]json.RawMessage) error {
	return t.afterWrite(w, rowID, fresh, values)
}

// rederiveExchangesNaming re-derives the counterpart names of the exchanges
// that name a contact, including any made earlier in this write, which
// finish would link only at the end; a contact's afterWrite. No
// exchange can name a fresh contact, one that did not exist.
func rederiveExchangesNaming(w *writer, rowID string, fresh bool, _ map[string]json.RawMessage) error {
	if fresh {
		return nil
	}
	if err := w.linkFresh(); err != nil {
		return err
	}
	return w.refreshExchangesOf(rowID)
}

// rederiveParentRequest re-derives a request's line text when one of its
// lines changes; a request line's afterWrite.
func rederiveParentRequest(w *writer, _ string, _ bool, values map[string]json.RawMessage) error {
	var parent string
	_ = json.Unmarshal(values["request_id"], &parent)
	if parent == "" {
		return nil
	}
	var n int
	if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM requests WHERE id = ?`, parent).Scan(&n); err != nil || n == 0 {
		return err
	}
	return w.materialise(requestsTable, parent)
}

// refreshExchangesOf re-derives the exchanges that name a contact.
func (w *writer) refreshExchangesOf(contactID string) error {
	ids, err := readColumn[string](w.ctx, w, `SELECT exchange_id FROM exchange_counterparts WHERE contact_id = ?`, contactID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := w.materialise(exchangesTable, id); err != nil {
			return err
		}
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called with plain values
	}
	return b
}

// rowChange is one change of a row as the merge sees it.
type rowChange struct {
	id      data.ChangeID
	hlc     data.HLC
	fields  map[string]json.RawMessage
	parents map[string][]data.ChangeID
}

// after orders changes for picking a displayed value: by clock, then site,
// then sequence, so every replica picks the same one.
func (c *rowChange) after(o *rowChange) bool {
	if c.hlc != o.hlc {
		return c.hlc > o.hlc
	}
	if d := bytes.Compare(c.id.Site[:], o.id.Site[:]); d != 0 {
		return d > 0
	}
	return c.id.Seq > o.id.Seq
}

// rowState is a row merged from its changes.
type rowState struct {
	values    map[string]json.RawMessage
	leaves    map[string][]*rowChange    // per field: changes no other change supersedes
	conflicts []string                   // fields whose leaves disagree
	cleared   map[string][]data.ChangeID // fields left with no current value: the changes that superseded it without setting it
	deleted   bool
	created   data.HLC
	updated   data.HLC
}

func (r *rowState) empty() bool { return r.created == 0 }

func (r *rowState) leafIDs(field string) []data.ChangeID {
	var ids []data.ChangeID
	for _, c := range r.leaves[field] {
		ids = append(ids, c.id)
	}
	sortIDs(ids)
	return ids
}

// sortIDs orders change ids by site, then seq.
func sortIDs(ids []data.ChangeID) {
	slices.SortFunc(ids, func(a, b data.ChangeID) int {
		if d := bytes.Compare(a.Site[:], b.Site[:]); d != 0 {
			return d
		}
		return int(a.Seq - b.Seq)
	})
}

// mergeRow computes a row's current state from its changes, in any order:
// per field, the leaves are the changes that touch it and that no other
// change supersedes. One leaf is clean; several leaves with different
// values are a conflict, shown with the latest as the value.
//
// A change supersedes a parent only when it holds the parent and the
// parent's clock is below its own: a writer can only have seen changes
// stamped before its own (writer.seen), so a parent id naming a change not
// made yet, or made later, supersedes nothing, whenever it arrives.
//
// A field of a live row whose every value is superseded by changes that do
// not set it (only a crafted change does that: a delete sets _deleted) has
// no current value. That is a conflict, never a silent blank: its leaves
// are then the values no change setting the field replaced.
func mergeRow(t *table, cs []rowChange) *rowState {
	st := &rowState{values: map[string]json.RawMessage{}, leaves: map[string][]*rowChange{}}
	hlcOf := make(map[data.ChangeID]data.HLC, len(cs))
	for i := range cs {
		c := &cs[i]
		hlcOf[c.id] = c.hlc
		if st.created == 0 || c.hlc < st.created {
			st.created = c.hlc
		}
		if c.hlc > st.updated {
			st.updated = c.hlc
		}
	}
	superseded := map[string]map[data.ChangeID]bool{} // by any change that saw it
	replaced := map[string]map[data.ChangeID]bool{}   // by a change setting the field itself
	clearers := map[string]map[data.ChangeID]bool{}   // changes superseding a value without setting the field
	mark := func(m map[string]map[data.ChangeID]bool, f string, id data.ChangeID) {
		if m[f] == nil {
			m[f] = map[data.ChangeID]bool{}
		}
		m[f][id] = true
	}
	for i := range cs {
		c := &cs[i]
		for f, ps := range c.parents {
			_, sets := c.fields[f]
			for _, p := range ps {
				if h, ok := hlcOf[p]; !ok || h >= c.hlc {
					continue // not held, or stamped at or after c: c cannot have seen it
				}
				mark(superseded, f, p)
				if sets {
					mark(replaced, f, p)
				} else {
					mark(clearers, f, c.id)
				}
			}
		}
	}
	written := map[string][]*rowChange{}
	for i := range cs {
		c := &cs[i]
		for f := range c.fields {
			written[f] = append(written[f], c)
			if !superseded[f][c.id] {
				st.leaves[f] = append(st.leaves[f], c)
			}
		}
	}
	var cleared []string
	settle := func(f string) {
		if len(st.leaves[f]) > 0 || len(written[f]) == 0 {
			return
		}
		for _, c := range written[f] {
			if !replaced[f][c.id] {
				st.leaves[f] = append(st.leaves[f], c)
			}
		}
		cleared = append(cleared, f)
		if st.cleared == nil {
			st.cleared = map[string][]data.ChangeID{}
		}
		for id := range clearers[f] {
			st.cleared[f] = append(st.cleared[f], id)
		}
		sortIDs(st.cleared[f])
	}
	settle(data.DeletedField)
	if leaves := st.leaves[data.DeletedField]; len(leaves) > 0 && string(latest(leaves).fields[data.DeletedField]) == "true" {
		// Deleted: the delete superseded every field it saw, as it should.
	} else {
		for f := range written {
			settle(f)
		}
	}
	var direction string
	for f, leaves := range st.leaves {
		if f == "status" && t == requestsTable {
			continue // needs the direction, below
		}
		win := latest(leaves)
		st.values[f] = win.fields[f]
		if f == "direction" {
			_ = json.Unmarshal(win.fields[f], &direction)
		}
		if disagree(leaves, f) || slices.Contains(cleared, f) {
			st.conflicts = append(st.conflicts, f)
		}
	}
	if leaves, ok := st.leaves["status"]; ok && t == requestsTable {
		value, conflict := mergeStatus(direction, leaves)
		st.values["status"] = value
		if conflict || slices.Contains(cleared, "status") {
			st.conflicts = append(st.conflicts, "status")
		}
	}
	if v, ok := st.values[data.DeletedField]; ok {
		st.deleted = string(v) == "true"
		delete(st.values, data.DeletedField)
	}
	if st.deleted && editedWhileDeleted(st) && !slices.Contains(st.conflicts, data.DeletedField) {
		st.conflicts = append(st.conflicts, data.DeletedField)
	}
	slices.Sort(st.conflicts)
	return st
}

// latest is the leaf shown: the highest (hlc, site, seq).
func latest(leaves []*rowChange) *rowChange {
	win := leaves[0]
	for _, c := range leaves[1:] {
		if c.after(win) {
			win = c
		}
	}
	return win
}

// editedWhileDeleted reports a deleted row with an edit the delete did not
// see: a delete supersedes every field it saw, so any other leaf of a
// field was made concurrently ("edited while deleted: restore?").
func editedWhileDeleted(st *rowState) bool {
	for f, leaves := range st.leaves {
		if f == data.DeletedField {
			continue
		}
		for _, c := range leaves {
			if _, ok := c.fields[data.DeletedField]; !ok {
				return true
			}
		}
	}
	return false
}

func disagree(leaves []*rowChange, f string) bool {
	for _, c := range leaves[1:] {
		if !bytes.Equal(c.fields[f], leaves[0].fields[f]) {
			return true
		}
	}
	return false
}

// mergeStatus picks the highest-ranked status among concurrent ones (the
// latest among equals); two different states of equal rank, or a terminal
// state against another, are a conflict (docs/DOMAIN.md §4.3). Every pair is
// compared, so the answer does not depend on the order of the leaves.
func mergeStatus(direction string, leaves []*rowChange) (json.RawMessage, bool) {
	status := make([]data.RequestStatus, len(leaves))
	for i, c := range leaves {
		_ = json.Unmarshal(c.fields["status"], &status[i])
	}
	win, conflict := 0, false
	for i := range leaves {
		ri, rw := data.StatusRank(direction, status[i]), data.StatusRank(direction, status[win])
		if ri > rw || (ri == rw && leaves[i].after(leaves[win])) {
			win = i
		}
		for j := i + 1; j < len(leaves); j++ {
			a, b := status[i], status[j]
			if a != b && (data.StatusRank(direction, a) == data.StatusRank(direction, b) || data.IsTerminal(direction, a) || data.IsTerminal(direction, b)) {
				conflict = true
			}
		}
	}
	return leaves[win].fields["status"], conflict
}

// remerge merges again the rows migration 013 listed (merged by an older
// version under a looser rule for parents), once, and empties the list.
// It writes only when there is something to merge, so opening a store
// takes no write lock otherwise.
func (s *Store) remerge(ctx context.Context) error {
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM remerge`).Scan(&n); err != nil || n == 0 {
		return err
	}
	if _, err := s.Device(); err != nil {
		return nil // not initialised: nothing was merged
	}
	return s.write(ctx, func(w *writer) error {
		rows, err := w.tx.QueryContext(ctx, `SELECT tbl, row_id FROM remerge`)
		if err != nil {
			return err
		}
		var keys []rowKey
		for rows.Next() {
			var tbl, id string
			if err := rows.Scan(&tbl, &id); err != nil {
				rows.Close()
				return err
			}
			if t, ok := tableByName(tbl); ok {
				keys = append(keys, rowKey{t, id})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Parents before children, contacts before the exchanges that name them.
		slices.SortStableFunc(keys, func(a, b rowKey) int { return tableIndex(a.t) - tableIndex(b.t) })
		for _, k := range keys {
			if err := w.materialise(k.t, k.id); err != nil {
				return fmt.Errorf("merge %s %s again: %w", k.t.name, k.id, err)
			}
		}
		_, err = w.tx.ExecContext(ctx, `DELETE FROM remerge`)
		return err
	})
}

// packID and unpackID map (site no, seq) to the changes table's rowid.
func packID(siteNo, seq int64) int64 { return siteNo<<40 | seq }

func unpackID(id int64) (siteNo, seq int64) { return id >> 40, id & (1<<40 - 1) }
