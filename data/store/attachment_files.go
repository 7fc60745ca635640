package store

// Attachment content lives in files beside the store, one per SHA-256:
// STORE.attachments/ab/abcdef… (the first two hex digits as a folder).
// SQLite in WAL mode writes a blob a 4 KiB page at a time, a write per
// page and again at the checkpoint; a file takes a write per MiB and one
// fsync, so carrying attachments laptop to laptop runs near the speed of
// copying and hashing them.
//
// attachment_blobs stays the list of content held whole and verified, in
// the store's transactions: a file is written, synced and renamed into
// place inside the transaction that lists it, and a file no row lists is
// never read. A crash or a refused import leaves at most such a file,
// which the next sweep removes. Content kept in attachment_content (by
// earlier versions, and in backups, which stay one SQLite file) is read
// from there.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"liaisondesk/data"
)

// contentDirSuffix names the folder of content files: the store file's
// name with this added.
const contentDirSuffix = ".attachments"

// contentDir is the folder of content files, beside the store file.
func (s *Store) contentDir() string { return s.path + contentDirSuffix }

// contentFile is where the content of sum is kept.
func (s *Store) contentFile(sum string) string {
	return filepath.Join(s.contentDir(), sum[:2], sum)
}

// writeContentFile writes content read from r to its file, hashing as it
// goes: into a temporary file beside it, synced, then renamed into place.
// Content that is not size bytes or does not hash to sum is
// errContentMismatch and leaves no file.
func (s *Store) writeContentFile(sum string, size int64, r io.Reader) (err error) {
	dir := filepath.Dir(s.contentFile(sum))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+sum[:data.MinHashPrefix]+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(f, h), io.LimitReader(r, size+1), make([]byte, contentChunk))
	if err != nil {
		return err
	}
	if n != size || hex.EncodeToString(h.Sum(nil)) != sum {
		return errContentMismatch
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = data.ReplaceFile(f.Name(), s.contentFile(sum)); err != nil {
		return err
	}
	data.SyncDir(dir)
	return data.SyncDir(s.contentDir())
}

// fileContent reads a content file, checking its hash at the end: a
// reader gets errContentMismatch instead of io.EOF for a file changed on
// disk.
type fileContent struct {
	f   *os.File
	sum string
	h   hash.Hash
}

func (c *fileContent) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(c.h.Sum(nil)) != c.sum {
		return n, errContentMismatch
	}
	return n, err
}

func (c *fileContent) Close() error { return c.f.Close() }

// openContent reads held content from its file, or from
// attachment_content when it has none (content of an earlier version or a
// restored backup), checking its hash as the last bytes are read.
func (s *Store) openContent(ctx context.Context, q querier, sum string) (io.ReadCloser, error) {
	f, err := os.Open(s.contentFile(sum))
	if err == nil {
		return &fileContent{f: f, sum: sum, h: sha256.New()}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return io.NopCloser(&contentReader{ctx: ctx, q: q, sum: sum, h: sha256.New()}), nil
}

// sweepContent removes the content files no row of attachment_blobs
// lists, and temporary files: left by a crash, a refused import or a
// detach. It runs in a transaction of its own, holding the write lock, so
// no other writer is between renaming a file into place and listing it.
func (s *Store) sweepContent(ctx context.Context) error {
	if _, err := os.Stat(s.contentDir()); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return filepath.WalkDir(s.contentDir(), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name := d.Name()
			if !strings.HasSuffix(name, ".tmp") {
				held, err := contentHeld(ctx, tx, name)
				if err != nil || held {
					return err
				}
			}
			os.Remove(path) // one held open elsewhere (Windows) goes at the next sweep
			return nil
		})
	})
}

// backupContent copies the content held in files into a backup's
// attachment_content, a chunk at a time, checking each file's hash: a
// backup stays one SQLite file, and a store restored from it reads its
// content from there.
func (s *Store) backupContent(ctx context.Context, tx *sql.Tx) error {
	sums, err := readColumn[string](ctx, tx, `SELECT sha256 FROM main.attachment_blobs b
		WHERE NOT EXISTS (SELECT 1 FROM main.attachment_content c WHERE c.sha256 = b.sha256) ORDER BY sha256`)
	if err != nil {
		return err
	}
	buf := make([]byte, contentChunk)
	for _, sum := range sums {
		r, err := s.openContent(ctx, tx, sum)
		if err != nil {
			return err
		}
		for n := 0; ; n++ {
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO main.attachment_content (sha256, n, chunk) VALUES (?, ?, ?)`, sum, n, buf[:k]); err != nil {
					r.Close()
					return err
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				r.Close()
				if errors.Is(err, errContentMismatch) {
					return errors.New("attachment content " + sum[:data.MinHashPrefix] + " does not match its SHA-256: run check")
				}
				return err
			}
		}
		r.Close()
	}
	return nil
}
