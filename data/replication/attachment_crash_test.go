package replication

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// A child killed at random moments while it imports a bundle carrying
// attachment content leaves the store as before the import (no
// attachment, no content) or fully after it (every content whole and
// matching its hash), never in between. The child is TestImportCrashChild.
func TestACrashDuringAnImportWithAttachmentsLeavesBeforeOrAfter(t *testing.T) {
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
	id := addExchange(t, a, "Briefing pack")
	var sums []string
	for i := range 24 {
		att := attachFile(t, a, data.KindExchange, id, fmt.Sprintf("slide-%02d.pdf", i), sampleContent(byte(i)))
		sums = append(sums, att.SHA256)
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

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	outcomes := map[string]int{}
	for i := range 8 {
		db := filepath.Join(dir, fmt.Sprintf("kill-%d.db", i))
		copyFile(t, template, db)
		cmd := run(db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A random moment of the import, past the child's start.
		time.Sleep(took/3 + time.Duration(rng.Int64N(int64(took*2/3))))
		cmd.Process.Kill()
		cmd.Wait()
		s, err := store.Open(ctx, db)
		if err != nil {
			t.Fatalf("run %d: the store does not open after the kill: %v", i, err)
		}
		held := 0
		for _, sum := range sums {
			if s.WriteContent(ctx, sum, discard{}) == nil {
				held++
			}
		}
		switch got := digest(t, s); {
		case got == before && held == 0:
			outcomes["before"]++
		case got == after && held == len(sums):
			outcomes["after"]++
		default:
			t.Fatalf("run %d: neither before nor after: %d of %d contents held", i, held, len(sums))
		}
		checkClean(t, s) // every content held matches its hash
		s.Close()
	}
	t.Logf("import with %d attachments took %v; after 8 kills: %v", len(sums), took.Round(time.Millisecond), outcomes)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
