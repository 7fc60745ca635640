package store

// Shared fixtures of the benchmarks in bench_test.go: a deterministic
// generator of realistic exchanges, small timing helpers, and the cached
// big store (BENCH_BIG_N exchanges, default 1,000,000) under os.TempDir().
//
// The generator lives here rather than using data/demo because an internal
// test of package data cannot import a package that imports data.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"liaisondesk/data"
)

// benchStoreVersion names the cached big store; bump it whenever the
// generator or what the store writes changes, so a stale file is rebuilt.
const benchStoreVersion = 2 // 2: exchanges columns reordered (list columns first)

// benchEpoch is the fixed "now" of generated data.
var benchEpoch = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
		if err == nil && n > 0 {
			return n
		}
	}
	return def
}

// ---- timing helpers ----

type samples []time.Duration

func (s samples) pct(p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := slices.Clone(s)
	slices.Sort(c)
	i := int(p/100*float64(len(c))+0.5) - 1
	i = max(0, min(i, len(c)-1))
	return c[i]
}

func (s samples) max() time.Duration { return s.pct(100) }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// ---- stores ----

// openBenchStore opens (and initialises when new) a store at path.
func openBenchStore(tb testing.TB, path string) *Store {
	tb.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	if !s.Initialised() {
		if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
			s.Close()
			tb.Fatalf("init: %v", err)
		}
	}
	return s
}

// openRaw opens a plain database/sql handle with the store's writer DSN
// (WAL, synchronous FULL, BEGIN IMMEDIATE), one connection.
func openRaw(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		tb.Fatal(err)
	}
	return db
}

// ---- generator ----

type benchContact struct {
	ID, Name string
}

type benchGen struct {
	rng      *rand.Rand
	contacts map[string][]benchContact // posting → contacts
}

func newBenchGen(seed uint64) *benchGen {
	return &benchGen{rng: rand.New(rand.NewPCG(seed, 0x11a150)), contacts: map[string][]benchContact{}}
}

