package report

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 10: saving into a folder that is not there says so in our own
// words (Windows would say "The system cannot find the path specified.").
func TestSavingIntoAMissingFolderNamesTheFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nowhere")
	err := SaveFile(filepath.Join(dir, "r.pdf"), func(w io.Writer) error { _, err := w.Write([]byte("x")); return err })
	if err == nil || !strings.Contains(err.Error(), "the folder "+dir+" does not exist") {
		t.Fatalf("%v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("the folder was made")
	}
}
