package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"liaisondesk/data"
)

// Keys at rest (docs/ARCHITECTURE.md §11). Two layers, so that changing
// the passphrase touches one small blob and other secrets (the
// organisation key) can be sealed without the passphrase in memory:
//
//   - the store key: 32 random bytes, kept on disk only age-encrypted to
//     the passphrase (age's scrypt recipient; device.key_wrap);
//   - the device's secrets (ed25519 seed and age identity) sealed with the
//     store key by XChaCha20-Poly1305 (device.sealed_keys; SealSecret).
//
// Unlocking derives the passphrase key once (the cost below is the real
// protection against guessing offline) and keeps the store key and the
// device keys in memory until Lock or Close.

// productionWorkFactor is scrypt's log2(N) for a passphrase (r = 8, p = 1,
// as age fixes them, and age's own default): N = 2^18 uses 256 MiB and
// costs 0.5-1 s (BenchmarkUnlock), which is what each offline guess costs
// too. The binary built for tests (tag ci) seals with a cheaper factor
// (keys_kdf_ci.go); every unlock reads the factor from the sealed header,
// so either opens the other's stores.
const productionWorkFactor = 18

// maxWorkFactor bounds what an unlock accepts from a sealed header, so a
// tampered store cannot make it spend minutes and gigabytes.
const maxWorkFactor = 22

// keyring is what an unlocked store holds in memory.
type keyring struct {
	storeKey []byte
	sign     ed25519.PrivateKey
	age      *age.X25519Identity
}

func (k *keyring) wipe() {
	clear(k.storeKey)
	clear(k.sign)
}

// sealing is a new store key and its wrap under a passphrase: derived
// before a write transaction starts, since the derivation takes a second.
type sealing struct {
	storeKey []byte
	wrap     []byte
}

func newSealing(passphrase string) (*sealing, error) {
	if err := data.CheckNewPassphrase(passphrase); err != nil {
		return nil, err
	}
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	wrap, err := wrapStoreKey(key, passphrase)
	if err != nil {
		return nil, err
	}
	return &sealing{storeKey: key, wrap: wrap}, nil
}

// ScryptRecipient is an age recipient for passphrase, with the work factor
// the store seals its own keys with: what a passphrase backup is
// encrypted to.
func ScryptRecipient(passphrase string) (age.Recipient, error) {
	return scryptRecipientAt(passphrase, kdfWorkFactor)
}

func scryptRecipientAt(passphrase string, logN int) (age.Recipient, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(logN)
	return r, nil
}

// ScryptIdentity opens what ScryptRecipient encrypted, up to the largest
// work factor a store accepts.
func ScryptIdentity(passphrase string) (age.Identity, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	return id, nil
}

func wrapStoreKey(key []byte, passphrase string) ([]byte, error) {
	return wrapStoreKeyAt(key, passphrase, kdfWorkFactor)
}

func wrapStoreKeyAt(key []byte, passphrase string, logN int) ([]byte, error) {
	r, err := scryptRecipientAt(passphrase, logN)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(key); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unwrapStoreKey derives the passphrase key and opens the wrap; a wrong
// passphrase is ErrWrongPassphrase, a damaged wrap another error.
func unwrapStoreKey(wrap []byte, passphrase string) ([]byte, error) {
	id, err := ScryptIdentity(passphrase)
	if err != nil {
		return nil, data.ErrWrongPassphrase // an empty passphrase
	}
	r, err := age.Decrypt(bytes.NewReader(wrap), id)
	if err != nil {
		if errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, data.ErrWrongPassphrase
		}
		return nil, fmt.Errorf("the sealed store key is damaged: %w", err)
	}
	key, err := io.ReadAll(io.LimitReader(r, 64))
	if err != nil || len(key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("the sealed store key is damaged (%v)", err)
	}
	return key, nil
}

// sealVersion is the first byte of a sealed secret: the format.
const sealVersion = 1

// seal encrypts plain with the store key; label binds it to its use, so a
// secret sealed for one purpose does not open as another.
func seal(key []byte, label string, plain []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:], plain, []byte("liaisondesk sealed "+label)), nil
}

