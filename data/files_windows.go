package data

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// heldOpen reports whether renaming over path failed because another
// program holds path open: Windows refuses to replace such a file.
func heldOpen(err error, path string) bool {
	var en syscall.Errno
	if !errors.As(err, &en) {
		return false
	}
	fi, serr := os.Stat(path)
	readOnly := serr == nil && fi.Mode().Perm()&0o200 == 0
	return heldOpenCode(uintptr(en), readOnly)
}

// restrictToOwner gives dir an ACL granting full control to the current
// user alone, inherited by everything created in it (the store, its -wal
// and -shm files, backups), and protected from the parent's entries: on
// Windows the mode bits of MkdirAll mean nothing, and a folder outside the
// profile would inherit "Users: read" from its parent.
func restrictToOwner(dir string) error {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return fmt.Errorf("restrict %s to its owner: %w", dir, err)
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_ALL,
		AccessMode:        windows.SET_ACCESS,
		Inheritance:       windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(user.User.Sid),
		},
	}}, nil)
	if err != nil {
		return fmt.Errorf("restrict %s to its owner: %w", dir, err)
	}
	err = windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
	if err != nil {
		return fmt.Errorf("restrict %s to its owner: %w", dir, err)
	}
	return nil
}

// diskFullCode reports Windows' own words for a full disk, which are not
// ENOSPC: ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL.
func DiskFullCode(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}
