//go:build !windows

package gui

import (
	"net/url"
	"path/filepath"
	"testing"
)

// Issue 10: off Windows, "Open file" and "Show in folder" keep handing the
// desktop a file:// URL: of the file, and of its folder.
func TestOpenAndShowHandTheDesktopFileURLs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Rapports 2026")
	path := filepath.Join(dir, "défense.pdf")
	var opened []string
	record := func(u *url.URL) error { opened = append(opened, u.String()); return nil }
	if err := openWithSystem(record)(path); err != nil {
		t.Fatal(err)
	}
	if err := revealWithSystem(record)(path); err != nil {
		t.Fatal(err)
	}
	fileURL := func(p string) string { return (&url.URL{Scheme: "file", Path: p}).String() }
	if len(opened) != 2 || opened[0] != fileURL(path) || opened[1] != fileURL(dir) {
		t.Fatalf("opened %v", opened)
	}
}
