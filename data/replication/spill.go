package replication

import (
	"bytes"
	"io"
	"os"
)

// spillLimit is how much of an outgoing sync message is kept in memory;
// past it (attachment content, mostly) the message goes to a temporary
// file, so a hub push or reply never holds a large file whole in memory.
// A hub serves up to MaxSyncs (64) at once, each holding up to two
// spills: at 8 MiB, 25 concurrent pulls took a PostgreSQL hub process to
// 150 MB where 1 MiB kept it at 63 MB; a 200-change push still fits.
const spillLimit = 1 << 20

// spill is a buffer for one outgoing message, held in memory while it is
// small and in an owner-only temporary file once it is not. The message
// is encrypted before it is written here.
type spill struct {
	mem bytes.Buffer
	f   *os.File
	n   int64
}

func (s *spill) Write(p []byte) (int, error) {
	if s.f == nil && s.mem.Len()+len(p) > spillLimit {
		f, err := os.CreateTemp("", "liaisondesk-sync-*")
		if err != nil {
			return 0, err
		}
		s.f = f
		if _, err := f.Write(s.mem.Bytes()); err != nil {
			return 0, err
		}
		s.mem = bytes.Buffer{}
	}
	var n int
	var err error
	if s.f != nil {
		n, err = s.f.Write(p)
	} else {
		n, err = s.mem.Write(p)
	}
	s.n += int64(n)
	return n, err
}

// Len is the message's size in bytes.
func (s *spill) Len() int64 { return s.n }

// reader reads the message from its start.
func (s *spill) reader() (io.Reader, error) {
	if s.f == nil {
		return bytes.NewReader(s.mem.Bytes()), nil
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return s.f, nil
}

// section reads the message from off to its end; sections read
// independently of each other and of reader.
func (s *spill) section(off int64) (io.Reader, error) {
	if s.f == nil {
		return bytes.NewReader(s.mem.Bytes()[off:]), nil
	}
	return io.NewSectionReader(s.f, off, s.n-off), nil
}

// Close removes the temporary file, if any.
func (s *spill) Close() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}
