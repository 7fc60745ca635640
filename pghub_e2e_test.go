package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// hubProcess is a `hub --listen` process this test can kill outright.
type hubProcess struct {
	cmd *exec.Cmd
	url string
}

// startHub starts `hub --listen` on the hub's database, stopped (SIGINT)
// when the test ends unless it was killed first.
func (e *e2e) startHub(db string) *hubProcess {
	e.t.Helper()
	return startHubProcess(e.t, e.bin, e.path(db))
}

// startHubProcess starts the binary's `hub --listen` on db (a file or a
// database URL) on a free loopback port.
func startHubProcess(tb testing.TB, bin, db string) *hubProcess {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--db", db, "hub", "--listen", addr)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	_, url, found := strings.Cut(strings.TrimSpace(line), "serving on ")
	if err != nil || !found {
		cmd.Process.Kill()
		cmd.Wait()
		tb.Fatalf("hub did not start: %q %v", line, err)
	}
	go io.Copy(io.Discard, r)
	h := &hubProcess{cmd: cmd, url: url}
	tb.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	return h
}

// pgHubWithLaptops makes a hub in a fresh PostgreSQL database and n
// laptops enrolled with it and with each other; it returns the hub's URL
// (its --db) and the laptops' stores.
func pgHubWithLaptops(t *testing.T, e *e2e, n int) (string, []string) {
	t.Helper()
	db := testPG.Database(t)
	e.must(db, "hub", "init", "--name", "hub-delhi")
	hubID := strings.TrimSpace(e.must(db, "identity"))
	var laptops []string
	ids := map[string]string{}
	for i := range n {
		l := fmt.Sprintf("%c.db", 'a'+i)
		ids[l] = e.laptop(l, "CMF")
		laptops = append(laptops, l)
	}
	for _, l := range laptops {
		e.must(db, "peers", "add", strings.TrimSuffix(l, ".db"), ids[l])
		e.must(l, "peers", "add", "hub", hubID)
		for _, o := range laptops {
			if o != l {
				e.must(l, "peers", "add", strings.TrimSuffix(o, ".db"), ids[o])
			}
		}
	}
	return db, laptops
}

// syncAll syncs every laptop at once, laptop i through hubs[i%len(hubs)].
func syncAll(t *testing.T, e *e2e, laptops []string, hubs []*hubProcess) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]string, len(laptops))
	for i, l := range laptops {
		wg.Go(func() {
			if _, errOut, err := e.run(l, "", "sync", "--hub", hubs[i%len(hubs)].url); err != nil {
				errs[i] = fmt.Sprintf("%s: %v %s", l, err, errOut)
			}
		})
	}
	wg.Wait()
	for _, msg := range errs {
		if msg != "" {
			t.Fatal(msg)
		}
	}
}

// wantConverged checks every laptop's digest equals the hub's, and that
// the hub and the laptops check clean.
func wantConverged(t *testing.T, e *e2e, db string, laptops []string) {
	t.Helper()
	want := strings.TrimSpace(e.must(db, "digest"))
	for _, l := range laptops {
		if got := strings.TrimSpace(e.must(l, "digest")); got != want {
			t.Fatalf("%s's digest %s differs from the hub's %s", l, got, want)
		}
		e.must(l, "check")
	}
	e.must(db, "check")
}

// Two hub processes on one PostgreSQL serve five laptops syncing at once
// through either: every laptop ends with every exchange, and every digest
// equals the hub's.
func TestTwoHubProcessesOnOnePostgreSQLServeFiveLaptops(t *testing.T) {
	e := newE2E(t)
	db, laptops := pgHubWithLaptops(t, e, 5)
	hubs := []*hubProcess{e.startHub(db), e.startHub(db)}
	var lines []string
	for i, l := range laptops {
		for k := range 3 {
			lines = append(lines, exchangeJSON(fmt.Sprintf("Exchange %d of %s", k, l)))
		}
		e.mustIn(l, strings.Join(lines[3*i:], "\n"), "add", "exchange")
	}
	syncAll(t, e, laptops, hubs)                            // every laptop pushes
	syncAll(t, e, laptops, []*hubProcess{hubs[1], hubs[0]}) // and pulls through the other process
	for _, l := range laptops {
		out := e.must(l, "list", "exchange", "--json", "--limit", "1000")
		if n := strings.Count(out, `"title"`); n != len(lines) {
			t.Fatalf("%s holds %d exchanges, want %d", l, n, len(lines))
		}
	}
	wantConverged(t, e, db, laptops)
}

// killingProxy forwards one connection to a hub process and kills that
// process (SIGKILL) once after bytes of the request have passed: a hub
// dying in the middle of a push.
func killingProxy(t *testing.T, hub *hubProcess, after int64) (url string, killed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	target := strings.TrimPrefix(hub.url, "http://")
	done := make(chan struct{})
	var once sync.Once
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				out, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer out.Close()
				go io.Copy(in, out)
				if n, _ := io.CopyN(out, in, after); n == after {
					once.Do(func() {
						hub.cmd.Process.Kill()
						hub.cmd.Wait()
						close(done)
					})
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), done
}

// A hub process killed in the middle of a push loses nothing: the push
// failed, the device retries through the other process, and every laptop
// ends equal to the hub.
func TestAHubProcessKilledDuringAPushLosesNothing(t *testing.T) {
	e := newE2E(t)
	db, laptops := pgHubWithLaptops(t, e, 3)
	doomed, survivor := e.startHub(db), e.startHub(db)
	var lines []string
	for k := range 200 {
		lines = append(lines, exchangeJSON(fmt.Sprintf("Exchange %d of a", k)))
	}
	e.mustIn(laptops[0], strings.Join(lines, "\n"), "add", "exchange")
	via, killed := killingProxy(t, doomed, 64<<10) // the push is far larger than 64 KiB
	if _, _, err := e.run(laptops[0], "", "sync", "--hub", via); err == nil {
		t.Fatal("a push through a hub killed in its middle succeeded")
	}
	<-killed
	e.must(laptops[0], "sync", "--hub", survivor.url) // the device retries
	syncAll(t, e, laptops, []*hubProcess{survivor})
	syncAll(t, e, laptops, []*hubProcess{survivor})
	for _, l := range laptops {
		out := e.must(l, "list", "exchange", "--json", "--limit", "1000")
		if n := strings.Count(out, `"title"`); n != len(lines) {
			t.Fatalf("%s holds %d exchanges, want %d", l, n, len(lines))
		}
	}
	wantConverged(t, e, db, laptops)
}
