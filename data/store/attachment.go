package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"liaisondesk/data"
)

var attachmentsTable = mustTable(data.KindAttachment)

// contentChunk is how attachment content is kept and streamed: 1 MiB per
// row of attachment_content, so no file is ever held whole in memory.
const contentChunk = 1 << 20

// attachLimitKey is the local setting limiting what this laptop attaches.
const attachLimitKey = "attach_limit"

// AttachLimit is the largest file this laptop attaches, in bytes: its
// setting, or data.DefaultAttachLimit.
func (s *Store) AttachLimit(ctx context.Context) (int64, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, `SELECT value FROM local_settings WHERE key = ?`, attachLimitKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return data.DefaultAttachLimit, nil
	}
	if err != nil {
		return 0, data.Op("attachment limit", "", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n > data.MaxAttachmentSize {
		return data.DefaultAttachLimit, nil
	}
	return n, nil
}

// SetAttachLimit sets the largest file this laptop attaches; it is at most
// the hard limit every replica accepts.
func (s *Store) SetAttachLimit(ctx context.Context, n int64) error {
	if n <= 0 || n > data.MaxAttachmentSize {
		return data.Op("attachment limit", "", data.Invalid("limit", "must be between 1 byte and %s", data.FormatSize(data.MaxAttachmentSize)))
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO local_settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, attachLimitKey, strconv.FormatInt(n, 10))
		return err
	})
	if err != nil {
		return data.Op("attachment limit", "", err)
	}
	return nil
}

// AttachOptions are what an officer may choose when attaching a file.
type AttachOptions struct {
	Name           string // "" for the file's own name
	Classification string // "" for the record's marking
}

// Attach attaches the file at path to a record, as one signed commit: the
// content is stored once per SHA-256 (attaching it again, under any name,
// adds metadata only), read twice in 1 MiB chunks (to hash, then to
// store), never whole. A file over this laptop's limit is refused before
// anything is read or written.
func (s *Store) Attach(ctx context.Context, kind data.Kind, recordID, path string, o AttachOptions) (*data.Attachment, error) {
	object := fmt.Sprintf("%s %s", kind, data.Clip(recordID))
	a, err := s.attach(ctx, kind, recordID, path, o)
	if err != nil {
		return nil, data.Op("attach", object, err)
	}
	return a, nil
}

func (s *Store) attach(ctx context.Context, kind data.Kind, recordID, path string, o AttachOptions) (*data.Attachment, error) {
	t, err := attachableTable(kind)
	if err != nil {
		return nil, err
	}
	limit, err := s.AttachLimit(ctx)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, data.FileError(err)
	}
	if !st.Mode().IsRegular() {
		return nil, data.Invalid("file", "%s is not a file", filepath.Base(path))
	}
	if st.Size() > limit {
		return nil, data.InvalidBecause(data.ErrTooLarge, "file", "%s is %s, more than the %s this laptop attaches (a setting)",
			filepath.Base(path), data.FormatSize(st.Size()), data.FormatSize(limit))
	}
	sum, size, head, err := hashFile(path)
	if err != nil {
		return nil, err
	}
	if size > limit {
		return nil, data.InvalidBecause(data.ErrTooLarge, "file", "%s grew to %s, more than the %s this laptop attaches",
			filepath.Base(path), data.FormatSize(size), data.FormatSize(limit))
	}
	a := &data.Attachment{ID: data.NewID(), ParentKind: kind, ParentID: recordID, Name: o.Name, Size: size,
		MediaType: mediaType(path, head), SHA256: sum, Classification: o.Classification}
	if a.Name == "" {
		a.Name = filepath.Base(path)
	}
	err = s.write(ctx, func(w *writer) error {
		if ok, err := w.exists(nil, t, recordID); err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("%s %s: %w", kind, data.Clip(recordID), data.ErrNotFound)
			}
			return err
		}
		if a.Classification == "" {
			if a.Classification, err = recordLevel(w.ctx, w, t, recordID); err != nil {
				return err
			}
		}
		r, err := w.refs()
		if err != nil {
			return err
		}
		if err := w.checkMarking(r, data.Marking{Classification: a.Classification}); err != nil {
			return err
		}
		if err := a.Validate(); err != nil {
			return err
		}
		held, err := contentHeld(w.ctx, w, a.SHA256)
		if err != nil {
			return err
		}
		if !held {
			f, err := os.Open(path)
			if err != nil {
				return data.FileError(err)
			}
			defer f.Close()
			if err := s.putContent(w.ctx, w, a.SHA256, a.Size, f); err != nil {
				if errors.Is(err, errContentMismatch) {
					return data.Invalid("file", "%s changed while it was being attached: try again", filepath.Base(path))
				}
				return err
			}
		}
		fields, err := fieldsOf(attachmentsTable, a)
		if err != nil {
			return err
		}
		return w.create(attachmentsTable, a.ID, fields, true)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// attachableTable is the table of a kind files may be attached to.
