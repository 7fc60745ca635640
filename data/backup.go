package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the store to dest while it stays in
// use (VACUUM INTO reads one snapshot), atomically: a temporary file beside
// dest, synced, then renamed over it.
func (s *Store) Backup(ctx context.Context, dest string) error {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if same, _ := sameFile(dest, s.path); same {
		return fmt.Errorf("backup: %w", invalid("file", "is the store itself"))
	}
	if st, err := os.Stat(filepath.Dir(dest)); err != nil || !st.IsDir() {
		return fmt.Errorf("backup: %w", invalid("file", "the folder %s does not exist", filepath.Dir(dest)))
	}
	tmp := dest + ".tmp-backup"
	os.Remove(tmp)
	defer os.Remove(tmp)
	// The reader pool is query-only; VACUUM INTO needs a plain connection.
	conn, err := sql.Open("sqlite", dsn(s.path, true))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // it holds the private key too
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncDir(filepath.Dir(dest))
}

// Restore creates the store at dest from a backup file. The backup is
// checked first (integrity, signatures, tables against the log) and
// nothing is touched if it fails. An existing store at dest is refused
// unless force is set. The restored store gets a new site id and key pair
// (DESIGN.md §3), which peers must enrol again; it returns that identity.
func Restore(ctx context.Context, backup, dest string, force bool) (*Device, error) {
	if _, err := os.Stat(backup); err != nil {
		return nil, fmt.Errorf("restore: %w", invalid("file", "cannot read %s: %v", backup, errors.Unwrap(err)))
	}
	if _, err := os.Stat(dest); err == nil && !force {
		return nil, fmt.Errorf("restore: %w", invalid("db", "%s already exists; use --force to replace it", dest))
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	tmp := dest + ".tmp-restore"
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}
	cleanup()
	defer cleanup()
	if err := copyFile(backup, tmp); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if !isSQLite(tmp) {
		return nil, fmt.Errorf("restore: %w", invalid("file", "%s is not a Liaison Desk backup (not an SQLite database)", backup))
	}
	dev, err := prepareRestored(ctx, tmp, backup)
	if err != nil {
		return nil, err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dest + suffix)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return dev, syncDir(filepath.Dir(dest))
}

// prepareRestored checks the copy and gives it a new identity.
func prepareRestored(ctx context.Context, path, backup string) (*Device, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("restore: %s is not a usable backup: %w", backup, err)
	}
	defer s.Close()
	old, err := s.Device()
	if err != nil {
		return nil, fmt.Errorf("restore: %s holds no device identity: %w", backup, err)
	}
	report, err := s.Check(ctx)
	if err != nil {
		return nil, fmt.Errorf("restore: checking %s: %w", backup, err)
	}
	if len(report.Problems) > 0 {
		return nil, fmt.Errorf("restore: %w", invalid("file", "%s fails its check: %s", backup, strings.Join(report.Problems, "; ")))
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// The old identity becomes a site like any other, whose held seq
		// the vector reads: all of its changes are here (a device's own
		// are contiguous), so the restored store sends on what it held.
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET held = coalesce((SELECT max(last_seq) FROM commits WHERE site = ?), 0) WHERE no = ?`,
			old.SiteNo, old.SiteNo); err != nil {
			return err
		}
		_, err := s.newIdentity(ctx, tx, Officer{Name: old.Officer, Rank: old.Rank, Posting: old.Posting})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("restore: new identity: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if err := s.loadDevice(ctx); err != nil {
		return nil, err
	}
	return s.Device()
}

func isSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	return n == 16 && string(head) == "SQLite format 3\x00"
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // not supported everywhere; the rename already happened
	return nil
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
