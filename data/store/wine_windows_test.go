//go:build wine

package store

import _ "unsafe" // for go:linkname

// Under Wine 8, deleting a file with POSIX semantics fails with "Invalid
// function", which Go does not take for "unsupported"; so every
// t.TempDir cleanup fails. Go's own test switch makes os.RemoveAll use the
// plain delete that Wine has. Only `make test-wine-unit` sets the wine tag
// (and -checklinkname=0, which this pull of a standard-library variable needs).
//
//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

func init() { deleteatFallback = true }
