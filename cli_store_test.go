package main

import (
	"database/sql"
	"strings"
	"testing"

	"liaisondesk/data/store"
)

// Issue 9, finding 8: while another process holds the store's write lock
// (a long import), the reading verbs answer, and a write that cannot wait
// it out says why in words, naming no migration and no SQLite code.
func TestVerbsBesideALongWriteInAnotherProcess(t *testing.T) {
	db := newStore(t)
	liaisondesk(t, db, meeting, "add", "exchange")
	id := liaisondesk(t, db, "", "identity").stdout // makes the age key once
	other, err := sql.Open("sqlite", store.WriterDSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin() // BEGIN IMMEDIATE
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE device SET hlc = hlc`); err != nil {
		t.Fatal(err)
	}
	t.Run("list, identity and digest answer", func(t *testing.T) {
		if r := liaisondesk(t, db, "", "list", "exchange", "--json"); r.code != 0 || !strings.Contains(r.stdout, "CTF 151") {
			t.Fatalf("list: %d %s", r.code, r.stderr)
		}
		if r := liaisondesk(t, db, "", "identity"); r.code != 0 || r.stdout != id {
			t.Fatalf("identity: %d %s", r.code, r.stderr)
		}
		if r := liaisondesk(t, db, "", "digest"); r.code != 0 || r.stdout == "" {
			t.Fatalf("digest: %d %s", r.code, r.stderr)
		}
	})
	t.Run("a write still locked out says another process is writing", func(t *testing.T) {
		r := liaisondesk(t, db, "", "peers", "revoke", "nobody")
		if r.code != 1 || !strings.Contains(r.stderr, "another Liaison Desk process is writing this store; try again when it finishes") ||
			strings.Contains(r.stderr, "SQLITE") || strings.Contains(r.stderr, "migration") {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
	})
}
