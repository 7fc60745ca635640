package store

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"liaisondesk/data"
)

// Issue 10: replacing a file another program holds open is refused in
// plain words, the open file is untouched and no temporary file is left.
func TestReplacingAFileHeldOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.ldbundle")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(path) // Go opens without FILE_SHARE_DELETE, as a viewer would
	if err != nil {
		t.Fatal(err)
	}
	err = data.WriteFileAtomic(path, 0o600, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err })
	held.Close()
	if !errors.Is(err, data.ErrOpenElsewhere) {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("the held file now holds %q", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("left behind: %v", es)
	}
	if err := data.WriteFileAtomic(path, 0o600, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatalf("once closed: %v", err)
	}
}

// Issue 10: a backup over a file another program holds open is refused
// the same way, and leaves no temporary file.
func TestABackupOverAFileHeldOpenIsRefused(t *testing.T) {
	s := openTestStore(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(dest, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := s.Backup(context.Background(), dest); !errors.Is(err, data.ErrOpenElsewhere) {
		t.Fatalf("got %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("left behind: %v", es)
	}
}

// Issue 10: the folder the store creates has only entries for the current
// user, and does not inherit the parent's.
func TestTheStoreFolderGetsAnOwnerOnlyACL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "liaisondesk")
	s, err := Open(context.Background(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if underWine() {
		t.Skip("Wine keeps no file ACLs (it shows ones made from the Unix mode): checked on real Windows only")
	}
	sd, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	control, _, err := sd.Control()
	if err != nil || control&windows.SE_DACL_PROTECTED == 0 {
		t.Fatalf("the ACL inherits its parent's (control %#x, %v)", control, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		t.Fatalf("no ACL: %v", err)
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	if dacl.AceCount == 0 {
		t.Fatal("an empty ACL")
	}
	for i := range uint32(dacl.AceCount) {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			t.Fatal(err)
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || !sid.Equals(user.User.Sid) {
			t.Fatalf("entry %d is for %v (type %d), want the owner %v alone", i, sid, ace.Header.AceType, user.User.Sid)
		}
	}
}

// underWine reports whether the test runs under Wine, whose ntdll exports
// wine_get_version.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
