package report

// Benchmarks of the writers against bare baselines measured in the same
// run (make bench BENCH=. BENCHPKG=./data/report/):
//
//	BenchmarkXLSXExchanges     100,000 exchanges: Write vs one SQL query into a bare excelize StreamWriter loop (target ≤ 1.5×)
//	BenchmarkCSVExchanges      1,000,000 exchanges: Write vs the same query into a bare encoding/csv loop (target ≤ 1.5×)
//	BenchmarkPDFRequestTracker 2,000 requests as a PDF tracker (target < 1 s)
//	BenchmarkFlatMemory        CSV, XLSX and JSON at 10,000 and 100,000 rows: bytes allocated per row and peak heap
//
// The stores are built once with data/demo and cached in the temporary
// directory (liaisondesk-report-bench-N-vV.db); BENCH_REPORT_BIG_N sets
// the size of the CSV one. A million exchanges take several minutes to
// build the first time.

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/store"
)

// benchStoreVersion names the cached stores; bump it when what demo.Fill
// writes changes.
const benchStoreVersion = 1

func envN(name string, def int) int {
	if v, err := strconv.Atoi(strings.ReplaceAll(os.Getenv(name), "_", "")); err == nil && v > 0 {
		return v
	}
	return def
}

// benchStore returns the path of a cached store of n demo exchanges,
// building it first when missing.
func benchStore(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("liaisondesk-report-bench-%d-v%d.db", n, benchStoreVersion))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	for _, sfx := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + sfx)
	}
	ctx := context.Background()
	start := time.Now()
	s, err := store.Open(ctx, tmp)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		b.Fatal(err)
	}
	last := time.Now()
	_, err = demo.Fill(ctx, s, demo.Options{Exchanges: n, Now: testNow, Seed: 1, Progress: func(done, total int) {
		if time.Since(last) > 30*time.Second {
			last = time.Now()
			fmt.Fprintf(os.Stderr, "bench: building %s: %d/%d exchanges, %v\n", filepath.Base(path), done, total, time.Since(start).Round(time.Second))
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	// Fold the WAL back in so the file stands alone.
	db, err := sql.Open("sqlite", "file:"+tmp)
	if err == nil {
		db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		db.Close()
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s in %v; reused by later runs", path, time.Since(start).Round(time.Second))
	return path
}

func openBench(b *testing.B, path string) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return testNow }
	return s
}

// baselineQuery reads the same rows and columns as the exchange export,
// in the same order, as plain text.
const baselineQuery = `SELECT id, posting, kind, title, occurred_at, ended_at, time_zone, location, counterparts,
	participants, summary, outcome, direction, disclosure, classification, releasability, caveats, tags, state,
	rfi_question, rfi_response, rfi_due, rfi_status FROM exchanges ORDER BY occurred_at, n`

const baselineCols = 23

// baseline runs the query and hands each row's cells to fn.
func baseline(b *testing.B, path string, fn func([]string) error) int {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(baselineQuery)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cells := make([]string, baselineCols)
	dest := make([]any, baselineCols)
	for i := range dest {
		dest[i] = &cells[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			b.Fatal(err)
		}
		if err := fn(cells); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

func baselineXLSX(b *testing.B, path string, w io.Writer) int {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	vals := make([]any, baselineCols)
	r := 0
	n := baseline(b, path, func(cells []string) error {
		for i, c := range cells {
			vals[i] = c
		}
		r++
		cell, _ := excelize.CoordinatesToCellName(1, r)
		return sw.SetRow(cell, vals)
	})
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if _, err := f.WriteTo(w); err != nil {
		b.Fatal(err)
	}
	return n
}

func baselineCSV(b *testing.B, path string, w io.Writer) int {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	n := baseline(b, path, func(cells []string) error { return cw.Write(cells) })
	cw.Flush()
	bw.Flush()
	return n
}

// compare times the baseline and the report writer alternately and
// reports both and their ratio.
func compare(b *testing.B, f Format, path string, base func(*testing.B, string, io.Writer) int, target float64) {
	s := openBench(b, path)
	o := Options{Kind: "exchange", Export: true, Now: testNow}
	var tBase, tOurs time.Duration
	rows := 0
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		t0 := time.Now()
		rows = base(b, path, io.Discard)
		t1 := time.Now()
		runtime.GC()
		t2 := time.Now()
		sum, err := Write(context.Background(), s, o, f, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		if sum.Rows != rows {
			b.Fatalf("report wrote %d rows, baseline %d", sum.Rows, rows)
		}
		tBase += t1.Sub(t0)
		tOurs += t3.Sub(t2)
	}
	b.StopTimer()
	ratio := float64(tOurs) / float64(tBase)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(ms(tBase)/float64(b.N), "baseline-ms")
	b.ReportMetric(ms(tOurs)/float64(b.N), "report-ms")
	b.ReportMetric(ratio, "x-baseline")
	checkTarget(b, fmt.Sprintf("%s of %d exchanges / bare loop", f, rows), fmt.Sprintf("%.2fx", ratio),
		fmt.Sprintf("≤ %.1fx", target), ratio <= target)
	b.Logf("%s of %d exchanges: baseline %.0f ms, report %.0f ms", f, rows, ms(tBase)/float64(b.N), ms(tOurs)/float64(b.N))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func BenchmarkXLSXExchanges(b *testing.B) {
	compare(b, XLSX, benchStore(b, envN("BENCH_REPORT_N", 100_000)), baselineXLSX, 1.5)
}

func BenchmarkCSVExchanges(b *testing.B) {
	compare(b, CSV, benchStore(b, envN("BENCH_REPORT_BIG_N", 1_000_000)), baselineCSV, 1.5)
}

// BenchmarkPDFRequestTracker writes a tracker of 2,000 requests.
func BenchmarkPDFRequestTracker(b *testing.B) {
	s := openStore(b)
	recs := make([]data.Record, 0, 2000)
	ratings := []string{"DO-A1", "DX-A3", "", "DO-A7"}
	for i := range 2000 {
		r := &data.Request{Direction: data.InToUS, Posting: []string{"CMF", "INDOPACOM", "SOCOM"}[i%3], Program: []string{"P-8I", "MH-60R", "C-17", "AH-64E"}[i%4],
			Rating: ratings[i%4], RequiredBy: time.Date(2027, 1, 1+i%300, 0, 0, 0, 0, time.UTC).Format(data.DateLayout),
			OrderReceivedOn: "2026-11-02", PromisedBy: "2027-03-01", Supplier: "Boeing Defense, Space & Security",
			Justification: "Aircraft on ground: hydraulic pump failure grounds the second P-8I of INAS 312.",
			Lines:         []data.Line{{Description: "Hydraulic pump", NSN: "1650013456789", Quantity: 2}, {Description: "Seal kit", Quantity: 10, Unit: "KT"}},
			Marking:       data.Marking{Classification: []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"}[i%3], Releasability: []string{"USA", "IND"}}}
		recs = append(recs, r)
	}
	if _, err := s.Add(context.Background(), recs...); err != nil {
		b.Fatal(err)
	}
	var pages int
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		var cw countWriter
		if _, err := Write(context.Background(), s, Options{Kind: "requests", Now: testNow}, PDF, &cw); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		pages = cw.pages()
	}
	b.StopTimer()
	per := ms(total) / float64(b.N)
	b.ReportMetric(per, "ms/report")
	b.ReportMetric(float64(pages), "pages")
	checkTarget(b, "PDF tracker of 2,000 requests", fmt.Sprintf("%.0f ms", per), "< 1000 ms", per < 1000)
	b.Logf("PDF tracker of 2,000 requests: %.0f ms, %d pages", per, pages)
}

// countWriter counts bytes and PDF pages written to it.
type countWriter struct {
	n     int
	pageN int
	tail  []byte
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	buf := append(c.tail, p...)
	c.pageN += strings.Count(string(buf), "/Type /Page\n") - strings.Count(string(c.tail), "/Type /Page\n")
	c.tail = append(c.tail[:0], buf[max(0, len(buf)-16):]...)
	return len(p), nil
}

func (c *countWriter) pages() int { return c.pageN }

// BenchmarkFlatMemory writes CSV, XLSX and JSON exports of 10,000 and
// 100,000 exchanges and reports the bytes allocated per row and the peak
// heap of each: streamed writers keep the peak flat as rows grow.
func BenchmarkFlatMemory(b *testing.B) {
	small, big := benchStore(b, 10_000), benchStore(b, envN("BENCH_REPORT_N", 100_000))
	for _, f := range []Format{CSV, XLSX, JSON} {
		b.Run(string(f), func(b *testing.B) {
			var perRow, peak [2]float64
			var rows [2]int
			for i, path := range []string{small, big} {
				s := openBench(b, path)
				for range b.N {
					alloc, top, n := measure(b, s, f)
					perRow[i] = alloc / float64(n)
					peak[i] = top
					rows[i] = n
				}
			}
			b.ReportMetric(perRow[0], "B/row@10k")
			b.ReportMetric(perRow[1], "B/row@100k")
			b.ReportMetric(peak[0]/1e6, "peakMB@10k")
			b.ReportMetric(peak[1]/1e6, "peakMB@100k")
			growth := peak[1] / peak[0]
			b.ReportMetric(growth, "peak-growth")
			// Flat: ten times the rows, not ten times the heap (a few MB
			// of sampling noise aside).
			flat := peak[1] <= max(2*peak[0], 32e6) && perRow[1] <= 1.2*perRow[0]
			checkTarget(b, fmt.Sprintf("%s peak heap, B/row: %d → %d rows", f, rows[0], rows[1]),
				fmt.Sprintf("%.1f → %.1f MB, %.0f → %.0f B", peak[0]/1e6, peak[1]/1e6, perRow[0], perRow[1]),
				"≤ 2x or 32 MB, ≤ 1.2x", flat)
			b.Logf("%s: %.0f B/row at 10k, %.0f at 100k; peak heap %.1f MB at 10k, %.1f MB at 100k (%.2f× for 10× the rows)",
				f, perRow[0], perRow[1], peak[0]/1e6, peak[1]/1e6, growth)
		})
	}
}

// measure writes an export and returns the bytes allocated, the peak heap
// in use (sampled) and the rows.
func measure(b *testing.B, s *store.Store, f Format) (float64, float64, int) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				mu.Lock()
				peak = max(peak, m.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	sum, err := Write(context.Background(), s, Options{Kind: "exchange", Export: true, Now: testNow}, f, io.Discard)
	close(stop)
	<-done
	if err != nil {
		b.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	mu.Lock()
	defer mu.Unlock()
	return float64(after.TotalAlloc - before.TotalAlloc), float64(peak - min(peak, before.HeapInuse)), sum.Rows
}
