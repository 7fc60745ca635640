// Package synctest runs the sync benchmarks of issue 15 (items 4 and 5)
// against any store a hub keeps its replica in: each step of a transfer
// (bundle create and import, hub push and pull) runs in a child process
// (the benchmark's test binary run again, through a TestSyncStepChild
// that calls Step), so the peak RSS it reports (VmHWM in
// /proc/self/status) is that step's alone, and the hub serves from a
// process of its own, as it would in production.
//
// A package benchmarks a store by giving a HubStore to Memory and
// Speed from its benchmarks and to Step from its TestSyncStepChild.
// BENCH_STEP_CPUPROFILE=DIR writes each step's CPU profile there,
// BENCH_STEP_MEMPROFILE=DIR its heap profile nearest its peak.
package synctest

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
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
	"liaisondesk/data/store/sourcestore"
)

// The environment of a step's child process.
const (
	stepEnv  = "LIAISONDESK_SYNC_STEP"     // the step it runs
	dirEnv   = "LIAISONDESK_SYNC_STEP_DIR" // the run's stores and bundle
	nEnv     = "LIAISONDESK_SYNC_STEP_N"   // the changes it must apply
	urlEnv   = "LIAISONDESK_SYNC_STEP_HUB" // the hub's URL, for push and pull
	whereEnv = "LIAISONDESK_SYNC_STEP_HUB_STORE"
)

// InChild says this process is a benchmark's step: a TestMain skips what
// only its tests need (a PostgreSQL cluster of its own).
func InChild() bool { return os.Getenv(stepEnv) != "" }

// Replica is a hub's store as the parent process prepares it: the
// replica, and its peers enrolled.
type Replica interface {
	replication.Replica
	AddPeer(ctx context.Context, name, identityLine string) (data.Peer, error)
	Close() error
}

// HubStore is a kind of store a hub keeps its replica in.
type HubStore struct {
	Name string // in target lines: "SQLite hub"
	// Make creates an initialised, empty hub store for one run (dir is
	// the run's folder) and returns it open, with where Open finds it.
	Make func(b *testing.B, dir string) (r Replica, where string)
	// Open opens it in the hub's child process, as `hub --listen` does.
	Open func(ctx context.Context, where string) (replication.Replica, func(), error)
}

// SQLiteHub keeps the hub's replica in a SQLite store, hub.db in the
// run's folder.
func SQLiteHub() HubStore {
	return HubStore{
		Name: "SQLite hub",
		Make: func(b *testing.B, dir string) (Replica, string) {
			s := newStore(b, dir, "hub.db")
			if err := s.MarkHub(context.Background()); err != nil { // as hub init does: a hub's store builds no records
				b.Fatal(err)
			}
			return s, filepath.Join(dir, "hub.db")
		},
		// The one place the hub's process opens its SQLite store: what
		// `hub --listen` does to it on opening belongs here too.
		Open: func(ctx context.Context, path string) (replication.Replica, func(), error) {
			s, err := store.Open(ctx, path)
			if err != nil {
				return nil, nil, err
			}
			return s, func() { s.Close() }, nil
		},
	}
}

// MemN is the size of the memory run: BENCH_MEM_N, by default 1,000,000
// changes (bench-smoke runs it small).
func MemN() int { return envN("BENCH_MEM_N", 1_000_000) }

// SyncN is the size of the speed run: BENCH_SYNC_N, by default 100,000.
func SyncN() int { return envN("BENCH_SYNC_N", 100_000) }

func envN(name string, def int) int {
	if n, err := strconv.Atoi(strings.ReplaceAll(os.Getenv(name), "_", "")); err == nil && n > 0 {
		return n
	}
	return def
}

// Target reports one target, as a package's checkTarget does.
type Target func(b *testing.B, what, measured, limit string, ok bool)

// Memory is BenchmarkSyncMemory1M: the peak RSS of each step of a
// transfer of MemN changes through hub, and with bundle set of bundle
// create and import too (they do not depend on the hub's store).
// Target: each under 250 MB.
func Memory(b *testing.B, hub HubStore, bundle bool, target Target) {
	n := MemN()
	var res map[string]Result
	for range b.N {
		res = Transfer(b, n, hub, bundle)
	}
	const limit = 250 << 20
	for _, step := range []string{"create", "import", "push", "pull", "hub"} {
		r, ok := res[step]
		if !ok {
			continue
		}
		b.ReportMetric(float64(r.RSS)/(1<<20), step+"-MB")
		what := map[string]string{"create": "bundle create", "import": "bundle import",
			"push": "hub push (laptop), " + hub.Name, "pull": "hub pull (empty laptop), " + hub.Name,
			"hub": "hub process serving push and pull, " + hub.Name}[step]
		target(b, fmt.Sprintf("peak RSS, %s, %d changes", what, n), fmt.Sprintf("%d MB", r.RSS>>20), "< 250 MB", r.RSS < limit)
	}
}

