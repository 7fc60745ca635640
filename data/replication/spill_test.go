package replication

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// A large outgoing message goes to an owner-only temporary file, reads
// back byte for byte, and the file is gone once it is closed.
func TestASpillKeepsALargeMessageOnDiskAndRemovesIt(t *testing.T) {
	msg := bytes.Repeat([]byte("liaison "), spillLimit/8+4096)
	s := &spill{}
	for p := msg; len(p) > 0; p = p[min(len(p), 100_000):] {
		if _, err := s.Write(p[:min(len(p), 100_000)]); err != nil {
			t.Fatal(err)
		}
	}
	if s.f == nil || s.mem.Len() != 0 {
		t.Fatal("a message over the limit stayed in memory")
	}
	if st, err := s.f.Stat(); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("temporary file mode %v (%v)", st.Mode(), err)
	}
	rd, err := s.reader()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rd)
	if err != nil || !bytes.Equal(got, msg) || s.Len() != int64(len(msg)) {
		t.Fatalf("read back %d bytes of %d (%v)", len(got), len(msg), err)
	}
	name := s.f.Name()
	s.Close()
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Fatal("the temporary file was left behind")
	}
}
