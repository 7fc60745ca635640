//go:build unix

package report

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Issue 9, finding 9: reports and exports carry marked records, so they
// are readable by their owner only, from the moment they are created,
// whatever the umask.
func TestSavedFilesAreReadableByTheirOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "report.pdf")
	save := func(t *testing.T) {
		t.Helper()
		err := SaveFile(path, func(w io.Writer) error {
			f, ok := w.(*os.File)
			if !ok {
				t.Fatalf("write got a %T", w)
			}
			if st, err := f.Stat(); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("while being filled: %v %v", st.Mode(), err)
			}
			_, err := w.Write([]byte("SECRET"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("saved as %v: %v", st.Mode(), err)
		}
	}
	t.Run("a new file", save)
	t.Run("a file replacing one others could read", func(t *testing.T) {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		save(t)
	})
}
