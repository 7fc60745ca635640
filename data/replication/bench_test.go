package replication

// Benchmarks of issue #4 (make bench BENCH=Sync BENCHPKG=./data/replication/).
// Each measures inside one b.N iteration and reports custom metrics;
// ratios are against a raw SQLite baseline measured in the same run, on
// disk, with the store's own DSN (WAL, synchronous FULL).
//
// The source store, BENCH_SYNC_N changes (default 100,000) made as
// exchanges added in commits of 100, is built once into os.TempDir() and
// reused.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
	"liaisondesk/data/store/sourcestore"
)

func syncBenchN() int {
	if n, err := strconv.Atoi(strings.ReplaceAll(os.Getenv("BENCH_SYNC_N"), "_", "")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// benchExchange is the i-th exchange of the source store.
func benchExchange(i int) *data.Exchange { return sourcestore.Exchange(i) }

// sourceStore is the cached store of n changes the benchmarks start from.
func sourceStore(b *testing.B, n int) string { return sourcestore.Path(b, n) }

// openCopy copies a store file into dir and opens it.
func openCopy(b *testing.B, src, dir, name string) *store.Store {
	b.Helper()
	dst := filepath.Join(dir, name)
	in, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dst, in, 0o600); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(context.Background(), dst)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func newStore(b *testing.B, dir, name string) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Init(context.Background(), data.Officer{Name: "Cdr " + name, Rank: "Commander", Posting: "CMF"}); err != nil {
		b.Fatal(err)
	}
	return s
}

// rawBaseline inserts the rows an import writes, without crypto or
// merge: every change into a table shaped like the change log and every
// record into one shaped like exchanges, with their indexes, and the
// search index built once at the end, in one transaction.
func rawBaseline(b *testing.B, dir string, batch *data.Batch) time.Duration {
	b.Helper()
	ctx := context.Background()
	shape := newStore(b, dir, "shape.db")
	shapeDB, err := sql.Open("sqlite", store.WriterDSN(shape.Path()))
	if err != nil {
		b.Fatal(err)
	}
	defer shapeDB.Close()
	var ddl []string
	rows, err := shapeDB.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND
		(tbl_name IN ('changes', 'exchanges') OR name = 'exchanges_fts') ORDER BY type = 'index'`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var q string
		rows.Scan(&q)
		q = strings.NewReplacer("exchanges", "x", "changes", "c").Replace(q)
		ddl = append(ddl, q)
	}
	rows.Close()

	db, err := sql.Open("sqlite", store.WriterDSN(filepath.Join(dir, "raw.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range ddl {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	insC, _ := tx.PrepareContext(ctx, `INSERT INTO c (id, hlc, tbl, row_id, fields, parents, schema) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	insX, _ := tx.PrepareContext(ctx, `INSERT INTO x (id, posting, kind, title, occurred_at, time_zone, location, summary, outcome,
		classification, releasability, created_at, updated_at) SELECT ?, f->>'posting', f->>'kind', f->>'title', f->>'occurred_at',
		f->>'time_zone', f->>'location', f->>'summary', f->>'outcome', f->>'classification', f->'releasability', ?, ?
		FROM (SELECT jsonb(?) AS f)`)
	for i, c := range batch.Changes {
		var parents any
		if len(c.Parents) > 0 {
			parents = string(c.Parents)
		}
		if _, err := insC.ExecContext(ctx, int64(i+1), int64(c.HLC), c.Table, c.RowID, string(c.Fields), parents, c.Schema); err != nil {
			b.Fatal(err)
		}
		if c.Table == "exchanges" {
			at := c.HLC.Time().Format(time.RFC3339)
			if _, err := insX.ExecContext(ctx, c.RowID, at, at, string(c.Fields)); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO x_fts (x_fts) VALUES ('rebuild')`); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkBundle100k creates and imports a bundle of 100,000 changes
// (commits of 100) and compares each with the raw baseline. Targets: each
// within 5× of the baseline.
func BenchmarkBundle100k(b *testing.B) {
	n := syncBenchN()
	src := sourceStore(b, n)
	ctx := context.Background()
	var createRatio, importRatio float64
	for range b.N {
		dir := b.TempDir()
		from := openCopy(b, src, dir, "from.db")
		to := newStore(b, dir, "to.db")
		enrolPair(b, from, to)
		peers, err := TrustedPeers(ctx, from, []string{"to"})
		if err != nil {
			b.Fatal(err)
		}
		all, err := from.Outgoing(ctx, data.Vector{})
		if err != nil {
			b.Fatal(err)
		}
		base := rawBaseline(b, dir, all)

		file := filepath.Join(dir, "bundle.ldbundle")
		start := time.Now()
		var res CreateResult
		err = data.WriteFileAtomic(file, 0o600, func(w io.Writer) error {
			res, err = WriteBundle(ctx, from, peers, w)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		create := time.Since(start)

		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		imp, _, err := ImportBundle(ctx, to, f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		importTook := time.Since(start)
		if imp.Applied < n {
			b.Fatalf("applied %d of %d", imp.Applied, n)
		}
		b.ReportMetric(float64(res.Changes), "changes")
		b.ReportMetric(base.Seconds(), "baseline-s")
		b.ReportMetric(create.Seconds(), "create-s")
		b.ReportMetric(importTook.Seconds(), "import-s")
		createRatio, importRatio = create.Seconds()/base.Seconds(), importTook.Seconds()/base.Seconds()
		b.ReportMetric(createRatio, "create/baseline")
		b.ReportMetric(importRatio, "import/baseline")
		b.ReportMetric(float64(res.Bytes)/float64(res.Changes), "bytes/change")
	}
	checkTarget(b, fmt.Sprintf("create a bundle of %d changes / raw inserts", n), fmt.Sprintf("%.2fx", createRatio), "< 5x", createRatio < 5)
	checkTarget(b, fmt.Sprintf("import the bundle of %d changes / raw inserts", n), fmt.Sprintf("%.2fx", importRatio), "< 5x", importRatio < 5)
}

// BenchmarkHubSync100k pushes 100,000 changes from one laptop to a hub
// over HTTP on loopback, then pulls them down to a second, empty laptop.
func BenchmarkHubSync100k(b *testing.B) {
	n := syncBenchN()
	src := sourceStore(b, n)
	ctx := context.Background()
	for range b.N {
		dir := b.TempDir()
		laptop := openCopy(b, src, dir, "laptop.db")
		hub := newStore(b, dir, "hub.db")
		other := newStore(b, dir, "other.db")
		enrolPair(b, laptop, hub)
		enrolPair(b, other, hub)
		enrolPair(b, laptop, other)
		srv := httptest.NewServer((&Hub{R: hub}).Handler())
		start := time.Now()
		push, err := SyncHub(ctx, laptop, srv.URL, nil)
		if err != nil {
			b.Fatal(err)
		}
		pushTook := time.Since(start)
		start = time.Now()
		pull, err := SyncHub(ctx, other, srv.URL, nil)
		if err != nil {
			b.Fatal(err)
		}
		pullTook := time.Since(start)
		srv.Close()
		if push.AtHub.Applied < n || pull.Pulled.Applied < n {
			b.Fatalf("pushed %d, pulled %d of %d", push.AtHub.Applied, pull.Pulled.Applied, n)
		}
		b.ReportMetric(pushTook.Seconds(), "push-s")
		b.ReportMetric(pullTook.Seconds(), "pull-s")
		b.ReportMetric(float64(n)/(pushTook.Seconds()+pullTook.Seconds())*2, "changes/s")
	}
}

// enrolPair makes two stores trust each other, named by their officers'
// last word ("to", "hub", ...).
func enrolPair(b *testing.B, x, y *store.Store) {
	b.Helper()
	ctx := context.Background()
	name := func(s *store.Store) string {
		d, _ := s.Device()
		f := strings.Fields(d.Officer)
		return strings.TrimSuffix(f[len(f)-1], ".db")
	}
	for _, p := range [][2]*store.Store{{x, y}, {y, x}} {
		id, err := p[1].Identity(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p[0].AddPeer(ctx, name(p[1]), id.String()); err != nil {
			b.Fatal(err)
		}
	}
}
