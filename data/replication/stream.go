package replication

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"liaisondesk/data"
)

// pageSize is how many changes a bundle is collected and imported in at
// a time: what a transfer holds in memory is a page, whatever its size.
const pageSize = 2000

// maxBodyBytes bounds one byte string of a body (a change's fields, a
// commit's hashes): a body is read a string at a time, so this, not the
// body's size, is what a hostile sender can make a reader allocate.
const maxBodyBytes = 64 << 20

// outgoing is what a bundle carries, collected from the replica a page at
// a time: the commits and the changes encoded into spills as they come
// (a commit's hashes are 32 bytes a change: 32 MB of a million changes),
// the authors and attachment content kept.
type outgoing struct {
	authors  []data.Author
	commits  spill
	nCommits int
	contents []data.ContentRef
	changes  spill
	n        int
	reach    data.Vector // the highest seq carried of each site
}

// collectOutgoing pages through what a replica holding base lacks.
func collectOutgoing(ctx context.Context, r Replica, base data.Vector) (*outgoing, error) {
	o := &outgoing{reach: data.Vector{}}
	have := data.Vector{}
	have.Merge(base)
	authors := map[data.SiteID]bool{}
	type commitKey struct {
		site  data.SiteID
		first int64
	}
	commits := map[commitKey]bool{}
	contents := map[string]bool{}
	var buf []byte
	for {
		page, err := r.OutgoingPage(ctx, have, pageSize)
		if err != nil {
			o.Close()
			return nil, err
		}
		if len(page.Changes) == 0 {
			return o, nil
		}
		for _, a := range page.Authors {
			if !authors[a.Site] {
				authors[a.Site] = true
				o.authors = append(o.authors, a)
			}
		}
		buf = buf[:0]
		for i := range page.Commits {
			c := &page.Commits[i]
			if k := (commitKey{c.Site, c.FirstSeq}); !commits[k] {
				commits[k] = true
				buf = appendCommit(buf, c)
				o.nCommits++
			}
		}
		if _, err := o.commits.Write(buf); err != nil {
			o.Close()
			return nil, fmt.Errorf("collect commits to send: %w", err)
		}
		buf = buf[:0]
		moved := false
		for i := range page.Changes {
			c := &page.Changes[i]
			buf = appendChange(buf, c)
			if c.ID.Seq > have[c.ID.Site] {
				have[c.ID.Site], moved = c.ID.Seq, true
			}
		}
		if !moved { // a replica breaking OutgoingPage's contract: never loop on it
			o.Close()
			return nil, fmt.Errorf("collect changes to send: a page repeats what was already collected")
		}
		if _, err := o.changes.Write(buf); err != nil {
			o.Close()
			return nil, fmt.Errorf("collect changes to send: %w", err)
		}
		o.n += len(page.Changes)
		refs, err := r.ContentFor(ctx, page)
		if err != nil {
			o.Close()
			return nil, err
		}
		for _, c := range refs {
			if !contents[c.SHA256] {
				contents[c.SHA256] = true
				o.contents = append(o.contents, c)
			}
		}
		o.reach.Merge(have)
	}
}

// body is the whole body as a reader, its size and its SHA-256: the
// authors, the commits and the changes, each with its count first
// (body.go).
func (o *outgoing) body() (io.Reader, int64, []byte, error) {
	head := encodeBody(nil, &data.Batch{Authors: o.authors})
	head = binary.AppendUvarint(head[:len(head)-2], uint64(o.nCommits)) // encodeBody ends with zero commits and changes
	count := binary.AppendUvarint(nil, uint64(o.n))
	parts := func() (io.Reader, error) {
		commits, err := o.commits.reader()
		if err != nil {
			return nil, err
		}
		changes, err := o.changes.reader()
		if err != nil {
			return nil, err
		}
		return io.MultiReader(bytes.NewReader(head), commits, bytes.NewReader(count), changes), nil
	}
	rd, err := parts()
	if err != nil {
		return nil, 0, nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, rd); err != nil {
		return nil, 0, nil, err
	}
	if rd, err = parts(); err != nil {
		return nil, 0, nil, err
	}
	size := int64(len(head)) + o.commits.Len() + int64(len(count)) + o.changes.Len()
	return rd, size, h.Sum(nil), nil
}

