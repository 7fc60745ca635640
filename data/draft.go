package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Draft is an unsaved form kept on this laptop only: outside the change
// log, never synced, removed once the record is saved.
type Draft struct {
	Kind    string
	ID      string // the record's id, "" for a new record
	Body    []byte // the form's record as JSON
	SavedAt time.Time
}

// SaveDraft keeps a form's state so a crash or a closed window loses
// nothing.
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	if _, err := tableForKind(d.Kind); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO drafts (kind, id, body, saved_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at`,
		d.Kind, d.ID, string(d.Body), s.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// LoadDraft returns the draft of a form, or ErrNotFound.
func (s *Store) LoadDraft(ctx context.Context, kind, id string) (Draft, error) {
	d := Draft{Kind: kind, ID: id}
	var body, at string
	err := s.rdb.QueryRowContext(ctx, `SELECT body, saved_at FROM drafts WHERE kind = ? AND id = ?`, kind, id).Scan(&body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("load draft: %w", err)
	}
	d.Body = []byte(body)
	d.SavedAt, _ = time.Parse(time.RFC3339, at)
	return d, nil
}

// DeleteDraft forgets a form's draft (after save or discard).
func (s *Store) DeleteDraft(ctx context.Context, kind, id string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM drafts WHERE kind = ? AND id = ?`, kind, id)
	return err
}
