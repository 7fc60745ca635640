package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
)

// secrets are the key material of s: the ed25519 seed and the age secret
// key (made by Identity, as the 'identity' verb does).
func secrets(t *testing.T, s *Store) (seed []byte, ageKey string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Identity(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := s.AgeIdentity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := s.Device()
	return dev.PrivateKey.Seed(), id.String()
}

// everyValue calls fn with every value of every table of the SQLite file
// at path, by table and column.
func everyValue(t *testing.T, path string, fn func(table, column string, v []byte)) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("only %d tables in %s", len(tables), path)
	}
	for _, table := range tables {
		rows, err := db.Query(fmt.Sprintf(`SELECT * FROM "%s"`, table))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				switch v := v.(type) {
				case []byte:
					fn(table, cols[i], v)
				case string:
					fn(table, cols[i], []byte(v))
				}
			}
		}
		rows.Close()
	}
}

// Issue 9, finding 1: a backup was the officer's whole identity, keys
// included, in plaintext.
func TestABackupHoldsNoKeyMaterial(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	addOne(t, s, sampleExchange())
	seed, ageKey := secrets(t, s)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	t.Run("no column of any table holds the signing seed or the age key", func(t *testing.T) {
		everyValue(t, backup, func(table, column string, v []byte) {
			if bytes.Contains(v, seed) || bytes.Contains(v, []byte(ageKey)) || bytes.Contains(v, []byte("AGE-SECRET-KEY-")) {
				t.Errorf("%s.%s holds key material", table, column)
			}
		})
	})
	t.Run("nor does any byte of the file, free pages included", func(t *testing.T) {
		raw, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, seed) || bytes.Contains(raw, []byte("AGE-SECRET-KEY-")) {
			t.Fatal("the backup file holds key material")
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal", ".tmp-backup"} {
			if _, err := os.Stat(backup + suffix); err == nil {
				t.Errorf("%s left beside the backup", suffix)
			}
		}
	})
	t.Run("it is readable by its owner only", func(t *testing.T) {
		if st, err := os.Stat(backup); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v: %v", st.Mode(), err)
		}
	})
	t.Run("it still holds the records and checks clean", func(t *testing.T) {
		b, err := Open(ctx, backup)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if n, err := b.Count(ctx); err != nil || n["exchanges"] != 1 {
			t.Fatalf("counts %v: %v", n, err)
		}
		if b.Initialised() || !b.IsBackup() {
			t.Fatal("a backup opened as a working store: it has no keys to sign with")
		}
		err = b.Init(ctx, data.Officer{Name: "Thief", Rank: "None", Posting: "CMF"})
		var backupErr *data.BackupAsStoreError // to which the front ends add how to restore it
		if data.FieldOf(err) != "store" || !errors.As(err, &backupErr) {
			t.Fatalf("init on a backup: %v", err)
		}
	})
}

// After a restore the store has a new identity but trusts its old one, so
// the officer's own work made after the backup, relayed by a peer, is
// applied rather than held for review.
func TestARestoredStoreTrustsItsOldIdentity(t *testing.T) {
	ctx := context.Background()
	old, hub := openTestStore(t), openTestStore(t)
	if _, err := hub.AddPeer(ctx, "laptop", mustIdentityOf(t, old).String()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := old.Backup(ctx, filepath.Join(dir, "b.db")); err != nil {
		t.Fatal(err)
	}
	later := sampleExchange()
	later.Title = "Written on the old laptop after its backup"
	id := addOne(t, old, later)
	oldDev, _ := old.Device()
	ob, err := old.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hub.Import(ctx, data.Incoming{Sender: oldDev.Site, Batch: ob}); err != nil {
		t.Fatal(err)
	}

	res, err := RestoreBackup(ctx, filepath.Join(dir, "b.db"), filepath.Join(dir, "r.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the result names the old device and the peer it is trusted as, to revoke", func(t *testing.T) {
		if res.OldSite != oldDev.Site || res.Device.Site == oldDev.Site {
			t.Fatalf("old %s new %s", res.OldSite, res.Device.Site)
		}
		if !strings.Contains(res.OldPeer, oldDev.Site.ShortCode()) {
			t.Fatalf("old peer %q", res.OldPeer)
		}
	})
	r, err := Open(ctx, filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.AddPeer(ctx, "hub", mustIdentityOf(t, hub).String()); err != nil {
		t.Fatal(err)
	}
	t.Run("the old identity is a trusted peer", func(t *testing.T) {
		ps, _ := r.Peers(ctx)
		found := false
		for _, p := range ps {
			if p.Identity.Site == oldDev.Site && p.RevokedAt == "" && bytes.Equal(p.Identity.PublicKey, oldDev.PublicKey()) {
				found = p.Name == res.OldPeer
			}
		}
		if !found {
			t.Fatalf("peers %+v", ps)
		}
	})
	t.Run("the old identity's later work, relayed, is applied", func(t *testing.T) {
		hubDev, _ := hub.Device()
		hb, err := hub.Outgoing(ctx, data.Vector{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Import(ctx, data.Incoming{Sender: hubDev.Site, Batch: hb})
		if err != nil || got.Quarantined != 0 {
			t.Fatalf("import %+v: %v", got, err)
		}
		if q, _ := r.Quarantine(ctx); len(q) != 0 {
			t.Fatalf("held for review: %+v", q)
		}
		if _, err := r.Get(ctx, "exchange", id); err != nil {
			t.Fatalf("the later work is not there: %v", err)
		}
	})
	t.Run("the restored store checks clean and can sign", func(t *testing.T) {
		if rep, err := r.Check(ctx); err != nil || len(rep.Problems) > 0 {
			t.Fatalf("check %+v: %v", rep, err)
		}
		addOne(t, r, sampleExchange())
	})
}
