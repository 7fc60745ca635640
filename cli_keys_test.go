package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"liaisondesk/data"
	"liaisondesk/data/store"
)

// passphraseFile writes pass as a passphrase file and points the verbs at
// it for this test.
func passphraseFile(t *testing.T, pass string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "passphrase")
	if err := os.WriteFile(file, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(passphraseEnv, file)
}

func mustDigest(t *testing.T, db string) string {
	t.Helper()
	r := liaisondesk(t, db, "", "digest")
	if r.code != 0 {
		t.Fatalf("digest: %s", r.stderr)
	}
	return r.stdout
}

func TestAWrongPassphraseIsRefusedWritesNothingAndWaitsLonger(t *testing.T) {
	db := newStore(t)
	before := mustDigest(t, db)
	passphraseFile(t, "not the passphrase")
	r := liaisondesk(t, db, meeting, "add", "exchange")
	if r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("add with a wrong passphrase: %d %q", r.code, r.stderr)
	}
	if after := mustDigest(t, db); after != before {
		t.Fatal("a refused unlock changed the store")
	}
	if r := liaisondesk(t, db, meeting, "add", "exchange"); r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("second: %d %q", r.code, r.stderr)
	}
	r = liaisondesk(t, db, meeting, "add", "exchange")
	if r.code != 1 || !strings.Contains(r.stderr, "2 wrong passphrases in a row: try again in") {
		t.Fatalf("third, at once: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(db + ".unlock-failures"); err != nil {
		t.Fatalf("the failures are not counted beside the store: %v", err)
	}
	if after := mustDigest(t, db); after != before {
		t.Fatal("refused unlocks changed the store")
	}
}

func TestInitRefusesAShortPassphraseAndCreatesNothing(t *testing.T) {
	passphraseFile(t, "short")
	db := filepath.Join(t.TempDir(), "s.db")
	r := liaisondesk(t, db, "", "init", "--officer", "A", "--rank", "Colonel", "--posting", "CMF")
	if r.code != 1 || !strings.Contains(r.stderr, "passphrase: must be at least 8 characters") {
		t.Fatalf("init: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatal("a refused init created the store")
	}
}

func TestAnOldStoreIsSealedAtItsFirstVerbThatSigns(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "old.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	sealed := func() bool {
		s, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.HasPassphrase()
	}
	if r := liaisondesk(t, db, "", "list", "exchange"); r.code != 0 || sealed() {
		t.Fatalf("a read-only verb sealed the old store, or failed: %s", r.stderr)
	}
	r := liaisondesk(t, db, meeting, "add", "exchange")
	if r.code != 0 || !strings.Contains(r.stderr, "now sealed under its passphrase") || !sealed() {
		t.Fatalf("first add on an old store: %d %q", r.code, r.stderr)
	}
}

