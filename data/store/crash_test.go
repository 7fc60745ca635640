package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// The crash test re-runs this test binary as a child that writes to the
// store as fast as it can and reports, on stdout, every write that returned.
// The parent kills it with SIGKILL at a random moment and checks that the
// store is sound and holds everything the child was told was saved.
const (
	crashChildEnv = "LIAISONDESK_CRASH_CHILD" // the store the child writes to
	crashBaseEnv  = "LIAISONDESK_CRASH_BASE"  // first counter the child writes into titles
	crashSeedEnv  = "LIAISONDESK_CRASH_SEED"  // the child's random seed; for the parent, its own
	crashRunsEnv  = "LIAISONDESK_CRASH_RUNS"  // how many kills (default 25)

	crashBatch = 50 // exchanges per batch Add
	// crashChildLimit stops a child nobody killed (an orphan of a parent that
	// died), so it never writes forever.
	crashChildLimit = 30 * time.Second
)

// TestCrashChild is the child side of TestCrashSafety; it skips unless run
// by it.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs only as the child process of TestCrashSafety")
	}
	base, _ := strconv.ParseInt(os.Getenv(crashBaseEnv), 10, 64)
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	if err := crashChild(path, base, seed); err != nil {
		fmt.Fprintf(os.Stdout, "error %v\n", strings.ReplaceAll(err.Error(), "\n", " "))
		t.Fatal(err)
	}
}

func crashTitle(counter int64) string { return fmt.Sprintf("crash update %012d", counter) }

func crashCounter(title string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(title, "crash update "), 10, 64)
	return n, err == nil && strings.HasPrefix(title, "crash update ")
}

func crashExchange(title string) *data.Exchange {
	return &data.Exchange{Posting: "SOCOM", Kind: "call", Title: title,
		OccurredAt: "2026-11-20T14:00:00Z", TimeZone: "America/New_York", Location: "MacDill AFB",
		Summary: "Call with the J4 desk about sustainment of the MH-60R fleet.",
		Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}, Tags: []string{"crash"}}
}

func crashRequest() *data.Request {
	return &data.Request{Direction: data.InToUS, Posting: "SOCOM", Program: "MH-60R", EndUser: "INAS 334",
		Justification: "Spares for fleet availability.", RequiredBy: "2027-03-01",
		Lines:   []data.Line{{Description: "Tail rotor blade", NSN: "1615-01-234-5678", Quantity: 4, Unit: "EA"}},
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
}

// crashChild loops over writes until it is killed, printing one line per
// committed write: "committed <id>", "updated <id> <title>" or
// "status <id> <history length>". os.Stdout is unbuffered: each line is one
// write to the pipe, made only after the call returned nil.
func crashChild(path string, base int64, seed uint64) error {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	counter := base

	var exchanges, requests []string
	if err := s.List(ctx, "exchange", data.ListFilter{Limit: 30}, func(r data.Record) error {
		exchanges = append(exchanges, r.(*data.Exchange).ID)
		return nil
	}); err != nil {
		return err
	}
	if err := s.List(ctx, "request", data.ListFilter{}, func(r data.Record) error {
		if q := r.(*data.Request); !data.IsTerminal(q.Direction, q.Status) {
			requests = append(requests, q.ID)
		}
		return nil
	}); err != nil {
		return err
	}
	if len(exchanges) == 0 {
		return errors.New("the parent seeded no exchanges")
	}

	deadline := time.Now().Add(crashChildLimit)
	for i := 0; time.Now().Before(deadline); i++ {
		switch p := rng.IntN(100); {
		case p < 30: // one exchange
			ids, err := s.Add(ctx, crashExchange(fmt.Sprintf("crash single %d", i)))
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stdout, "committed %s\n", ids[0])
			exchanges = append(exchanges, ids[0])
		case p < 42: // a batch in one call, one commit
			recs := make([]data.Record, crashBatch)
			for j := range recs {
				recs[j] = crashExchange(fmt.Sprintf("crash batch %d/%d", i, j))
			}
			ids, err := s.Add(ctx, recs...)
			if err != nil {
				return err
			}
			var b strings.Builder
			for _, id := range ids {
				fmt.Fprintf(&b, "committed %s\n", id)
			}
			os.Stdout.WriteString(b.String())
			exchanges = append(exchanges, ids[rng.IntN(len(ids))])
		case p < 75: // an update, by patch or by saving an edited record
			id := exchanges[rng.IntN(len(exchanges))]
			counter++
			title := crashTitle(counter)
			if rng.IntN(2) == 0 {
				patch := fmt.Sprintf(`{"title":%q,"summary":"revised %d"}`, title, counter)
				if err := s.Update(ctx, "exchange", id, []byte(patch)); err != nil {
					return err
				}
			} else {
				rec, err := s.Get(ctx, "exchange", id)
				if err != nil {
					return err
				}
				e := rec.(*data.Exchange)
				e.Title = title
				e.Tags = append(e.Tags[:0:0], "crash", strconv.FormatInt(counter%7, 10))
				if err := s.Save(ctx, e); err != nil {
					return err
				}
			}
			fmt.Fprintf(os.Stdout, "updated %s %s\n", id, title)
		default: // a status change, or a new request when none can move
			if len(requests) == 0 {
				ids, err := s.Add(ctx, crashRequest())
				if err != nil {
					return err
				}
				fmt.Fprintf(os.Stdout, "committed %s\n", ids[0])
				requests = append(requests, ids[0])
				continue
			}
			k := rng.IntN(len(requests))
			rec, err := s.Get(ctx, "request", requests[k])
			if err != nil {
				return err
			}
			r := rec.(*data.Request)
			next := data.NextStatuses(r.Direction, r.Status)
			// Prefer moving on over ending the request, so the workflow is walked.
			if live := slices.DeleteFunc(slices.Clone(next), func(st data.RequestStatus) bool { return st == data.StatusCancelled }); len(live) > 0 {
				next = live
			}
			to := next[rng.IntN(len(next))]
			if err := s.SetStatus(ctx, r.ID, to, fmt.Sprintf("crash %d", i)); err != nil {
				return err
			}
			fmt.Fprintf(os.Stdout, "status %s %d\n", r.ID, len(r.History)+1)
			if data.IsTerminal(r.Direction, to) {
				requests = slices.Delete(requests, k, k+1)
			}
		}
	}
	return nil
}

