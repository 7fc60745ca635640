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
	ErrNotInitialised = errors.New("store not initialised")
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

// Facts behind a FieldError or a RefusedError that a front end may add its
// own advice to (the command line names a verb, the window a screen). The
// messages say what is wrong; none says what to type.
var (
	// ErrExists: the file a new store would be created at exists already.
	ErrExists = errors.New("already exists")
	// ErrUnknownPosting: a record names a posting the store does not have.
	ErrUnknownPosting = errors.New("unknown posting")
	// ErrWorkflowStatus: a request's status changes only along its
	// workflow, never by editing the field.
	ErrWorkflowStatus = errors.New("status follows the workflow")
	// ErrFinal: a final exchange is corrected by amending it.
	ErrFinal = errors.New("the exchange is final")
	// ErrNotCompeting: a resolve kept a value that is not one of the
	// conflict's competing values.
	ErrNotCompeting = errors.New("not a competing value")
	// ErrNotAuthorID: a quarantine id is not an author id as the held
	// list shows it.
	ErrNotAuthorID = errors.New("not an author id")
	// ErrAuthorKeyUnknown: held changes can be checked only once their
	// author is enrolled as a peer.
	ErrAuthorKeyUnknown = errors.New("the author's key is not known")
	// ErrTwoKeys: held changes of one author come signed with two keys;
	// enrolling the author tells the forged ones.
	ErrTwoKeys = errors.New("changes signed with two keys")
	// ErrTwoHistories: two versions of an author's changes are held;
	// enrolling the author tells the genuine one.
	ErrTwoHistories = errors.New("two versions of changes")
	// ErrNotIdentityLine: a peer's identity was not given as the one-line
	// form a device prints.
	ErrNotIdentityLine = errors.New("not an identity line")
	// ErrSameDeviceCode: a peer has this device's short code, so one of
	// the two needs a new store.
	ErrSameDeviceCode = errors.New("same device code")
	// ErrCloned: this device's identity is in use on two laptops, so one
	// must be restored as a new device.
	ErrCloned = errors.New("identity in use on two laptops")
	// ErrNotOrgLine: an organisation was not given as the one-line form
	// HQ prints.
	ErrNotOrgLine = errors.New("not an organisation line")
	// ErrNoOrgKey: the work needs the organisation's key, which only HQ's
	// store holds.
	ErrNoOrgKey = errors.New("no organisation key here")
	// ErrDeviceCodeTaken: a device's short code is already on the roster,
	// so the new device needs a new store.
	ErrDeviceCodeTaken = errors.New("device code on the roster")
	// ErrNoOrgTrusted: a device presents a certificate, but this store
	// trusts no organisation.
	ErrNoOrgTrusted = errors.New("no organisation trusted here")
	// ErrNotHQ: only HQ (a device certified as staff) sets this.
	ErrNotHQ = errors.New("not HQ")
)

// RefusedError is incoming sync data refused, with what was wrong. It
// matches ErrRefused, and Err (when set) names the fact behind it.
type RefusedError struct {
	Reason string
	Err    error
}

func (e *RefusedError) Error() string        { return "refused: " + e.Reason }
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }
func (e *RefusedError) Unwrap() error        { return e.Err }

// Refused wraps ErrRefused with what was wrong.
func Refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// RefusedBecause is Refused with the fact a front end may advise on.
func RefusedBecause(fact error, format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...), Err: fact}
}

// UntrustedSenderError refuses sync data from a device that is not an
// enrolled peer (Peer is "") or a revoked one (Peer names it).
type UntrustedSenderError struct {
	Site SiteID
	Peer string
}

func (e *UntrustedSenderError) Error() string {
	if e.Peer != "" {
		return fmt.Sprintf("refused: sender not trusted: peer %s (device %s) was revoked", e.Peer, e.Site.ShortCode())
	}
	return fmt.Sprintf("refused: sender not trusted: device %s is not an enrolled peer", e.Site)
}

func (e *UntrustedSenderError) Is(target error) bool {
	return target == ErrRefused || target == ErrUntrusted
}

// BackupAsStoreError is a backup file opened as a working store.
type BackupAsStoreError struct{ Path string }

func (e *BackupAsStoreError) Error() string { return e.Path + ": " + ErrBackupStore.Error() }
func (e *BackupAsStoreError) Unwrap() error { return ErrBackupStore }

// HubDatabaseError is a command other than a hub's given a PostgreSQL
// URL as its store: such a database holds only a hub's replica.
type HubDatabaseError struct{ Verb string }

func (e *HubDatabaseError) Error() string {
	return fmt.Sprintf("a PostgreSQL database holds a hub's replica, and %s does not work on it", e.Verb)
}

// HubStoreError is a command other than a hub's run on a hub's store,
// which relays the signed log and builds no records.
type HubStoreError struct{ Path, Verb string }

func (e *HubStoreError) Error() string {
	return fmt.Sprintf("%s is a hub's store: it relays the signed log and holds no records, and %s does not work on it", e.Path, e.Verb)
}

// PeerNotFoundError names a peer this store does not have.
type PeerNotFoundError struct{ Name string }

func (e *PeerNotFoundError) Error() string {
	return fmt.Sprintf("%v: no peer called %q", ErrNotFound, e.Name)
}
func (e *PeerNotFoundError) Unwrap() error { return ErrNotFound }

// RecordError names the record of a batch (counted from 1) that failed.
type RecordError struct {
	N   int
	Err error
}

func (e *RecordError) Error() string { return fmt.Sprintf("record %d: %v", e.N, e.Err) }
func (e *RecordError) Unwrap() error { return e.Err }

// OpError is an error wrapped with the operation that failed, as its
// command names it: Verb ("update", "peers") and what it acted on
// ("exchange 01…", "add"). A front end that names the operation itself
// (the command line's "liaisondesk update ...:", a dialog's title) shows
// Err without it, with no need to read the message.
type OpError struct {
	Verb, Object string
	Err          error
}

func (e *OpError) Error() string {
	if e.Object == "" {
		return e.Verb + ": " + e.Err.Error()
	}
	return e.Verb + " " + e.Object + ": " + e.Err.Error()
}

func (e *OpError) Unwrap() error { return e.Err }

// Op wraps err with the operation that failed; object may be "".
func Op(verb, object string, err error) error {
	return &OpError{Verb: verb, Object: object, Err: err}
}

// FieldError says which field is wrong and why. It matches ErrInvalid with
// errors.Is, and Err (when set) names the fact behind it for errors.Is.
type FieldError struct {
	Field   string // JSON field name, e.g. "lines[1].nsn"
	Problem string // what is wrong, in words a user understands
	Err     error  // e.g. ErrUnknownPosting, or nil
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Is lets errors.Is(err, ErrInvalid) recognise every FieldError.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

func (e *FieldError) Unwrap() error { return e.Err }

func Invalid(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// InvalidBecause is Invalid with the fact a front end may advise on.
func InvalidBecause(fact error, field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...), Err: fact}
}

// prefixed re-homes a child's field error under its parent, e.g. "lines[2].nsn".
func Prefixed(prefix string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: prefix + "." + fe.Field, Problem: fe.Problem, Err: fe.Err}
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
