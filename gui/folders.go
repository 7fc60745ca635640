package gui

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// lastFolder is where a kind of file was last saved or opened (reports,
// bundles), kept in the app's preferences under key, so the next file
// dialog for that kind starts there.
type lastFolder struct {
	prefs fyne.Preferences
	key   string
}

// startIn starts a file dialog in the folder last used (the home folder at
// first).
func (f lastFolder) startIn(d *dialog.FileDialog) {
	dir := f.prefs.String(f.key)
	if dir == "" {
		dir, _ = os.UserHomeDir()
	}
	startDialogIn(d, dir)
}

// remember keeps the folder of a file chosen in a dialog.
func (f lastFolder) remember(path string) {
	f.prefs.SetString(f.key, filepath.Dir(path))
}

// startDialogIn opens a file dialog on a folder, if it can be listed.
func startDialogIn(d *dialog.FileDialog, dir string) {
	if dir == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
}
