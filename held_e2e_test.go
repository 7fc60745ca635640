package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// What the red team attacked and found to hold, kept under test so that it
// goes on holding. Each drives the real binary.

// TestConcurrentHubSyncsLoseNothing: three laptops with 12,000 changes
// between them sync with one hub at the same moment, twice over.
func TestConcurrentHubSyncsLoseNothing(t *testing.T) {
	e := newE2E(t)
	hubID := e.hubStore("hub.db", "hub-hawaii")
	laptops := []string{"a.db", "b.db", "c.db"}
	ids := map[string]string{}
	for _, db := range laptops {
		ids[db] = e.laptop(db, "INDOPACOM")
		e.enrol(db, "hub", hubID)
		e.enrol("hub.db", strings.TrimSuffix(db, ".db"), ids[db])
	}
	for _, db := range laptops {
		for _, other := range laptops {
			if other != db {
				e.enrol(db, strings.TrimSuffix(other, ".db"), ids[other])
			}
		}
	}
	// An exchange as added here is ten changes: 400 per laptop, 12,000 in all.
	const perLaptop = 400
	for _, db := range laptops {
		for batch := range 4 {
			var lines strings.Builder
			for i := range perLaptop / 4 {
				fmt.Fprintln(&lines, exchangeJSON(fmt.Sprintf("%s RIMPAC liaison note %d-%03d", db, batch, i)))
			}
			e.mustIn(db, lines.String(), "add", "exchange")
		}
	}
	url, _ := e.serve("hub.db")
	for round := range 2 {
		var wg sync.WaitGroup
		errs := make(chan error, len(laptops))
		for _, db := range laptops {
			wg.Go(func() {
				if _, errOut, err := e.run(db, "", "sync", "--hub", url); err != nil {
					errs <- fmt.Errorf("round %d, %s: %v %s", round, db, err, errOut)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	e.must("a.db", "sync", "--hub", url) // A last synced before C's push landed
	want := e.must("hub.db", "digest")
	for _, db := range laptops {
		if got := e.must(db, "digest"); got != want {
			t.Fatalf("%s digest %s, hub %s", db, got, want)
		}
		if n := countLines(e.must(db, "list", "exchange", "--limit", "5000", "--json"), `"title"`); n != 3*perLaptop {
			t.Fatalf("%s holds %d exchanges, want %d", db, n, 3*perLaptop)
		}
	}
}

func countLines(out, substr string) int { return strings.Count(out, substr) }

// TestTwoWritersOnOneStore: two processes adding records to one store at
// once both succeed, and every record is there.
func TestTwoWritersOnOneStore(t *testing.T) {
	e := newE2E(t)
	e.laptop("a.db", "CMF")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for w := range 2 {
		wg.Go(func() {
			for i := range 20 {
				if _, errOut, err := e.run("a.db", exchangeJSON(fmt.Sprintf("writer %d note %d", w, i)), "add", "exchange"); err != nil {
					errs <- fmt.Errorf("writer %d, add %d: %v %s", w, i, err, errOut)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := countLines(e.must("a.db", "list", "exchange", "--json"), `"title"`); n != 40 {
		t.Fatalf("%d exchanges, want 40", n)
	}
	e.must("a.db", "check")
}

// TestAFullDiskIsACleanRefusal: on a disk with no room left, adding records,
// writing a bundle and writing a backup each refuse with a message, leave no
// partial file, and the store still passes check.
func TestAFullDiskIsACleanRefusal(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounts a small tmpfs: needs root (CI runs as root)")
	}
	e := newE2E(t)
	disk := e.path("small")
	if err := os.Mkdir(disk, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", disk).Run() })

	store := filepath.Join("small", "a.db")
	e.laptop(store, "CMF")
	peer := e.laptop("peer.db", "CMF")
	e.enrol(store, "peer", peer)
	e.mustIn(store, exchangeJSON("Before the disk filled"), "add", "exchange")

	var lines strings.Builder
	for i := range 6000 {
		fmt.Fprintln(&lines, exchangeJSON(fmt.Sprintf("Too much for the disk %d", i)))
	}
	_, errOut, err := e.run(store, lines.String(), "add", "exchange")
	if err == nil {
		t.Fatal("6,000 exchanges fit on a 3 MB disk: the test needs a smaller disk")
	}
	if !strings.Contains(strings.ToLower(errOut), "full") {
		t.Errorf("the refusal does not say the disk is full: %s", errOut)
	}
	if n := countLines(e.must(store, "list", "exchange", "--json"), `"title"`); n != 1 {
		t.Fatalf("a refused add left %d exchanges, want the 1 from before", n)
	}
	e.must(store, "check")

	// Fill what is left, then ask for files on the same disk.
	filler, _ := os.Create(filepath.Join(disk, "filler"))
	buf := make([]byte, 64<<10)
	for {
		if _, err := filler.Write(buf); err != nil {
			break
		}
	}
	filler.Close()
	before := listDir(t, disk)
	for _, args := range [][]string{
		{"bundle", "create", "--to", "peer", "-o", filepath.Join(disk, "to-peer.ldbundle")},
		{"backup", filepath.Join(disk, "a.backup")},
		{"report", "contacts", "--format", "csv", "-o", filepath.Join(disk, "contacts.csv")},
	} {
		if _, errOut, err := e.run(store, "", args...); err == nil {
			t.Errorf("%s succeeded on a full disk", args[0])
		} else if errOut == "" {
			t.Errorf("%s failed on a full disk without a message", args[0])
		}
		if after := listDir(t, disk); after != before {
			t.Errorf("%s left files behind on a full disk: %s, before %s", args[0], after, before)
		}
	}
	// SQLite cannot open a WAL store with no room for its shared memory:
	// that must at least say why.
	if _, errOut, err := e.run(store, "", "check"); err != nil && !strings.Contains(strings.ToLower(errOut), "full") {
		t.Errorf("a store on a full disk fails without saying the disk is full: %s", errOut)
	}
	os.Remove(filepath.Join(disk, "filler"))
	e.must(store, "check")
	if n := countLines(e.must(store, "list", "exchange", "--json"), `"title"`); n != 1 {
		t.Fatalf("after the disk filled, %d exchanges, want 1", n)
	}
}

func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		if !strings.HasPrefix(en.Name(), "a.db") { // the store's own WAL files come and go
			names = append(names, en.Name())
		}
	}
	return strings.Join(names, ",")
}

// TestTheHubSpeaksOnlyTLS12AndAbove: a client offering at most TLS 1.1 is
// refused; TLS 1.2 is served.
func TestTheHubSpeaksOnlyTLS12AndAbove(t *testing.T) {
	e := newE2E(t)
	e.hubStore("hub.db", "hub-bahrain")
	cert, key := selfSignedCert(t, e.dir)
	url, _ := e.serve("hub.db", "--tls-cert", cert, "--tls-key", key)
	addr := strings.TrimPrefix(url, "https://")
	dial := func(max uint16) error {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr,
			&tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, MaxVersion: max})
		if err == nil {
			conn.Close()
		}
		return err
	}
	if err := dial(tls.VersionTLS12); err != nil {
		t.Fatalf("TLS 1.2 refused: %v", err)
	}
	if err := dial(tls.VersionTLS11); err == nil {
		t.Fatal("the hub accepted TLS 1.1")
	}
}

// TestAChainOfLaptopsWithEnrolmentLater: A's work reaches C through B;
// C holds it until C enrols A, then applies it as it next arrives.
func TestAChainOfLaptopsWithEnrolmentLater(t *testing.T) {
	e := newE2E(t)
	ids := map[string]string{}
	for _, db := range []string{"a.db", "b.db", "c.db"} {
		ids[db] = e.laptop(db, "SOCOM")
	}
	e.enrol("a.db", "b", ids["b.db"])
	e.enrol("b.db", "a", ids["a.db"])
	e.enrol("b.db", "c", ids["c.db"])
	e.enrol("c.db", "b", ids["b.db"])
	e.mustIn("a.db", exchangeJSON("Yudh Abhyas planning"), "add", "exchange")

	carry := func(from, to, name string) {
		f := e.path(from + "-" + to + ".ldbundle")
		e.must(from+".db", "bundle", "create", "--to", name, "-o", f)
		e.must(to+".db", "bundle", "import", f)
	}
	carry("a", "b", "b")
	carry("b", "c", "c")
	if got := e.must("c.db", "list", "exchange"); strings.Contains(got, "Yudh Abhyas") {
		t.Fatal("C applied work by A, a device it has not enrolled")
	}
	if got := e.must("c.db", "quarantine", "list", "--json"); got == "[]\n" || !strings.Contains(got, `"changes"`) {
		t.Fatalf("C does not hold A's work for review: %s", got)
	}
	e.enrol("c.db", "a", ids["a.db"])
	os.Remove(e.path("b-c.ldbundle"))
	e.mustIn("b.db", exchangeJSON("B's later note"), "add", "exchange")
	carry("b", "c", "c")
	if got := e.must("c.db", "list", "exchange"); !strings.Contains(got, "Yudh Abhyas") {
		t.Fatalf("A's work did not apply at C once C enrolled A:\n%s", got)
	}
	if got := strings.TrimSpace(e.must("c.db", "quarantine", "list", "--json")); got != "[]" {
		t.Fatalf("A's work is still held at C: %s", got)
	}
	e.must("c.db", "check")
}
