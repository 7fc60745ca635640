package gui

import (
	"net/url"

	"fyne.io/fyne/v2/storage"
)

// "Open file" and "Show in folder" go through the system's own way:
// Explorer on Windows (reveal_windows.go), the desktop's handler for a
// file:// URL elsewhere (reveal_other.go, xdg-open on Linux).

// openFileURL asks the desktop to open a file or folder by its file:// URL.
func openFileURL(openURL func(*url.URL) error, path string) error {
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return err
	}
	return openURL(u)
}

// explorerSelect is the command line that opens Explorer on path's folder
// with path selected. Explorer parses its own command line: the path is
// quoted after "/select," (Go's quoting of the whole argument would
// break it), and a Windows path cannot hold a quote.
func explorerSelect(explorer, path string) string {
	return `"` + explorer + `" /select,"` + path + `"`
}
