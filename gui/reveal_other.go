//go:build !windows

package gui

import (
	"net/url"
	"path/filepath"
)

// openWithSystem opens a file in the desktop's program for it, by its
// file:// URL.
func openWithSystem(openURL func(*url.URL) error) func(string) error {
	return func(path string) error { return openFileURL(openURL, path) }
}

// revealWithSystem opens a file's folder in the desktop's file manager.
func revealWithSystem(openURL func(*url.URL) error) func(string) error {
	return func(path string) error { return openFileURL(openURL, filepath.Dir(path)) }
}
