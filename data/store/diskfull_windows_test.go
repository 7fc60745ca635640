package store

import (
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// Windows says "disk full" in its own codes, not ENOSPC.
func TestIsDiskFullRecognisesWindowsCodes(t *testing.T) {
	for _, code := range []error{windows.ERROR_DISK_FULL, windows.ERROR_HANDLE_DISK_FULL} {
		if !IsDiskFull(&os.PathError{Op: "write", Path: "report.pdf", Err: code}) {
			t.Errorf("%v is not a full disk", code)
		}
	}
}
