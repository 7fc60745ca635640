package data

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The domain package holds rules that need no database (docs/ARCHITECTURE.md
// §1): it must not grow an import of SQL, of the window or of our own
// packages, which all import it.
func TestTheDomainImportsNoStoreNoWindowAndNoPackageOfOurs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"database/sql", "modernc.org/", "fyne.io/", "liaisondesk/"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range parsed.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			for _, bad := range forbidden {
				if strings.HasPrefix(path, bad) {
					t.Errorf("%s imports %s: the domain package holds no SQL, no window and none of our packages", f, path)
				}
			}
		}
	}
}