func attachableTable(kind data.Kind) (*table, error) {
	for _, k := range data.AttachableKinds {
		if k == kind {
			return mustTable(k), nil
		}
	}
	return nil, data.Invalid("kind", "files are attached to %s, not %q", data.JoinKinds(data.AttachableKinds), data.Clip(string(kind)))
}

// recordLevel is the classification an attachment takes by default: its
// record's, or for a record with no marking (an action) the lowest level.
func recordLevel(ctx context.Context, q querier, t *table, id string) (string, error) {
	if t.info.Marked {
		var level string
		err := q.QueryRowContext(ctx, fmt.Sprintf(`SELECT classification FROM %s WHERE id = ?`, t.name), id).Scan(&level)
		return level, err
	}
	levels, err := readColumn[string](ctx, q, `SELECT id FROM classifications ORDER BY rank, id LIMIT 1`)
	if err != nil || len(levels) == 0 {
		return "UNCLASSIFIED", err
	}
	return levels[0], nil
}

// hashFile reads a file once in chunks: its SHA-256, size and first bytes
// (to tell its media type).
func hashFile(path string) (sum string, size int64, head []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, nil, data.FileError(err)
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, contentChunk)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if head == nil {
				head = bytes.Clone(buf[:min(n, 512)])
			}
			h.Write(buf[:n])
			size += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", 0, nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), size, head, nil
}

// mediaType tells a file's media type by its name, else by its first bytes.
func mediaType(path string, head []byte) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(path))); t != "" {
		return t
	}
	return http.DetectContentType(head)
}

// errContentMismatch: content read did not hash to the SHA-256 it was
// stored or sent under.
var errContentMismatch = errors.New("content does not match its SHA-256")

// contentHeld says whether content is held whole here.
func contentHeld(ctx context.Context, q querier, sum string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM attachment_blobs WHERE sha256 = ?`, sum).Scan(&n)
	return n > 0, err
}

// ContentHeld says whether the content named by its full SHA-256 is held
// here (content attached on a peer arrives with the next sync).
func (s *Store) ContentHeld(ctx context.Context, sum string) (bool, error) {
	held, err := contentHeld(ctx, s.rdb, sum)
	if err != nil {
		return false, data.Op("attachment", data.Clip(sum), err)
	}
	return held, nil
}

// putContent stores content read from r under sum in its file (see
// attachment_files.go), and lists it held, inside the caller's
// transaction. Content that is not size bytes or does not hash to sum is
// errContentMismatch, and the caller's rollback leaves nothing listed.
func (s *Store) putContent(ctx context.Context, q querier, sum string, size int64, r io.Reader) error {
	if err := s.writeContentFile(sum, size, r); err != nil {
		return err
	}
	// Chunks an earlier version kept are read no more.
	if _, err := q.ExecContext(ctx, `DELETE FROM attachment_content WHERE sha256 = ?`, sum); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO attachment_blobs (sha256, size) VALUES (?, ?)`, sum, size)
	return err
}

// contentReader streams content kept in attachment_content (by an earlier
// version, or in a restored backup) chunk by chunk, one query per chunk,
// checking its hash as the last chunk is read.
type contentReader struct {
	ctx  context.Context
	q    querier
	sum  string
	n    int
	left []byte
	h    hash.Hash
	done bool
}

