package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"liaisondesk/data"
)

// SaveFile writes a file atomically: write fills a temporary file in the
// same directory, which is synced and renamed over path only when write
// and every step after it succeed. On any error no file is left behind and
// an existing file at path is untouched. The file is readable by its owner
// only (0600), set before anything is written: reports and exports carry
// marked records, and following the umask would leave most of them
// readable by every user of the machine. A path another program holds
// open (Windows refuses to replace it) is data.ErrOpenElsewhere.
func SaveFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
		return fmt.Errorf("save %s: is a directory", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save %s: the folder %s does not exist", path, dir)
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", path, data.FileError(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil { // CreateTemp's mode, made explicit
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = data.ReplaceFile(tmp.Name(), path); err != nil {
		return fmt.Errorf("save %s: %w", path, data.FileError(err))
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // make the rename itself durable
		d.Close()
	}
	return nil
}
