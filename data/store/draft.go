package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liaisondesk/data"
)

// SaveDraft keeps a form's state so a crash or a closed window loses
// nothing.
func (s *Store) SaveDraft(ctx context.Context, d data.Draft) error {
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
func (s *Store) LoadDraft(ctx context.Context, kind data.Kind, id string) (data.Draft, error) {
	d := data.Draft{Kind: kind, ID: id}
	var body, at string
	err := s.rdb.QueryRowContext(ctx, `SELECT body, saved_at FROM drafts WHERE kind = ? AND id = ?`, kind, id).Scan(&body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return d, data.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("load draft: %w", err)
	}
	d.Body = []byte(body)
	d.SavedAt, _ = time.Parse(time.RFC3339, at)
	return d, nil
}

// DeleteDraft forgets a form's draft (after save or discard).
func (s *Store) DeleteDraft(ctx context.Context, kind data.Kind, id string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM drafts WHERE kind = ? AND id = ?`, kind, id)
	return err
}
