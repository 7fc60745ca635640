package report

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/store"
)

// testNow is "today" in every test store.
var testNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// openStore opens an initialised store in a temporary directory whose
// clock stands at testNow.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return testNow }
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatalf("init: %v", err)
	}
	return s
}

// demoStore is a store with a realistic month of demo data.
func demoStore(t testing.TB) *store.Store {
	t.Helper()
	s := openStore(t)
	if _, err := demo.Fill(context.Background(), s, demo.Options{Exchanges: 300, Now: testNow, Seed: 7}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	return s
}

func add(t testing.TB, s *store.Store, recs ...data.Record) []string {
	t.Helper()
	ids, err := s.Add(context.Background(), recs...)
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	return ids
}

// write writes a report to memory.
func write(t testing.TB, s *store.Store, o Options, f Format) ([]byte, Summary) {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = testNow
	}
	var buf bytes.Buffer
	sum, err := Write(context.Background(), s, o, f, &buf)
	if err != nil {
		t.Fatalf("write %s %s: %v", o.Kind, f, err)
	}
	return buf.Bytes(), sum
}

// pdfPages reads a PDF back with poppler's pdftotext, one string per page,
// and checks pdfinfo agrees on the page count.
func pdfPages(t testing.TB, b []byte) []string {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install poppler-utils (make test-deps)", tool)
		}
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	n := -1
	for _, l := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if n != len(pages) {
		t.Fatalf("pdfinfo says %d pages, pdftotext found %d", n, len(pages))
	}
	return pages
}

// flat joins text with its line breaks and runs of spaces as single
// spaces, so wrapped cells can be searched.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// csvRows reads a CSV back: it must start with a byte order mark and be
// valid RFC 4180 with the same number of fields in every row.
func csvRows(t testing.TB, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("CSV does not start with a UTF-8 byte order mark: %q", b[:min(len(b), 10)])
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not read back: %v", err)
	}
	return rows
}

// xlsxFile opens a workbook.
func xlsxFile(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("XLSX does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// xlsxText is every string and value in a workbook, raw from its parts, so
// a test can be sure something appears nowhere in it.
func xlsxText(t testing.TB, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("XLSX is not a zip: %v", err)
	}
	var sb strings.Builder
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&sb, rc)
		rc.Close()
	}
	return sb.String()
}

// icsComponent is one VEVENT or VTODO read back.
type icsComponent struct {
	kind  string
	props map[string]string // name (with parameters) → value
}

// readICS unfolds and parses an iCalendar file: CRLF line ends, lines of
// at most 75 octets, components balanced.
func readICS(t testing.TB, b []byte) (cal map[string]string, comps []icsComponent) {
	t.Helper()
	text := string(b)
	if !strings.HasSuffix(text, "\r\n") {
		t.Fatal("ICS does not end in CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Fatalf("ICS line longer than 75 octets: %q", l)
		}
	}
	unfolded := strings.ReplaceAll(text, "\r\n ", "")
	cal = map[string]string{}
	var cur *icsComponent
	depth := 0
	sc := bufio.NewScanner(strings.NewReader(unfolded))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("ICS line without a colon: %q", line)
		}
		switch {
		case name == "BEGIN":
			depth++
			if value != "VCALENDAR" {
				cur = &icsComponent{kind: value, props: map[string]string{}}
			}
		case name == "END":
			depth--
			if cur != nil && value == cur.kind {
				comps = append(comps, *cur)
				cur = nil
			}
		case cur != nil:
			cur.props[name] = value
		default:
			cal[name] = value
		}
	}
	if depth != 0 {
		t.Fatalf("ICS components not balanced (depth %d)", depth)
	}
	return cal, comps
}

// optionsFor gives a report's options over the demo month.
func optionsFor(k Kind, id string) Options {
	o := Options{Kind: k.Name, Export: k.Export}
	if k.Period {
		o.From, o.To = "2026-11-01", "2026-11-30"
	}
	if k.Needs == "id" {
		o.ID = id
	}
	return o
}

// anExchange returns the id of an exchange with counterparts and an
// outcome in the store.
func anExchange(t testing.TB, s *store.Store) string {
	t.Helper()
	var id string
	err := s.ReportExchanges(context.Background(), data.ExchangeQuery{}, func(e *data.Exchange) error {
		if id == "" && len(e.Counterparts) > 0 && e.Outcome != "" {
			id = e.ID
		}
		return nil
	})
	if err != nil || id == "" {
		t.Fatalf("no exchange with counterparts and outcome: %v", err)
	}
	return id
}