func (o *outgoing) Close() { o.commits.Close(); o.changes.Close() }

// appendChange appends one change's encoding (body.go).
func appendChange(buf []byte, c *data.RawChange) []byte {
	buf = append(buf, c.ID.Site[:]...)
	buf = binary.AppendUvarint(buf, uint64(c.ID.Seq))
	buf = binary.AppendUvarint(buf, uint64(c.HLC))
	buf = binary.AppendUvarint(buf, uint64(c.Schema))
	buf = appendBytes(buf, []byte(c.Table))
	buf = appendBytes(buf, []byte(c.RowID))
	buf = appendBytes(buf, c.Fields)
	return appendBytes(buf, c.Parents)
}

// streamDecoder decodes a body from a reader, with the same refusals as
// bodyReader: left is what remains of the body, which no count or length
// may exceed.
type streamDecoder struct {
	r    *bufio.Reader
	left int64
	err  error
}

func newStreamDecoder(r io.Reader, size int64) *streamDecoder {
	return &streamDecoder{r: bufio.NewReaderSize(r, 64<<10), left: size}
}

func (d *streamDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errMalformed, what)
	}
	d.left = 0
}

func (d *streamDecoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	for i, shift := 0, uint(0); ; i, shift = i+1, shift+7 {
		if d.left <= 0 || i == binary.MaxVarintLen64 {
			d.fail(what)
			return 0
		}
		b, err := d.r.ReadByte()
		if err != nil {
			d.readFailed(err, what)
			return 0
		}
		d.left--
		if i == binary.MaxVarintLen64-1 && b > 1 {
			d.fail(what)
			return 0
		}
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			if i > 0 && b == 0 { // one spelling per number: no padded varints
				d.fail(what)
				return 0
			}
			return v
		}
	}
}

// readFailed is a read of the body's source failing: the spool, not the
// sender's bytes.
func (d *streamDecoder) readFailed(err error, what string) {
	if d.err == nil {
		d.err = fmt.Errorf("read the body (%s): %w", what, err)
	}
	d.left = 0
}

func (d *streamDecoder) int(what string) int64 {
	v := d.uvarint(what)
	if v > 1<<62 {
		d.fail(what + " out of range")
		return 0
	}
	return int64(v)
}

func (d *streamDecoder) count(what string, min int) int {
	n := d.uvarint(what)
	if n > uint64(d.left/int64(min)) {
		d.fail(what + " larger than the body")
		return 0
	}
	return int(n)
}

func (d *streamDecoder) bytes(what string) []byte {
	n := d.uvarint(what)
	if d.err != nil {
		return nil
	}
	if n > uint64(d.left) || n > maxBodyBytes {
		d.fail(what + " runs past the end")
		return nil
	}
	out := make([]byte, n)
	if _, err := io.ReadFull(d.r, out); err != nil {
		d.readFailed(err, what)
		return nil
	}
	d.left -= int64(n)
	return out
}

func (d *streamDecoder) site(what string) data.SiteID {
	var s data.SiteID
	if d.err != nil {
		return s
	}
	if d.left < int64(len(s)) {
		d.fail(what)
		return s
	}
	if _, err := io.ReadFull(d.r, s[:]); err != nil {
		d.readFailed(err, what)
		return s
	}
	d.left -= int64(len(s))
	return s
}

// prefix reads the authors, the commits and the count of changes.
func (d *streamDecoder) prefix() (*data.Batch, int) {
	out := &data.Batch{}
	n := d.count("author count", 18)
	out.Authors = make([]data.Author, 0, min(n, 1<<16))
	for i := 0; i < n && d.err == nil; i++ {
		a := data.Author{Site: d.site("author site")}
		a.PublicKey = d.bytes("author key")
		a.Officer = string(d.bytes("author officer"))
		out.Authors = append(out.Authors, a)
	}
	n = d.count("commit count", 20)
	out.Commits = make([]data.Commit, 0, min(n, 1<<16))
	for i := 0; i < n && d.err == nil; i++ {
		c := data.Commit{Site: d.site("commit site")}
		c.FirstSeq = d.int("commit first seq")
		c.LastSeq = d.int("commit last seq")
		c.Hashes = d.bytes("commit hashes")
		c.Signature = d.bytes("commit signature")
		out.Commits = append(out.Commits, c)
	}
	return out, d.count("change count", 23)
}