// Speed is BenchmarkHubVsBundle100k: a hub sync through hub (push, then
// pull to an empty laptop) against bundle create plus import of the same
// SyncN changes, each step in its own process, the hub in its own.
// Target: within 1.5×.
func Speed(b *testing.B, hub HubStore, target Target) {
	n := SyncN()
	var res map[string]Result
	for range b.N {
		res = Transfer(b, n, hub, true)
	}
	bundle := res["create"].Took + res["import"].Took
	sync := res["push"].Took + res["pull"].Took
	for _, step := range []string{"create", "import", "push", "pull"} {
		b.ReportMetric(res[step].Took.Seconds(), step+"-s")
	}
	ratio := sync.Seconds() / bundle.Seconds()
	b.ReportMetric(ratio, "hub/bundle")
	b.ReportMetric(float64(n)/sync.Seconds(), "hub-changes/s")
	target(b, fmt.Sprintf("%s push+pull of %d changes / bundle create+import (%.1fs+%.1fs vs %.1fs+%.1fs)", hub.Name, n,
		res["push"].Took.Seconds(), res["pull"].Took.Seconds(), res["create"].Took.Seconds(), res["import"].Took.Seconds()),
		fmt.Sprintf("%.2fx", ratio), "<= 1.5x", ratio <= 1.5)
}

// Result is what a step's child process reports.
type Result struct {
	RSS  int64 // peak resident set, bytes
	Took time.Duration
}