var (
	benchFirst = []string{"John", "Sarah", "Michael", "Emily", "David", "Laura", "James", "Karen", "Robert", "Maria",
		"Daniel", "Jennifer", "Thomas", "Angela", "Mark", "Rachel", "Kevin", "Lisa", "Brian", "Megan", "Eric", "Nicole",
		"Steven", "Amanda", "Paul", "Heather", "Andrew", "Julie", "Scott", "Rebecca"}
	benchLast = []string{"Miller", "Johnson", "Williams", "Brown", "Davis", "Garcia", "Rodriguez", "Wilson", "Martinez",
		"Anderson", "Taylor", "Thomas", "Hernandez", "Moore", "Martin", "Jackson", "Thompson", "White", "Lopez", "Harris",
		"Clark", "Lewis", "Walker", "Hall", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Flores",
		"Green", "Adams", "Nelson", "Baker", "Campbell", "Mitchell", "Carter", "Roberts"}
	benchRanks = []string{"CAPT", "CDR", "LCDR", "COL", "LTC", "MAJ", "RDML", "BG", "Mr", "Ms", "Dr"}
	benchAppts = []string{"Deputy J4", "Chief, Foreign Liaison Office", "India Desk Officer", "Chief, Joint Exercise Division",
		"Fleet Logistics Officer", "Deputy Director for Strategic Planning", "Chief, Theater Security Cooperation",
		"Assistant Chief of Staff for Plans", "Chief, Current Operations", "Maritime Operations Officer"}
	benchPostings = []struct {
		code     string
		weight   int
		location []string
		zone     string
		orgs     []string
		titles   []string
		topics   []string
	}{
		{"CMF", 50, []string{"NSA Bahrain", "CMF headquarters, Manama", "virtual"}, "Asia/Bahrain",
			[]string{"CTF 150", "CTF 151", "CTF 152", "CTF 153", "CTF 154", "NAVCENT"},
			[]string{"CTF 150 monthly coordination", "CTF 151 counter-piracy update", "CTF 152 Arabian Gulf security brief",
				"CTF 153 Red Sea shipping review", "CTF 154 training programme", "Deputy Commander CMF office call",
				"Maritime security working group", "Boarding team exchange planning"},
			[]string{"boarding drills", "counter-piracy patrols in the Gulf of Aden", "information sharing on dhow traffic",
				"Red Sea shipping protection", "training slots at CTF 154 courses", "Indian Navy ship deployments to the Gulf"}},
		{"INDOPACOM", 30, []string{"Camp H. M. Smith", "Joint Base Pearl Harbor-Hickam", "virtual"}, "Pacific/Honolulu",
			[]string{"J4", "J5", "J7", "PACFLT", "PACAF", "USARPAC"},
			[]string{"J4 logistics sync", "Malabar planning conference", "J5 South Asia policy round table",
				"Tiger Triumph initial planning", "PACFLT staff talks", "Cope India air component meeting",
				"Foreign liaison officers' quarterly luncheon", "P-8I sustainment review"},
			[]string{"P-8I spares pipeline", "MH-60R follow-on support", "exercise Malabar planning", "HADR coordination",
				"port visits by US ships to Indian ports", "undersea domain awareness"}},
		{"SOCOM", 20, []string{"MacDill AFB", "JSOU, MacDill AFB", "virtual"}, "America/New_York",
			[]string{"USASOC", "NSWC", "AFSOC", "MARSOC", "JSOU"},
			[]string{"JSOU course allocation", "Vajra Prahar after-action review", "SOF mobility workshop",
				"AFSOC partner engagement", "NSWC maritime SOF talks", "SOCOM J3 international desk call"},
			[]string{"course seats at JSOU", "Vajra Prahar scenario design", "C-130J special operations support",
				"combat diving exchange", "SOF aviation training"}},
	}
	benchOutcomes = []string{
		"Agreed to exchange points of contact and meet again next month.",
		"Action on the LO to report the request to IHQ MoD by next week.",
		"No decision; the staff will come back after internal review.",
		"The US side will send the draft schedule for comment.",
		"Agreed next steps and a date for the follow-up call.",
	}
	benchPlatforms = []string{"P-8I", "MH-60R", "C-17", "C-130J", "AH-64E", "CH-47F", "M777", "MQ-9B"}
	benchTags      = []string{"sosa", "dpas", "malabar", "logistics", "hadr", "navy", "exercise", "training", "mda"}
)

// contactsFor creates the contacts of every posting (once) and returns them
// as records to add.
func (g *benchGen) makeContacts(perPosting int) []data.Record {
	var recs []data.Record
	for _, p := range benchPostings {
		for i := 0; i < perPosting; i++ {
			c := &data.Contact{ID: data.NewID(),
				Name:         benchRanks[g.rng.IntN(len(benchRanks))] + " " + benchFirst[g.rng.IntN(len(benchFirst))] + " " + benchLast[g.rng.IntN(len(benchLast))],
				Appointment:  benchAppts[g.rng.IntN(len(benchAppts))],
				Organisation: p.orgs[g.rng.IntN(len(p.orgs))], Nation: "USA"}
			g.contacts[p.code] = append(g.contacts[p.code], benchContact{c.ID, c.Name})
			recs = append(recs, c)
		}
	}
	return recs
}

