package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"liaisondesk/data"
)

// ContentFor lists the attachment content a batch's changes refer to and
// this replica holds whole, each once, in the order the changes name
// them: what a bundle or a hub reply carries beside the changes.
func (s *Store) ContentFor(ctx context.Context, b *data.Batch) ([]data.ContentRef, error) {
	var out []data.ContentRef
	seen := map[string]bool{}
	for i := range b.Changes {
		c := &b.Changes[i]
		if c.Table != attachmentsTable.name {
			continue
		}
		var f struct {
			SHA256 string `json:"sha256"`
		}
		if json.Unmarshal(c.Fields, &f) != nil || !data.IsSHA256(f.SHA256) || seen[f.SHA256] {
			continue
		}
		seen[f.SHA256] = true
		var size int64
		err := s.rdb.QueryRowContext(ctx, `SELECT size FROM attachment_blobs WHERE sha256 = ?`, f.SHA256).Scan(&size)
		if errors.Is(err, sql.ErrNoRows) {
			continue // not arrived here either: a later sync from its author carries it
		}
		if err != nil {
			return nil, data.Op("sync", "attachment content", err)
		}
		out = append(out, data.ContentRef{SHA256: f.SHA256, Size: size})
	}
	return out, nil
}

// takeContent stores the content an import carries, inside its
// transaction and after its changes are applied: content no attachment
// here refers to, or held already, is read and dropped. Content that is
// not its announced size or hash is refused, so the whole import rolls
// back and nothing is written.
func (s *Store) takeContent(ctx context.Context, tx *sql.Tx, in data.Incoming) error {
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
		held, err := contentHeld(ctx, tx, c.SHA256)
		if err != nil {
			return err
		}
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE sha256 = ?`, c.SHA256).Scan(&used); err != nil {
			return err
		}
		part := io.LimitReader(in.ContentReader, c.Size)
		if held || used == 0 {
			n, err := io.Copy(io.Discard, part)
			if err != nil {
				return err
			}
			if n != c.Size {
				return data.Refused("attachment content %s is truncated", c.SHA256[:data.MinHashPrefix])
			}
			continue
		}
		if err := s.putContent(ctx, tx, c.SHA256, c.Size, part); err != nil {
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