// Transfer makes the stores of one run in a new folder from a source
// store of n changes: from.db → to.db by bundle (when bundle is set);
// laptop.db → the hub → other.db (empty) by hub sync; then runs each
// step in a child process, the hub serving from one of its own.
func Transfer(b *testing.B, n int, hub HubStore, bundle bool) map[string]Result {
	b.Helper()
	src := sourcestore.Path(b, n)
	dir := b.TempDir()
	ctx := context.Background()
	var opened []Replica
	if bundle {
		from, to := copyStore(b, src, dir, "from.db"), newStore(b, dir, "to.db")
		enrol(b, from, "from", to, "to")
		opened = append(opened, from, to)
	}
	laptop, other := copyStore(b, src, dir, "laptop.db"), newStore(b, dir, "other.db")
	hubStore, where := hub.Make(b, dir)
	enrol(b, laptop, "laptop", hubStore, "hub")
	enrol(b, other, "other", hubStore, "hub")
	enrol(b, laptop, "laptop", other, "other") // the other laptop takes the laptop's changes, not holds them for review
	for _, s := range append(opened, laptop, other, hubStore) {
		if _, err := s.Vector(ctx); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	res := map[string]Result{}
	if bundle {
		for _, step := range []string{"create", "import"} {
			res[step] = runStep(b, step, dir, n)
			progress(b, hub, step, res[step])
		}
	}
	hubCmd, hubOut := child(b, "hub", dir, n, whereEnv+"="+where)
	line, err := hubOut.ReadString('\n')
	for err == nil && !strings.HasPrefix(line, "STEP-LISTEN ") {
		line, err = hubOut.ReadString('\n')
	}
	if err != nil {
		hubCmd.Process.Kill()
		hubCmd.Wait()
		b.Fatalf("the hub did not start: %v", err)
	}
	url := urlEnv + "=http://" + strings.TrimSpace(strings.TrimPrefix(line, "STEP-LISTEN "))
	for _, step := range []string{"push", "pull"} {
		cmd, out := child(b, step, dir, n, url)
		r, err := waitStep(step, cmd, out)
		if err != nil {
			hubCmd.Process.Kill()
			hubCmd.Wait()
			b.Fatal(err)
		}
		res[step] = r
		progress(b, hub, step, r)
	}
	hubCmd.Process.Signal(syscall.SIGTERM)
	r, err := waitStep("hub", hubCmd, hubOut)
	if err != nil {
		b.Fatal(err)
	}
	res["hub"] = r
	progress(b, hub, "hub", r)
	return res
}

// Step runs the step this child process was started for: call it from a
// TestSyncStepChild in the benchmark's package, with the benchmark's hub
// store. A plain test run skips it.
func Step(t *testing.T, hub HubStore) {
	step, dir := os.Getenv(stepEnv), os.Getenv(dirEnv)
	if step == "" {
		t.Skip("a benchmark's child process only")
	}
	if prof := os.Getenv("BENCH_STEP_MEMPROFILE"); prof != "" {
		stop := watchHeap(filepath.Join(prof, step+".heap"))
		defer stop()
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
		peers, err := replication.TrustedPeers(ctx, from, []string{"to"})
		if err != nil {
			t.Fatal(err)
		}
		if err := data.WriteFileAtomic(file, 0o600, func(w io.Writer) error {
			_, err := replication.WriteBundle(ctx, from, peers, w)
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
		res, _, err := replication.ImportBundle(ctx, open("to.db"), f)
		if err != nil {
			t.Fatal(err)
		}
		applied = res.Applied
	case "hub": // serves until SIGTERM
		r, closeHub, err := hub.Open(ctx, os.Getenv(whereEnv))
		if err != nil {
			t.Fatal(err)
		}
		defer closeHub()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		serving, stop := signalContext()
		defer stop()
		fmt.Printf("STEP-LISTEN %s\n", ln.Addr())
		if err := (&replication.Hub{R: r}).Serve(serving, ln, "", ""); err != nil {
			t.Fatal(err)
		}
	case "push", "pull":
		name := map[string]string{"push": "laptop.db", "pull": "other.db"}[step]
		res, err := replication.SyncHub(ctx, open(name), os.Getenv(urlEnv), nil)
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
	if want, _ := strconv.Atoi(os.Getenv(nEnv)); applied >= 0 && applied < want {
		t.Fatalf("step %s applied %d of %d changes", step, applied, want)
	}
	fmt.Printf("STEP-RESULT %d %d\n", rss, took.Nanoseconds())
}

// peakRSS is this process's peak resident set (VmHWM), in bytes.
func peakRSS() (int64, error) { return statusKB("VmHWM:") }

// statusKB is a figure of /proc/self/status given in kB, in bytes.
func statusKB(field string) (int64, error) {
	f, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(f), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}

// watchHeap writes a heap profile to path each time the live heap grows
// past its last high by a tenth, so the file ends holding the profile
// nearest the step's peak (one written at the end holds what is left),
// and beside it (path+".txt") how the resident set divides at its own
// peak: what Go holds, by class, and the rest (SQLite's own allocator).
func watchHeap(path string) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		// The profile follows the heap live at the last GC; the objects'
		// class counts garbage not yet swept too.
		classes := []string{"/memory/classes/total:bytes", "/gc/heap/live:bytes", "/memory/classes/heap/objects:bytes",
			"/memory/classes/heap/unused:bytes", "/memory/classes/heap/free:bytes",
			"/memory/classes/heap/released:bytes", "/memory/classes/heap/stacks:bytes"}
		sample := make([]metrics.Sample, len(classes))
		for i, c := range classes {
			sample[i].Name = c
		}
		var heapHigh uint64
		var rssHigh int64
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if live := sample[1].Value.Uint64(); live > heapHigh+heapHigh/10 {
				heapHigh = live
				if f, err := os.Create(path); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
			if rss, err := statusKB("VmRSS:"); err == nil && rss > rssHigh {
				rssHigh = rss
				text := fmt.Sprintf("rss %d MB (Go's total minus released counts as Go's)\n", rss>>20)
				for i, c := range classes {
					text += fmt.Sprintf("%s %d MB\n", c, sample[i].Value.Uint64()>>20)
				}
				goHeld := int64(sample[0].Value.Uint64() - sample[5].Value.Uint64())
				text += fmt.Sprintf("not Go's (SQLite, the binary) %d MB\n", (rss-goHeld)>>20)
				os.WriteFile(path+".txt", []byte(text), 0o644)
			}
		}
	}()
	return func() { close(done); <-finished }
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

// child starts a step in a child process, env added.
func child(b *testing.B, step, dir string, n int, env ...string) (*exec.Cmd, *bufio.Reader) {
	b.Helper()
	args := []string{"-test.run=^TestSyncStepChild$", "-test.count=1", "-test.v"}
	if prof := os.Getenv("BENCH_STEP_CPUPROFILE"); prof != "" { // a folder: one profile per step
		args = append(args, "-test.cpuprofile="+filepath.Join(prof, step+".prof"))
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), stepEnv+"="+step, dirEnv+"="+dir, nEnv+"="+strconv.Itoa(n)), env...)
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
func waitStep(step string, cmd *exec.Cmd, out *bufio.Reader) (Result, error) {
	var res Result
	var seen []string
	for {
		line, err := out.ReadString('\n')
		if f := strings.Fields(line); len(f) == 3 && f[0] == "STEP-RESULT" {
			res.RSS, _ = strconv.ParseInt(f[1], 10, 64)
			ns, _ := strconv.ParseInt(f[2], 10, 64)
			res.Took = time.Duration(ns)
		} else if line != "" {
			seen = append(seen, line)
		}
		if err != nil {
			break
		}
	}
	if err := cmd.Wait(); err != nil || res.RSS == 0 {
		return res, fmt.Errorf("step %s: %v\n%s", step, err, strings.Join(seen, ""))
	}
	return res, nil
}

func runStep(b *testing.B, step, dir string, n int) Result {
	b.Helper()
	cmd, out := child(b, step, dir, n)
	res, err := waitStep(step, cmd, out)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// progress prints a step's figures as it ends: a long run that fails
// later still tells what it measured.
func progress(b *testing.B, hub HubStore, step string, r Result) {
	fmt.Printf("STEP\t%s\t%s, %s\t%d MB\t%.1fs\n", b.Name(), step, hub.Name, r.RSS>>20, r.Took.Seconds())
}
