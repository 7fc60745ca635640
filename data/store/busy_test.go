package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// holdWriteLock starts a write transaction on s, as a long import does, and
// keeps it open until the test ends.
func holdWriteLock(t *testing.T, s *Store) {
	t.Helper()
	tx, err := s.db.BeginTx(context.Background(), nil) // BEGIN IMMEDIATE
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE device SET hlc = hlc`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
}

// shortBusyWait makes s give up on a busy store after a fraction of a
// second, so the test need not wait the interactive timeout out.
func shortBusyWait(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.db.Exec(`PRAGMA busy_timeout = 100`); err != nil {
		t.Fatal(err)
	}
	s.busyWait = 300 * time.Millisecond
}

// Issue 9, finding 8: a long write (a big import in another process) must
// not lock readers out, and a write that cannot wait it out says so
// plainly.
func TestAStoreBeingWrittenStaysReadable(t *testing.T) {
	ctx := context.Background()
	writer := openTestStore(t)
	addOne(t, writer, sampleExchange())
	before, err := writer.Identity(ctx) // makes the age key, as 'identity' does once
	if err != nil {
		t.Fatal(err)
	}
	wantDigest, err := writer.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	holdWriteLock(t, writer)

	start := time.Now()
	reader, err := Open(ctx, writer.Path())
	if err != nil {
		t.Fatalf("opening a store another process is writing: %v", err)
	}
	defer reader.Close()
	t.Run("opening does not wait for the writer", func(t *testing.T) {
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("open took %s", d)
		}
	})
	t.Run("records are listed", func(t *testing.T) {
		n := 0
		if err := reader.List(ctx, "exchange", data.ListFilter{}, func(data.Record) error { n++; return nil }); err != nil || n != 1 {
			t.Fatalf("listed %d: %v", n, err)
		}
	})
	t.Run("identity, digest and vector are read", func(t *testing.T) {
		id, err := reader.Identity(ctx)
		if err != nil || id.String() != before.String() {
			t.Fatalf("identity %v: %v", id, err)
		}
		if d, err := reader.Digest(ctx); err != nil || d != wantDigest {
			t.Fatalf("digest %s: %v", d, err)
		}
		if v, err := reader.Vector(ctx); err != nil || len(v) == 0 {
			t.Fatalf("vector %v: %v", v, err)
		}
	})
	t.Run("a write that cannot wait says another process is writing", func(t *testing.T) {
		shortBusyWait(t, reader)
		_, err := reader.Add(ctx, sampleExchange())
		if !errors.Is(err, data.ErrBusy) {
			t.Fatalf("want ErrBusy, got %v", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "another Liaison Desk process is writing this store; try again when it finishes") ||
			strings.Contains(msg, "migration") || strings.Contains(msg, "SQLITE") {
			t.Fatalf("message %q", msg)
		}
	})
}

// A store with a migration still to apply needs the write lock to open; a
// busy one says so without naming the migration.
func TestOpeningAStoreThatNeedsAMigrationWhileBusy(t *testing.T) {
	ctx := context.Background()
	writer := openTestStore(t)
	if _, err := writer.db.Exec(`DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	holdWriteLock(t, writer)
	_, err := openWaiting(ctx, writer.Path(), 100*time.Millisecond)
	if !errors.Is(err, data.ErrBusy) || strings.Contains(err.Error(), "migration") {
		t.Fatalf("want ErrBusy without the migration's name, got %v", err)
	}
}

func TestIsBusyReadsTheDriversCode(t *testing.T) {
	s := openTestStore(t)
	holdWriteLock(t, s)
	other, err := sql.Open("sqlite", dsn(s.Path(), true))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`PRAGMA busy_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	other.SetMaxOpenConns(1)
	_, busy := other.Exec(`INSERT INTO drafts (kind, id, body, saved_at) VALUES ('x', 'y', '{}', '')`)
	t.Run("a real SQLITE_BUSY, wrapped, is busy", func(t *testing.T) {
		if !isBusy(fmt.Errorf("save: %w", busy)) {
			t.Fatalf("not recognised: %v", busy)
		}
	})
	t.Run("IsBusy also knows the store's own ErrBusy", func(t *testing.T) {
		if !IsBusy(busy) || !IsBusy(fmt.Errorf("add: %w", data.ErrBusy)) || IsBusy(data.ErrInvalid) {
			t.Fatal("IsBusy disagrees")
		}
	})
	t.Run("words alone are not", func(t *testing.T) {
		for _, err := range []error{nil, errors.New("database is locked"), errors.New("SQLITE_BUSY"), sql.ErrNoRows} {
			if isBusy(err) {
				t.Errorf("%v taken for busy", err)
			}
		}
	})
}
