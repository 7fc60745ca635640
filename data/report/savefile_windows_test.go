package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"liaisondesk/data"
)

// Issue 10: a report open in a viewer is not replaced: the save is refused
// in plain words, the open file is untouched and no temporary file is left.
func TestSavingOverAReportOpenElsewhereIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "weekly.pdf")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(path) // Go opens without FILE_SHARE_DELETE, as a viewer does
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	err = SaveFile(path, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err })
	if !errors.Is(err, data.ErrOpenElsewhere) || err.Error() != "save "+path+": the file is open in another program: close it and save again" {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("the open report now holds %q", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("left behind: %v", es)
	}
}
