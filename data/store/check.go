package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"liaisondesk/data"
)

// CheckReport is what Check found. The store is sound when Problems is
// empty.
type CheckReport struct {
	Integrity string      `json:"integrity"` // PRAGMA integrity_check's answer
	Counts    data.Counts `json:"counts"`
	Commits   int         `json:"commits_verified"`
	Rows      int         `json:"rows_compared"`
	Problems  []string    `json:"problems"`
}

// maxProblems caps the report: past that, more of the same helps nobody.
const maxProblems = 50

func (r *CheckReport) problem(format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Check verifies the store: SQLite's integrity check, the search indexes,
// every commit's signature over its changes, and that every domain table
// equals a rebuild from the change log, and every attachment's content
// against its SHA-256.
func (s *Store) Check(ctx context.Context) (*CheckReport, error) {
	r := &CheckReport{Problems: []string{}}
	// On the writer connection: a reader connection's FTS5 tables keep a
	// cached index structure that PRAGMA integrity_check may read stale,
	// reporting corruption that is not there.
	lines, err := readColumn[string](ctx, s.db, `PRAGMA integrity_check`)
	if err != nil {
		return nil, data.Op("check", "", err)
	}
	r.Integrity = strings.Join(lines, "; ")
	if r.Integrity != "ok" {
		r.problem("integrity check: %s", r.Integrity)
	}
	for _, t := range allTables {
		if len(t.fts) == 0 {
			continue
		}
		// The writer connection: FTS5's integrity check is a write statement.
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %[1]s_fts (%[1]s_fts, rank) VALUES ('integrity-check', 1)`, t.name)); err != nil {
			r.problem("search index of %s: %v", t.name, err)
		}
	}
	if r.Counts, err = s.Count(ctx); err != nil {
		return nil, data.Op("check", "", err)
	}
	if err := s.checkCommits(ctx, r); err != nil {
		return nil, data.Op("check", "", err)
	}
	if err := s.checkPinnedKeys(ctx, r); err != nil {
		return nil, data.Op("check", "", err)
	}
	for _, t := range allTables {
		if !s.builds(t) {
			continue // a hub's store builds few records (hub.go)
		}
		if err := s.checkTable(ctx, t, r); err != nil {
			return nil, data.Op("check", t.name, err)
		}
	}
	if err := s.checkContent(ctx, r); err != nil {
		return nil, data.Op("check", "attachment content", err)
	}
	return r, nil
}

// checkCommits verifies each commit's signature and that its hash list
// matches the changes it covers; every change must belong to a commit.
func (s *Store) checkCommits(ctx context.Context, r *CheckReport) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.site, c.first_seq, c.last_seq, c.hashes, c.signature, st.site_id, st.public_key
		FROM commits c JOIN sites st ON st.no = c.site ORDER BY c.site, c.first_seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	hist, err := loadKeyHistories(ctx, s.rdb)
	if err != nil {
		return err
	}
	covered := int64(0)
	for rows.Next() {
		var siteNo, first, last int64
		var hashes, sig, siteID, pub []byte
		if err := rows.Scan(&siteNo, &first, &last, &hashes, &sig, &siteID, &pub); err != nil {
			return err
		}
		var site data.SiteID
		copy(site[:], siteID)
		r.Commits++
		covered += last - first + 1
		if len(pub) != ed25519.PublicKeySize {
			continue // relayed from a site whose key we do not hold (yet)
		}
		if h, ok := hist[site]; ok { // a rotated site: the key valid at the commit's first seq
			if pub, ok = h.At(first, last); !ok {
				r.problem("commit %s:%d-%d: reaches across a key rotation", site, first, last)
				continue
			}
		}
		if !ed25519.Verify(pub, data.CommitMessage(site, first, last, hashes), sig) {
			r.problem("commit %s:%d-%d: signature does not verify", site, first, last)
			continue
		}
		got, err := s.changeHashes(ctx, siteNo, site, first, last)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, hashes) {
			r.problem("commit %s:%d-%d: changes do not match their signed hashes", site, first, last)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if covered != r.Counts["changes"] {
		r.problem("%d changes in the log but %d covered by commits", r.Counts["changes"], covered)
	}
	return nil
}

// checkPinnedKeys reports an enrolled peer whose commits here were checked
// with another key: changes released from review on a relaying peer's
// word before the device was enrolled (enrolling now settles it; stores
// that enrolled it before this check existed may still hold them).
func (s *Store) checkPinnedKeys(ctx context.Context, r *CheckReport) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT p.name, st.site_id FROM peers p JOIN sites st ON st.site_id = p.site_id
		WHERE p.revoked_at = '' AND st.public_key IS NOT NULL AND st.public_key <> p.public_key`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var site []byte
		if err := rows.Scan(&name, &site); err != nil {
			return err
		}
		var id data.SiteID
		copy(id[:], site)
		r.problem("peer %s (device %s): its changes here were checked with a key that is not its enrolled one (released from review before it was enrolled?): "+
			"revoke it and enrol it again to move the changes its key did not sign back to review", name, id.ShortCode())
	}
	return rows.Err()
}

func (s *Store) changeHashes(ctx context.Context, siteNo int64, site data.SiteID, first, last int64) ([]byte, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, hlc, tbl, row_id, fields, parents, schema FROM changes WHERE id BETWEEN ? AND ? ORDER BY id`,
		packID(siteNo, first), packID(siteNo, last))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []byte
	for rows.Next() {
		var id, hlc int64
		var c data.Change
		var fields, parents []byte
		if err := rows.Scan(&id, &hlc, &c.Table, &c.RowID, &fields, &parents, &c.Schema); err != nil {
			return nil, err
		}
		_, seq := unpackID(id)
		c.ID, c.HLC = data.ChangeID{Site: site, Seq: seq}, data.HLC(hlc)
		h := c.Hash(fields, parents)
		out = append(out, h[:]...)
	}
	return out, rows.Err()
}

// checkTable compares a table with a rebuild of it from the log, walking
// both in id order.
func (s *Store) checkTable(ctx context.Context, t *table, r *CheckReport) error {
	changes, err := s.rdb.QueryContext(ctx, `SELECT row_id, id, hlc, fields, parents FROM changes WHERE tbl = ? ORDER BY row_id`, t.name)
	if err != nil {
		return err
	}
	defer changes.Close()
	derivedSel := ""
	for _, d := range t.derived {
		derivedSel += ", " + quote(d)
	}
	actual, err := s.rdb.QueryContext(ctx, fmt.Sprintf(`SELECT id, %s, created_at, updated_at%s FROM %s ORDER BY id`, t.selectJSON(), derivedSel, t.name))
	if err != nil {
		return err
	}
	defer actual.Close()

	next := func() (id string, vals []any, ok bool, err error) {
		if !actual.Next() {
			return "", nil, false, actual.Err()
		}
		vals = make([]any, 4+len(t.derived))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := actual.Scan(ptrs...); err != nil {
			return "", nil, false, err
		}
		return fmt.Sprint(vals[0]), vals, true, nil
	}
	aID, aVals, aOK, err := next()
	if err != nil {
		return err
	}
	var pending []rowChange
	pendingID := ""
	flush := func() error {
		if pendingID == "" {
			return nil
		}
		st := mergeRow(t, pending)
		// rows in the table that the log does not have
		for aOK && aID < pendingID {
			r.problem("%s %s is in the table but not in the change log", t.kind, aID)
			if aID, aVals, aOK, err = next(); err != nil {
				return err
			}
		}
		if st.deleted {
			if aOK && aID == pendingID {
				r.problem("%s %s is deleted in the change log but still in the table", t.kind, aID)
				if aID, aVals, aOK, err = next(); err != nil {
					return err
				}
			}
			return nil
		}
		r.Rows++
		if !aOK || aID != pendingID {
			r.problem("%s %s is in the change log but missing from the table", t.kind, pendingID)
			return nil
		}
		if err := s.compareRow(ctx, t, pendingID, st, aVals, r); err != nil {
			return err
		}
		aID, aVals, aOK, err = next()
		return err
	}
	for changes.Next() {
		var rowID string
		var id, hlc int64
		var fields, parents []byte
		if err := changes.Scan(&rowID, &id, &hlc, &fields, &parents); err != nil {
			return err
		}
		if rowID != pendingID {
			if err := flush(); err != nil {
				return err
			}
			pending, pendingID = pending[:0], rowID
		}
		c, err := s.decodeRowChange(ctx, s.rdb, id, hlc, fields, parents)
		if err != nil {
			r.problem("%s %s: undecodable change: %v", t.kind, rowID, err)
			continue
		}
		pending = append(pending, c)
	}
	if err := changes.Err(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	for aOK {
		r.problem("%s %s is in the table but not in the change log", t.kind, aID)
		if aID, aVals, aOK, err = next(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) compareRow(ctx context.Context, t *table, id string, st *rowState, vals []any, r *CheckReport) error {
	var got map[string]json.RawMessage
	if err := json.Unmarshal(toBytes(vals[1]), &got); err != nil {
		return err
	}
	for _, c := range t.fields {
		if !jsonEqual(c, st.values[c.name], got[c.name]) {
			r.problem("%s %s: field %s is %s in the table but %s in the change log", t.kind, id, c.name, got[c.name], st.values[c.name])
		}
	}
	if want := st.created.Time().Format(time.RFC3339); fmt.Sprint(vals[2]) != want {
		r.problem("%s %s: created_at is %v, the log says %s", t.kind, id, vals[2], want)
	}
	if want := st.updated.Time().Format(time.RFC3339); fmt.Sprint(vals[3]) != want {
		r.problem("%s %s: updated_at is %v, the log says %s", t.kind, id, vals[3], want)
	}
	if len(t.derived) == 0 {
		return nil
	}
	want, err := deriveColumns(ctx, s.rdb, t, id, st.values)
	if err != nil {
		return err
	}
	for i, d := range t.derived {
		if fmt.Sprint(want[d]) != fmt.Sprint(vals[4+i]) {
			r.problem("%s %s: derived %s is %q, should be %q", t.kind, id, d, vals[4+i], want[d])
		}
	}
	return nil
}

func toBytes(v any) []byte {
	switch b := v.(type) {
	case []byte:
		return b
	case string:
		return []byte(b)
	}
	return nil
}

var _ = sql.ErrNoRows
