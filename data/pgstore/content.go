package pgstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// contentChunk is the size of one stored piece of attachment content: a
// file of any size passes through the hub one chunk at a time.
const contentChunk = 1 << 20

var errContentMismatch = errors.New("attachment content does not match its hash")

// ContentFor lists the attachment content a batch's changes refer to and
// the hub holds whole, each once, in the order the changes name them.
func (s *Store) ContentFor(ctx context.Context, b *data.Batch) ([]data.ContentRef, error) {
	var out []data.ContentRef
	seen := map[string]bool{}
	for i := range b.Changes {
		sum := contentOf(&b.Changes[i])
		if sum == nil || seen[*sum] {
			continue
		}
		seen[*sum] = true
		var size int64
		err := s.pool.QueryRow(ctx, `SELECT size FROM content_blobs WHERE sha256 = $1`, *sum).Scan(&size)
		if noRows(err) {
			continue // not arrived here either: a later sync from its author carries it
		}
		if err != nil {
			return nil, data.Op("sync", "attachment content", err)
		}
		out = append(out, data.ContentRef{SHA256: *sum, Size: size})
	}
	return out, nil
}

// WriteContent writes held content to out chunk by chunk, checking its
// hash; content not held is data.ErrNoContent.
func (s *Store) WriteContent(ctx context.Context, sum string, out io.Writer) error {
	var size int64
	err := s.pool.QueryRow(ctx, `SELECT size FROM content_blobs WHERE sha256 = $1`, sum).Scan(&size)
	if noRows(err) {
		return fmt.Errorf("%s: %w", sum[:min(len(sum), data.MinHashPrefix)], data.ErrNoContent)
	}
	if err != nil {
		return err
	}
	h := sha256.New()
	var got int64
	// One chunk per query: a cursor over all of them would hold a
	// connection for as long as the reader takes.
	for n := 0; got < size; n++ {
		var chunk []byte
		if err := s.pool.QueryRow(ctx, `SELECT chunk FROM content_chunks WHERE sha256 = $1 AND n = $2`, sum, n).Scan(&chunk); err != nil {
			if noRows(err) {
				break
			}
			return err
		}
		got += int64(len(chunk))
		h.Write(chunk)
		if _, err := out.Write(chunk); err != nil {
			return err
		}
	}
	if got != size || hex.EncodeToString(h.Sum(nil)) != sum {
		return fmt.Errorf("attachment %s: %w: run check", sum[:data.MinHashPrefix], errContentMismatch)
	}
	return nil
}

// takeContent stores the content an import carries, inside its
// transaction: content no change here refers to, or held already, is read
// and dropped; content not its announced size or hash is refused, and the
// whole import rolls back (data/store/attachment_sync.go).
func (s *Store) takeContent(ctx context.Context, tx pgx.Tx, in data.Incoming) error {
	if len(in.Contents) == 0 {
		return nil
	}
	if in.ContentReader == nil {
		return data.Refused("the sender announced attachment content but sent none")
	}
	for _, c := range in.Contents {
		if err := c.Check(); err != nil {
			return data.Refused("attachment content: %v", err)
		}
		var held, used bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM content_blobs WHERE sha256 = $1), EXISTS (SELECT 1 FROM changes WHERE content = $1)`,
			c.SHA256).Scan(&held, &used); err != nil {
			return err
		}
		part := io.LimitReader(in.ContentReader, c.Size)
		if held || !used {
			n, err := io.Copy(io.Discard, part)
			if err != nil {
				return err
			}
			if n != c.Size {
				return data.Refused("attachment content %s is truncated", c.SHA256[:data.MinHashPrefix])
			}
			continue
		}
		if err := putContent(ctx, tx, c.SHA256, c.Size, part); err != nil {
			if errors.Is(err, errContentMismatch) {
				return data.Refused("attachment content %s does not match its SHA-256 (altered or truncated): nothing was imported", c.SHA256[:data.MinHashPrefix])
			}
			return fmt.Errorf("attachment content %s: %w", c.SHA256[:data.MinHashPrefix], err)
		}
	}
	var one [1]byte
	if n, _ := io.ReadFull(in.ContentReader, one[:]); n > 0 {
		return data.Refused("unexpected bytes after the last attachment content")
	}
	return nil
}

// putContent stores content read from r under sum, chunk by chunk.
func putContent(ctx context.Context, tx pgx.Tx, sum string, size int64, r io.Reader) error {
	if _, err := tx.Exec(ctx, `DELETE FROM content_chunks WHERE sha256 = $1`, sum); err != nil {
		return err
	}
	h := sha256.New()
	buf := make([]byte, contentChunk)
	var got int64
	for n := 0; ; n++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			got += int64(k)
			if got > size {
				return errContentMismatch
			}
			h.Write(buf[:k])
			if _, err := tx.Exec(ctx, `INSERT INTO content_chunks (sha256, n, chunk) VALUES ($1, $2, $3)`, sum, n, buf[:k]); err != nil {
				return err
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if got != size || hex.EncodeToString(h.Sum(nil)) != sum {
		return errContentMismatch
	}
	_, err := tx.Exec(ctx, `INSERT INTO content_blobs (sha256, size) VALUES ($1, $2) ON CONFLICT DO NOTHING`, sum, size)
	return err
}