// crashReport is what one child said it saved.
type crashReport struct {
	committed []string
	updated   map[string]int64 // exchange id → highest counter reported
	status    map[string]int   // request id → history length reported
	lines     int
	err       string // an "error ..." line: the child failed by itself
}

func parseCrashLine(rep *crashReport, line string) error {
	verb, rest, _ := strings.Cut(line, " ")
	switch verb {
	case "committed":
		if data.CheckID("id", rest, true) != nil {
			return fmt.Errorf("bad line %q", line)
		}
		rep.committed = append(rep.committed, rest)
	case "updated":
		id, title, _ := strings.Cut(rest, " ")
		n, ok := crashCounter(title)
		if !ok {
			return fmt.Errorf("bad line %q", line)
		}
		rep.updated[id] = max(rep.updated[id], n)
	case "status":
		id, n, _ := strings.Cut(rest, " ")
		k, err := strconv.Atoi(n)
		if err != nil {
			return fmt.Errorf("bad line %q", line)
		}
		rep.status[id] = max(rep.status[id], k)
	case "error":
		rep.err = rest
	default:
		return nil // the test framework's own output
	}
	rep.lines++
	return nil
}

// runCrashChild starts a child on the store, kills it after delay and
// returns what it reported before it died. The child is always killed and
// reaped, whatever happens here.
func runCrashChild(t *testing.T, path string, base int64, seed uint64, delay time.Duration) (*crashReport, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "LIAISONDESK_CRASH_")
	})
	cmd.Env = append(env, crashChildEnv+"="+path,
		crashBaseEnv+"="+strconv.FormatInt(base, 10), crashSeedEnv+"="+strconv.FormatUint(seed, 10))
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	waited := false
	defer func() {
		if !waited { // an early return: never leave the child running
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()

	rep := &crashReport{updated: map[string]int64{}, status: map[string]int{}}
	done := make(chan error, 1)
	go func() {
		rd := bufio.NewReader(out)
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				// EOF once the child is dead; a last line without its
				// newline was cut short and is not a report.
				if errors.Is(err, io.EOF) {
					err = nil
				}
				done <- err
				return
			}
			if err := parseCrashLine(rep, strings.TrimSuffix(line, "\n")); err != nil {
				io.Copy(io.Discard, rd)
				done <- err
				return
			}
		}
	}()

	timer := time.NewTimer(delay)
	defer timer.Stop()
	var readErr error
	exitedEarly := false
	select {
	case <-timer.C:
		cmd.Process.Kill()
		readErr = <-done
	case readErr = <-done:
		exitedEarly = true // stdout closed before the kill: the child ended by itself
		cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	waited = true
	if readErr != nil {
		return rep, readErr
	}
	if rep.err != "" {
		return rep, fmt.Errorf("child failed: %s", rep.err)
	}
	if exitedEarly {
		return rep, fmt.Errorf("child ended before it was killed: %v", waitErr)
	}
	return rep, nil
}

