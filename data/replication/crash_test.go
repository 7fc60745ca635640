package replication

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// The import crash test re-runs this test binary as a child that imports
// a large bundle; the parent kills it with SIGKILL at random moments
// during the import and checks the store is either as before the import or
// fully after it, never in between, and sound.
const (
	importChildDB     = "LIAISONDESK_IMPORT_CHILD_DB"
	importChildBundle = "LIAISONDESK_IMPORT_CHILD_BUNDLE"
	importCrashRuns   = "LIAISONDESK_IMPORT_CRASH_RUNS" // how many kills (default 20)
)

// TestImportCrashChild is the child side of TestACrashDuringImportLeavesBeforeOrAfter.
func TestImportCrashChild(t *testing.T) {
	db, file := os.Getenv(importChildDB), os.Getenv(importChildBundle)
	if db == "" {
		t.Skip("runs only as the child process of TestACrashDuringImportLeavesBeforeOrAfter")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("importing")
	if _, _, err := ImportBundle(ctx, s, f); err != nil {
		t.Fatal(err)
	}
	fmt.Println("imported")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestACrashDuringImportLeavesBeforeOrAfter(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	a := openReplica(t, "Cdr A", day)
	bPath := filepath.Join(dir, "b.db")
	b, err := store.Open(ctx, bPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Init(ctx, data.Officer{Name: "Cdr B", Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	enrol(t, a, b)
	// 3,000 exchanges in commits of 100, then edits: an import long enough
	// to be killed in the middle of.
	for c := range 30 {
		var recs []data.Record
		for i := range 100 {
			recs = append(recs, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: fmt.Sprintf("Meeting %d-%d", c, i),
				OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Summary: "Boarding drills and information sharing.",
				Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
		}
		if _, err := a.Add(ctx, recs...); err != nil {
			t.Fatal(err)
		}
	}
	bundlePath := filepath.Join(dir, "a-to-b.ldbundle")
	peers, _ := TrustedPeers(ctx, a, []string{"peerb"})
	f, _ := os.Create(bundlePath)
	if _, err := WriteBundle(ctx, a, peers, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := digest(t, b)
	b.Close()
	template := filepath.Join(dir, "b-template.db")
	copyFile(t, bPath, template)

	// One uninterrupted import gives the "after" state and its duration.
	run := func(db string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestImportCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), importChildDB+"="+db, importChildBundle+"="+bundlePath)
		return cmd
	}
	full := filepath.Join(dir, "full.db")
	copyFile(t, template, full)
	start := time.Now()
	if out, err := run(full).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted import: %v\n%s", err, out)
	}
	took := time.Since(start)
	fs, err := store.Open(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	after := digest(t, fs)
	fs.Close()
	if after == before {
		t.Fatal("the import changed nothing")
	}

	runs := 20
	if n, err := strconv.Atoi(os.Getenv(importCrashRuns)); err == nil && n > 0 {
		runs = n
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	outcomes := map[string]int{}
	for i := range runs {
		db := filepath.Join(dir, fmt.Sprintf("kill-%d.db", i))
		copyFile(t, template, db)
		cmd := run(db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(took)))) // a random moment of the import
		cmd.Process.Kill()
		cmd.Wait()
		s, err := store.Open(ctx, db)
		if err != nil {
			t.Fatalf("run %d: the store does not open after the kill: %v", i, err)
		}
		got := digest(t, s)
		switch got {
		case before:
			outcomes["before"]++
		case after:
			outcomes["after"]++
		default:
			t.Fatalf("run %d: the store is neither as before the import nor as after it", i)
		}
		checkClean(t, s)
		s.Close()
	}
	t.Logf("import of %s took %v; after %d kills: %v", bundlePath, took.Round(time.Millisecond), runs, outcomes)
}
