package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"liaisondesk/data"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the local SQLite store: the change log and the domain tables
// materialised from it. It is safe for concurrent use.
type Store struct {
	path string
	db   *sql.DB // the one writer connection (BEGIN IMMEDIATE)
	rdb  *sql.DB // readers

	// Now is the wall clock; tests replace it to fix time.
	Now func() time.Time

	// busyWait is how long a write waits for another process's write
	// transaction before giving up with ErrBusy.
	busyWait time.Duration

	mu  sync.Mutex   // guards the fields below
	dev *data.Device // nil until init
	// backup is set when the store is a backup: a device row without
	// keys (Backup leaves them out).
	backup bool
	// hub: a hub's store, which builds no records (hub.go).
	hub atomic.Bool
	// sealed: the keys on disk are under a passphrase (keys.go); keys is
	// what Unlock opened, nil while locked.
	sealed bool
	keys   *keyring
	sites  map[int64]data.SiteID
	nos    map[data.SiteID]int64

	prepMu sync.Mutex
	prep   map[string]*sql.Stmt // statements prepared on the writer connection
	want   map[string]bool      // first used by the last write: to prepare after it
}

// driverBusyTimeout is how long SQLite itself retries a locked store
// (busy_timeout in dsn) before a statement fails with SQLITE_BUSY.
const driverBusyTimeout = 5 * time.Second

func dsn(path string, writer bool) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(5000)", // driverBusyTimeout
		// 8 MB of page cache per connection: the operating system caches
		// the file too, and five connections at 32 MB made the running
		// app's memory grow past its budget on a big store.
		"foreign_keys(0)", "cache_size(-8000)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// interactiveWait is how long a write waits while another process writes
// (a big bundle import takes seconds) before saying the store is busy.
const interactiveWait = 15 * time.Second

// importWait is how long an import waits: the hub imports for many devices
// and should not refuse a push because something else writes its store.
const importWait = 2 * time.Minute

// Open opens the store at path, creating the file and its schema when it
// does not exist. The store may not be initialised yet (see Init). Opening
// takes the write lock only when a migration is pending, so it never
// waits for another process's write otherwise.
func Open(ctx context.Context, path string) (*Store, error) {
	return openWaiting(ctx, path, interactiveWait)
}

