package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"

	"liaisondesk/data"
)

// importSpool keeps a paged batch's changes, once verified, in a
// temporary file, so the import judges and applies them a commit at a
// time while holding only that commit's in memory (the store's temporary
// tables live in memory: temp_store(MEMORY)).
type importSpool struct {
	f    *os.File
	w    *bufio.Writer
	size int64
	rec  []byte
}

// spoolRef is where a run of changes written back to back lies in the
// spool: n bytes from off, count changes. A commit's changes arrive in a
// row, so it keeps one run, not 16 bytes a change (16 MB of a million).
type spoolRef struct {
	off   int64
	n     int
	count int
}

// appendRef adds r to refs, extending the last run when r follows it.
func appendRef(refs []spoolRef, r spoolRef) []spoolRef {
	if k := len(refs) - 1; k >= 0 && refs[k].off+int64(refs[k].n) == r.off {
		refs[k].n += r.n
		refs[k].count += r.count
		return refs
	}
	return append(refs, r)
}

func newImportSpool() (*importSpool, error) {
	f, err := os.CreateTemp("", "liaisondesk-import-*")
	if err != nil {
		return nil, fmt.Errorf("import spool: %w", err)
	}
	return &importSpool{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// close removes the spool; an import is done with it.
func (s *importSpool) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// add writes a change (its bytes are the page's: copied here).
func (s *importSpool) add(c *data.RawChange) (spoolRef, error) {
	r := s.rec[:0]
	r = binary.AppendUvarint(r, uint64(c.ID.Seq))
	r = binary.AppendUvarint(r, uint64(c.HLC))
	r = binary.AppendUvarint(r, uint64(c.Schema))
	for _, b := range [][]byte{[]byte(c.Table), []byte(c.RowID), c.Fields, c.Parents} {
		r = binary.AppendUvarint(r, uint64(len(b)))
		r = append(r, b...)
	}
	s.rec = r
	if _, err := s.w.Write(r); err != nil {
		return spoolRef{}, fmt.Errorf("import spool: %w", err)
	}
	ref := spoolRef{off: s.size, n: len(r), count: 1}
	s.size += int64(len(r))
	return ref, nil
}

// read gives back the changes at refs, of site, in order. They share one
// buffer, freed with the last of them.
func (s *importSpool) read(site data.SiteID, refs []spoolRef) ([]*data.RawChange, error) {
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("import spool: %w", err)
	}
	total, count := 0, 0
	for _, r := range refs {
		total += r.n
		count += r.count
	}
	buf := make([]byte, total)
	at := 0
	for _, r := range refs { // one read a run
		if _, err := s.f.ReadAt(buf[at:at+r.n], r.off); err != nil {
			return nil, fmt.Errorf("import spool: %w", err)
		}
		at += r.n
	}
	damaged := fmt.Errorf("import spool: a record is damaged")
	out := make([]*data.RawChange, 0, count)
	cs := make([]data.RawChange, count)
	rec := buf[:total:total]
	for i := range cs {
		c := &cs[i]
		c.ID.Site = site
		var ints [3]uint64
		for k := range ints {
			v, w := binary.Uvarint(rec)
			if w <= 0 {
				return nil, damaged
			}
			ints[k], rec = v, rec[w:]
		}
		c.ID.Seq, c.HLC, c.Schema = int64(ints[0]), data.HLC(ints[1]), int(ints[2])
		var parts [4][]byte
		for k := range parts {
			v, w := binary.Uvarint(rec)
			if w <= 0 || uint64(len(rec)-w) < v {
				return nil, damaged
			}
			parts[k], rec = rec[w:w+int(v):w+int(v)], rec[w+int(v):]
		}
		c.Table, c.RowID, c.Fields = string(parts[0]), string(parts[1]), parts[2]
		if len(parts[3]) > 0 {
			c.Parents = parts[3]
		}
		out = append(out, c)
	}
	if len(rec) != 0 {
		return nil, damaged
	}
	return out, nil
}
