package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/report"
	"liaisondesk/data/store"
)

// go test -run TestGoldenCLI -update rewrites testdata/golden from what the
// verbs print now; review the diff before committing it.
var update = flag.Bool("update", false, "rewrite testdata/golden from the CLI's output")

// goldenToday is the golden store's "today": the demo is dated from it and
// it is the clock of every store the verbs open, so overdue figures, days
// in state and generated_at are fixed.
var goldenToday = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

const goldenDir = "testdata/golden"

// TestGoldenCLI pins what the JSON verbs print over a demo store made from
// a fixed seed and a fixed today: list (each kind), show (a few records of
// each kind), search, and every report and export that has JSON. The
// verbs' clock is fixed too (cli.now), so generated_at and every
// today-relative figure are real values, not masks. Record ids, the
// device's site id and its code in request refs are random, so they are
// replaced by placeholders (equal ids stay equal); nothing else is masked.
func TestGoldenCLI(t *testing.T) {
	db, site := goldenStore(t)
	g := &goldenRun{t: t, db: db, m: newMasker(site), outputs: map[string]string{}}

	// Lists first, and their records' ids named before anything is
	// masked: "<exchange 3>" is the third exchange listed, whatever
	// prints it, and later outputs do not shift the names.
	listed := map[string][]string{}
	raw := map[string]string{}
	var kinds []string
	for _, k := range data.Kinds() {
		kinds = append(kinds, string(k))
	}
	for _, kind := range kinds {
		raw[kind] = g.run("list", kind, "--json")
		var recs []struct{ ID string }
		if err := json.Unmarshal([]byte(raw[kind]), &recs); err != nil {
			t.Fatalf("list %s --json: %v", kind, err)
		}
		if len(recs) == 0 {
			t.Fatalf("the demo made no %s", kind)
		}
		for _, r := range recs {
			listed[kind] = append(listed[kind], r.ID)
			if uuidRE.MatchString(r.ID) {
				g.m.name(r.ID, kind)
			}
		}
	}
	for _, kind := range kinds {
		g.keep("list-"+kind, raw[kind])
	}

	for _, kind := range kinds {
		ids := listed[kind]
		for _, i := range slices.Compact([]int{0, len(ids) / 2, len(ids) - 1}) {
			g.check(fmt.Sprintf("show-%s-%d", kind, i+1), "show", kind, ids[i], "--json")
		}
	}

	g.check("search-bahrain", "search", "Bahrain", "--json")
	g.check("search-request-brake", "search", "brake", "--kind", "request", "--json")
	g.check("search-fts-medical-or-training", "search", "--fts", "medical OR training", "--limit", "10", "--json")

	const from, to = "2026-09-01", "2026-11-30"
	for _, k := range report.Reports() {
		if !slices.Contains(k.Formats, report.JSON) {
			continue
		}
		args := []string{"report", k.Name, "--format", "json", "-o", "-"}
		if k.Needs == "period" {
			args = append(args, "--from", from, "--to", to)
		}
		g.check("report-"+k.Name, args...)
	}
	g.check("report-requests-CMF-confidential", "report", "requests", "--posting", "CMF", "--ceiling", "CONFIDENTIAL", "--format", "json", "-o", "-")
	g.check("report-weekly-rel-USA", "report", "weekly", "--from", "2026-11-16", "--to", "2026-11-22", "--rel", "USA", "--format", "json", "-o", "-")
	for _, k := range report.Exports() {
		if slices.Contains(k.Formats, report.JSON) {
			g.check("export-"+k.Name, "export", k.Name, "--format", "json", "-o", "-")
		}
	}

	g.finish()
}