func unseal(key []byte, label string, sealed []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < 1+aead.NonceSize()+aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("sealed %s: damaged or of an unknown format", label)
	}
	nonce := sealed[1 : 1+aead.NonceSize()]
	plain, err := aead.Open(nil, nonce, sealed[1+aead.NonceSize():], []byte("liaisondesk sealed "+label))
	if err != nil {
		return nil, fmt.Errorf("sealed %s: damaged or sealed by another store", label)
	}
	return plain, nil
}

// deviceKeysLabel seals the device's seed (32 bytes) followed by its age
// identity in age's text form.
const deviceKeysLabel = "device keys"

func sealDeviceKeys(key []byte, sign ed25519.PrivateKey, id *age.X25519Identity) ([]byte, error) {
	plain := append(append([]byte{}, sign.Seed()...), id.String()...)
	defer clear(plain)
	return seal(key, deviceKeysLabel, plain)
}

func unsealDeviceKeys(key, sealed []byte) (*keyring, error) {
	plain, err := unseal(key, deviceKeysLabel, sealed)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	if len(plain) <= ed25519.SeedSize {
		return nil, errors.New("sealed device keys: damaged")
	}
	id, err := age.ParseX25519Identity(string(plain[ed25519.SeedSize:]))
	if err != nil {
		return nil, fmt.Errorf("sealed device keys: %w", err)
	}
	return &keyring{storeKey: key, sign: ed25519.NewKeyFromSeed(plain[:ed25519.SeedSize]), age: id}, nil
}

// HasPassphrase reports a store whose keys are sealed under a passphrase.
// A store made before passphrases existed (or by Init, as tests and the
// demo do) has its keys in the clear until SetPassphrase.
func (s *Store) HasPassphrase() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sealed
}

// Locked reports a store whose keys are sealed and not in memory: it reads
// but cannot sign or decrypt.
func (s *Store) Locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sealed && s.keys == nil
}

// InitWithPassphrase is Init with the keys sealed under passphrase from
// the first write: the plaintext keys never reach the file. The store is
// left unlocked.
func (s *Store) InitWithPassphrase(ctx context.Context, o data.Officer, passphrase string) error {
	sl, err := newSealing(passphrase)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	return s.initSealed(ctx, o, sl)
}

// unlocked installs an unlocked keyring (nil: lock) and the device key.
func (s *Store) setKeys(k *keyring) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys != nil && s.keys != k {
		s.keys.wipe()
	}
	s.keys = k
	if s.dev != nil {
		if k != nil {
			s.dev.PrivateKey = k.sign
		} else {
			s.dev.PrivateKey = nil
		}
	}
}

// Lock forgets the keys: the store reads on, and signing or decrypting
// fails with ErrLocked until Unlock. A store without a passphrase has
// nothing to lock.
func (s *Store) Lock() {
	if s.HasPassphrase() {
		s.setKeys(nil)
	}
}

