package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"time"

	"liaisondesk/data"
)

var auditTable = mustTable(data.KindAudit)

// appendOnlyError refuses a change to an existing record of an
// append-only kind: the audit of what left the system is never edited or
// deleted, by the officer who made the output or anyone else.
func appendOnlyError(t *table, rowID string) error {
	return data.RefusedBecause(data.ErrAppendOnly, "%s entry %s cannot be changed or deleted: the audit of what left the system is append-only",
		t.kind, data.Clip(rowID))
}

// RecordOutput writes one audit entry, as its own signed commit, for an
// output that is about to leave the system (data/report.Write and
// Store.Backup call it, so the command line and the window record each
// output once). A failure to record stops the output.
func (s *Store) RecordOutput(ctx context.Context, e data.AuditEntry) (string, error) {
	if e.Releasability == nil {
		e.Releasability = []string{}
	}
	e.ID = data.NewID()
	if err := e.Validate(); err != nil {
		return "", data.Op("record output", "", err)
	}
	fields, err := fieldsOf(auditTable, &e)
	if err != nil {
		return "", data.Op("record output", "", err)
	}
	if err := s.write(ctx, func(w *writer) error { return w.create(auditTable, e.ID, fields, true) }); err != nil {
		return "", data.Op("record output", "", err)
	}
	return e.ID, nil
}

// checkAuditImport holds a peer's change to an audit entry that already
// exists, or a delete of one: only a crafted change does either.
func checkAuditImport(ctx context.Context, q querier, _ *importBatch, rowID, field string, _ json.RawMessage) error {
	if field == data.DeletedField {
		return data.InvalidBecause(data.ErrAppendOnly, field, "deletes an audit entry, which is append-only")
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE tbl = 'audit' AND row_id = ?`, rowID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return data.InvalidBecause(data.ErrAppendOnly, field, "changes an audit entry, which is append-only")
	}
	return nil
}

// Audit lists the audit entries made between two days (inclusive, by the
// clock reading of the change that made each), oldest first, with the
// officer and device that signed each.
func (s *Store) Audit(ctx context.Context, q data.AuditQuery) ([]data.Audited, error) {
	from, to, err := auditBounds(q)
	if err != nil {
		return nil, data.Op("audit", "", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT a.id, a.what, a.name, a.format, a.classification, a.releasability, a.file, a.rows,
			c.hlc, st.site_id, st.officer
		FROM audit a
		JOIN changes c ON c.id = (SELECT min(id) FROM changes WHERE tbl = 'audit' AND row_id = a.id)
		JOIN sites st ON st.no = c.id >> 40
		WHERE (?1 = '' OR a.created_at >= ?1) AND (?2 = '' OR a.created_at < ?2)
		ORDER BY c.hlc, a.id`, from, to)
	if err != nil {
		return nil, data.Op("audit", "", err)
	}
	out := []data.Audited{}
	for rows.Next() {
		var e data.Audited
		var rel string
		var hlc int64
		var site []byte
		if err := rows.Scan(&e.ID, &e.What, &e.Name, &e.Format, &e.Classification, &rel, &e.File, &e.Rows, &hlc, &site, &e.Officer); err != nil {
			rows.Close()
			return nil, data.Op("audit", "", err)
		}
		if err := json.Unmarshal([]byte(rel), &e.Releasability); err != nil || e.Releasability == nil {
			e.Releasability = []string{}
		}
		var id data.SiteID
		copy(id[:], site)
		e.Site, e.Device = id.String(), id.ShortCode()
		e.At = data.HLC(hlc).Time().UTC().Format(time.RFC3339)
		out = append(out, e)
	}
	if err := closeRows(rows); err != nil {
		return nil, data.Op("audit", "", err)
	}
	return out, nil
}

// auditBounds turns a query's days into created_at bounds: from the
// first day's start to the day after the last.
func auditBounds(q data.AuditQuery) (from, to string, err error) {
	if q.From != "" {
		d, err := time.Parse(data.DateLayout, q.From)
		if err != nil {
			return "", "", data.Invalid("from", "%q is not a date (YYYY-MM-DD)", data.Clip(q.From))
		}
		from = d.UTC().Format(time.RFC3339)
	}
	if q.To != "" {
		d, err := time.Parse(data.DateLayout, q.To)
		if err != nil {
			return "", "", data.Invalid("to", "%q is not a date (YYYY-MM-DD)", data.Clip(q.To))
		}
		to = d.AddDate(0, 0, 1).UTC().Format(time.RFC3339)
	}
	if from != "" && to != "" && to <= from {
		return "", "", data.Invalid("to", "is before from")
	}
	return from, to, nil
}

// recordBackup writes the audit entry of a backup to dest before it is
// copied, so the backup holds its own entry. Its ceiling is the highest
// level of any record the store holds: a backup holds them all. format
// is "sqlite" for a plain copy, "age" for an encrypted one.
func (s *Store) recordBackup(ctx context.Context, dest, format string) error {
	var level sql.NullString
	err := s.rdb.QueryRowContext(ctx, `SELECT id FROM classifications
		WHERE id IN (SELECT classification FROM exchanges UNION SELECT classification FROM requests)
		ORDER BY rank DESC LIMIT 1`).Scan(&level)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = s.RecordOutput(ctx, data.AuditEntry{What: data.OutputBackup, Format: format, Classification: level.String,
		File: filepath.Base(dest)})
	return err
}
