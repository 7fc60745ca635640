package replication

// Benchmarks of issue 15, items 4 and 5: each step of a transfer runs in
// a child process (this test binary run again, TestSyncStepChild), so
// the peak RSS it reports (VmHWM in /proc/self/status) is that step's
// alone, and the hub serves from a process of its own, as it would in
// production.
//
//	make bench BENCH='SyncMemory1M|HubVsBundle100k' BENCHPKG=./data/replication/
//
// BENCH_MEM_N sets the size of the memory run (default 1,000,000 changes;
// bench-smoke runs it small), BENCH_SYNC_N the speed run's (100,000);
// BENCH_STEP_CPUPROFILE=DIR writes each step's CPU profile there.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// stepEnv names the step a child process runs, stepDir its stores.
const (
	stepEnv = "LIAISONDESK_SYNC_STEP"
	stepDir = "LIAISONDESK_SYNC_STEP_DIR"
)

func memBenchN() int {
	if n, err := strconv.Atoi(strings.ReplaceAll(os.Getenv("BENCH_MEM_N"), "_", "")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// peakRSS is this process's peak resident set (VmHWM), in bytes.
func peakRSS() (int64, error) {
	f, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(f), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// TestSyncStepChild is one step of a benchmark, run in a child process;
// a plain test run skips it.
func TestSyncStepChild(t *testing.T) {
	step, dir := os.Getenv(stepEnv), os.Getenv(stepDir)
	if step == "" {
		t.Skip("a benchmark's child process only")
	}
	ctx := context.Background()
	open := func(name string) *store.Store {
		s, err := store.Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	file := filepath.Join(dir, "bundle.ldbundle")
	applied := -1 // the changes a step applied, where it applies any
	start := time.Now()
	switch step {
	case "create":
		from := open("from.db")
		peers, err := TrustedPeers(ctx, from, []string{"to"})
		if err != nil {
			t.Fatal(err)
		}
		if err := data.WriteFileAtomic(file, 0o600, func(w io.Writer) error {
			_, err := WriteBundle(ctx, from, peers, w)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	case "import":
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		res, _, err := ImportBundle(ctx, open("to.db"), f)
		if err != nil {
			t.Fatal(err)
		}
		applied = res.Applied
	case "hub": // serves until SIGTERM
		hubStore := open("hub.db")
		if err := hubStore.MarkHub(ctx); err != nil { // as hub init does
			t.Fatal(err)
		}
		hub := &Hub{R: hubStore}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		serving, stop := signalContext()
		defer stop()
		fmt.Printf("STEP-LISTEN %s\n", ln.Addr())
		if err := hub.Serve(serving, ln, "", ""); err != nil {
			t.Fatal(err)
		}
	case "push", "pull":
		name := map[string]string{"push": "laptop.db", "pull": "other.db"}[step]
		res, err := SyncHub(ctx, open(name), os.Getenv("LIAISONDESK_SYNC_STEP_HUB"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if applied = res.Pulled.Applied; step == "push" {
			applied = res.AtHub.Applied
		}
	default:
		t.Fatalf("unknown step %q", step)
	}
	took := time.Since(start)
	rss, err := peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := strconv.Atoi(os.Getenv("LIAISONDESK_SYNC_STEP_N")); applied >= 0 && applied < want {
		t.Fatalf("step %s applied %d of %d changes", step, applied, want)
	}
	fmt.Printf("STEP-RESULT %d %d\n", rss, took.Nanoseconds())
}

// signalContext ends at SIGTERM.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	go func() {
		select {
		case <-sig:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// stepResult is what a child step reports.
type stepResult struct {
	rss  int64
	took time.Duration
}

// child starts a step in a child process, env added.
func child(b *testing.B, step, dir string, n int, env ...string) (*exec.Cmd, *bufio.Reader) {
	b.Helper()
	args := []string{"-test.run=^TestSyncStepChild$", "-test.count=1", "-test.v"}
	if prof := os.Getenv("BENCH_STEP_CPUPROFILE"); prof != "" { // a folder: one profile per step
		args = append(args, "-test.cpuprofile="+filepath.Join(prof, step+".prof"))
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), stepEnv+"="+step, stepDir+"="+dir, "LIAISONDESK_SYNC_STEP_N="+strconv.Itoa(n)), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return cmd, bufio.NewReader(out)
}

// waitStep reads a child's lines until its result, then waits for it.
func waitStep(b *testing.B, step string, cmd *exec.Cmd, out *bufio.Reader) stepResult {
	b.Helper()
	var res stepResult
	var seen []string
	for {
		line, err := out.ReadString('\n')
		if f := strings.Fields(line); len(f) == 3 && f[0] == "STEP-RESULT" {
			res.rss, _ = strconv.ParseInt(f[1], 10, 64)
			ns, _ := strconv.ParseInt(f[2], 10, 64)
			res.took = time.Duration(ns)
		} else if line != "" {
			seen = append(seen, line)
		}
		if err != nil {
			break
		}
	}
	if err := cmd.Wait(); err != nil || res.rss == 0 {
		b.Fatalf("step %s: %v\n%s", step, err, strings.Join(seen, ""))
	}
	return res
}

func runStep(b *testing.B, step, dir string, n int, env ...string) stepResult {
	cmd, out := child(b, step, dir, n, env...)
	return waitStep(b, step, cmd, out)
}

// transfer makes the stores of one run in dir from a source store of n
// changes: from.db → to.db by bundle; laptop.db → hub.db → other.db
// (empty) by hub sync; then runs each step in a child process.
func transfer(b *testing.B, n int) map[string]stepResult {
	b.Helper()
	src := sourceStore(b, n)
	dir := b.TempDir()
	ctx := context.Background()
	from := openCopy(b, src, dir, "from.db")
	to := newStore(b, dir, "to.db")
	enrolPair(b, from, to)
	from.Close()
	laptop := openCopy(b, src, dir, "laptop.db")
	hub := newStore(b, dir, "hub.db")
	other := newStore(b, dir, "other.db")
	enrolPair(b, laptop, hub)
	enrolPair(b, other, hub)
	enrolPair(b, laptop, other) // the other laptop takes the laptop's changes, not holds them for review
	for _, s := range []*store.Store{to, laptop, hub, other} {
		if _, err := s.Vector(ctx); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	res := map[string]stepResult{}
	res["create"] = runStep(b, "create", dir, n)
	res["import"] = runStep(b, "import", dir, n)
	hubCmd, hubOut := child(b, "hub", dir, n)
	line, err := hubOut.ReadString('\n')
	for err == nil && !strings.HasPrefix(line, "STEP-LISTEN ") {
		line, err = hubOut.ReadString('\n')
	}
	if err != nil {
		hubCmd.Process.Kill()
		b.Fatalf("the hub did not start: %v", err)
	}
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "STEP-LISTEN "))
	res["push"] = runStep(b, "push", dir, n, "LIAISONDESK_SYNC_STEP_HUB="+url)
	res["pull"] = runStep(b, "pull", dir, n, "LIAISONDESK_SYNC_STEP_HUB="+url)
	hubCmd.Process.Signal(syscall.SIGTERM)
	res["hub"] = waitStep(b, "hub", hubCmd, hubOut)
	return res
}

// BenchmarkSyncMemory1M: peak RSS of bundle create and import, hub push
// and pull, and the hub process serving both, for BENCH_MEM_N changes.
// Target: each under 250 MB.
func BenchmarkSyncMemory1M(b *testing.B) {
	n := memBenchN()
	var res map[string]stepResult
	for range b.N {
		res = transfer(b, n)
	}
	const limit = 250 << 20
	for _, step := range []string{"create", "import", "push", "pull", "hub"} {
		r := res[step]
		b.ReportMetric(float64(r.rss)/(1<<20), step+"-MB")
		what := map[string]string{"create": "bundle create", "import": "bundle import", "push": "hub push (laptop)",
			"pull": "hub pull (empty laptop)", "hub": "hub process serving push and pull"}[step]
		checkTarget(b, fmt.Sprintf("peak RSS, %s, %d changes", what, n), fmt.Sprintf("%d MB", r.rss>>20), "< 250 MB", r.rss < limit)
	}
}

// BenchmarkHubVsBundle100k: a hub sync (push, then pull to an empty
// laptop) against bundle create plus import of the same changes, each
// step in its own process, the hub in its own. Target: within 1.5×.
func BenchmarkHubVsBundle100k(b *testing.B) {
	n := syncBenchN()
	var res map[string]stepResult
	for range b.N {
		res = transfer(b, n)
	}
	bundle := res["create"].took + res["import"].took
	hub := res["push"].took + res["pull"].took
	for _, step := range []string{"create", "import", "push", "pull"} {
		b.ReportMetric(res[step].took.Seconds(), step+"-s")
	}
	ratio := hub.Seconds() / bundle.Seconds()
	b.ReportMetric(ratio, "hub/bundle")
	b.ReportMetric(float64(n)/hub.Seconds(), "hub-changes/s")
	checkTarget(b, fmt.Sprintf("hub push+pull of %d changes / bundle create+import (%.1fs+%.1fs vs %.1fs+%.1fs)", n,
		res["push"].took.Seconds(), res["pull"].took.Seconds(), res["create"].took.Seconds(), res["import"].took.Seconds()),
		fmt.Sprintf("%.2fx", ratio), "<= 1.5x", ratio <= 1.5)
}
