package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A hub's store (made by hub init) keeps the signed log, the trust and
// the acks, and relays them: it builds no records but the attachments',
// which say what content it keeps and sends on. Building them was half
// of a hub's import, and nothing on a hub reads them: its digest and
// check read the log, and the laptops judge the forms' rules on fields
// when the changes reach them, as they do for a hub in PostgreSQL. A
// hub's store still holds for review what the log alone shows is wrong:
// unknown, revoked and forged authors, suspect changes, HQ's reference
// data from an author who is not HQ staff, and what waits behind them.

// roleSetting is the local setting that makes a store a hub's.
const roleSetting = "role"

// MarkHub makes this store a hub's: from now on it builds no records.
// hub init marks the store it makes; hub --listen marks a store an older
// version's hub init made.
func (s *Store) MarkHub(ctx context.Context) error {
	if s.IsHub() {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO local_settings (key, value) VALUES (?, 'hub')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, roleSetting); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	s.hub.Store(true)
	return nil
}

// IsHub says whether this is a hub's store, which builds no records.
func (s *Store) IsHub() bool { return s.hub.Load() }

// builds says whether this store builds t's records.
func (s *Store) builds(t *table) bool { return !s.IsHub() || t == attachmentsTable }

// loadRole reads whether this store is a hub's.
func (s *Store) loadRole(ctx context.Context) error {
	var role string
	err := s.rdb.QueryRowContext(ctx, `SELECT value FROM local_settings WHERE key = ?`, roleSetting).Scan(&role)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	s.hub.Store(role == "hub")
	return nil
}
