package store

import (
	"fmt"
	"os"
	"syscall"
	"testing"

	"liaisondesk/data"
)

// A write that found no room is named as a full disk, however it was
// wrapped; other failures are not.
func TestIsDiskFullRecognisesAFullDisk(t *testing.T) {
	full := &os.PathError{Op: "write", Path: "report.pdf", Err: syscall.ENOSPC}
	if !IsDiskFull(fmt.Errorf("save report: %w", full)) {
		t.Error("ENOSPC from a file write is not a full disk")
	}
	if !IsDiskFull(fmt.Errorf("backup: %w", data.ErrDiskFull)) {
		t.Error("ErrDiskFull is not a full disk")
	}
	if IsDiskFull(&os.PathError{Op: "open", Path: "x", Err: os.ErrNotExist}) {
		t.Error("a missing file counted as a full disk")
	}
}
