package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTheCommandLineAddsItsOwnAdvice: the store says what is wrong; the
// command line names the operation once and says what to type about it.
func TestTheCommandLineAddsItsOwnAdvice(t *testing.T) {
	db := newStore(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if r := liaisondesk(t, db, "", "backup", backup); r.code != 0 {
		t.Fatalf("backup: %s", r.stderr)
	}
	for _, c := range []struct {
		name string
		db   string
		args []string
		want string // the whole line on stderr
	}{
		{"a bundle for a peer that does not exist", db, []string{"bundle", "create", "--to", "nobody", "-o", filepath.Join(t.TempDir(), "b")},
			`liaisondesk bundle: not found: no peer called "nobody" (see 'liaisondesk peers list')`},
		{"a peer's identity that is not an identity line", db, []string{"peers", "add", "bahrain", "junk"},
			`liaisondesk peers add: identity: is not a Liaison Desk identity line: one starts with "liaisondesk-identity-v1" and has 5 parts separated by spaces (the other device prints it with 'liaisondesk identity')`},
		{"a restore onto the store itself", db, []string{"restore", backup},
			"liaisondesk restore: db: " + db + " already exists; use --force to replace it"},
		{"a backup used as the store", backup, []string{"list", "exchange"},
			"liaisondesk list: " + backup + ": this file is a backup, which holds no keys: make a working store from it with 'liaisondesk --db NEW restore " + backup + "'"},
		{"a held author id that is not one", db, []string{"quarantine", "release", "zz"},
			`liaisondesk quarantine release: id: "zz" is not an author id (4 to 32 hex digits); see 'liaisondesk quarantine list'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := liaisondesk(t, c.db, "", c.args...)
			if r.code != 1 || strings.TrimSpace(r.stderr) != c.want {
				t.Fatalf("exit %d, stderr:\n%s\nwant:\n%s", r.code, r.stderr, c.want)
			}
		})
	}
}
