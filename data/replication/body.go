package replication

import (
	"encoding/binary"
	"errors"
	"fmt"

	"liaisondesk/data"
)

// The body of a bundle is the batch in a compact binary form: the bytes of
// each change's fields and parents travel exactly as their author hashed
// and signed them. Integers are unsigned varints; byte strings carry their
// length first.
//
//	body    = authors commits changes
//	authors = count { site(16) bytes(key) bytes(officer) }
//	commits = count { site(16) first last bytes(hashes) signature(64) }
//	changes = count { site(16) seq hlc schema bytes(table) bytes(row) bytes(fields) bytes(parents) }

// encodeBody appends the batch's encoding to buf.
func encodeBody(buf []byte, b *data.Batch) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(b.Authors)))
	for _, a := range b.Authors {
		buf = append(buf, a.Site[:]...)
		buf = appendBytes(buf, a.PublicKey)
		buf = appendBytes(buf, []byte(a.Officer))
	}
	buf = binary.AppendUvarint(buf, uint64(len(b.Commits)))
	for i := range b.Commits {
		buf = appendCommit(buf, &b.Commits[i])
	}
	buf = binary.AppendUvarint(buf, uint64(len(b.Changes)))
	for i := range b.Changes {
		c := &b.Changes[i]
		buf = append(buf, c.ID.Site[:]...)
		buf = binary.AppendUvarint(buf, uint64(c.ID.Seq))
		buf = binary.AppendUvarint(buf, uint64(c.HLC))
		buf = binary.AppendUvarint(buf, uint64(c.Schema))
		buf = appendBytes(buf, []byte(c.Table))
		buf = appendBytes(buf, []byte(c.RowID))
		buf = appendBytes(buf, c.Fields)
		buf = appendBytes(buf, c.Parents)
	}
	return buf
}

// appendCommit appends one commit's encoding.
func appendCommit(buf []byte, c *data.Commit) []byte {
	buf = append(buf, c.Site[:]...)
	buf = binary.AppendUvarint(buf, uint64(c.FirstSeq))
	buf = binary.AppendUvarint(buf, uint64(c.LastSeq))
	buf = appendBytes(buf, c.Hashes)
	return appendBytes(buf, c.Signature)
}

func appendBytes(buf, b []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

// errMalformed is a body that does not decode.
var errMalformed = errors.New("malformed body")

// bodyReader decodes a body, refusing anything out of bounds: a count or a
// length larger than what is left cannot allocate more than the input.
type bodyReader struct {
	b   []byte
	err error
}

func (r *bodyReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", errMalformed, what)
	}
	r.b = nil
}

func (r *bodyReader) uvarint(what string) uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || (n > 1 && r.b[n-1] == 0) { // one spelling per number: no padded varints
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// int reads a varint that must fit in 63 bits.
func (r *bodyReader) int(what string) int64 {
	v := r.uvarint(what)
	if v > 1<<62 {
		r.fail(what + " out of range")
		return 0
	}
	return int64(v)
}

// count reads a number of items each at least min bytes long.
func (r *bodyReader) count(what string, min int) int {
	n := r.uvarint(what)
	if n > uint64(len(r.b)/min) {
		r.fail(what + " larger than the body")
		return 0
	}
	return int(n)
}

func (r *bodyReader) bytes(what string) []byte {
	n := r.uvarint(what)
	if n > uint64(len(r.b)) {
		r.fail(what + " runs past the end")
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *bodyReader) site(what string) data.SiteID {
	var s data.SiteID
	if len(r.b) < len(s) {
		r.fail(what)
		return s
	}
	copy(s[:], r.b)
	r.b = r.b[len(s):]
	return s
}

// decodeBody reads a body; the byte strings of the batch point into b.
func decodeBody(b []byte) (*data.Batch, error) {
	r := &bodyReader{b: b}
	out := &data.Batch{}
	n := r.count("author count", 18)
	out.Authors = make([]data.Author, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		a := data.Author{Site: r.site("author site")}
		a.PublicKey = r.bytes("author key")
		a.Officer = string(r.bytes("author officer"))
		out.Authors = append(out.Authors, a)
	}
	n = r.count("commit count", 20)
	out.Commits = make([]data.Commit, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		c := data.Commit{Site: r.site("commit site")}
		c.FirstSeq = r.int("commit first seq")
		c.LastSeq = r.int("commit last seq")
		c.Hashes = r.bytes("commit hashes")
		c.Signature = r.bytes("commit signature")
		out.Commits = append(out.Commits, c)
	}
	n = r.count("change count", 23)
	out.Changes = make([]data.RawChange, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		c := data.RawChange{ID: data.ChangeID{Site: r.site("change site")}}
		c.ID.Seq = r.int("change seq")
		c.HLC = data.HLC(r.uvarint("change clock"))
		c.Schema = int(r.int("change schema"))
		c.Table = string(r.bytes("change table"))
		c.RowID = string(r.bytes("change record id"))
		c.Fields = r.bytes("change fields")
		c.Parents = r.bytes("change parents")
		out.Changes = append(out.Changes, c)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last change", errMalformed, len(r.b))
	}
	return out, nil
}