func TestBackupIsEncryptedUnlessPlain(t *testing.T) {
	db := newStore(t)
	if r := liaisondesk(t, db, meeting, "add", "exchange"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.age")
	if r := liaisondesk(t, db, "", "backup", backup); r.code != 0 || !strings.Contains(r.stdout, "encrypted to the store's passphrase") {
		t.Fatalf("backup: %d %s %s", r.code, r.stdout, r.stderr)
	}
	raw, _ := os.ReadFile(backup)
	if !store.IsEncryptedBackup(backup) || strings.Contains(string(raw), "CTF 151") {
		t.Fatal("the backup is readable without the passphrase")
	}
	t.Run("restored with a wrong passphrase: a clear message, nothing created", func(t *testing.T) {
		passphraseFile(t, "not the passphrase")
		dest := filepath.Join(t.TempDir(), "sub", "restored.db")
		r := liaisondesk(t, dest, "", "restore", backup)
		if r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase: the passphrase or key does not open this backup") {
			t.Fatalf("restore: %d %q", r.code, r.stderr)
		}
		if left, _ := os.ReadDir(filepath.Dir(dest)); len(left) > 0 {
			t.Fatalf("left behind: %v", left)
		}
	})
	t.Run("restored with its passphrase, which seals the new store", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "restored.db")
		if r := liaisondesk(t, dest, "", "restore", backup); r.code != 0 {
			t.Fatalf("restore: %s", r.stderr)
		}
		if r := liaisondesk(t, dest, "", "list", "exchange", "--json"); !strings.Contains(r.stdout, "CTF 151") {
			t.Fatalf("restored: %s %s", r.stdout, r.stderr)
		}
		passphraseFile(t, "another passphrase")
		if r := liaisondesk(t, dest, meeting, "add", "exchange"); r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
			t.Fatalf("the restored store opened with another passphrase: %d %q", r.code, r.stderr)
		}
	})
	t.Run("to HQ's key: restored with --identity, refused with a passphrase", func(t *testing.T) {
		hq, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		keyFile := filepath.Join(dir, "hq-backup.key")
		os.WriteFile(keyFile, []byte("# HQ backup key\n"+hq.String()+"\n"), 0o600)
		toHQ := filepath.Join(dir, "hq.age")
		if r := liaisondesk(t, db, "", "backup", toHQ, "--to", hq.Recipient().String()); r.code != 0 {
			t.Fatalf("backup --to: %s", r.stderr)
		}
		if r := liaisondesk(t, filepath.Join(t.TempDir(), "a.db"), "", "restore", toHQ); r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
			t.Fatalf("restore of HQ's backup with a passphrase: %d %q", r.code, r.stderr)
		}
		dest := filepath.Join(t.TempDir(), "b.db")
		if r := liaisondesk(t, dest, "", "restore", toHQ, "--identity", keyFile); r.code != 0 {
			t.Fatalf("restore --identity: %s", r.stderr)
		}
		if r := liaisondesk(t, dest, "", "list", "exchange", "--json"); !strings.Contains(r.stdout, "CTF 151") {
			t.Fatalf("restored: %s %s", r.stdout, r.stderr)
		}
	})
	t.Run("--plain is an SQLite copy, still without keys", func(t *testing.T) {
		plain := filepath.Join(dir, "plain.db")
		if r := liaisondesk(t, db, "", "backup", plain, "--plain"); r.code != 0 || store.IsEncryptedBackup(plain) {
			t.Fatalf("backup --plain: %s", r.stderr)
		}
		raw, _ := os.ReadFile(plain)
		if !strings.HasPrefix(string(raw), "SQLite format 3") || strings.Contains(string(raw), "AGE-SECRET-KEY-") {
			t.Fatal("not a plain copy without keys")
		}
	})
	t.Run("an encrypted backup used as a store says to restore it", func(t *testing.T) {
		if r := liaisondesk(t, backup, "", "list", "exchange"); r.code != 1 || !strings.Contains(r.stderr, "restore") {
			t.Fatalf("list on an encrypted backup: %d %q", r.code, r.stderr)
		}
	})
}

func TestOnlyVerbsThatSignOrDecryptNeedKeys(t *testing.T) {
	for _, args := range [][]string{
		{"list", "exchange"}, {"show", "exchange", "X"}, {"search", "x"}, {"history", "exchange", "X"}, {"digest"},
		{"identity"}, {"check"}, {"conflicts"}, {"peers", "list"}, {"peers", "--json", "list"}, {"quarantine", "list"},
		{"classification", "list"},
	} {
		if needsKeys(args[0], args[1:]) {
			t.Errorf("%v asks for the passphrase", args)
		}
	}
	for _, args := range [][]string{
		{"add", "exchange"}, {"update", "exchange", "X"}, {"status", "request", "X", "sent"}, {"report", "weekly"},
		{"export", "exchange"}, {"backup", "F"}, {"bundle", "create"}, {"bundle", "import", "F"}, {"sync"}, {"hub", "--listen", "x"},
		{"peers", "add", "n", "id"}, {"quarantine", "release", "1"}, {"classification", "add", "X"}, {"resolve"}, {"demo"}, {"import", "contact", "F"},
		{"identity", "rotate"}, {"actions", "handover", "--from", "A", "--to", "B"},
	} {
		if !needsKeys(args[0], args[1:]) {
			t.Errorf("%v does not unlock the store", args)
		}
	}
}

// The window gets the passphrase from the same file: an old store is
// sealed under it, a sealed one unlocked, a wrong one refused.
func TestTheWindowUnlocksWithThePassphraseFile(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "w.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	if pass, err := unlockFromFile(ctx, s); err != nil || pass != testPassphrase || !s.HasPassphrase() || s.Locked() {
		t.Fatalf("old store: %q %v (sealed %v, locked %v)", pass, err, s.HasPassphrase(), s.Locked())
	}
	s.Lock()
	if _, err := unlockFromFile(ctx, s); err != nil || s.Locked() {
		t.Fatalf("sealed store: %v", err)
	}
	s.Lock()
	passphraseFile(t, "not the passphrase")
	if _, err := unlockFromFile(ctx, s); !errors.Is(err, data.ErrWrongPassphrase) || !s.Locked() {
		t.Fatalf("wrong passphrase: %v", err)
	}
}
