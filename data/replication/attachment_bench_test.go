//go:build unix

package replication

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// The attachment benchmark (issue 13): 100 attachments of 10 MB carried
// laptop to laptop by bundle, each side a process of its own so its peak
// RSS is its own, against cp plus sha256sum of the same files in the same
// run. It writes 3 GB or so; run it with LIAISONDESK_ATTACH_BENCH=1 (set
// LIAISONDESK_ATTACH_BENCH_FILES and _MB for another size).
const (
	attachBench      = "LIAISONDESK_ATTACH_BENCH"
	attachBenchChild = "LIAISONDESK_ATTACH_BENCH_CHILD" // send|receive
	attachBenchDir   = "LIAISONDESK_ATTACH_BENCH_DIR"
)

// TestAttachBenchChild is one side of TestAttachmentsByBundleBenchmark:
// send attaches every file and writes the bundle; receive imports it.
// It prints its own figures on one line.
func TestAttachBenchChild(t *testing.T) {
	mode, dir := os.Getenv(attachBenchChild), os.Getenv(attachBenchDir)
	if mode == "" {
		t.Skip("runs only as a child of TestAttachmentsByBundleBenchmark")
	}
	ctx := context.Background()
	var line string
	switch mode {
	case "send":
		s, err := store.Open(ctx, filepath.Join(dir, "a.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		files, _ := filepath.Glob(filepath.Join(dir, "files", "*"))
		id := os.Getenv("LIAISONDESK_ATTACH_BENCH_RECORD")
		start := time.Now()
		for _, f := range files {
			if _, err := s.Attach(ctx, data.KindExchange, id, f, store.AttachOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		attached := time.Since(start)
		peers, err := TrustedPeers(ctx, s, []string{"peerb"})
		if err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		out := filepath.Join(dir, "a-to-b.ldbundle")
		err = data.WriteFileAtomic(out, 0o600, func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, 1<<20)
			if _, err := WriteBundle(ctx, s, peers, bw); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		line = fmt.Sprintf("attach_ms=%d bundle_ms=%d", attached.Milliseconds(), time.Since(start).Milliseconds())
	case "receive":
		s, err := store.Open(ctx, filepath.Join(dir, "b.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		f, err := os.Open(filepath.Join(dir, "a-to-b.ldbundle"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		start := time.Now()
		if _, _, err := ImportBundle(ctx, s, bufio.NewReaderSize(f, 1<<20)); err != nil {
			t.Fatal(err)
		}
		line = fmt.Sprintf("import_ms=%d", time.Since(start).Milliseconds())
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("BENCH %s rss_mb=%d\n", line, ru.Maxrss/1024)
}

func TestAttachmentsByBundleBenchmark(t *testing.T) {
	if os.Getenv(attachBench) == "" {
		t.Skip("writes gigabytes: set " + attachBench + "=1")
	}
	n, mb := 100, 10
	if v, err := strconv.Atoi(os.Getenv("LIAISONDESK_ATTACH_BENCH_FILES")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.Atoi(os.Getenv("LIAISONDESK_ATTACH_BENCH_MB")); err == nil && v > 0 {
		mb = v
	}
	ctx := context.Background()
	dir := t.TempDir()
	files := filepath.Join(dir, "files")
	os.Mkdir(files, 0o700)
	rng := rand.NewChaCha8([32]byte{1, 3})
	buf := make([]byte, mb<<20)
	for i := range n {
		rng.Read(buf)
		if err := os.WriteFile(filepath.Join(files, fmt.Sprintf("file-%03d.bin", i)), buf, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	buf = nil

	// The baseline: copy the files, and hash them, as cp and sha256sum do.
	start := time.Now()
	if out, err := exec.Command("cp", "-r", files, filepath.Join(dir, "copy")).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	args, _ := filepath.Glob(filepath.Join(files, "*"))
	if out, err := exec.Command("sha256sum", args...).CombinedOutput(); err != nil {
		t.Fatalf("sha256sum: %v %s", err, out)
	}
	baseline := time.Since(start)
	os.RemoveAll(filepath.Join(dir, "copy"))

	a, err := store.Open(ctx, filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, filepath.Join(dir, "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*store.Store{a, b} {
		if err := s.Init(ctx, data.Officer{Name: "Cdr", Rank: "Commander", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
	}
	enrol(t, a, b)
	id := addExchange(t, a, "Benchmark pack")
	a.Close()
	b.Close()

	child := func(mode string) map[string]int64 {
		args := []string{"-test.run=^TestAttachBenchChild$", "-test.count=1", "-test.v"}
		if p := os.Getenv("LIAISONDESK_ATTACH_BENCH_PROFILE"); p != "" { // a folder for CPU profiles
			args = append(args, "-test.cpuprofile="+filepath.Join(p, mode+".prof"))
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), attachBenchChild+"="+mode, attachBenchDir+"="+dir, "LIAISONDESK_ATTACH_BENCH_RECORD="+id)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		figures := map[string]int64{}
		for _, l := range strings.Split(string(out), "\n") {
			if rest, ok := strings.CutPrefix(l, "BENCH "); ok {
				for _, kv := range strings.Fields(rest) {
					k, v, _ := strings.Cut(kv, "=")
					figures[k], _ = strconv.ParseInt(v, 10, 64)
				}
			}
		}
		return figures
	}
	send := child("send")
	recv := child("receive")
	carried := time.Duration(send["bundle_ms"]+recv["import_ms"]) * time.Millisecond
	t.Logf("%d files of %d MB: cp+sha256sum %v; attach %v; bundle create %v (peak RSS %d MB); import %v (peak RSS %d MB); carried in %.2f× the baseline",
		n, mb, baseline.Round(time.Millisecond), time.Duration(send["attach_ms"])*time.Millisecond, time.Duration(send["bundle_ms"])*time.Millisecond,
		send["rss_mb"], time.Duration(recv["import_ms"])*time.Millisecond, recv["rss_mb"], float64(carried)/float64(baseline))
	if send["rss_mb"] >= 200 || recv["rss_mb"] >= 200 {
		t.Errorf("peak RSS %d MB sending, %d MB receiving: over 200 MB", send["rss_mb"], recv["rss_mb"])
	}
	if carried > 2*baseline {
		t.Errorf("bundle create and import took %v, more than twice cp+sha256sum (%v)", carried, baseline)
	}
	s, err := store.Open(ctx, filepath.Join(dir, "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Attachments(ctx, data.KindExchange, id)
	if err != nil || len(list) != n {
		t.Fatalf("the recipient lists %d attachments (%v)", len(list), err)
	}
}