// deviceSecrets reads the sealed columns.
func (s *Store) deviceSecrets(ctx context.Context) (wrap, sealed []byte, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(key_wrap, X''), coalesce(sealed_keys, X'') FROM device`).Scan(&wrap, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, data.ErrNotInitialised
	}
	return wrap, sealed, err
}

// Unlock opens the store's keys with its passphrase. A wrong passphrase
// writes nothing to the store: it is counted in a file beside it
// (FailuresPath), and after repeated failures the next attempt is refused
// until a growing delay has passed (data.UnlockWait). A store without a
// passphrase yet answers ErrNoPassphrase: choose one with SetPassphrase.
func (s *Store) Unlock(ctx context.Context, passphrase string) error {
	key, err := s.checkPassphrase(ctx, passphrase)
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	_, sealed, err := s.deviceSecrets(ctx)
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	k, err := unsealDeviceKeys(key, sealed)
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	dev, err := s.Device()
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	if !k.sign.Public().(ed25519.PublicKey).Equal(dev.Public) {
		return fmt.Errorf("unlock: the sealed signing key is not this device's (site %s)", dev.Site)
	}
	s.setKeys(k)
	return nil
}

// CheckPassphrase verifies passphrase against the store's without
// changing what is unlocked; failures count as for Unlock. The window
// asks it again before an encrypted backup or a passphrase change.
func (s *Store) CheckPassphrase(ctx context.Context, passphrase string) error {
	_, err := s.checkPassphrase(ctx, passphrase)
	return err
}

func (s *Store) checkPassphrase(ctx context.Context, passphrase string) ([]byte, error) {
	wrap, _, err := s.deviceSecrets(ctx)
	if err != nil {
		return nil, err
	}
	if len(wrap) == 0 {
		return nil, data.ErrNoPassphrase
	}
	if err := s.unlockAllowed(); err != nil {
		return nil, err
	}
	key, err := unwrapStoreKey(wrap, passphrase)
	if errors.Is(err, data.ErrWrongPassphrase) {
		if ferr := s.recordFailure(); ferr != nil {
			return nil, errors.Join(err, ferr)
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	s.clearFailures()
	return key, nil
}

// SetPassphrase seals the keys of a store that has none yet (made before
// passphrases, or by Init) and scrubs the plaintext keys from the file:
// the update runs with secure_delete, then the WAL is checkpointed and
// truncated and the file vacuumed, so no free page or WAL frame keeps
// them. The store is left unlocked.
func (s *Store) SetPassphrase(ctx context.Context, passphrase string) error {
	if s.HasPassphrase() {
		return fmt.Errorf("set passphrase: %w", data.Invalid("passphrase", "the store has one already: change it instead"))
	}
	dev, err := s.Device()
	if err != nil {
		return fmt.Errorf("set passphrase: %w", err)
	}
	if len(dev.PrivateKey) != ed25519.PrivateKeySize {
		return fmt.Errorf("set passphrase: %w", data.ErrLocked)
	}
	id, err := s.ageIdentity(ctx) // made now if the store never had one
	if err != nil {
		return fmt.Errorf("set passphrase: %w", err)
	}
	sl, err := newSealing(passphrase)
	if err != nil {
		return fmt.Errorf("set passphrase: %w", err)
	}
	sealed, err := sealDeviceKeys(sl.storeKey, dev.PrivateKey, id)
	if err != nil {
		return fmt.Errorf("set passphrase: %w", err)
	}
	err = s.scrubbing(ctx, true, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE device SET private_key = X'', age_identity = '', age_recipient = ?, key_wrap = ?, sealed_keys = ?`,
			id.Recipient().String(), sl.wrap, sealed)
		return err
	}, func() {
		// Sealed from here on, even if the scrub below fails.
		s.mu.Lock()
		s.sealed = true
		s.mu.Unlock()
		s.setKeys(&keyring{storeKey: sl.storeKey, sign: dev.PrivateKey, age: id})
	})
	if err != nil {
		return fmt.Errorf("set passphrase: %w", err)
	}
	return nil
}