func (c *contentReader) Read(p []byte) (int, error) {
	for len(c.left) == 0 {
		if c.done {
			return 0, io.EOF
		}
		var chunk []byte
		err := c.q.QueryRowContext(c.ctx, `SELECT chunk FROM attachment_content WHERE sha256 = ? AND n = ?`, c.sum, c.n).Scan(&chunk)
		if errors.Is(err, sql.ErrNoRows) {
			c.done = true
			if hex.EncodeToString(c.h.Sum(nil)) != c.sum {
				return 0, errContentMismatch
			}
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
		c.h.Write(chunk)
		c.left = chunk
		c.n++
	}
	k := copy(p, c.left)
	c.left = c.left[k:]
	return k, nil
}

// Attachments lists a record's attachments by name.
func (s *Store) Attachments(ctx context.Context, kind data.Kind, recordID string) ([]data.Attachment, error) {
	if _, err := attachableTable(kind); err != nil {
		return nil, data.Op("attachments", "", err)
	}
	out, err := s.attachmentsOf(ctx, s.rdb, kind, recordID)
	if err != nil {
		return nil, data.Op("attachments", fmt.Sprintf("%s %s", kind, data.Clip(recordID)), err)
	}
	return out, nil
}

func (s *Store) attachmentsOf(ctx context.Context, q querier, kind data.Kind, recordID string) ([]data.Attachment, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM attachments WHERE record_id = ? AND record_kind = ? ORDER BY name, n`,
		attachmentsTable.selectJSON()), recordID, string(kind))
	if err != nil {
		return nil, err
	}
	out := []data.Attachment{}
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, err
		}
		var a data.Attachment
		if err := json.Unmarshal(b, &a); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	return out, closeRows(rows)
}

// AttachmentsByRecord lists every attachment of a kind's records, by
// record id: what an export adds to each record it writes.
func (s *Store) AttachmentsByRecord(ctx context.Context, kind data.Kind) (map[string][]data.Attachment, error) {
	rows, err := s.rdb.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM attachments WHERE record_kind = ? ORDER BY record_id, name, n`,
		attachmentsTable.selectJSON()), string(kind))
	if err != nil {
		return nil, data.Op("attachments", string(kind), err)
	}
	out := map[string][]data.Attachment{}
	for rows.Next() {
		var b []byte
		var a data.Attachment
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, data.Op("attachments", string(kind), err)
		}
		if err := json.Unmarshal(b, &a); err != nil {
			rows.Close()
			return nil, data.Op("attachments", string(kind), err)
		}
		out[a.ParentID] = append(out[a.ParentID], a)
	}
	if err := closeRows(rows); err != nil {
		return nil, data.Op("attachments", string(kind), err)
	}
	return out, nil
}

// Detach removes the attachment of a record named by its id, its name or
// its hash (full, or a unique prefix of data.MinHashPrefix digits or more).
// Content no attachment refers to any more is removed with it.
func (s *Store) Detach(ctx context.Context, kind data.Kind, recordID, which string) (*data.Attachment, error) {
	object := fmt.Sprintf("%s %s", kind, data.Clip(recordID))
	if _, err := attachableTable(kind); err != nil {
		return nil, data.Op("detach", object, err)
	}
	var gone data.Attachment
	err := s.write(ctx, func(w *writer) error {
		list, err := s.attachmentsOf(w.ctx, w, kind, recordID)
		if err != nil {
			return err
		}
		var match []data.Attachment
		for _, a := range list {
			if a.ID == which || a.Name == which || (len(which) >= data.MinHashPrefix && strings.HasPrefix(a.SHA256, strings.ToLower(which))) {
				match = append(match, a)
			}
		}
		switch {
		case len(match) == 0:
			return fmt.Errorf("no attachment named %q: %w", data.Clip(which), data.ErrNotFound)
		case len(match) > 1:
			return data.Invalid("attachment", "%d attachments match %q: give the full name or more of the hash", len(match), data.Clip(which))
		}
		gone = match[0]
		return w.change(attachmentsTable, gone.ID, map[string]json.RawMessage{data.DeletedField: json.RawMessage("true")})
	})
	if err != nil {
		return nil, data.Op("detach", object, err)
	}
	// The content no one refers to now goes (pruneContent unlisted it);
	// a store too busy to sweep now sweeps at the next detach.
	_ = s.sweepContent(ctx)
	return &gone, nil
}

// pruneContent removes content that no attachment row refers to, and no
// change of an attachment in conflict names: an attachments afterWrite
// when a row is removed.
func pruneContent(w *writer) error {
	orphans := `SELECT b.sha256 FROM attachment_blobs b
		WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)
		AND NOT EXISTS (SELECT 1 FROM conflicts c JOIN changes ch ON ch.tbl = c.tbl AND ch.row_id = c.row_id
			WHERE c.tbl = 'attachments' AND instr(ch.fields, b.sha256) > 0)`
	if _, err := w.ExecContext(w.ctx, `DELETE FROM attachment_content WHERE sha256 IN (`+orphans+`)`); err != nil {
		return err
	}
	_, err := w.ExecContext(w.ctx, `DELETE FROM attachment_blobs WHERE sha256 IN (`+orphans+`)`)
	return err
}

