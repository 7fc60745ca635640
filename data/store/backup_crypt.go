package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	"liaisondesk/data"
)

// ageMagic opens every age file (binary form).
const ageMagic = "age-encryption.org/v1\n"

// BackupEncrypted writes the backup Backup would (everything but the
// device's keys) age-encrypted to recipients: the officer's passphrase
// (ScryptRecipient, alone) or public keys such as HQ's backup key. It
// streams: the plain copy is made in a temporary file beside the store
// (on the disk that already holds the records in the clear), encrypted
// into a temporary file beside dest, synced and renamed; the plain copy
// is removed whatever happens.
func (s *Store) BackupEncrypted(ctx context.Context, dest string, recipients ...age.Recipient) error {
	if len(recipients) == 0 {
		return data.Op("backup", "", data.Invalid("to", "no recipient to encrypt to"))
	}
	dest, err := filepath.Abs(dest)
	if err != nil {
		return data.Op("backup", "", err)
	}
	if same, _ := sameFile(dest, s.path); same {
		return data.Op("backup", "", data.Invalid("file", "is the store itself"))
	}
	plain := s.path + ".tmp-backup-plain"
	cleanup := func() {
		for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
			os.Remove(plain + suffix)
		}
	}
	cleanup()
	defer cleanup()
	if err := createPrivate(plain); err != nil {
		return data.Op("backup", "", err)
	}
	if err := s.recordBackup(ctx, dest, "age"); err != nil { // the audit of what left the system
		return data.Op("backup", "", err)
	}
	if err := s.copyWithoutKeys(ctx, plain); err != nil {
		return data.Op("backup", fmt.Sprintf("to %s", dest), err)
	}
	in, err := os.Open(plain)
	if err != nil {
		return data.Op("backup", "", err)
	}
	defer in.Close()
	err = data.WriteFileAtomic(dest, 0o600, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		enc, err := age.Encrypt(bw, recipients...)
		if err != nil {
			return err
		}
		if _, err := io.Copy(enc, bufio.NewReaderSize(in, 1<<20)); err != nil {
			return err
		}
		if err := enc.Close(); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return data.Op("backup", "", err)
	}
	return nil
}

// IsEncryptedBackup reports a file that is age-encrypted (a backup made
// without --plain).
func IsEncryptedBackup(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(ageMagic))
	n, _ := io.ReadFull(f, head)
	return n == len(head) && string(head) == ageMagic
}

// RestoreOptions say how to open a backup and seal the restored store.
type RestoreOptions struct {
	Force bool // replace an existing store
	// Identities open an encrypted backup: ScryptIdentity(passphrase), or
	// a recipient's key (HQ's backup key).
	Identities []age.Identity
	// Passphrase seals the restored store's new keys; empty leaves them in
	// the clear (tests; the command line always gives one).
	Passphrase string
}

// RestoreWith is RestoreBackup for a backup plain or encrypted, sealing the
// new identity under o.Passphrase. A backup that o.Identities do not open
// is ErrWrongPassphrase, and nothing is created.
func RestoreWith(ctx context.Context, backup, dest string, o RestoreOptions) (*data.Restored, error) {
	if !IsEncryptedBackup(backup) {
		return restoreInto(ctx, backup, dest, o, func(tmp string) error { return copyFile(backup, tmp) })
	}
	if len(o.Identities) == 0 {
		return nil, fmt.Errorf("restore: %w", data.Invalid("file", "%s is encrypted: give its passphrase, or the key it was made to", backup))
	}
	return restoreInto(ctx, backup, dest, o, func(tmp string) error {
		if err := decryptBackup(backup, tmp, o.Identities); err != nil {
			return fmt.Errorf("%s: %w", backup, err)
		}
		return nil
	})
}

// decryptBackup streams the decrypted backup into a new private file.
func decryptBackup(backup, out string, ids []age.Identity) error {
	in, err := os.Open(backup)
	if err != nil {
		return data.FileError(err)
	}
	defer in.Close()
	r, err := age.Decrypt(bufio.NewReaderSize(in, 1<<20), ids...)
	if err != nil {
		if errors.Is(err, age.ErrIncorrectIdentity) {
			return fmt.Errorf("%w: the passphrase or key does not open this backup", data.ErrWrongPassphrase)
		}
		return fmt.Errorf("not a readable encrypted backup: %w", err)
	}
	if err := createPrivate(out); err != nil {
		return err
	}
	f, err := os.OpenFile(out, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.Copy(bw, r); err != nil {
		f.Close()
		return fmt.Errorf("the encrypted backup is damaged or truncated: %w", err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