// goldenStore makes the demo store through the data API with the clock
// fixed at goldenToday, and returns its path and the device's site id.
func goldenStore(t *testing.T) (string, data.SiteID) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "store.db")
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Now = func() time.Time { return goldenToday }
	if err := s.InitWithPassphrase(ctx, data.Officer{Name: "Col. R. K. Mehta", Rank: "Colonel", Posting: "CMF"}, testPassphrase); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Fill(ctx, s, demo.Options{Exchanges: 40, Seed: 1, Now: goldenToday}); err != nil {
		t.Fatal(err)
	}
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	return db, dev.Site
}

// goldenRun runs verbs in-process with the clock fixed and compares their
// masked output with the golden files.
type goldenRun struct {
	t       *testing.T
	db      string
	m       *masker
	outputs map[string]string // golden file name → masked output
}

// run runs one verb in-process with the clock at goldenToday; it must
// succeed and print nothing on stderr. It returns what the verb printed.
func (g *goldenRun) run(args ...string) string {
	g.t.Helper()
	var out, errb bytes.Buffer
	c := &cli{dbPath: g.db, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		now: func() time.Time { return goldenToday }}
	if code := c.runVerb(context.Background(), args[0], args[1:]); code != 0 || errb.Len() > 0 {
		g.t.Fatalf("liaisondesk %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// keep records an output, masked, as the golden file name.json.
func (g *goldenRun) keep(name, out string) {
	g.t.Helper()
	if _, dup := g.outputs[name+".json"]; dup {
		g.t.Fatalf("two outputs named %s", name)
	}
	g.outputs[name+".json"] = g.m.mask(out)
}

// check runs one verb and keeps its output as name.json.
func (g *goldenRun) check(name string, args ...string) {
	g.t.Helper()
	g.keep(name, g.run(args...))
}

// finish writes the golden files (-update) or compares them, and refuses
// golden files no output matches.
func (g *goldenRun) finish() {
	t := g.t
	if *update {
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, out := range g.outputs {
			if err := os.WriteFile(filepath.Join(goldenDir, name), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	names := make([]string, 0, len(g.outputs))
	for name := range g.outputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		want, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			t.Errorf("%s: %v (run go test -run TestGoldenCLI -update)", name, err)
			continue
		}
		if got := g.outputs[name]; got != string(want) {
			t.Errorf("%s differs from the golden file:\n%s", name, firstDiff(string(want), got))
		}
	}
	files, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := g.outputs[f.Name()]; !ok {
			t.Errorf("%s/%s is no verb's output any more (run with -update to remove it)", goldenDir, f.Name())
		}
	}
}

// firstDiff shows the first line that differs, with its number.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\n want: %s\n  got: %s", i+1, wl, gl)
		}
	}
	return "(same lines, different ending)"
}

// masker replaces what is random in a demo store with stable placeholders.
type masker struct {
	names map[string]string // id → placeholder
	count map[string]int    // per prefix
	site  string
	ref   *regexp.Regexp // a request ref's device code
	dev   *regexp.Regexp // a report's device field
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func newMasker(site data.SiteID) *masker {
	code := regexp.QuoteMeta(site.ShortCode())
	return &masker{names: map[string]string{}, count: map[string]int{}, site: site.String(),
		ref: regexp.MustCompile(`\b([A-Z][A-Z0-9]*-\d{4}-)` + code + `(-\d{4})\b`),
		dev: regexp.MustCompile(`("device": ?")` + code + `"`)}
}

// name gives id a placeholder "<prefix N>", N counting per prefix, unless
// it has one.
func (m *masker) name(id, prefix string) string {
	if p, ok := m.names[id]; ok {
		return p
	}
	m.count[prefix]++
	p := fmt.Sprintf("<%s %d>", prefix, m.count[prefix])
	m.names[id] = p
	return p
}

func (m *masker) mask(s string) string {
	s = uuidRE.ReplaceAllStringFunc(s, func(id string) string { return m.name(id, "id") })
	s = strings.ReplaceAll(s, m.site, "<site>")
	s = m.ref.ReplaceAllString(s, "${1}<dev>${2}")
	return m.dev.ReplaceAllString(s, `${1}<dev>"`)
}