func (g *benchGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// exchange generates one exchange. Word frequencies (checked by
// benchWordFreq): "the" and "with" in nearly every record, "discussed"
// and "indian" in well over half, topic words in a few percent, and
// "typhoon" / "sonobuoy" in well under 0.1%.
func (g *benchGen) exchange() *data.Exchange {
	w := g.rng.IntN(100)
	pi := 0
	for acc := 0; pi < len(benchPostings); pi++ {
		acc += benchPostings[pi].weight
		if w < acc {
			break
		}
	}
	p := benchPostings[pi]
	kind := data.ExchangeKinds[g.rng.IntN(len(data.ExchangeKinds)-3)] // no rfi_out, rfi_in, other: see below
	if g.rng.IntN(20) == 0 {
		kind = g.pick([]string{"rfi_out", "rfi_in"})
	}
	at := benchEpoch.Add(-time.Duration(g.rng.Int64N(int64(10 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	e := &data.Exchange{Posting: p.code, Kind: kind, Title: g.pick(p.titles), OccurredAt: at.Format(time.RFC3339),
		TimeZone: p.zone, Location: g.pick(p.location), Participants: "Col. A. Sharma",
		Direction: g.pick(data.Directions), Disclosure: g.pick(data.Disclosures),
		Marking: data.Marking{Classification: g.pick([]string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"}),
			Releasability: []string{"USA", "IND"}},
		State: data.ExchangeState(g.pick([]string{"draft", "final", "final"}))}
	if g.rng.IntN(3) == 0 {
		e.EndedAt = at.Add(time.Hour).Format(time.RFC3339)
	}
	if cs := g.contacts[p.code]; len(cs) > 0 {
		for n := 1 + g.rng.IntN(3); n > 0; n-- {
			id := cs[g.rng.IntN(len(cs))].ID
			if !slices.Contains(e.Counterparts, id) {
				e.Counterparts = append(e.Counterparts, id)
			}
		}
	}
	var sb strings.Builder
	if g.rng.IntN(100) < 65 {
		fmt.Fprintf(&sb, "Discussed %s with the %s staff. ", g.pick(p.topics), g.pick(p.orgs))
	} else {
		fmt.Fprintf(&sb, "Reviewed the status of %s with the %s team. ", g.pick(p.topics), g.pick(p.orgs))
	}
	if g.rng.IntN(100) < 60 {
		fmt.Fprintf(&sb, "The Indian side raised support for the %s fleet and asked for an update on open requests. ", g.pick(benchPlatforms))
	} else {
		fmt.Fprintf(&sb, "The US side outlined the %s sustainment plan for the coming quarter. ", g.pick(benchPlatforms))
	}
	if g.rng.IntN(2) == 0 {
		sb.WriteString("Information sharing arrangements were confirmed for the next reporting period. ")
	}
	if g.rng.IntN(10) == 0 {
		fmt.Fprintf(&sb, "Exercise %s dates were noted for planning. ", g.pick([]string{"Malabar", "Tiger Triumph", "Yudh Abhyas", "Cope India", "RIMPAC", "Sea Dragon"}))
	}
	if g.rng.IntN(2000) == 0 {
		sb.WriteString("A typhoon warning for Guam may delay the ship movements. ")
	}
	if g.rng.IntN(3000) == 0 {
		sb.WriteString("Sonobuoy stocks for the P-8I are below the agreed level. ")
	}
	e.Summary = strings.TrimSpace(sb.String())
	if g.rng.IntN(2) == 0 {
		e.Outcome = g.pick(benchOutcomes)
	}
	for n := g.rng.IntN(3); n > 0; n-- {
		t := g.pick(benchTags)
		if !slices.Contains(e.Tags, t) {
			e.Tags = append(e.Tags, t)
		}
	}
	if e.IsRFI() {
		e.RFIQuestion = fmt.Sprintf("Request the delivery forecast for %s spares for the next two quarters.", g.pick(benchPlatforms))
		e.RFIStatus = data.RFIStatus(g.pick(data.RFIStatuses))
		e.RFIDue = at.Add(14 * 24 * time.Hour).Format(time.RFC3339)
	}
	return e
}

func (g *benchGen) exchanges(n int) []data.Record {
	out := make([]data.Record, n)
	for i := range out {
		out[i] = g.exchange()
	}
	return out
}

// benchWordFreq returns the share of exchanges whose indexed text holds
// each word, over a sample of generated records (the generator is
// deterministic, so this is what the stores hold).
func benchWordFreq(words []string, n int) map[string]float64 {
	g := newBenchGen(1)
	g.makeContacts(150)
	names := map[string]string{}
	for _, cs := range g.contacts {
		for _, c := range cs {
			names[c.ID] = c.Name
		}
	}
	hits := map[string]int{}
	for i := 0; i < n; i++ {
		e := g.exchange()
		var cn []string
		for _, id := range e.Counterparts {
			cn = append(cn, names[id])
		}
		text := strings.Join([]string{e.Title, e.Summary, e.Outcome, e.Participants, e.Location,
			strings.Join(cn, "; "), e.RFIQuestion, e.RFIResponse, strings.Join(e.Tags, " ")}, " ")
		toks := map[string]bool{}
		for _, t := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			toks[t] = true
		}
		for _, w := range words {
			if toks[w] {
				hits[w]++
			}
		}
	}
	out := map[string]float64{}
	for _, w := range words {
		out[w] = float64(hits[w]) / float64(n)
	}
	return out
}

// ---- the big store ----

// bigStorePath returns the cached store of BENCH_BIG_N exchanges, building
// it first when it is missing or fails the sanity check. It logs how long
// building took.
func bigStorePath(b *testing.B) (string, int) {
	b.Helper()
	n := envInt("BENCH_BIG_N", 1_000_000)
	path := filepath.Join(os.TempDir(), fmt.Sprintf("liaisondesk-bench-%d-v%d.db", n, benchStoreVersion))
	if err := checkBigStore(path, n); err == nil {
		return path, n
	} else if !os.IsNotExist(err) {
		b.Logf("cached store %s unusable (%v): rebuilding", path, err)
		fmt.Fprintf(os.Stderr, "bench: cached store %s unusable (%v): rebuilding\n", path, err)
	}
	start := time.Now()
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
		os.Remove(path + suffix)
	}
	if err := buildBigStore(b, tmp, n); err != nil {
		b.Fatalf("build big store: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	if err := checkBigStore(path, n); err != nil {
		b.Fatalf("built store fails the check: %v", err)
	}
	fi, _ := os.Stat(path)
	b.Logf("built %s: %d exchanges in %v (%.0f MB); reused by later runs", path, n, time.Since(start).Round(time.Second), float64(fi.Size())/1e6)
	return path, n
}

// checkBigStore is the quick sanity check of a cached store: it opens,
// holds n exchanges, and the search index answers.
func checkBigStore(path string, n int) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	if !s.Initialised() {
		return fmt.Errorf("not initialised")
	}
	var got, fts int
	if err := s.rdb.QueryRowContext(ctx, `SELECT max(n) FROM exchanges`).Scan(&got); err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("holds %d exchanges, want %d", got, n)
	}
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM exchanges_fts WHERE exchanges_fts MATCH '"sonobuoy"'`).Scan(&fts); err != nil {
		return err
	}
	if fts == 0 && n >= 100_000 {
		return fmt.Errorf("search index finds nothing")
	}
	return nil
}

func buildBigStore(b *testing.B, path string, n int) error {
	ctx := context.Background()
	s := openBenchStore(b, path)
	defer s.Close()
	g := newBenchGen(1)
	if _, err := s.Add(ctx, g.makeContacts(150)...); err != nil {
		return err
	}
	const batch = 10_000
	start := time.Now()
	last := start
	for done := 0; done < n; {
		k := min(batch, n-done)
		if _, err := s.Add(ctx, g.exchanges(k)...); err != nil {
			return err
		}
		done += k
		if time.Since(last) > 30*time.Second || done == n {
			last = time.Now()
			// Progress goes to stderr: test logs are cut at 10 lines.
			fmt.Fprintf(os.Stderr, "bench: building %s: %d/%d exchanges, %v\n", filepath.Base(path), done, n, time.Since(start).Round(time.Second))
		}
	}
	// Leave the file self-contained: fold the WAL back in.
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	return nil
}