// ChangePassphrase seals the store key under a new passphrase, after
// checking the old one (a failure counts as for Unlock). The keys
// themselves do not change, nor anything sealed with the store key.
func (s *Store) ChangePassphrase(ctx context.Context, old, passphrase string) error {
	if err := data.CheckNewPassphrase(passphrase); err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	key, err := s.checkPassphrase(ctx, old)
	if err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	wrap, err := wrapStoreKey(key, passphrase)
	if err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	// The old wrap opens with the old passphrase: scrubbed like the
	// plaintext keys, so a copy of the file taken later does not.
	err = s.scrubbing(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE device SET key_wrap = ?`, wrap)
		return err
	}, func() {})
	if err != nil {
		return fmt.Errorf("change passphrase: %w", err)
	}
	return nil
}

// scrubbing runs fn in a write transaction on one connection with
// secure_delete on, then (after committed) checkpoints and truncates the
// WAL, and with vacuum rebuilds the file, so what fn overwrote is nowhere
// in the file. A scrub that fails (another process reading an old
// snapshot) is an error to report, with fn's change kept.
func (s *Store) scrubbing(ctx context.Context, vacuum bool, fn func(*sql.Tx) error, committed func()) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA secure_delete = OFF`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		if isBusy(err) {
			return data.ErrBusy
		}
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed()
	steps := []string{`PRAGMA wal_checkpoint(TRUNCATE)`}
	if vacuum {
		steps = append(steps, `VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	for _, q := range steps {
		if err := s.execChecked(ctx, conn, q); err != nil {
			return fmt.Errorf("scrub the old keys (%s): %w", q, err)
		}
	}
	return nil
}

// execChecked runs a statement; a checkpoint that could not finish (a
// reader in another process holds an old snapshot) is an error, since the
// WAL may still hold what was overwritten.
func (s *Store) execChecked(ctx context.Context, conn *sql.Conn, q string) error {
	if q != `PRAGMA wal_checkpoint(TRUNCATE)` {
		_, err := conn.ExecContext(ctx, q)
		return err
	}
	var busy, logFrames, done int
	if err := conn.QueryRowContext(ctx, q).Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return data.ErrBusy
	}
	return nil
}

// SealSecret seals a secret (the organisation key, say) with the store
// key, for the caller to keep in the store; label names its use and must
// be given again to open it. It needs the store unlocked (ErrLocked) and
// a passphrase set (ErrNoPassphrase). What it returns is safe in a backup:
// a backup holds no store key.
func (s *Store) SealSecret(label string, plain []byte) ([]byte, error) {
	key, err := s.storeKey()
	if err != nil {
		return nil, err
	}
	return seal(key, label, plain)
}

// OpenSecret opens what SealSecret sealed with the same label.
func (s *Store) OpenSecret(label string, sealed []byte) ([]byte, error) {
	key, err := s.storeKey()
	if err != nil {
		return nil, err
	}
	return unseal(key, label, sealed)
}

func (s *Store) storeKey() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.sealed {
		return nil, data.ErrNoPassphrase
	}
	if s.keys == nil {
		return nil, data.ErrLocked
	}
	return s.keys.storeKey, nil
}

// ageRecipient is the public half of this device's age key, read without
// unlocking.
func (s *Store) ageRecipient(ctx context.Context) (string, error) {
	if !s.HasPassphrase() {
		id, err := s.ageIdentity(ctx)
		if err != nil {
			return "", err
		}
		return id.Recipient().String(), nil
	}
	var r string
	err := s.db.QueryRowContext(ctx, `SELECT age_recipient FROM device`).Scan(&r)
	return r, err
}

// sealedAgeIdentity is the unlocked age key of a sealed store; ok is false
// for a store without a passphrase, whose key is read from its row.
func (s *Store) sealedAgeIdentity() (id *age.X25519Identity, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.sealed {
		return nil, false, nil
	}
	if s.keys == nil {
		return nil, true, data.ErrLocked
	}
	return s.keys.age, true, nil
}

// FailuresPath is the file beside the store that counts wrong passphrases
// in a row. It is outside the store on purpose: a wrong passphrase writes
// nothing to the store, and a copied store does not carry it.
func (s *Store) FailuresPath() string { return s.path + ".unlock-failures" }

// unlockFailures is the content of FailuresPath.
type unlockFailures struct {
	Failures int       `json:"failures"`
	Last     time.Time `json:"last"`
}

// UnlockDelay is how long an unlock waits after n wrong passphrases in a
// row: none after the first (a typo), then 2 s, 4 s, 8 s, … up to 10
// minutes.
func UnlockDelay(n int) time.Duration {
	if n < 2 {
		return 0
	}
	if n > 11 {
		return 10 * time.Minute
	}
	return min(time.Second<<(n-1), 10*time.Minute)
}

func (s *Store) readFailures() unlockFailures {
	var f unlockFailures
	b, err := os.ReadFile(s.FailuresPath())
	if err == nil {
		json.Unmarshal(b, &f) // a damaged count counts as none
	}
	return f
}

// unlockAllowed refuses an attempt made before the delay after the last
// failures has passed.
func (s *Store) unlockAllowed() error {
	f := s.readFailures()
	until := f.Last.Add(UnlockDelay(f.Failures))
	if now := s.Now(); now.Before(until) {
		return &data.UnlockWait{Failures: f.Failures, Until: until, Now: now}
	}
	return nil
}

// UnlockWaitUntil is when the next unlock attempt is allowed (the zero time
// when it is now).
func (s *Store) UnlockWaitUntil() time.Time {
	f := s.readFailures()
	until := f.Last.Add(UnlockDelay(f.Failures))
	if s.Now().Before(until) {
		return until
	}
	return time.Time{}
}

func (s *Store) recordFailure() error {
	f := s.readFailures()
	f.Failures++
	f.Last = s.Now().UTC()
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	if err := os.WriteFile(s.FailuresPath(), b, 0o600); err != nil {
		return fmt.Errorf("count the failed unlock: %w", data.FileError(err))
	}
	return nil
}

func (s *Store) clearFailures() {
	os.Remove(s.FailuresPath())
}
