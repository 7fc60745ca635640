package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data/pgstore/pgtest"
)

// A PostgreSQL hub put back from an older pg_dump, as docs/HUB.md tells
// its operators, catches up by itself: the laptops resend what the
// restored hub lacks, and every digest ends equal to the hub's.
func TestAPostgreSQLHubRestoredFromPgDumpCatchesUp(t *testing.T) {
	dump, err := pgtest.Tool("pg_dump")
	if err != nil {
		t.Skip(err)
	}
	restore, err := pgtest.Tool("pg_restore")
	if err != nil {
		t.Skip(err)
	}
	e := newE2E(t)
	db, laptops := pgHubWithLaptops(t, e, 2)
	a, b := laptops[0], laptops[1]
	hub := e.startHub(db)
	add := func(l string, n int, what string) {
		var lines []string
		for k := range n {
			lines = append(lines, exchangeJSON(fmt.Sprintf("%s %d of %s", what, k, l)))
		}
		e.mustIn(l, strings.Join(lines, "\n"), "add", "exchange")
	}
	add(a, 3, "Before the backup")
	syncAll(t, e, laptops, []*hubProcess{hub})

	backup := filepath.Join(t.TempDir(), "hub.dump")
	if out, err := exec.Command(dump, "--format=custom", "--file", backup, "--dbname", db).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	add(a, 2, "After the backup")
	add(b, 1, "After the backup")
	syncAll(t, e, laptops, []*hubProcess{hub})
	syncAll(t, e, laptops, []*hubProcess{hub})
	before := strings.TrimSpace(e.must(db, "digest"))

	// The hub's database is put back as it was at the backup.
	hub.cmd.Process.Signal(os.Interrupt)
	hub.cmd.Wait()
	if out, err := exec.Command(restore, "--clean", "--if-exists", "--dbname", db, backup).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(e.must(db, "digest")); got == before {
		t.Fatal("the restore changed nothing: the test does not test a restore")
	}
	hub = e.startHub(db)
	for range 2 { // the first round learns what the hub lost; the second resends it
		syncAll(t, e, laptops, []*hubProcess{hub})
	}
	wantConverged(t, e, db, laptops)
	if got := strings.TrimSpace(e.must(db, "digest")); got != before {
		t.Fatalf("the restored hub holds %s, not what it held before the restore (%s)", got, before)
	}
}