// change reads the next change.
func (d *streamDecoder) change() data.RawChange {
	c := data.RawChange{ID: data.ChangeID{Site: d.site("change site")}}
	c.ID.Seq = d.int("change seq")
	c.HLC = data.HLC(d.uvarint("change clock"))
	c.Schema = int(d.int("change schema"))
	c.Table = string(d.bytes("change table"))
	c.RowID = string(d.bytes("change record id"))
	c.Fields = d.bytes("change fields")
	c.Parents = d.bytes("change parents")
	return c
}

// spooledBody is a bundle's body received into a spill and checked: it
// decodes, and its count of changes is known. Its changes are read back
// a page at a time.
type spooledBody struct {
	sp        spill
	size      int64
	changesAt int64 // where the changes start
	changes   int
	ownSeqs   []seqRun // the seqs of the sender's own changes, for the hub's gap check
}

// seqRun is the seqs first to last: a device sends its own changes in
// order, so a million of them make one run, not 8 MB of seqs.
type seqRun struct{ first, last int64 }

// addSeq adds seq to runs, extending the last run when it follows it.
func addSeq(runs []seqRun, seq int64) []seqRun {
	if k := len(runs) - 1; k >= 0 && runs[k].last+1 == seq {
		runs[k].last = seq
		return runs
	}
	return append(runs, seqRun{seq, seq})
}

// spoolBody reads size bytes of body from rd into a spill, checking them
// against the hash the sender signed, then decodes it once: the authors
// and commits are kept, the changes only checked to decode and counted.
func spoolBody(rd io.Reader, size int64, wantHash string, sender data.SiteID) (*spooledBody, *data.Batch, error) {
	sb := &spooledBody{size: size}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(&sb.sp, h), io.LimitReader(rd, size))
	if err != nil {
		sb.Close()
		if errors.Is(err, data.ErrRefused) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("spool the bundle body: %w", err)
	}
	if n != size {
		sb.Close()
		return nil, nil, refusedf("the bundle is truncated: its body is %d bytes, the header says %d", n, size)
	}
	if hex.EncodeToString(h.Sum(nil)) != wantHash {
		sb.Close()
		return nil, nil, refusedf("the bundle body does not match the hash its sender signed (altered)")
	}
	batch, err := sb.decode(sender)
	if err != nil {
		sb.Close()
		return nil, nil, refusedf("the bundle body is malformed: %v", err)
	}
	return sb, batch, nil
}

func (sb *spooledBody) decode(sender data.SiteID) (*data.Batch, error) {
	rd, err := sb.sp.section(0)
	if err != nil {
		return nil, err
	}
	d := newStreamDecoder(rd, sb.size)
	batch, n := d.prefix()
	if d.err != nil {
		return nil, d.err
	}
	sb.changesAt, sb.changes = sb.size-d.left, n
	for i := 0; i < n && d.err == nil; i++ {
		if c := d.change(); c.ID.Site == sender && d.err == nil {
			sb.ownSeqs = addSeq(sb.ownSeqs, c.ID.Seq)
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if d.left != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last change", errMalformed, d.left)
	}
	return batch, nil
}

// pages gives the changes a page at a time (data.Incoming.Pages).
func (sb *spooledBody) pages(page func([]data.RawChange) error) error {
	rd, err := sb.sp.section(sb.changesAt)
	if err != nil {
		return err
	}
	d := newStreamDecoder(rd, sb.size-sb.changesAt)
	buf := make([]data.RawChange, 0, min(sb.changes, pageSize))
	for i := 0; i < sb.changes; i++ {
		c := d.change()
		if d.err != nil {
			return d.err
		}
		if buf = append(buf, c); len(buf) == pageSize {
			if err := page(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		return page(buf)
	}
	return nil
}

func (sb *spooledBody) Close() { sb.sp.Close() }