func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("this is the child")
	}
	runs := 25
	if testing.Short() {
		runs = 5
	}
	if v := os.Getenv(crashRunsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", crashRunsEnv, v)
		}
		runs = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(crashSeedEnv); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want a number", crashSeedEnv, v)
		}
		seed = n
	}
	t.Logf("%d runs, seed %d (set %s to repeat the kill delays)", runs, seed, crashSeedEnv)
	rng := rand.New(rand.NewPCG(seed, 1))
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")

	// The store the children write to: initialised once, with a few
	// records to update and requests to move along.
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Init(ctx, data.Officer{Name: "Col. R. Iyer", Rank: "Colonel", Posting: "SOCOM"}); err != nil {
		t.Fatal(err)
	}
	seedRecs := []data.Record{crashRequest(), crashRequest()}
	for i := range 5 {
		seedRecs = append(seedRecs, crashExchange(fmt.Sprintf("crash seed %d", i)))
	}
	if _, err := s.Add(ctx, seedRecs...); err != nil {
		t.Fatal(err)
	}
	s.Close()

	var (
		allCommitted []string
		allUpdated   = map[string]int64{}
		allStatus    = map[string]int{}
		reported     int
		checking     time.Duration
	)
	check := func(run int, committed []string, updated map[string]int64, status map[string]int) {
		t.Helper()
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("run %d: open after the kill: %v", run, err)
		}
		defer s.Close()
		rep, err := s.Check(ctx)
		if err != nil {
			t.Fatalf("run %d: check: %v", run, err)
		}
		if rep.Integrity != "ok" || len(rep.Problems) > 0 {
			t.Fatalf("run %d: check after the kill: integrity %q, problems:\n%s", run, rep.Integrity, strings.Join(rep.Problems, "\n"))
		}
		for _, id := range committed {
			rec, err := s.Get(ctx, "exchange", id)
			if errors.Is(err, data.ErrNotFound) {
				rec, err = s.Get(ctx, "request", id)
			}
			if err != nil || rec == nil {
				t.Fatalf("run %d: %s was reported committed but is not in the store: %v", run, id, err)
			}
		}
		for id, n := range updated {
			rec, err := s.Get(ctx, "exchange", id)
			if err != nil {
				t.Fatalf("run %d: updated exchange %s: %v", run, id, err)
			}
			got, ok := crashCounter(rec.(*data.Exchange).Title)
			if !ok || got < n {
				t.Fatalf("run %d: exchange %s has title %q; the child reported saving %q", run, id, rec.(*data.Exchange).Title, crashTitle(n))
			}
		}
		for id, n := range status {
			rec, err := s.Get(ctx, "request", id)
			if err != nil {
				t.Fatalf("run %d: request %s: %v", run, id, err)
			}
			if h := rec.(*data.Request).History; len(h) < n {
				t.Fatalf("run %d: request %s has %d status changes; the child reported %d", run, id, len(h), n)
			}
		}
	}

	start := time.Now()
	for run := range runs {
		delay := time.Duration(10+rng.IntN(391)) * time.Millisecond
		rep, err := runCrashChild(t, path, int64(run+1)*1_000_000_000, rng.Uint64(), delay)
		if err != nil {
			t.Fatalf("run %d (kill after %v): %v", run, delay, err)
		}
		reported += rep.lines
		allCommitted = append(allCommitted, rep.committed...)
		for id, n := range rep.updated {
			allUpdated[id] = max(allUpdated[id], n)
		}
		for id, n := range rep.status {
			allStatus[id] = max(allStatus[id], n)
		}
		t0 := time.Now()
		check(run, rep.committed, rep.updated, rep.status)
		checking += time.Since(t0)
	}
	// Every earlier report still holds after all the later kills.
	check(runs, allCommitted, allUpdated, allStatus)
	if reported == 0 {
		t.Errorf("no child reported a single write in %d runs: the test tested nothing", runs)
	}
	t.Logf("%d runs in %v (%v of it checking): %d writes reported (%d records, %d updated exchanges, %d requests moved)",
		runs, time.Since(start).Round(time.Millisecond), checking.Round(time.Millisecond), reported, len(allCommitted), len(allUpdated), len(allStatus))
}
