package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// Backup writes a consistent copy of the store to dest while it stays in
// use, atomically: a temporary file beside dest, synced, then renamed over
// it. The copy holds everything but the device's secret keys (its signing
// seed and age key): a stolen backup must not be the officer's identity.
// Restore gives the restored store a new identity instead.
func (s *Store) Backup(ctx context.Context, dest string) error {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return data.Op("backup", "", err)
	}
	if same, _ := sameFile(dest, s.path); same {
		return data.Op("backup", "", data.Invalid("file", "is the store itself"))
	}
	if st, err := os.Stat(filepath.Dir(dest)); err != nil || !st.IsDir() {
		return data.Op("backup", "", data.Invalid("file", "the folder %s does not exist", filepath.Dir(dest)))
	}
	tmp := dest + ".tmp-backup"
	cleanup := func() {
		for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}
	cleanup()
	defer cleanup()
	if err := createPrivate(tmp); err != nil {
		return data.Op("backup", "", err)
	}
	if err := s.recordBackup(ctx, dest, "sqlite"); err != nil { // the audit of what left the system
		return data.Op("backup", "", err)
	}
	if err := s.copyWithoutKeys(ctx, tmp); err != nil {
		return data.Op("backup", fmt.Sprintf("to %s", dest), err)
	}
	if err := syncFile(tmp); err != nil {
		return data.Op("backup", "", err)
	}
	if err := data.ReplaceFile(tmp, dest); err != nil {
		return data.Op("backup", dest, data.FileError(err))
	}
	return data.SyncDir(filepath.Dir(dest))
}

// createPrivate creates an empty file readable by its owner only, before
// anything is written to it; an existing file is an error, not reused.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil { // whatever the umask
		f.Close()
		return err
	}
	return f.Close()
}

// keyColumns are the device's secrets, which a backup leaves empty, with
// what it writes instead.
func keyColumns(table, column string) (string, bool) {
	if table == "org" && column == "private_key" { // the organisation's key (org.go)
		return "NULL", true
	}
	if table != "device" {
		return "", false
	}
	switch column {
	case "private_key":
		return "X''", true
	case "age_identity":
		return "''", true
	case "key_wrap", "sealed_keys":
		return "NULL", true
	}
	return "", false
}

// copyWithoutKeys fills the empty file at path with this store's schema and
// rows, read in one snapshot, leaving out the device's keys. The keys are
// never written, so no state of the file on disk (a crash midway
// included) holds them; VACUUM INTO would copy them before they could be
// blanked.
func (s *Store) copyWithoutKeys(ctx context.Context, path string) error {
	q := url.Values{}
	for _, p := range []string{"journal_mode(MEMORY)", "synchronous(OFF)", "busy_timeout(5000)", "foreign_keys(0)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// The same migrations as this store: the same tables and columns.
	b := &Store{path: path, db: db, Now: s.Now, busyWait: s.busyWait}
	if err := b.migrate(ctx); err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS src`, s.path); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE src`)
	tx, err := conn.BeginTx(ctx, nil) // deferred: it only reads the store
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables, err := readColumn[string](ctx, tx, `SELECT name FROM src.sqlite_schema
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`)
	if err != nil {
		return err
	}
	// Full-text shadow tables are copied like the rest, so the search
	// index need not be rebuilt.
	for _, table := range tables {
		if err := copyTable(ctx, tx, table); err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
	}
	if err := s.backupContent(ctx, tx); err != nil { // attachment_files.go
		return fmt.Errorf("copy attachment content: %w", err)
	}
	return tx.Commit()
}

