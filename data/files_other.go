//go:build !windows

package data

// heldOpen is false: Unix renames over a file other programs hold open
// (they keep reading the old one).
func heldOpen(error, string) bool { return false }

// restrictToOwner does nothing: MkdirAll's mode 0700 already lets only
// the owner in.
func restrictToOwner(string) error { return nil }

// diskFullCode is false: on Unix a full disk is ENOSPC, which IsDiskFull
// tests for on every system.
func DiskFullCode(error) bool { return false }
