package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"liaisondesk/data"
)

const testPassphrase = "monsoon over the western ghats"

var testOfficer = data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}

// sealedStore makes a store whose keys are under testPassphrase, closes it
// and returns its path, with the secrets it must never show in the clear.
func sealedStore(t *testing.T) (path string, seed []byte, ageKey string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "store.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.InitWithPassphrase(ctx, testOfficer, testPassphrase); err != nil {
		t.Fatal(err)
	}
	addOne(t, s, sampleExchange())
	seed, ageKey = secrets(t, s)
	return path, seed, ageKey
}

// reopen opens path with a clock the test moves.
func reopen(t *testing.T, path string, clock *time.Time) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return *clock }
	return s
}

// fileBytes is the store file and its WAL, as an attacker copying them
// would read them.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func holdsKeys(raw, seed []byte, ageKey string) bool {
	return bytes.Contains(raw, seed) || bytes.Contains(raw, []byte(ageKey)) || bytes.Contains(raw, []byte("AGE-SECRET-KEY-"))
}

func TestASealedStoreReadsLockedAndSignsOnlyOnceUnlocked(t *testing.T) {
	ctx := context.Background()
	path, _, ageKey := sealedStore(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := reopen(t, path, &now)
	if !s.HasPassphrase() || !s.Locked() {
		t.Fatalf("reopened: passphrase %v, locked %v", s.HasPassphrase(), s.Locked())
	}
	t.Run("it reads: records, its identity line", func(t *testing.T) {
		if n, err := s.Count(ctx); err != nil || n["exchanges"] != 1 {
			t.Fatalf("count %v: %v", n, err)
		}
		id, err := s.Identity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := age.ParseX25519Identity(ageKey)
		if id.AgeRecipient != want.Recipient().String() || len(id.PublicKey) == 0 {
			t.Fatalf("identity while locked: %+v", id)
		}
	})
	t.Run("it neither signs nor decrypts, and writes nothing", func(t *testing.T) {
		before, _ := s.Count(ctx)
		if _, err := s.Add(ctx, sampleExchange()); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("add while locked: %v", err)
		}
		if _, err := s.AgeIdentity(ctx); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("age identity while locked: %v", err)
		}
		if _, err := s.SealSecret("org key", []byte("x")); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("seal while locked: %v", err)
		}
		after, _ := s.Count(ctx)
		if after["changes"] != before["changes"] {
			t.Fatalf("changes %d → %d", before["changes"], after["changes"])
		}
	})
	t.Run("unlocked, it signs commits that verify", func(t *testing.T) {
		if err := s.Unlock(ctx, testPassphrase); err != nil {
			t.Fatal(err)
		}
		addOne(t, s, sampleExchange())
		r, err := s.Check(ctx)
		if err != nil || len(r.Problems) > 0 {
			t.Fatalf("check: %v %v", r, err)
		}
	})
	t.Run("locked again, it refuses again", func(t *testing.T) {
		s.Lock()
		if _, err := s.Add(ctx, sampleExchange()); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("add after Lock: %v", err)
		}
	})
}

func TestASealedStoreHoldsNoPlaintextKeyInItsFile(t *testing.T) {
	path, seed, ageKey := sealedStore(t)
	if holdsKeys(fileBytes(t, path), seed, ageKey) {
		t.Fatal("the store file or its WAL holds the device keys in the clear")
	}
}

func TestAWrongPassphraseWritesNothingAndTheDelayGrows(t *testing.T) {
	ctx := context.Background()
	path, _, _ := sealedStore(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := reopen(t, path, &now)
	before := fileBytes(t, path)

	err := s.Unlock(ctx, "monsoon over the eastern ghats")
	if !errors.Is(err, data.ErrWrongPassphrase) || !s.Locked() {
		t.Fatalf("wrong passphrase: %v (locked %v)", err, s.Locked())
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Fatal("a wrong passphrase changed the store file")
	}
	if got := s.readFailures().Failures; got != 1 {
		t.Fatalf("failures counted beside the store: %d", got)
	}
	// One typo costs nothing more; the second in a row makes the next
	// attempt wait, even with the right passphrase.
	if err := s.Unlock(ctx, "typo"); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Fatal(err)
	}
	var wait *data.UnlockWait
	if err := s.Unlock(ctx, testPassphrase); !errors.As(err, &wait) || !s.Locked() {
		t.Fatalf("an attempt during the delay: %v", err)
	}
	first := wait.Until.Sub(wait.Now)
	now = now.Add(first)
	if err := s.Unlock(ctx, "again wrong"); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, testPassphrase); !errors.As(err, &wait) {
		t.Fatalf("after a third failure: %v", err)
	}
	if second := wait.Until.Sub(wait.Now); second <= first {
		t.Fatalf("the delay did not grow: %s then %s", first, second)
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Fatal("failed unlocks changed the store file")
	}
	now = wait.Until
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatalf("the right passphrase after the delay: %v", err)
	}
	if _, err := os.Stat(s.FailuresPath()); !os.IsNotExist(err) {
		t.Fatalf("a successful unlock leaves the failure count: %v", err)
	}
}

