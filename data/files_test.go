package data

import (
	"strings"
	"testing"
)

// Issue 10: Windows refuses to rename over a file another program holds
// open; these are the codes it answers with.
func TestWindowsRenameCodesOfAFileHeldOpen(t *testing.T) {
	for _, c := range []struct {
		name     string
		code     uintptr
		readOnly bool
		want     bool
	}{
		{"a sharing violation (ERROR_SHARING_VIOLATION)", 32, false, true},
		{"a lock violation (ERROR_LOCK_VIOLATION)", 33, false, true},
		{"access denied to a writable file (ERROR_ACCESS_DENIED)", 5, false, true},
		{"access denied to a read-only file is not held open", 5, true, false},
		{"a missing file is not held open", 2, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := heldOpenCode(c.code, c.readOnly); got != c.want {
				t.Fatalf("%v", got)
			}
		})
	}
	if !strings.Contains(ErrOpenElsewhere.Error(), "is open in another program: close it and save again") {
		t.Fatal(ErrOpenElsewhere)
	}
}
