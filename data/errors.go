package data

import (
	"errors"
	"fmt"
)

// Coded errors, mapped at the storage edge so callers (the command line, the
// window) can tell "you typed something wrong" from "the disk failed".
var (
	// ErrNotFound means the record does not exist (or was deleted).
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input breaks a rule; the error names the field.
	ErrInvalid = errors.New("invalid")
	// ErrNotInitialised means the store has no device identity yet.
	ErrNotInitialised = errors.New("store not initialised: run 'liaisondesk init'")
	// ErrBusy means another process (a long import, say) holds the
	// store's write lock for longer than a write waits.
	ErrBusy = errors.New("another Liaison Desk process is writing this store; try again when it finishes")
	// ErrDiskFull means a write found no room on its disk; what it was
	// writing was rolled back or removed.
	ErrDiskFull = errors.New("the disk is full: free some space and try again (nothing was changed)")
	// ErrBackupStore means a backup file was opened as a working store: it
	// holds the records but no keys, so it cannot sign.
	ErrBackupStore = errors.New("this file is a backup, which holds no keys")
	// ErrRefused means incoming sync data (a bundle, a receipt, a hub
	// request) was refused as damaged, forged or from a sender not trusted;
	// nothing was changed.
	ErrRefused = errors.New("refused")
	// ErrUntrusted is a refusal because the sender is not an enrolled,
	// unrevoked peer (a hub answers it with HTTP 403).
	ErrUntrusted = errors.New("sender not trusted")
)

// refused wraps ErrRefused with what was wrong.
func Refused(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, args...))
}

// FieldError says which field is wrong and why. It matches ErrInvalid with
// errors.Is.
type FieldError struct {
	Field   string // JSON field name, e.g. "lines[1].nsn"
	Problem string // what is wrong, in words a user understands
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Is lets errors.Is(err, ErrInvalid) recognise every FieldError.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

func Invalid(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// prefixed re-homes a child's field error under its parent, e.g. "lines[2].nsn".
func Prefixed(prefix string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: prefix + "." + fe.Field, Problem: fe.Problem}
	}
	return err
}

// FieldOf returns the field named by an invalid-input error, or "".
func FieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