// openWaiting is Open with the time a write waits for the lock; tests use
// a short one.
func openWaiting(ctx context.Context, path string, wait time.Duration) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := data.MakeStoreDir(dir); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	// The store holds the device's private signing key: only its owner
	// may read it. (SQLite gives its -wal and -shm files the same mode.)
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	s := &Store{path: path, Now: time.Now, busyWait: wait, sites: map[int64]data.SiteID{}, nos: map[data.SiteID]int64{}}
	var err error
	if s.db, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s.db.SetMaxOpenConns(1)
	s.db.SetConnMaxIdleTime(0)
	if wait < driverBusyTimeout {
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, wait.Milliseconds())); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if s.rdb, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s.rdb.SetMaxOpenConns(4)
	if err := s.loadDevice(ctx); err != nil && !errors.Is(err, data.ErrNotInitialised) {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.loadRole(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.remerge(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.rederiveDPAS(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.rederiveGifts(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	s.prepMu.Lock()
	for _, st := range s.prep {
		st.Close()
	}
	s.prep = nil
	s.prepMu.Unlock()
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	errs = append(errs, s.db.Close())
	s.setKeys(nil)
	return errors.Join(errs...)
}

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction. Migrations are additive only: synced data from an older or
// newer version must still apply. Which are applied is read first, without
// a lock: a store that is up to date opens beside a long write.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, name := range names {
		base := filepath.Base(name)
		if applied[base] {
			continue
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
				return err
			}
			// Another process may have applied it since the read.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil || n > 0 {
				return err
			}
			body, err := migrationFiles.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
				base, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if errors.Is(err, data.ErrBusy) {
			return err // the user can do nothing about a migration's name
		}
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// appliedMigrations reads the migrations recorded, none on a new file.
func (s *Store) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	applied := map[string]bool{}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil || n == 0 {
		return applied, err
	}
	names, err := readColumn[string](ctx, s.db, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		applied[name] = true
	}
	return applied, nil
}

// tx runs fn in one write transaction: rolled back on error or panic,
// committed otherwise. It waits the store's busy wait for the write lock.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.txWaiting(ctx, s.busyWait, fn)
}

// txWaiting is tx waiting up to wait for another process's write to end;
// still locked then, it fails with ErrBusy.
func (s *Store) txWaiting(ctx context.Context, wait time.Duration, fn func(*sql.Tx) error) (err error) {
	tx, err := s.begin(ctx, wait)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
		if isBusy(err) {
			err = data.ErrBusy
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// begin starts a write transaction (BEGIN IMMEDIATE), trying again while
// another process holds the lock, until wait has passed.
func (s *Store) begin(ctx context.Context, wait time.Duration) (*sql.Tx, error) {
	deadline := time.Now().Add(wait)
	for {
		start := time.Now()
		tx, err := s.db.BeginTx(ctx, nil)
		if !isBusy(err) {
			return tx, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !time.Now().Before(deadline) {
			return nil, data.ErrBusy
		}
		// SQLite's own busy handler waited; if it did not, pause a
		// little rather than spin.
		if time.Since(start) < 50*time.Millisecond {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

func (s *Store) loadDevice(ctx context.Context) error {
	var d data.Device
	var seed, site, pub, wrap []byte
	err := s.db.QueryRowContext(ctx, `SELECT d.site_no, s.site_id, coalesce(s.public_key, X''), d.private_key, coalesce(d.key_wrap, X''),
		d.officer, d.rank, d.posting, d.created_at
		FROM device d JOIN sites s ON s.no = d.site_no`).Scan(&d.SiteNo, &site, &pub, &seed, &wrap, &d.Officer, &d.Rank, &d.Posting, &d.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return data.ErrNotInitialised
	}
	if err != nil {
		return err
	}
	sealed := len(wrap) > 0
	if len(seed) == 0 && !sealed {
		// A backup: its keys were left out (Backup). It can be read and
		// checked, and restored into a store with a new identity.
		s.mu.Lock()
		s.backup = true
		s.mu.Unlock()
		return data.ErrNotInitialised
	}
	if sealed {
		if len(pub) != ed25519.PublicKeySize || len(site) != len(data.SiteID{}) {
			return errors.New("device identity is damaged")
		}
		d.Public = pub
	} else {
		if len(seed) != ed25519.SeedSize || len(site) != len(data.SiteID{}) {
			return errors.New("device identity is damaged")
		}
		d.PrivateKey = ed25519.NewKeyFromSeed(seed)
		d.Public = d.PrivateKey.Public().(ed25519.PublicKey)
	}
	copy(d.Site[:], site)
	s.mu.Lock()
	s.sealed = sealed
	if sealed && s.keys != nil {
		d.PrivateKey = s.keys.sign // stays unlocked across a reload
	}
	s.dev = &d
	s.sites[d.SiteNo] = d.Site
	s.nos[d.Site] = d.SiteNo
	s.mu.Unlock()
	return nil
}

// Device returns this store's identity, or ErrNotInitialised.
func (s *Store) Device() (*data.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dev == nil {
		return nil, data.ErrNotInitialised
	}
	d := *s.dev
	return &d, nil
}

// IsBackup reports a backup file opened as a store: it holds the records
// but no keys, so it cannot sign; 'restore' makes a working store of it.
func (s *Store) IsBackup() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backup
}

// CheckWorking refuses a backup opened as a store, naming the file (a
// *data.BackupAsStoreError, to which each front end adds how to restore
// it): the command line before any verb, and Init (so the window's
// first-run form says it too).
func (s *Store) CheckWorking() error {
	if s.IsBackup() {
		return &data.BackupAsStoreError{Path: s.Path()}
	}
	return nil
}

// Initialised reports whether init has run on this store.
func (s *Store) Initialised() bool {
	_, err := s.Device()
	return err == nil
}

// siteNo returns the local number of a site, adding it when new.
func (s *Store) siteNo(ctx context.Context, tx *sql.Tx, site data.SiteID) (int64, error) {
	s.mu.Lock()
	no, ok := s.nos[site]
	s.mu.Unlock()
	if ok {
		return no, nil
	}
	err := tx.QueryRowContext(ctx, `SELECT no FROM sites WHERE site_id = ?`, site[:]).Scan(&no)
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		if res, err = tx.ExecContext(ctx, `INSERT INTO sites (site_id) VALUES (?)`, site[:]); err == nil {
			no, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, err
	}
	// Not cached here: the transaction may still roll back.
	return no, nil
}

// siteOf returns the site id of a local site number.
func (s *Store) siteOf(ctx context.Context, q querier, no int64) (data.SiteID, error) {
	s.mu.Lock()
	site, ok := s.sites[no]
	s.mu.Unlock()
	if ok {
		return site, nil
	}
	var b []byte
	if err := q.QueryRowContext(ctx, `SELECT site_id FROM sites WHERE no = ?`, no).Scan(&b); err != nil {
		return site, fmt.Errorf("site %d: %w", no, err)
	}
	copy(site[:], b)
	return site, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// IsBusy reports an error that means another process held the store's
// write lock too long: ErrBusy, or SQLite's own busy result from a single
// statement, which waited only the driver's busy timeout.
func IsBusy(err error) bool { return errors.Is(err, data.ErrBusy) || isBusy(err) }

// isBusy reports SQLite's SQLITE_BUSY and SQLITE_LOCKED results (extended
// codes included), read from the driver's error code, not its message.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

// IsDiskFull reports a write that found no room: SQLite's SQLITE_FULL, a
// WAL store that cannot size its shared memory, or a file write's ENOSPC
// (or Windows' codes for it).
func IsDiskFull(err error) bool {
	if errors.Is(err, data.ErrDiskFull) || errors.Is(err, syscall.ENOSPC) || data.DiskFullCode(err) {
		return true
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code()&0xff == sqlite3.SQLITE_FULL || se.Code() == sqlite3.SQLITE_IOERR_SHMSIZE
}

// WriterDSN is the connection string the store opens its writer with, so
// benchmarks elsewhere can measure a raw SQLite baseline with the same
// settings.
func WriterDSN(path string) string { return dsn(path, true) }
