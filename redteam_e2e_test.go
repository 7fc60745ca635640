package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"liaisondesk/data/store"
)

// These end-to-end tests replay, through the real binary, the red team's
// findings that only show across processes: a backup that carried the
// officer's keys, held-for-review storage that grew with the square of a
// commit, a hub restored from a file copy that stopped relaying, and
// readers locked out by a long import.

// TestABackupCarriesNoKeyMaterial: with the backup file alone, nobody can
// sign as the officer or read what is addressed to them; the restored store
// still trusts the officer's old identity, and says to revoke it.
func TestABackupCarriesNoKeyMaterial(t *testing.T) {
	e := newE2E(t)
	aID := e.laptop("a.db", "CMF")
	hubID := e.hubStore("hub.db", "hub-bahrain")
	e.enrol("a.db", "hub", hubID)
	e.enrol("hub.db", "a", aID)
	e.mustIn("a.db", exchangeJSON("CTF 152 port visit brief"), "add", "exchange")

	seed, ageKey := keyMaterial(t, e.path("a.db"))
	// --plain: the SQLite copy itself holds no keys (the default backup
	// is also encrypted; cli_keys_test.go).
	e.must("a.db", "backup", e.path("a.backup"), "--plain")
	raw, err := os.ReadFile(e.path("a.backup"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, seed) {
		t.Fatal("the backup file holds the device's ed25519 seed")
	}
	if bytes.Contains(raw, []byte(ageKey)) || bytes.Contains(raw, []byte("AGE-SECRET-KEY-")) {
		t.Fatal("the backup file holds an age secret key")
	}
	if fi, err := os.Stat(e.path("a.backup")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the backup is readable by others: %v %v", fi.Mode(), err)
	}

	// The officer goes on working on the old laptop, which reaches the hub
	// before it is lost.
	url, _ := e.serve("hub.db")
	e.mustIn("a.db", exchangeJSON("Written after the backup"), "add", "exchange")
	e.must("a.db", "sync", "--hub", url)

	out := e.must("r.db", "restore", e.path("a.backup"))
	if !strings.Contains(strings.ToLower(out), "revoke") {
		t.Fatalf("restore does not say to revoke the old device at its peers and hub:\n%s", out)
	}
	rID := strings.TrimSpace(e.must("r.db", "identity"))
	if rID == aID {
		t.Fatal("the restored store kept the old identity")
	}
	e.enrol("hub.db", "r", rID) // the restored store already trusts the hub
	e.must("r.db", "sync", "--hub", url)

	if got := e.must("r.db", "list", "exchange"); !strings.Contains(got, "Written after the backup") {
		t.Fatalf("the officer's own later work did not apply on the restored store:\n%s", got)
	}
	if got := strings.TrimSpace(e.must("r.db", "quarantine", "list", "--json")); got != "[]" {
		t.Fatalf("the officer's own later work is held for review: %s", got)
	}
	e.must("r.db", "check")
}

// keyMaterial reads a store's ed25519 seed and age identity, unlocking it
// with the tests' passphrase (they are sealed in the file).
func keyMaterial(t *testing.T, path string) (seed []byte, ageKey string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AgeIdentity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seed, ageKey = dev.PrivateKey.Seed(), id.String()
	if len(seed) == 0 || !strings.HasPrefix(ageKey, "AGE-SECRET-KEY-") {
		t.Fatalf("no key material to look for: %d bytes of seed, age identity %.15q", len(seed), ageKey)
	}
	return seed, ageKey
}

// TestHeldForReviewStorageStaysLinear: a laptop that has not enrolled the
// author of one big commit holds it for review at about the cost of
// applying it, not its square.
func TestHeldForReviewStorageStaysLinear(t *testing.T) {
	e := newE2E(t)
	hubID := e.hubStore("hub.db", "hub-hawaii")
	ids := map[string]string{}
	for _, db := range []string{"a.db", "c.db", "d.db"} {
		ids[db] = e.laptop(db, "INDOPACOM")
		e.enrol(db, "hub", hubID)
		e.enrol("hub.db", strings.TrimSuffix(db, ".db"), ids[db])
	}
	e.enrol("d.db", "a", ids["a.db"]) // D trusts A; C only the hub

	var lines strings.Builder
	const n = 2000
	for i := range n {
		fmt.Fprintln(&lines, exchangeJSON(fmt.Sprintf("Malabar serial %04d debrief", i)))
	}
	e.mustIn("a.db", lines.String(), "add", "exchange")
	url, _ := e.serve("hub.db")
	e.must("a.db", "sync", "--hub", url)
	e.must("c.db", "sync", "--hub", url)
	e.must("d.db", "sync", "--hub", url)

	var held []struct{ Changes int }
	if err := json.Unmarshal([]byte(e.must("c.db", "quarantine", "list", "--json")), &held); err != nil || len(held) == 0 {
		t.Fatalf("C holds nothing for review: %v", err)
	}
	heldSize, appliedSize := storeSize(t, e.path("c.db")), storeSize(t, e.path("d.db"))
	t.Logf("%d exchanges in one commit: held %d KB, applied %d KB", n, heldSize/1024, appliedSize/1024)
	if heldSize > 2*appliedSize {
		t.Fatalf("holding the commit costs %d bytes, applying it %d: more than twice", heldSize, appliedSize)
	}
}

// TestAHubRestoredFromAFileCopyCatchesUp replays the red team's scenario:
// the hub loses what it acknowledged, and must learn so and get it back.
func TestAHubRestoredFromAFileCopyCatchesUp(t *testing.T) {
	e := newE2E(t)
	hubID := e.hubStore("hub.db", "hub-tampa")
	ids := map[string]string{}
	for _, db := range []string{"a.db", "b.db"} {
		ids[db] = e.laptop(db, "SOCOM")
		e.enrol(db, "hub", hubID)
		e.enrol("hub.db", strings.TrimSuffix(db, ".db"), ids[db])
	}
	e.enrol("a.db", "b", ids["b.db"])
	e.enrol("b.db", "a", ids["a.db"])

	url, stop := e.serve("hub.db")
	e.mustIn("a.db", exchangeJSON("Snapshot test first"), "add", "exchange")
	e.must("a.db", "sync", "--hub", url)
	e.must("b.db", "sync", "--hub", url)
	stop()
	copyStore(t, e.path("hub.db"), e.path("hub-snapshot.db"))

	url, stop = e.serve("hub.db")
	e.mustIn("a.db", exchangeJSON("Snapshot test second"), "add", "exchange")
	e.must("a.db", "sync", "--hub", url)
	stop()
	copyStore(t, e.path("hub-snapshot.db"), e.path("hub.db"))

	url, _ = e.serve("hub.db")
	e.mustIn("a.db", exchangeJSON("Snapshot test third"), "add", "exchange")
	var summaries []string
	for range 2 {
		summaries = append(summaries, e.must("a.db", "sync", "--hub", url))
		e.must("b.db", "sync", "--hub", url)
	}
	got := e.must("b.db", "list", "exchange")
	for _, title := range []string{"Snapshot test first", "Snapshot test second", "Snapshot test third"} {
		if !strings.Contains(got, title) {
			t.Fatalf("B never got %s after the hub was restored:\n%s", title, got)
		}
	}
	if !strings.Contains(strings.Join(summaries, "\n"), "lost") {
		t.Fatalf("A's sync summary does not say the hub had lost its changes:\n%s", strings.Join(summaries, "\n"))
	}
	want := e.must("hub.db", "digest")
	for _, db := range []string{"a.db", "b.db"} {
		if d := e.must(db, "digest"); d != want {
			t.Fatalf("%s digest %s, hub %s", db, d, want)
		}
		e.must(db, "check")
	}
}

// TestReadersWorkBesideALongImport: while one process imports a big
// bundle, others open the same store to list, print its identity and its
// digest, and none of them fails.
func TestReadersWorkBesideALongImport(t *testing.T) {
	e := newE2E(t)
	aID := e.laptop("a.db", "CMF")
	dID := e.laptop("d.db", "CMF")
	e.enrol("a.db", "d", dID)
	e.enrol("d.db", "a", aID)
	var lines strings.Builder
	for i := range 4000 {
		fmt.Fprintln(&lines, exchangeJSON(fmt.Sprintf("CTF 150 boarding report %04d", i)))
	}
	e.mustIn("a.db", lines.String(), "add", "exchange")
	e.must("a.db", "bundle", "create", "--to", "d", "-o", e.path("a-to-d.ldbundle"))

	imp := exec.Command(e.bin, "--db", e.path("d.db"), "bundle", "import", e.path("a-to-d.ldbundle"))
	var impErr bytes.Buffer
	imp.Stderr = &impErr
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	var importing atomic.Bool
	importing.Store(true)
	done := make(chan error, 1)
	go func() { done <- imp.Wait(); importing.Store(false) }()

	during := 0
	deadline := time.Now().Add(2 * time.Minute)
	for importing.Load() && time.Now().Before(deadline) {
		for _, verb := range [][]string{{"list", "exchange", "--limit", "1"}, {"identity"}, {"digest"}} {
			_, errOut, err := e.run("d.db", "", verb...)
			if err != nil {
				t.Fatalf("%s failed beside a long import: %v\n%s", verb[0], err, errOut)
			}
			if importing.Load() {
				during++
			}
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("the import failed: %v\n%s", err, impErr.String())
	}
	t.Logf("%d reads finished while the import ran", during)
	if during == 0 {
		t.Fatal("the import ended before any read ran beside it: make it longer")
	}
	e.must("d.db", "check")
}
