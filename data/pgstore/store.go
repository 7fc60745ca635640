// Package pgstore keeps a hub's replica in PostgreSQL (docs/HUB.md), so
// several hub processes on several machines serve one organisation from a
// database its IT staff already operate. It implements replication.Replica
// for the hub's side of sync: the signed change log, peers and what they
// hold, the hub's identity, review of what it cannot trust, and attachment
// content. A hub keeps no records: it relays changes, and its digest is
// over commits, as the SQLite store's is.
package pgstore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the advisory lock that hub processes starting at once
// take to migrate one at a time.
const migrateLock = 0x6c64_6875_6231 // "ldhub1"

// Store is a hub's replica in one PostgreSQL database. Every read that
// decides trust goes to the database, so a peer added or revoked by any
// process counts at the next request in all of them.
type Store struct {
	pool *pgxpool.Pool
	// Now is the hub's clock (tests set it).
	Now func() time.Time

	mu   sync.Mutex
	dev  *data.Device        // nil until Init or Unlock
	ageK *age.X25519Identity // nil while locked

	roster rosterCache // the roster as last read (org.go)

	// commitChunk: bytes of hash lists per statement inserting commits
	// (import.go); 0 is the default, commitChunk. Tests make it small.
	commitChunk int
}

// Open connects to the database at url and applies the migrations it
// lacks, in one transaction under an advisory lock, so hub processes
// starting at once are safe. A hub made before opens locked: Unlock it.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, data.Op("open", "hub database", data.Invalid("db", "%v", err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, data.Op("open", "hub database", err)
	}
	s := &Store{pool: pool, Now: time.Now}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, data.Op("open", "hub database", err)
	}
	if err := s.loadDevice(ctx); err != nil {
		pool.Close()
		return nil, data.Op("open", "hub database", err)
	}
	return s, nil
}

// Close releases the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		names, err := fs.Glob(migrations, "migrations/*.sql")
		if err != nil {
			return err
		}
		slices.Sort(names)
		for _, name := range names {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			sql, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadDevice reads the hub's public identity (its keys stay sealed).
func (s *Store) loadDevice(ctx context.Context) error {
	d := &data.Device{}
	var site, pub []byte
	err := s.pool.QueryRow(ctx, `SELECT site_id, public_key, officer, rank, posting, created_at FROM hub`).
		Scan(&site, &pub, &d.Officer, &d.Rank, &d.Posting, &d.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	copy(d.Site[:], site)
	d.Public = pub
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dev = d
	return nil
}

// Initialised reports whether the hub has its identity.
func (s *Store) Initialised() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dev != nil
}

// Init makes the hub's identity, sealed under passphrase as a store seals
// its own: every hub process on this database opens it with the same
// passphrase. A second init is refused, whichever process tries.
func (s *Store) Init(ctx context.Context, o data.Officer, passphrase string) error {
	if err := data.CheckLine("officer", o.Name, true); err != nil {
		return data.Op("hub init", "", err)
	}
	var site data.SiteID
	if _, err := rand.Read(site[:]); err != nil {
		return err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	ageID, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	wrap, sealed, err := store.SealNewKeys(passphrase, priv, ageID)
	if err != nil {
		return data.Op("hub init", "", err)
	}
	created := s.Now().UTC().Format(time.RFC3339)
	_, err = s.pool.Exec(ctx, `INSERT INTO hub (one, site_id, public_key, officer, rank, posting, age_recipient, key_wrap, sealed_keys, created_at)
		VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9)`, site[:], []byte(pub), o.Name, o.Rank, o.Posting,
		ageID.Recipient().String(), wrap, sealed, created)
	if isUniqueViolation(err) {
		return data.Op("hub init", "", data.Invalid("db", "this database already holds a hub; a hub has one identity"))
	}
	if err != nil {
		return data.Op("hub init", "", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dev = &data.Device{Site: site, PrivateKey: priv, Public: pub, Officer: o.Name, Rank: o.Rank, Posting: o.Posting, CreatedAt: created}
	s.ageK = ageID
	return nil
}

// Unlock opens the hub's sealed keys with the passphrase.
func (s *Store) Unlock(ctx context.Context, passphrase string) error {
	var wrap, sealed []byte
	err := s.pool.QueryRow(ctx, `SELECT key_wrap, sealed_keys FROM hub`).Scan(&wrap, &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return data.Op("unlock", "", data.ErrNotInitialised)
	}
	if err != nil {
		return data.Op("unlock", "", err)
	}
	sign, id, err := store.OpenSealedKeys(passphrase, wrap, sealed)
	if err != nil {
		return data.Op("unlock", "", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dev.PrivateKey, s.ageK = sign, id
	return nil
}

// Device returns the hub's identity, its signing key included once
// unlocked.
func (s *Store) Device() (*data.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dev == nil {
		return nil, data.ErrNotInitialised
	}
	d := *s.dev
	return &d, nil
}

// Identity is the hub's public identity line's content.
func (s *Store) Identity(ctx context.Context) (data.Identity, error) {
	dev, err := s.Device()
	if err != nil {
		return data.Identity{}, err
	}
	var recipient string
	if err := s.pool.QueryRow(ctx, `SELECT age_recipient FROM hub`).Scan(&recipient); err != nil {
		return data.Identity{}, data.Op("identity", "", err)
	}
	return data.Identity{Site: dev.Site, Officer: dev.Officer, PublicKey: dev.PublicKey(), AgeRecipient: recipient}, nil
}

// AgeIdentity is the key that opens what devices send the hub.
func (s *Store) AgeIdentity(ctx context.Context) (*age.X25519Identity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dev == nil {
		return nil, data.ErrNotInitialised
	}
	if s.ageK == nil {
		return nil, data.ErrLocked
	}
	return s.ageK, nil
}

// tx runs fn in one transaction; a serialisation failure or deadlock
// between hub processes is retried from the start.
func (s *Store) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, fn)
		if err == nil || attempt >= 20 || !retryable(err) {
			return err
		}
	}
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func siteOf(b []byte) data.SiteID {
	var id data.SiteID
	copy(id[:], b)
	return id
}
