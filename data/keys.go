package data

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Keys at rest (docs/ARCHITECTURE.md §11): the device's secret keys are
// sealed under a passphrase; a store opens locked and signs or decrypts
// only once unlocked.
var (
	// ErrLocked means an operation needs the device's secret keys (to sign
	// or decrypt) and the store has not been unlocked with its passphrase.
	ErrLocked = errors.New("the store's keys are locked: unlock it with its passphrase")
	// ErrWrongPassphrase means the passphrase does not open the store's
	// keys (or the backup); nothing was changed.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrNoPassphrase means the store's keys are not sealed yet (a store
	// made before passphrases): a passphrase must be chosen first.
	ErrNoPassphrase = errors.New("the store has no passphrase yet")
)

// MinPassphrase is the shortest passphrase accepted when one is chosen.
const MinPassphrase = 8

// CheckNewPassphrase refuses a passphrase too short to choose.
func CheckNewPassphrase(p string) error {
	if utf8.RuneCountInString(p) < MinPassphrase {
		return Invalid("passphrase", "must be at least %d characters", MinPassphrase)
	}
	return nil
}

// UnlockWait is a refused unlock: too many wrong passphrases in a row, and
// the next attempt is allowed only after Until. It matches
// ErrWrongPassphrase with errors.Is.
type UnlockWait struct {
	Failures int
	Until    time.Time
	Now      time.Time
}

func (e *UnlockWait) Error() string {
	return fmt.Sprintf("%d wrong passphrases in a row: try again in %s", e.Failures, e.Until.Sub(e.Now).Round(time.Second))
}

func (e *UnlockWait) Is(target error) bool { return target == ErrWrongPassphrase }

// Sign signs message with the device key, or fails with ErrLocked when the
// store holding the device is locked (its private key is not in memory).
func (d *Device) Sign(message []byte) ([]byte, error) {
	if len(d.PrivateKey) != ed25519.PrivateKeySize {
		return nil, ErrLocked
	}
	return ed25519.Sign(d.PrivateKey, message), nil
}