func TestAStoreMadeBeforePassphrasesIsSealedAndScrubbed(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t) // Init: keys in the clear, as before this change
	path := s.Path()
	addOne(t, s, sampleExchange())
	seed, ageKey := secrets(t, s)
	idBefore := mustIdentityOf(t, s)
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		t.Fatal(err)
	}
	if !holdsKeys(fileBytes(t, path), seed, ageKey) {
		t.Fatal("the old store should hold its keys in the clear (else this test proves nothing)")
	}
	if s.HasPassphrase() {
		t.Fatal("an old store has no passphrase")
	}
	if err := s.Unlock(ctx, testPassphrase); !errors.Is(err, data.ErrNoPassphrase) {
		t.Fatalf("unlock before a passphrase is chosen: %v", err)
	}
	if err := s.SetPassphrase(ctx, "short"); data.FieldOf(err) != "passphrase" {
		t.Fatalf("a short passphrase: %v", err)
	}
	if err := s.SetPassphrase(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	addOne(t, s, sampleExchange()) // still unlocked
	s.Close()
	if holdsKeys(fileBytes(t, path), seed, ageKey) {
		t.Fatal("plaintext keys remain in the file, its free pages or its WAL")
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s = reopen(t, path, &now)
	if !s.Locked() {
		t.Fatal("reopened unlocked")
	}
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	if id := mustIdentityOf(t, s); id.String() != idBefore.String() {
		t.Fatalf("the identity changed:\n%s\n%s", idBefore, id)
	}
	addOne(t, s, sampleExchange())
	if r, err := s.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %v %v", r, err)
	}
}

