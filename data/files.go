package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

var (
	// ErrNoSuchFile is a missing file or folder, in the same words on
	// every system (Windows says "The system cannot find the file
	// specified.", Linux "no such file or directory").
	ErrNoSuchFile = errors.New("no such file or folder")
	// ErrOpenElsewhere means a finished file could not replace the one
	// at its path because another program holds that one open (Windows
	// refuses the rename; a PDF viewer or Excel does this). The older
	// file is untouched and no temporary file is left.
	ErrOpenElsewhere = errors.New("the file is open in another program: close it and save again")
)

// FileError is err from opening, reading or writing a file, without the
// *os.PathError's operation and path (the caller names the file in its
// own words) and with a missing file said the same way on every system.
func FileError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNoSuchFile
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// ReplaceFile renames the finished temporary file tmp over path, the
// last step of an atomic write. A path another program holds open is
// ErrOpenElsewhere (only Windows refuses that).
func ReplaceFile(tmp, path string) error {
	err := os.Rename(tmp, path)
	if err != nil && heldOpen(err, path) {
		return ErrOpenElsewhere
	}
	return err
}

// DefaultPathShown is the default store's path as the usage text shows
// it on the system goos: the folder DefaultPath finds, by the name its
// users know.
func DefaultPathShown(goos string) string {
	switch goos {
	case "windows":
		return `%AppData%\` + storeDirName + `\` + storeFileName
	case "darwin", "ios":
		return "~/Library/Application Support/" + storeDirName + "/" + storeFileName
	case "plan9":
		return "$home/lib/" + storeDirName + "/" + storeFileName
	}
	return "~/.config/" + storeDirName + "/" + storeFileName // $XDG_CONFIG_HOME when set
}

// DefaultPathHelp is DefaultPathShown for the system this runs on.
func DefaultPathHelp() string { return DefaultPathShown(runtime.GOOS) }

// Windows error codes of a rename over a file another program holds open:
// ERROR_ACCESS_DENIED (the holder did not share delete access),
// ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
const (
	winAccessDenied     = 5
	winSharingViolation = 32
	winLockViolation    = 33
)

// heldOpenCode reports whether a Windows rename failing with code means
// the target is held open by another program. ERROR_ACCESS_DENIED also
// means a read-only target, which the caller rules out.
func heldOpenCode(code uintptr, readOnlyTarget bool) bool {
	switch code {
	case winSharingViolation, winLockViolation:
		return true
	case winAccessDenied:
		return !readOnlyTarget
	}
	return false
}

// makeStoreDir creates a store's folder when it is missing, open to its
// owner only: it holds the device's private signing key. On Unix that is
// mode 0700; on Windows an owner-only ACL (restrictToOwner). A folder that
// exists already, such as one the officer chose for --db, is left as it is.
func MakeStoreDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return restrictToOwner(dir)
}

// The default store is storeFileName in the folder storeDirName of the
// user's configuration directory.
const (
	storeDirName  = "liaisondesk"
	storeFileName = "store.db"
)

// DefaultPath is where the store lives unless --db or LIAISONDESK_DB says
// otherwise: ~/.config/liaisondesk/store.db on Linux,
// %AppData%\liaisondesk\store.db on Windows (DefaultPathShown says it).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration directory: %w", err)
	}
	return filepath.Join(dir, storeDirName, storeFileName), nil
}
