//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The temporary file a backup fills is created readable by its owner only,
// whatever the umask, before anything is written to it.
func TestABackupsTemporaryFileIsPrivateFromTheStart(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "b.db.tmp-backup")
	if err := createPrivate(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != 0 {
		t.Fatalf("created %v, %d bytes: %v", st.Mode(), st.Size(), err)
	}
	t.Run("a stale one is not reused", func(t *testing.T) {
		if err := createPrivate(path); err == nil {
			t.Fatal("created over an existing file")
		}
	})
}