// copyTable replaces main's rows of table with src's, blanking key columns.
func copyTable(ctx context.Context, tx *sql.Tx, table string) error {
	cols := func(schema string) ([]string, error) {
		return readColumn[string](ctx, tx, `SELECT name FROM pragma_table_info(?, ?)`, table, schema)
	}
	have, err := cols("main")
	if err != nil {
		return err
	}
	from, err := cols("src")
	if err != nil {
		return err
	}
	for _, c := range from {
		if !slices.Contains(have, c) {
			return fmt.Errorf("column %s is unknown to this version of Liaison Desk (the store was made by a newer one)", c)
		}
	}
	var names, exprs []string
	for _, c := range from {
		names = append(names, quoteIdent(c))
		if blank, ok := keyColumns(table, c); ok {
			exprs = append(exprs, blank)
		} else {
			exprs = append(exprs, quoteIdent(c))
		}
	}
	t := quoteIdent(table)
	if _, err := tx.ExecContext(ctx, `DELETE FROM main.`+t); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main.%s (%s) SELECT %s FROM src.%s`,
		t, strings.Join(names, ", "), strings.Join(exprs, ", "), t))
	return err
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// Restore is RestoreBackup returning only the new identity.
func Restore(ctx context.Context, backup, dest string, force bool) (*data.Device, error) {
	r, err := RestoreBackup(ctx, backup, dest, force)
	if err != nil {
		return nil, err
	}
	return r.Device, nil
}

// RestoreBackup creates the store at dest from a backup file. The backup is
// checked first (integrity, signatures, tables against the log) and
// nothing is touched if it fails. An existing store at dest is refused
// unless force is set. A backup holds no keys, so the restored store gets
// a new site id and key pair (docs/ARCHITECTURE.md §5), which peers must enrol again;
// it trusts the old identity (its public key verifies the old commits).
func RestoreBackup(ctx context.Context, backup, dest string, force bool) (*data.Restored, error) {
	return RestoreWith(ctx, backup, dest, RestoreOptions{Force: force})
}

// restorable refuses a missing backup or an existing store (unless
// force), and makes dest's folder.
func restorable(backup, dest string, force bool) error {
	if _, err := os.Stat(backup); err != nil {
		return data.Op("restore", "", data.Invalid("file", "cannot read %s: %v", backup, data.FileError(err)))
	}
	if _, err := os.Stat(dest); err == nil && !force {
		return data.Op("restore", "", data.InvalidBecause(data.ErrExists, "db", "%s already exists", dest))
	}
	if err := data.MakeStoreDir(filepath.Dir(dest)); err != nil {
		return data.Op("restore", "", err)
	}
	return nil
}

// restoreInto makes the store at dest from a backup: fill writes the plain
// SQLite copy into tmp (a new file beside dest), which is checked, given
// a new identity and renamed over dest; on any error tmp is removed and
// dest untouched.
func restoreInto(ctx context.Context, backup, dest string, o RestoreOptions, fill func(tmp string) error) (*data.Restored, error) {
	if err := restorable(backup, dest, o.Force); err != nil {
		return nil, err
	}
	tmp := dest + ".tmp-restore"
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}
	cleanup()
	defer cleanup()
	if err := fill(tmp); err != nil {
		return nil, data.Op("restore", "", err)
	}
	if !isSQLite(tmp) {
		return nil, data.Op("restore", "", data.Invalid("file", "%s is not a Liaison Desk backup (not an SQLite database)", backup))
	}
	var sl *sealing
	if o.Passphrase != "" {
		var err error
		if sl, err = newSealing(o.Passphrase); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	r, err := prepareRestored(ctx, tmp, backup, sl)
	if err != nil {
		return nil, err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dest + suffix)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return nil, data.Op("restore", "", err)
	}
	os.Remove(dest + ".unlock-failures") // the replaced store's (FailuresPath)
	// The replaced store's attachment files: the backup holds its own.
	os.RemoveAll(dest + contentDirSuffix)
	return r, data.SyncDir(filepath.Dir(dest))
}

// errSameCode is a new identity whose device code is the old one's: their
// request refs would collide, so another is drawn.
var errSameCode = errors.New("the new identity has the old one's device code")

// prepareRestored checks the copy, gives it a new identity and enrols the
// old one as a peer.
func prepareRestored(ctx context.Context, path, backup string, sl *sealing) (*data.Restored, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return nil, data.Op("restore", "", fmt.Errorf("%s is not a usable backup: %w", backup, err))
	}
	defer s.Close()
	// Read from the row: a backup has no keys, so no usable Device.
	var old data.Officer
	var oldNo int64
	var site, pub []byte
	err = s.db.QueryRowContext(ctx, `SELECT d.site_no, s.site_id, coalesce(s.public_key, X''), d.officer, d.rank, d.posting
		FROM device d JOIN sites s ON s.no = d.site_no`).Scan(&oldNo, &site, &pub, &old.Name, &old.Rank, &old.Posting)
	if err != nil || len(site) != len(data.SiteID{}) || len(pub) != ed25519.PublicKeySize {
		return nil, data.Op("restore", "", fmt.Errorf("%s holds no device identity (%v)", backup, err))
	}
	res := &data.Restored{OldOfficer: old.Name}
	copy(res.OldSite[:], site)
	res.OldPeer = "before-restore-" + res.OldSite.ShortCode()
	report, err := s.Check(ctx)
	if err != nil {
		return nil, data.Op("restore", "", fmt.Errorf("checking %s: %w", backup, err))
	}
	if len(report.Problems) > 0 {
		return nil, data.Op("restore", "", data.Invalid("file", "%s fails its check: %s", backup, strings.Join(report.Problems, "; ")))
	}
	for range 8 {
		err = s.tx(ctx, func(tx *sql.Tx) error {
			// The old identity becomes a site like any other, whose held seq
			// the vector reads: all of its changes are here (a device's own
			// are contiguous), so the restored store sends on what it held.
			if _, err := tx.ExecContext(ctx, `UPDATE sites SET held = coalesce((SELECT max(last_seq) FROM commits WHERE site = ?), 0) WHERE no = ?`,
				oldNo, oldNo); err != nil {
				return err
			}
			// It stays trusted: the officer's work made on the old device
			// after the backup, relayed by a peer, is applied, not held.
			// It has no age recipient here: nothing is sent to it.
			if _, err := tx.ExecContext(ctx, `DELETE FROM peers WHERE name = ? OR site_id = ?`, res.OldPeer, site); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO peers (name, site_id, public_key, age_recipient, officer, added_at) VALUES (?, ?, ?, '', ?, ?)`,
				res.OldPeer, site, pub, old.Name, s.Now().UTC().Format(time.RFC3339)); err != nil {
				return err
			}
			dev, _, err := s.newIdentity(ctx, tx, old, sl)
			if err == nil && dev.Site.ShortCode() == res.OldSite.ShortCode() {
				return errSameCode
			}
			return err
		})
		if !errors.Is(err, errSameCode) {
			break
		}
	}
	if err != nil {
		return nil, data.Op("restore", "", fmt.Errorf("new identity: %w", err))
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, data.Op("restore", "", err)
	}
	if err := s.loadDevice(ctx); err != nil {
		return nil, err
	}
	if res.Device, err = s.Device(); err != nil {
		return nil, err
	}
	return res, nil
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
