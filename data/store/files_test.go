package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"liaisondesk/data"
)

// Issue 10: the usage text names the default store where each system
// keeps it, from the same names DefaultPath joins.
func TestDefaultPathIsShownInTheWordsOfEachSystem(t *testing.T) {
	for goos, want := range map[string]string{
		"windows": `%AppData%\liaisondesk\store.db`,
		"linux":   "~/.config/liaisondesk/store.db",
		"freebsd": "~/.config/liaisondesk/store.db",
		"darwin":  "~/Library/Application Support/liaisondesk/store.db",
	} {
		if got := data.DefaultPathShown(goos); got != want {
			t.Errorf("%s: %q, want %q", goos, got, want)
		}
	}
	p, err := data.DefaultPath()
	if err != nil {
		t.Skip("no configuration directory here:", err)
	}
	if !strings.HasSuffix(p, filepath.Join("liaisondesk", "store.db")) || data.DefaultPathHelp() != data.DefaultPathShown(runtime.GOOS) {
		t.Fatalf("DefaultPath %q, shown as %q", p, data.DefaultPathHelp())
	}
}

// Issue 10: a missing file reads the same on Windows as on Linux.
func TestAMissingFileIsSaidInOurOwnWords(t *testing.T) {
	_, err := os.Open(filepath.Join(t.TempDir(), "none.csv"))
	got := data.FileError(err)
	if !errors.Is(got, data.ErrNoSuchFile) || got.Error() != "no such file or folder" {
		t.Fatalf("%v", got)
	}
	_, err = os.Open(filepath.Join(t.TempDir(), "no folder", "none.csv"))
	if got := data.FileError(err); !errors.Is(got, data.ErrNoSuchFile) {
		t.Fatalf("in a missing folder: %v", got)
	}
	t.Run("other errors lose only the operation and path", func(t *testing.T) {
		_, err := os.ReadFile(t.TempDir())
		if got := data.FileError(err); got == nil || strings.Contains(got.Error(), t.TempDir()) {
			t.Fatalf("%v", got)
		}
	})
}

// Issue 10: the store's folder, when the store creates it, lets only its
// owner in (mode 0700 on Unix, an owner-only ACL on Windows:
// files_windows_test.go); a folder that exists already is left alone.
func TestTheStoreFolderItCreatesIsTheOwnersAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits mean nothing on Windows: see TestTheStoreFolderGetsAnOwnerOnlyACL")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "new", "liaisondesk")
	s, err := Open(context.Background(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("new folder: %v %v", fi.Mode(), err)
	}
	shared := filepath.Join(root, "shared")
	os.Mkdir(shared, 0o755)
	os.Chmod(shared, 0o755)
	s, err = Open(context.Background(), filepath.Join(shared, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Stat(shared); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("an existing folder was changed: %v %v", fi.Mode(), err)
	}
}
