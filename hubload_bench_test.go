package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/pgstore"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// The load of issue 15 item 6: simulated devices, each a real SQLite
// laptop store in this process, all certified by one organisation, push
// at once to a hub and then some of them pull everything at once; run
// against one SQLite hub process and against two hub processes on one
// PostgreSQL, in the same run. Sizes: BENCH_LOAD_DEVICES (500),
// BENCH_LOAD_CHANGES per device (200), BENCH_LOAD_PULLERS (50);
// BENCH_LOAD_INPROC=1 serves the PostgreSQL hubs from this process, so
// that -cpuprofile sees them too.

func loadSize(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// loadFleet is the devices' stores, made once, copied for each hub.
type loadFleet struct {
	dir     string   // template stores, closed
	names   []string // one folder per device
	hq      *store.Store
	orgLine string
}

// newFleet makes the organisation (HQ in this process) and n devices with
// changes exchanges each, every one certified, with distinct device codes
// (a device whose code is taken is made again).
func newFleet(b *testing.B, n, changes int) *loadFleet {
	ctx := context.Background()
	f := &loadFleet{dir: b.TempDir()}
	hq, err := store.Open(ctx, filepath.Join(b.TempDir(), "hq.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { hq.Close() })
	if err := hq.Init(ctx, data.Officer{Name: "Cdr HQ", Rank: "Commander", Posting: "CMF"}); err != nil {
		b.Fatal(err)
	}
	org, _, err := hq.InitOrg(ctx, "Indian Navy")
	if err != nil {
		b.Fatal(err)
	}
	f.hq, f.orgLine = hq, org.String()
	hqDev, _ := hq.Device()
	codes := map[string]bool{hqDev.Site.ShortCode(): true}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, n)
	next := 0
	for range 4 { // a few at a time: the machine has two cores
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				name := fmt.Sprintf("dev%03d", i)
				id, err := f.makeDevice(ctx, name, changes, codes, &mu)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				_, _, err = hq.Enrol(ctx, id, name, data.RoleLaptop, "2099-12-31")
				f.names = append(f.names, name)
				mu.Unlock()
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	slices.Sort(f.names)
	return f
}

// makeDevice makes one device's store, closed, and returns its identity.
func (f *loadFleet) makeDevice(ctx context.Context, name string, changes int, codes map[string]bool, mu *sync.Mutex) (string, error) {
	dir := filepath.Join(f.dir, name)
	for {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
		s, err := store.Open(ctx, filepath.Join(dir, "store.db"))
		if err != nil {
			return "", err
		}
		if err := s.Init(ctx, data.Officer{Name: "Cdr " + name, Rank: "Commander", Posting: "CMF"}); err != nil {
			s.Close()
			return "", err
		}
		dev, _ := s.Device()
		mu.Lock()
		taken := codes[dev.Site.ShortCode()]
		codes[dev.Site.ShortCode()] = true
		mu.Unlock()
		if taken { // regenerate an identity whose code is taken
			s.Close()
			continue
		}
		if _, err := s.TrustOrg(ctx, f.orgLine); err != nil {
			s.Close()
			return "", err
		}
		recs := make([]data.Record, changes)
		for i := range recs {
			recs[i] = &data.Exchange{Posting: "CMF", Kind: "meeting", Title: fmt.Sprintf("%s exchange %d", name, i),
				OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
				Summary: "Boarding drills.", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
		}
		if _, err := s.Add(ctx, recs...); err != nil {
			s.Close()
			return "", err
		}
		id, err := s.Identity(ctx)
		s.Close()
		return id.String(), err
	}
}

// open copies the fleet's stores for one run and opens them.
func (f *loadFleet) open(b *testing.B) []*store.Store {
	ctx := context.Background()
	dir := b.TempDir()
	out := make([]*store.Store, len(f.names))
	for i, name := range f.names {
		from, to := filepath.Join(f.dir, name), filepath.Join(dir, name)
		if err := os.MkdirAll(to, 0o700); err != nil {
			b.Fatal(err)
		}
		files, _ := os.ReadDir(from)
		for _, fi := range files {
			src, err := os.Open(filepath.Join(from, fi.Name()))
			if err != nil {
				b.Fatal(err)
			}
			dst, err := os.Create(filepath.Join(to, fi.Name()))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(dst, src)
			src.Close()
			dst.Close()
		}
		s, err := store.Open(ctx, filepath.Join(to, "store.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out
}

// loadRound is what one round of syncs at once gave.
type loadRound struct {
	wall     time.Duration
	times    []time.Duration
	changes  int
	errors   int
	firstErr error
}

func (r loadRound) percentile(p float64) time.Duration {
	if len(r.times) == 0 {
		return 0
	}
	t := slices.Clone(r.times)
	slices.Sort(t)
	return t[min(len(t)-1, int(p*float64(len(t))))]
}

// syncRound syncs every device at once, device i through urls[i%len],
// counting the changes the hub applied (push) or the devices applied
// (pull).
func syncRound(devs []*store.Store, urls []string, pull bool) loadRound {
	ctx := context.Background()
	var r loadRound
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i, d := range devs {
		wg.Go(func() {
			t0 := time.Now()
			// The push phase pushes only (the hub answers with its vector):
			// a full reply would carry each device all the others pushed
			// before it, which grows with the square of the devices.
			res, err := replication.SyncHubWith(ctx, d, urls[i%len(urls)], nil, replication.SyncOptions{PushOnly: !pull})
			took := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			r.times = append(r.times, took)
			if err != nil {
				r.errors++
				if r.firstErr == nil {
					r.firstErr = err
				}
				return
			}
			if pull {
				r.changes += res.Pulled.Applied
			} else {
				r.changes += res.AtHub.Applied
			}
		})
	}
	wg.Wait()
	r.wall = time.Since(start)
	return r
}

// vmHWM is a process's peak resident set, in MB.
func vmHWM(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

func BenchmarkHubLoad(b *testing.B) {
	devices := loadSize("BENCH_LOAD_DEVICES", 500)
	changes := loadSize("BENCH_LOAD_CHANGES", 200)
	pullers := min(devices, loadSize("BENCH_LOAD_PULLERS", 50))
	bin, err := builtBinary()
	if err != nil {
		b.Fatal(err)
	}
	setup := time.Now()
	fleet := newFleet(b, devices, changes)
	b.Logf("%d devices with %d exchanges each made in %s", devices, changes, time.Since(setup).Round(time.Second))
	for _, kind := range []string{"SQLite", "PostgreSQLx2"} {
		b.Run(kind, func(b *testing.B) {
			for range b.N {
				runLoad(b, bin, kind, fleet, pullers)
			}
		})
	}
}

func runLoad(b *testing.B, bin, kind string, fleet *loadFleet, pullers int) {
	ctx := context.Background()
	var db string
	if kind == "SQLite" {
		db = filepath.Join(b.TempDir(), "hub.db")
	} else {
		db = testPG.Database(b)
	}
	run := func(args ...string) string {
		out, err := execBin(bin, append([]string{"--db", db}, args...)...)
		if err != nil {
			b.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	run("hub", "init", "--name", "hub-load")
	run("org", "trust", fleet.orgLine)
	hubID := strings.TrimSpace(run("identity"))
	if _, _, err := fleet.hq.Enrol(ctx, hubID, "hub-"+strings.ToLower(kind), data.RoleHub, ""); err != nil {
		b.Fatal(err)
	}
	var procs []*hubProcess
	var urls []string
	if inProc := os.Getenv("BENCH_LOAD_INPROC") != ""; inProc && kind != "SQLite" {
		// Both hubs in this process, so -cpuprofile sees them: profiling only.
		for range 2 {
			s, err := pgstore.Open(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			pass, _, err := passphraseFromFile()
			if err == nil {
				err = s.Unlock(ctx, pass)
			}
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer((&replication.Hub{R: s}).Handler())
			b.Cleanup(srv.Close)
			urls = append(urls, srv.URL)
		}
	} else {
		procs = []*hubProcess{startHubProcess(b, bin, db)}
		if kind != "SQLite" {
			procs = append(procs, startHubProcess(b, bin, db))
		}
		for _, p := range procs {
			urls = append(urls, p.url)
		}
	}
	if _, err := replication.SyncHub(ctx, fleet.hq, urls[0], nil); err != nil { // the roster reaches the hub
		b.Fatal(err)
	}
	devs := fleet.open(b)
	b.ResetTimer()
	push := syncRound(devs, urls, false)
	pull := syncRound(devs[:pullers], urls, true)
	b.StopTimer()
	var want string
	if kind == "SQLite" {
		want = strings.TrimSpace(run("digest"))
	} else {
		s, err := pgstore.Open(ctx, db)
		if err != nil {
			b.Fatal(err)
		}
		want, err = s.Digest(ctx)
		s.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	equal := 0
	for _, d := range devs[:pullers] {
		if got, err := d.Digest(ctx); err == nil && got == want {
			equal++
		}
	}
	var rss float64
	for _, p := range procs {
		rss = max(rss, vmHWM(p.cmd.Process.Pid))
	}
	b.ReportMetric(float64(push.changes)/push.wall.Seconds(), "ingested/s")
	b.ReportMetric(float64(pull.changes)/pull.wall.Seconds(), "delivered/s")
	b.ReportMetric(float64(push.errors+pull.errors), "errors")
	b.ReportMetric(float64(equal), "digests-equal")
	b.ReportMetric(rss, "hub-MB")
	b.Logf("%s: push %d changes in %s (p50 %s, p95 %s, %d errors); pull %d changes to %d devices in %s (p50 %s, p95 %s, %d errors); %d/%d digests equal the hub's; hub peak RSS %.0f MB per process",
		kind, push.changes, push.wall.Round(time.Millisecond), push.percentile(.5).Round(time.Millisecond), push.percentile(.95).Round(time.Millisecond), push.errors,
		pull.changes, pullers, pull.wall.Round(time.Millisecond), pull.percentile(.5).Round(time.Millisecond), pull.percentile(.95).Round(time.Millisecond), pull.errors,
		equal, pullers, rss)
	if push.firstErr != nil || pull.firstErr != nil {
		b.Errorf("sync errors: %v / %v", push.firstErr, pull.firstErr)
	}
	if equal != pullers {
		b.Errorf("%d of %d pulled devices' digests equal the hub's", equal, pullers)
	}
}

// execBin runs the binary and returns its stdout.
func execBin(bin string, args ...string) (string, error) {
	var out, errOut strings.Builder
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%v: %s", err, errOut.String())
	}
	return out.String(), nil
}
