package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"liaisondesk/data"
)

// e2e drives the real binary (built once per test with the CI tags) on
// stores in one temporary folder, as an officer or a hub operator would.
type e2e struct {
	t   *testing.T
	dir string
	bin string
}

// builtBinary is built once per test run and shared by every end-to-end
// test: a build takes seconds even when warm.
var builtBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "liaisondesk-e2e-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "liaisondesk")
	build := exec.Command("go", "build", "-tags", "ci,migrated_fynedo", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build: %v\n%s", err, out)
	}
	return bin, nil
})

func newE2E(t *testing.T) *e2e {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin, err := builtBinary()
	if err != nil {
		t.Fatal(err)
	}
	return &e2e{t: t, dir: t.TempDir(), bin: bin}
}

func (e *e2e) path(name string) string {
	if data.IsDatabaseURL(name) { // a hub in PostgreSQL
		return name
	}
	return filepath.Join(e.dir, name)
}

// run runs one verb on a store, with stdin if given, and returns stdout,
// stderr and the error of the process.
func (e *e2e) run(db, stdin string, args ...string) (string, string, error) {
	cmd := exec.Command(e.bin, append([]string{"--db", e.path(db)}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// must runs one verb and fails the test if it does not exit 0.
func (e *e2e) must(db string, args ...string) string {
	e.t.Helper()
	out, errOut, err := e.run(db, "", args...)
	if err != nil {
		e.t.Fatalf("liaisondesk --db %s %s: %v\n%s", db, strings.Join(args, " "), err, errOut)
	}
	return out
}

// mustIn is must with stdin.
func (e *e2e) mustIn(db, stdin string, args ...string) string {
	e.t.Helper()
	out, errOut, err := e.run(db, stdin, args...)
	if err != nil {
		e.t.Fatalf("liaisondesk --db %s %s: %v\n%s", db, strings.Join(args, " "), err, errOut)
	}
	return out
}

// laptop creates a store for an officer and returns its identity line.
func (e *e2e) laptop(db, posting string) string {
	e.t.Helper()
	e.must(db, "init", "--officer", "Cdr "+strings.ToUpper(db[:1]), "--rank", "Commander", "--posting", posting)
	return strings.TrimSpace(e.must(db, "identity"))
}

// hubStore creates a hub's store and returns its identity line.
func (e *e2e) hubStore(db, name string) string {
	e.t.Helper()
	e.must(db, "hub", "init", "--name", name)
	return strings.TrimSpace(e.must(db, "identity"))
}

// serve starts `hub --listen` on a free loopback port, with any extra
// arguments (--tls-cert, --tls-key), and returns the URL it prints and a
// function that stops it and waits for it to exit.
func (e *e2e) serve(db string, extra ...string) (url string, stop func()) {
	e.t.Helper()
	addr := freeAddr(e.t)
	ctx, cancel := context.WithCancel(context.Background())
	hub := exec.CommandContext(ctx, e.bin, append([]string{"--db", e.path(db), "hub", "--listen", addr}, extra...)...)
	hub.Cancel = func() error { return hub.Process.Signal(os.Interrupt) }
	stdout, _ := hub.StdoutPipe()
	hub.Stderr = os.Stderr
	if err := hub.Start(); err != nil {
		e.t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	_, url, found := strings.Cut(strings.TrimSpace(line), "serving on ")
	if err != nil || !found {
		cancel()
		hub.Wait()
		e.t.Fatalf("hub did not start: %q %v", line, err)
	}
	go func() { _, _ = r.WriteTo(os.Stdout) }() // keep the hub's log flowing
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		hub.Wait()
	}
	e.t.Cleanup(stop)
	return url, stop
}

// enrol makes each store of a pair trust the other.
func (e *e2e) enrol(db, name, identity string) {
	e.t.Helper()
	e.must(db, "peers", "add", name, identity)
}

// exchangeJSON is one exchange as `add exchange` reads it.
func exchangeJSON(title string) string {
	return fmt.Sprintf(`{"posting":"CMF","kind":"meeting","title":%q,"occurred_at":"2026-11-20T06:00:00Z","time_zone":"Asia/Bahrain","summary":"CTF 151 counter-piracy coordination; boarding team rotations and the next Malabar serial","classification":"RESTRICTED","releasability":["USA","IND"]}`, title)
}

// storeSize is the bytes a store holds on disk, its WAL included.
func storeSize(t *testing.T, path string) int64 {
	t.Helper()
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// copyStore copies a store's files (main file, WAL, shared memory) as an
// operator's file-level snapshot would.
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(to + suffix)
		b, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