func TestChangingThePassphraseKeepsTheKeysAndSealedSecrets(t *testing.T) {
	ctx := context.Background()
	path, _, _ := sealedStore(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := reopen(t, path, &now)
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	org, err := s.SealSecret("organisation key", []byte("the org seed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassphrase(ctx, "not the old one", "a new passphrase here"); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Fatalf("change with a wrong old passphrase: %v", err)
	}
	now = now.Add(time.Hour)
	if err := s.ChangePassphrase(ctx, testPassphrase, "a new passphrase here"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.Unlock(ctx, testPassphrase); !errors.Is(err, data.ErrWrongPassphrase) {
		t.Fatalf("the old passphrase still opens: %v", err)
	}
	if err := s.Unlock(ctx, "a new passphrase here"); err != nil {
		t.Fatal(err)
	}
	got, err := s.OpenSecret("organisation key", org)
	if err != nil || string(got) != "the org seed" {
		t.Fatalf("sealed secret after the change: %q %v", got, err)
	}
	if _, err := s.OpenSecret("device keys", org); err == nil {
		t.Fatal("a secret opened under another label")
	}
	plain := openTestStore(t)
	if _, err := plain.SealSecret("organisation key", []byte("x")); !errors.Is(err, data.ErrNoPassphrase) {
		t.Fatalf("seal on a store without a passphrase: %v", err)
	}
}

func TestAnEncryptedBackupOpensOnlyWithItsPassphraseOrKey(t *testing.T) {
	ctx := context.Background()
	path, seed, ageKey := sealedStore(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := reopen(t, path, &now)
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.age")
	r, err := ScryptRecipient(testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BackupEncrypted(ctx, backup, r); err != nil {
		t.Fatal(err)
	}
	t.Run("the file shows neither records nor keys", func(t *testing.T) {
		raw, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		if !IsEncryptedBackup(backup) || bytes.Contains(raw, []byte("SQLite format 3")) ||
			bytes.Contains(raw, []byte("CTF 150")) || holdsKeys(raw, seed, ageKey) {
			t.Fatal("the backup is readable without the passphrase")
		}
		if _, err := os.Stat(path + ".tmp-backup-plain"); !os.IsNotExist(err) {
			t.Fatal("the plain copy was left beside the store")
		}
	})
	t.Run("a wrong passphrase is refused and creates nothing", func(t *testing.T) {
		dest := filepath.Join(dir, "restored", "store.db")
		id, _ := ScryptIdentity("not the passphrase")
		_, err := RestoreWith(ctx, backup, dest, RestoreOptions{Identities: []age.Identity{id}, Passphrase: testPassphrase})
		if !errors.Is(err, data.ErrWrongPassphrase) {
			t.Fatalf("restore with a wrong passphrase: %v", err)
		}
		left, _ := os.ReadDir(filepath.Dir(dest))
		if len(left) > 0 {
			t.Fatalf("left behind: %v", left)
		}
	})
	t.Run("no passphrase at all is refused, saying it is encrypted", func(t *testing.T) {
		_, err := RestoreWith(ctx, backup, filepath.Join(dir, "none.db"), RestoreOptions{})
		if data.FieldOf(err) != "file" {
			t.Fatalf("restore without a key: %v", err)
		}
	})
	t.Run("the right passphrase restores a sealed store with a new identity", func(t *testing.T) {
		dest := filepath.Join(dir, "restored.db")
		id, _ := ScryptIdentity(testPassphrase)
		res, err := RestoreWith(ctx, backup, dest, RestoreOptions{Identities: []age.Identity{id}, Passphrase: testPassphrase})
		if err != nil {
			t.Fatal(err)
		}
		got := reopen(t, dest, &now)
		if !got.Locked() {
			t.Fatal("the restored store's keys are not sealed")
		}
		if err := got.Unlock(ctx, testPassphrase); err != nil {
			t.Fatal(err)
		}
		dev, _ := got.Device()
		if dev.Site != res.Device.Site || dev.Site == mustDevice(t, s).Site {
			t.Fatal("not the new identity")
		}
		if n, _ := got.Count(ctx); n["exchanges"] != 1 {
			t.Fatalf("restored %v", n)
		}
	})
	t.Run("to HQ's key: opens with that key, not with a passphrase", func(t *testing.T) {
		hq, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		toHQ := filepath.Join(dir, "hq.age")
		if err := s.BackupEncrypted(ctx, toHQ, hq.Recipient()); err != nil {
			t.Fatal(err)
		}
		pass, _ := ScryptIdentity(testPassphrase)
		if _, err := RestoreWith(ctx, toHQ, filepath.Join(dir, "x.db"), RestoreOptions{Identities: []age.Identity{pass}}); !errors.Is(err, data.ErrWrongPassphrase) {
			t.Fatalf("HQ's backup opened with a passphrase: %v", err)
		}
		if _, err := RestoreWith(ctx, toHQ, filepath.Join(dir, "hq.db"), RestoreOptions{Identities: []age.Identity{hq}, Passphrase: "the new officer's"}); err != nil {
			t.Fatal(err)
		}
	})
}

func mustDevice(t *testing.T, s *Store) *data.Device {
	t.Helper()
	d, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// BenchmarkUnlock measures the passphrase derivation at the production
// work factor: the cost of every unlock, and of every guess offline.
func BenchmarkUnlock(b *testing.B) {
	key := make([]byte, 32)
	wrap, err := wrapStoreKeyAt(key, testPassphrase, productionWorkFactor)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := unwrapStoreKey(wrap, testPassphrase); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(productionWorkFactor), "log2N")
}

func TestTheOrganisationKeyIsSealedInAStoreWithAPassphrase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hq.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.InitWithPassphrase(ctx, testOfficer, testPassphrase); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.InitOrg(ctx, "Indian Liaison Officers"); err != nil {
		t.Fatal(err)
	}
	_, key, err := s.OrgKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}

	t.Run("the file holds no plain organisation key", func(t *testing.T) {
		if bytes.Contains(fileBytes(t, path), key.Seed()) {
			t.Fatal("the organisation's seed lies in the store file in the clear")
		}
	})
	t.Run("locked, the key cannot be used", func(t *testing.T) {
		s.Lock()
		if _, _, err := s.OrgKey(ctx); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("OrgKey while locked: %v, want ErrLocked", err)
		}
	})
	t.Run("unlocked again, it is the same key", func(t *testing.T) {
		if err := s.Unlock(ctx, testPassphrase); err != nil {
			t.Fatal(err)
		}
		_, again, err := s.OrgKey(ctx)
		if err != nil || !again.Equal(key) {
			t.Fatalf("OrgKey after unlock: %v (same key: %v)", err, again.Equal(key))
		}
	})
}

func TestRotatingASealedStoreKeepsTheNewKeysSealed(t *testing.T) {
	ctx := context.Background()
	path, oldSeed, _ := sealedStore(t)
	clock := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	s := reopen(t, path, &clock)

	t.Run("locked, it refuses to rotate and changes nothing", func(t *testing.T) {
		if _, err := s.Rotate(ctx); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("Rotate while locked: %v, want ErrLocked", err)
		}
	})
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	newSeed, newAge := secrets(t, s)
	if bytes.Equal(newSeed, oldSeed) {
		t.Fatal("the signing key did not change")
	}
	t.Run("the new keys sign at once", func(t *testing.T) {
		addOne(t, s, sampleExchange())
	})
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	t.Run("the file holds neither new key in the clear", func(t *testing.T) {
		if holdsKeys(fileBytes(t, path), newSeed, newAge) {
			t.Fatal("a rotated key lies in the store file in the clear")
		}
	})
	t.Run("locked and unlocked again, the store signs with the new key", func(t *testing.T) {
		s.Lock()
		if err := s.Unlock(ctx, testPassphrase); err != nil {
			t.Fatal(err)
		}
		if seed, _ := secrets(t, s); !bytes.Equal(seed, newSeed) {
			t.Fatal("after unlock the store holds another key than the rotated one")
		}
		addOne(t, s, sampleExchange())
	})
	t.Run("check finds every commit verified", func(t *testing.T) {
		rep, err := s.Check(ctx)
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("check: %v %v", err, rep.Problems)
		}
	})
}