// ResolveContent names held content by its full hash or a unique prefix of
// data.MinHashPrefix digits or more.
func (s *Store) ResolveContent(ctx context.Context, prefix string) (string, error) {
	p := strings.ToLower(prefix)
	if len(p) < data.MinHashPrefix || len(p) > 64 || !data.IsHexPrefix(p) {
		return "", data.Invalid("hash", "give the SHA-256, or at least its first %d hex digits", data.MinHashPrefix)
	}
	known, err := readColumn[string](ctx, s.rdb, `SELECT DISTINCT sha256 FROM attachments WHERE substr(sha256, 1, ?) = ? LIMIT 2`, len(p), p)
	if err != nil {
		return "", err
	}
	switch len(known) {
	case 0:
		return "", fmt.Errorf("no attachment has hash %s: %w", p, data.ErrNotFound)
	case 1:
		return known[0], nil
	}
	return "", data.Invalid("hash", "%s is the start of more than one attachment's hash: give more digits", p)
}

// WriteContent writes held content to out, chunk by chunk, checking its
// hash; content not held here is data.ErrNoContent.
func (s *Store) WriteContent(ctx context.Context, sum string, out io.Writer) error {
	held, err := contentHeld(ctx, s.rdb, sum)
	if err != nil {
		return err
	}
	if !held {
		return fmt.Errorf("%s: %w", sum[:min(len(sum), data.MinHashPrefix)], data.ErrNoContent)
	}
	r, err := s.openContent(ctx, s.rdb, sum)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := io.Copy(out, r); err != nil {
		if errors.Is(err, errContentMismatch) {
			return fmt.Errorf("attachment %s: %w: run check", sum[:data.MinHashPrefix], err)
		}
		return err
	}
	return nil
}

// SaveAttachment writes the content named by hash (full or a unique
// prefix) to dest, atomically: on any error, a damaged content included,
// nothing is left at dest. It returns the full hash.
func (s *Store) SaveAttachment(ctx context.Context, hash, dest string) (string, error) {
	sum, err := s.ResolveContent(ctx, hash)
	if err != nil {
		return "", data.Op("attachment save", "", err)
	}
	if err := s.recordSaved(ctx, sum, dest); err != nil {
		return "", data.Op("attachment save", sum[:data.MinHashPrefix], err)
	}
	err = data.WriteFileAtomic(dest, 0o600, func(out io.Writer) error { return s.WriteContent(ctx, sum, out) })
	if err != nil {
		return "", data.Op("attachment save", sum[:data.MinHashPrefix], err)
	}
	return sum, nil
}

// recordSaved records content leaving the system in the audit, under the
// name and the highest marking any attachment gives it.
func (s *Store) recordSaved(ctx context.Context, sum, dest string) error {
	var name, level, media string
	err := s.rdb.QueryRowContext(ctx, `SELECT a.name, a.classification, a.media_type FROM attachments a
		LEFT JOIN classifications c ON c.id = a.classification
		WHERE a.sha256 = ? ORDER BY coalesce(c.rank, 0) DESC, a.n LIMIT 1`, sum).Scan(&name, &level, &media)
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	if format == "" {
		format = media
	}
	_, err = s.RecordOutput(ctx, data.AuditEntry{What: data.OutputAttachment, Name: name, Format: format,
		Classification: level, File: filepath.Base(dest)})
	return err
}

// readAll reads held content through, checking its hash: its size.
func (s *Store) readAll(ctx context.Context, sum string) (int64, error) {
	r, err := s.openContent(ctx, s.rdb, sum)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return io.Copy(io.Discard, r)
}

// checkContent verifies every content held against its hash and size.
func (s *Store) checkContent(ctx context.Context, r *CheckReport) error {
	type blob struct {
		sum  string
		size int64
	}
	var blobs []blob
	rows, err := s.rdb.QueryContext(ctx, `SELECT sha256, size FROM attachment_blobs ORDER BY sha256`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var b blob
		if err := rows.Scan(&b.sum, &b.size); err != nil {
			rows.Close()
			return err
		}
		blobs = append(blobs, b)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, b := range blobs {
		n, err := s.readAll(ctx, b.sum)
		switch {
		case errors.Is(err, errContentMismatch):
			r.problem("attachment content %s does not match its SHA-256", b.sum[:data.MinHashPrefix])
		case err != nil:
			return err
		case n != b.size:
			r.problem("attachment content %s is %d bytes, not %d", b.sum[:data.MinHashPrefix], n, b.size)
		}
	}
	return nil
}
