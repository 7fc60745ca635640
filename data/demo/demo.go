// Package demo fills a store with realistic demonstration data: a liaison
// officer's counterparts, exchanges, priority-support requests and
// follow-up actions at the three postings (docs/DOMAIN.md §8).
//
// Everything goes through the store's public API, so the demo data is
// validated, logged and signed like anything a user types. Exchanges,
// contacts and actions are added in large batches (one transaction and one
// signed commit each); requests are walked along their workflow one status
// change at a time, as a user would, so they are what bounds the speed of
// very large fills (see requestCount).
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// Options for Fill.
type Options struct {
	Exchanges int                   // number of exchanges; default 300 when 0
	Now       time.Time             // "today"; data is dated relative to it (zero: the store's clock)
	Seed      int64                 // deterministic randomness
	Progress  func(done, total int) // optional, called now and then with exchanges added so far
}

// Summary says how many records Fill added.
type Summary struct{ Contacts, Exchanges, Requests, Actions int }

// DefaultExchanges is the size of the demo when Options.Exchanges is 0.
const DefaultExchanges = 300

// MaxExchanges bounds one fill.
const MaxExchanges = 10_000_000

const (
	exchangeBatch = 10_000 // exchanges per Add (plus their actions and the batch's request actions)
	contactBatch  = 5_000
)

// contactCount grows slowly with the size of the fill: a register of a few
// dozen people for a normal demo, never more than 2,000.
func contactCount(exchanges int) int { return min(2000, 60+exchanges/500) }

// requestCount is about one request per ten exchanges (at least 25) up to
// 5,000 exchanges, then grows slowly (600 at 100,000, 1,500 at a million):
// each request is walked through its workflow as a user would, with one
// store transaction per status change (about 2 ms each, 10–20 ms a
// request), which would otherwise dominate a large fill.
func requestCount(exchanges int) int {
	return max(25, min(exchanges/10, 500+exchanges/1000))
}

// Fill adds realistic data for all three postings to an initialised store:
// counterparts, exchanges of every kind over the last four weeks and
// planned in the next few days, priority-support requests in every state of both
// workflows, and follow-up actions, some of them overdue. The same seed and
// Now give the same data (record ids aside). Fill may be called again on the
// same store: it adds more.
func Fill(ctx context.Context, s *store.Store, o Options) (Summary, error) {
	var sum Summary
	n := o.Exchanges
	if n == 0 {
		n = DefaultExchanges
	}
	if n < 0 || n > MaxExchanges {
		return sum, data.Op("demo", "", fmt.Errorf("exchanges must be between 1 and %d (got %d)", MaxExchanges, n))
	}
	dev, err := s.Device()
	if err != nil {
		return sum, data.Op("demo", "", err)
	}
	now := o.Now
	if now.IsZero() {
		now = s.Now()
	}
	postings, err := s.Postings(ctx)
	if err != nil {
		return sum, data.Op("demo", "", err)
	}
	g, err := newGen(o.Seed, now, dev, postings)
	if err != nil {
		return sum, err
	}
	g.n = n
	progress := func(done int) {
		if o.Progress != nil {
			o.Progress(done, n)
		}
	}
	progress(0)

	// Counterparts first: exchanges refer to them.
	contacts := g.contacts(contactCount(n))
	for from := 0; from < len(contacts); from += contactBatch {
		part := contacts[from:min(from+contactBatch, len(contacts))]
		recs := make([]data.Record, len(part))
		for i, c := range part {
			recs[i] = c.rec
		}
		if _, err := s.Add(ctx, recs...); err != nil {
			return sum, data.Op("demo", "", fmt.Errorf("contacts: %w", err))
		}
		for _, c := range part {
			c.id = c.rec.ID
			c.post.contacts = append(c.post.contacts, c)
			for _, k := range []string{c.dir, c.org} {
				if k != "" {
					c.post.byUnit[k] = append(c.post.byUnit[k], c)
				}
			}
		}
		sum.Contacts += len(part)
	}

	// Then batches: each adds its share of the requests (walked through
	// their workflow), then its exchanges with their actions and the
	// requests' actions in one call.
	nr := requestCount(n)
	random := n // the recurring meetings are part of a fill large enough to show them
	if n >= seriesFrom {
		random -= seriesExchanges()
	}
	batches := (random + exchangeBatch - 1) / exchangeBatch
	reqDone, exDone := 0, 0
	var files []withFiles // the exchanges that carry attached files
	for b := 0; b < batches; b++ {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		reqTo := nr * (b + 1) / batches
		acts, err := g.requests(ctx, s, reqDone, reqTo)
		if err != nil {
			return sum, data.Op("demo", "", fmt.Errorf("requests: %w", err))
		}
		sum.Requests += reqTo - reqDone
		reqDone = reqTo

		exTo := random * (b + 1) / batches
		recs := make([]data.Record, 0, (exTo-exDone)*14/10+len(acts))
		nActs := len(acts)
		for i := exDone; i < exTo; i++ {
			e, ea := g.exchange(i)
			if g.chooseForFiles(i, e) {
				files = append(files, withFiles{e, ea})
			}
			recs = append(recs, e)
			for _, a := range ea {
				recs = append(recs, a)
			}
			nActs += len(ea)
		}
		for _, a := range acts {
			recs = append(recs, a)
		}
		if _, err := s.Add(ctx, recs...); err != nil {
			return sum, data.Op("demo", "", fmt.Errorf("exchanges: %w", err))
		}
		sum.Exchanges += exTo - exDone
		sum.Actions += nActs
		exDone = exTo
		progress(exDone)
	}
	if _, err := attachFiles(ctx, s, o.Seed, files); err != nil {
		return sum, data.Op("demo", "", fmt.Errorf("attached files: %w", err))
	}
	if err := g.registers(ctx, s, o.Seed); err != nil {
		return sum, data.Op("demo", "", err)
	}
	if err := visits(ctx, s, g.today); err != nil {
		return sum, data.Op("demo", "", err)
	}
	if n >= seriesFrom {
		nSeries, err := g.series(ctx, s)
		sum.Exchanges += nSeries
		if err != nil {
			return sum, data.Op("demo", "", err)
		}
		progress(n)
	}
	if _, err := g.accreditations(ctx, s); err != nil {
		return sum, data.Op("demo", "", fmt.Errorf("accreditations: %w", err))
	}
	return sum, nil
}

// gen holds the state of one fill.
type gen struct {
	r      *rand.Rand
	now    time.Time
	today  time.Time // UTC midnight of now's UTC date
	n      int       // exchanges in this fill
	posts  []*post
	emails map[string]int
}

type post struct {
	code     string
	name     string
	location string
	loc      *time.Location
	m        *postMaterial
	lo       string // the liaison officer there
	contacts []*person
	byUnit   map[string][]*person // by directorate and by organisation
	refs     []string             // request references, for exchanges to mention
	weekend  [2]time.Weekday
}

type person struct {
	post                      *post
	rec                       *data.Contact
	id, short, org, dir, appt string
}

func newGen(seed int64, now time.Time, dev *data.Device, postings []data.Posting) (*gen, error) {
	u := uint64(seed)
	g := &gen{r: rand.New(rand.NewPCG(u, u^0x9E3779B97F4A7C15)), now: now, emails: map[string]int{}}
	y, m, d := now.UTC().Date()
	g.today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for _, code := range postingOrder {
		i := slices.IndexFunc(postings, func(p data.Posting) bool { return p.ID == code })
		if i < 0 {
			return nil, data.Op("demo", "", fmt.Errorf("the store has no posting %s (the demo fills %s)", code, strings.Join(postingOrder, ", ")))
		}
		p := postings[i]
		loc, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			return nil, data.Op("demo", "", fmt.Errorf("posting %s: %w", code, err))
		}
		pt := &post{code: code, name: p.Name, location: p.Location, loc: loc, m: material[code], lo: material[code].lo, byUnit: map[string][]*person{},
			weekend: [2]time.Weekday{time.Saturday, time.Sunday}}
		if code == "CMF" { // Bahrain works Sunday to Thursday
			pt.weekend = [2]time.Weekday{time.Friday, time.Saturday}
		}
		if dev.Posting == code {
			pt.lo = dev.Officer
		}
		g.posts = append(g.posts, pt)
	}
	return g, nil
}

// Random helpers.

func (g *gen) intn(n int) int { return g.r.IntN(n) }

// between returns an int in [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// weighted picks one of keys by weight (keys missing from w weigh def).
func (g *gen) weighted(keys []string, w map[string]int, def int) string {
	total := 0
	for _, k := range keys {
		total += weightOf(w, k, def)
	}
	x := g.r.IntN(total)
	for _, k := range keys {
		x -= weightOf(w, k, def)
		if x < 0 {
			return k
		}
	}
	return keys[len(keys)-1]
}

func weightOf(w map[string]int, k string, def int) int {
	if v, ok := w[k]; ok {
		return v
	}
	return def
}

func (g *gen) postByWeight() *post {
	total := 0
	for _, p := range g.posts {
		total += p.m.weight
	}
	x := g.r.IntN(total)
	for _, p := range g.posts {
		x -= p.m.weight
		if x < 0 {
			return p
		}
	}
	return g.posts[0]
}

func (p *post) workday(d time.Time) bool {
	wd := d.Weekday()
	return wd != p.weekend[0] && wd != p.weekend[1]
}

func date(t time.Time) string { return t.Format(data.DateLayout) }

func prose(t time.Time) string { return t.Format("2 Jan 2006") }

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Counterparts.

var civGrades = map[string]string{"GS14": "GS-14", "GS15": "GS-15", "SES": "SES"}

func (g *gen) contacts(n int) []*person {
	out := make([]*person, 0, n)
	for i := 0; i < n; i++ {
		p := g.posts[i%len(g.posts)]
		k := i / len(g.posts)
		var sl slot
		if k < len(p.m.slots) {
			sl = p.m.slots[k]
		} else {
			u := pick(g, p.m.units)
			sl = slot{org: u.org, short: u.short, dir: u.dir, service: u.service, nation: "USA",
				appt: pick(g, genericRoles) + ", " + strings.TrimSpace(u.dir+" "+u.branch)}
			sl.grade = pick(g, []string{"O4", "O4", "O5", "O5", "O6"})
			if u.service == "civ" {
				sl.grade = pick(g, []string{"GS14", "GS14", "GS15"})
			}
			if len(p.m.nations) > 0 && g.chance(0.45) {
				sl.nation, sl.grade = pick(g, p.m.nations), pick(g, []string{"O4", "O5", "O5", "O6"})
			}
		}
		out = append(out, g.person(p, sl))
	}
	return out
}

func (g *gen) person(p *post, sl slot) *person {
	pool := namePools[sl.nation]
	first, last := pick(g, pool.first), pick(g, pool.last)
	name := first + " " + last
	middle := ""
	if sl.nation == "USA" {
		middle = string(rune('A' + g.intn(26)))
		name = first + " " + middle + ". " + last
	}
	rank := civGrades[sl.grade]
	short := name
	if rank == "" {
		ladder := ranks[sl.nation]
		if sl.nation == "USA" {
			ladder = ranks[sl.service]
		}
		rank = ladder[int(sl.grade[1]-'4')]
		short = rank + " " + last
	}
	c := &data.Contact{Name: name, Rank: rank, Appointment: sl.appt, Organisation: sl.org, Directorate: sl.dir,
		Nation: sl.nation, Email: g.email(p, sl, first, middle, last), Phone: fmt.Sprintf(p.m.phone, g.between(1000, 9999))}
	if g.chance(0.25) {
		v := g.vars(p, g.now)
		c.Notes = v.x(pick(g, contactNotes))
	}
	if pool := pastAppointments[sl.service]; sl.nation == "USA" && g.chance(0.25) {
		c.PastAppointments = []string{pick(g, pool)}
		if a := pick(g, pool); g.chance(0.3) && a != c.PastAppointments[0] {
			c.PastAppointments = append(c.PastAppointments, a)
		}
	}
	return &person{post: p, rec: c, short: short, org: sl.short, dir: sl.dir, appt: sl.appt}
}

var emailClean = strings.NewReplacer("'", "", "é", "e", "è", "e", "É", "e", " ", "")

func (g *gen) email(p *post, sl slot, first, middle, last string) string {
	f, l := strings.ToLower(emailClean.Replace(first)), strings.ToLower(emailClean.Replace(last))
	m := strings.ToLower(middle)
	var local, domain string
	switch {
	case sl.nation == "GBR":
		local, domain = f+"."+l, "mod.gov.uk"
	case sl.nation == "AUS":
		local, domain = f+"."+l, "defence.gov.au"
	case sl.nation == "JPN":
		local, domain = f+"."+l, "mod.go.jp"
	case sl.nation == "FRA":
		local, domain = f+"."+l, "intradef.gouv.fr"
	case sl.nation == "BHR":
		local, domain = f+"."+l, "bdf.bh"
	case sl.service == "af":
		local, domain = f+"."+l, "us.af.mil"
	case sl.service == "usmc":
		local, domain = f+"."+l, "usmc.mil"
	case sl.service == "army":
		local, domain = f+"."+m+"."+l+".mil", "army.mil"
	case sl.service == "civ" && p.code == "SOCOM":
		local, domain = f+"."+m+"."+l+".civ", "socom.mil"
	case sl.service == "civ":
		local, domain = f+"."+m+"."+l+".civ", "us.navy.mil"
	default:
		local, domain = f+"."+m+"."+l+".mil", "us.navy.mil"
	}
	if p.code == "SOCOM" && sl.org == "US Special Operations Command" && sl.service != "civ" { // HQ staff use socom.mil
		local, domain = f+"."+m+"."+l+".mil", "socom.mil"
	}
	key := local + "@" + domain
	g.emails[key]++
	if k := g.emails[key]; k > 1 { // john.a.smith2.mil@us.navy.mil
		if base, suffix, ok := strings.Cut(local, ".mil"); ok && suffix == "" {
			local = fmt.Sprintf("%s%d.mil", base, k)
		} else if base, suffix, ok := strings.Cut(local, ".civ"); ok && suffix == "" {
			local = fmt.Sprintf("%s%d.civ", base, k)
		} else {
			local = fmt.Sprintf("%s%d", local, k)
		}
	}
	return local + "@" + domain
}

// pickCounterparts returns 1–3 distinct people of the posting: the first
// usually from a directorate or organisation that deals with the topic
// (who), the others favouring the officer's regular contacts.
func (g *gen) pickCounterparts(p *post, who []string) []*person {
	want := 1
	if x := g.r.Float64(); x > 0.9 {
		want = 3
	} else if x > 0.6 {
		want = 2
	}
	want = min(want, len(p.contacts))
	out := make([]*person, 0, want)
	if len(who) > 0 && want > 0 && g.chance(0.8) {
		if cands := p.byUnit[pick(g, who)]; len(cands) > 0 {
			out = append(out, cands[g.intn(min(6, len(cands)))])
		}
	}
	for tries := 0; len(out) < want && tries < 20; tries++ {
		var c *person
		if g.chance(0.6) {
			c = p.contacts[g.intn(min(8, len(p.contacts)))]
		} else {
			c = pick(g, p.contacts)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Text templates.

// vars fills the {placeholders} of the templates.
type vars struct {
	g                                                 *gen
	p                                                 *post
	year                                              int
	topic, cp, appt, org, dir, exercise, phase, plat  string
	doc, date, ref, month, user, item, supplier, rate string
	n                                                 int
}

var postPlatforms = map[string][]string{
	"INDOPACOM": platforms,
	"SOCOM":     {"C-130J", "CH-47F", "C-17", "MQ-9B"},
	"CMF":       {"P-8I", "MH-60R", "MQ-9B"},
}

// vars starts the placeholders of a record dated base: dates in its text
// come a few days or months later.
func (g *gen) vars(p *post, base time.Time) *vars {
	v := &vars{g: g, p: p, year: base.Year(), exercise: pick(g, p.m.exercises),
		plat: pick(g, postPlatforms[p.code]), doc: pick(g, docs), org: p.code}
	v.setPhase()
	v.date = prose(base.AddDate(0, 0, g.between(5, 25)))
	v.month = base.AddDate(0, g.between(1, 3), 0).Format("January")
	return v
}

// setPhase picks a phase that suits the exercise.
func (v *vars) setPhase() {
	v.phase = pick(v.g, append(slices.Clone(phases), exercisePhases[v.exercise]...))
}

// setTopic makes the exercise and platform agree with a topic that names one.
func (v *vars) setTopic(t string) {
	v.topic = v.x(t)
	for _, e := range v.p.m.exercises {
		if strings.Contains(v.topic, e) && v.exercise != e {
			v.exercise = e
			v.setPhase()
		}
	}
	for _, pl := range platforms {
		if strings.Contains(v.topic, pl) {
			v.plat = pl
		}
	}
}

func (v *vars) setPerson(c *person) {
	v.cp, v.appt, v.org, v.dir = c.short, c.appt, c.org, c.dir
}

func (v *vars) get(key string) string {
	switch key {
	case "year":
		return fmt.Sprint(v.year)
	case "prevyear":
		return fmt.Sprint(v.year - 1)
	case "yy":
		return fmt.Sprintf("%02d", (v.year+1)%100) // the coming fiscal year
	case "topic":
		return v.topic
	case "cp":
		return v.cp
	case "appt":
		return v.appt
	case "org":
		return v.org
	case "dir":
		if v.dir == "" {
			return v.org
		}
		return v.dir
	case "unit":
		return strings.TrimSpace(v.org + " " + v.dir)
	case "exercise":
		return v.exercise
	case "phase":
		return v.phase
	case "platform":
		return v.plat
	case "doc":
		return v.doc
	case "date":
		return v.date
	case "ref":
		return v.ref
	case "month":
		return v.month
	case "user":
		return v.user
	case "item":
		return v.item
	case "supplier":
		return v.supplier
	case "rating":
		return v.rate
	case "n":
		return fmt.Sprint(v.n)
	case "hq":
		return v.p.m.hq
	}
	return "{" + key + "}"
}

// x expands the {placeholders} of a template.
func (v *vars) x(tpl string) string {
	if !strings.Contains(tpl, "{") {
		return tpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		j := strings.IndexByte(tpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		b.WriteString(v.get(tpl[i+1 : i+j]))
		tpl = tpl[i+j+1:]
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lowerFirst lowers "Hydraulic pump" but leaves "TADS/PNVS" and "F404" alone.
func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// shortRFI turns "Request the list of ... for Malabar 2026." into a title.
func shortRFI(q string) string {
	s := strings.TrimSuffix(strings.TrimPrefix(q, "Request "), ".")
	s = strings.TrimPrefix(s, "the ")
	if len(s) > 90 {
		cut := strings.LastIndexByte(s[:90], ' ')
		s = s[:cut] + "…"
	}
	return s
}

// Exchanges.

// dayOffsets and dayCDF give the share of exchanges by day, from 25 days
// ago to 4 days ahead: over half in the last two weeks, most of the rest
// in the two before, a few planned ahead.
var dayOffsets, dayCDF = func() ([]int, []float64) {
	var offs []int
	var cum []float64
	total := 0.0
	// The four weeks before today (a weekend moves a day back, so the
	// oldest start three days in), busier in the last two, and a few
	// planned in the days ahead: a desk as it stands on the day.
	for off := -25; off <= 4; off++ {
		w := 0.40 / 12
		switch {
		case off > 0:
			w = 0.04 / 4
		case off > -14:
			w = 0.56 / 14
		}
		total += w
		offs, cum = append(offs, off), append(cum, total)
	}
	for i := range cum {
		cum[i] /= total
	}
	return offs, cum
}()

// day returns the working day, in the posting's zone, at quantile u of the
// distribution above. Exchanges are made oldest first (u grows with their
// number), as a real store grows, so the store's indexes on dates mostly
// take appends rather than scattered inserts.
func (g *gen) day(p *post, u float64) time.Time {
	off := dayOffsets[min(sort.SearchFloat64s(dayCDF, u), len(dayOffsets)-1)]
	local := g.now.In(p.loc)
	d := time.Date(local.Year(), local.Month(), local.Day()+off, 0, 0, 0, 0, p.loc)
	for !p.workday(d) {
		if off > 0 {
			d = d.AddDate(0, 0, 1)
		} else {
			d = d.AddDate(0, 0, -1)
		}
	}
	return d
}

func at(d time.Time, hour, minute int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, d.Location())
}

var levels = []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}

func (g *gen) marking(p *post, kind string) data.Marking {
	w := map[string]int{"UNCLASSIFIED": 40, "RESTRICTED": 35, "CONFIDENTIAL": 18, "SECRET": 7}
	if kind == "social" || kind == "other" {
		w = map[string]int{"UNCLASSIFIED": 85, "RESTRICTED": 15}
	}
	m := data.Marking{Classification: g.weighted(levels, w, 0)}
	switch {
	case m.Classification == "UNCLASSIFIED" && g.chance(0.5):
	case p.code == "CMF" && g.chance(0.25), g.chance(0.04):
		m.Releasability = []string{"USA", "GBR", "IND"}
	default:
		m.Releasability = []string{"USA", "IND"}
	}
	return m
}

var exerciseAreas = map[string]string{"Malabar": "Bay of Bengal", "Tiger Triumph": "Kakinada, Andhra Pradesh",
	"Yudh Abhyas": "Auli, Uttarakhand", "Cope India": "Air Force Station Kalaikunda", "RIMPAC": "Joint Base Pearl Harbor-Hickam",
	"Sea Dragon": "Andersen AFB, Guam", "Vajra Prahar": "Umroi, Meghalaya", "IMX": "Arabian Gulf"}

// exchange makes the i-th exchange and its follow-up actions. The draws
// from g.r come in a fixed order (the demo store is the same for a seed):
// posting and kind, day, topic and counterparts, the record, what its kind
// frames, summary and outcome, state, then an RFI's answer.
func (g *gen) exchange(i int) (*data.Exchange, []*data.Action) {
	p, kind := g.exchangePostingAndKind(i)
	d := g.day(p, (float64(i)+g.r.Float64())/float64(g.n))
	start := at(d, g.between(8, 15), 15*g.intn(4))
	v := g.vars(p, d)
	tp := g.exchangeTopic(p, kind)
	v.setTopic(tp.text)
	exerciseTopic := kind == "exercise" || strings.Contains(v.topic, v.exercise)
	cps := g.pickCounterparts(p, tp.who)
	if len(cps) > 0 {
		v.setPerson(cps[0])
	}
	if len(p.refs) > 0 {
		v.ref = pick(g, p.refs)
	}
	e := g.newExchange(p, kind, cps)
	f := g.frame(e, p, kind, v, d, &framing{start: start, details: 1, tags: slices.Clone(tp.tags)})
	if !f.end.IsZero() {
		e.EndedAt = rfc(f.end)
	}
	e.OccurredAt = rfc(f.start)
	future := f.start.After(g.now)
	g.summarise(e, p, kind, v, tp, f, future, exerciseTopic)
	e.Tags = tagsOf(f.tags)
	g.exchangeState(e, f.start, future)
	if e.IsRFI() {
		g.rfiDue(e, v, d, f.start, future)
	}
	return e, g.exchangeActions(p, e, v, f.start)
}

// exchangePostingAndKind covers every kind at every posting first, then
// draws both by weight.
func (g *gen) exchangePostingAndKind(i int) (*post, string) {
	kinds := data.ExchangeKinds
	if cover := len(kinds) * len(g.posts); i < cover {
		return g.posts[i%len(g.posts)], kinds[i/len(g.posts)]
	}
	return g.postByWeight(), g.weighted(kinds, kindWeights, 5)
}

// exchangeTopic picks a posting's topic; an exercise gets one about one of
// the posting's exercises when there is such a topic.
func (g *gen) exchangeTopic(p *post, kind string) topic {
	tp := pick(g, p.m.topics)
	if kind == "exercise" {
		var ex []topic
		for _, t := range p.m.topics {
			if slices.ContainsFunc(p.m.exercises, func(e string) bool { return strings.Contains(t.text, e) }) {
				ex = append(ex, t)
			}
		}
		if len(ex) > 0 {
			tp = pick(g, ex)
		}
	}
	return tp
}

// newExchange is the record before its kind frames it: posting, place,
// participants, marking and counterparts.
func (g *gen) newExchange(p *post, kind string, cps []*person) *data.Exchange {
	e := &data.Exchange{ID: data.NewID(), Posting: p.code, Kind: kind, TimeZone: p.loc.String(),
		Location: pick(g, p.m.locations), Participants: p.lo, Direction: "both", Disclosure: "oral",
		Marking: g.marking(p, kind)}
	if g.chance(0.3) {
		e.Participants += "; " + p.m.assistant
	}
	for _, c := range cps {
		e.Counterparts = append(e.Counterparts, c.id)
	}
	return e
}

// framing is what an exchange's kind decides beyond the record's fields:
// its times, the summary's first sentence, how many of the topic's details
// follow it, and the tags.
type framing struct {
	start, end time.Time // end zero: none
	opener     string
	details    int
	tags       []string
}

// frame sets what an exchange's kind decides: title, place, direction,
// disclosure, and the framing.
func (g *gen) frame(e *data.Exchange, p *post, kind string, v *vars, d time.Time, f *framing) *framing {
	minutes := func(lo, hi int) { f.end = f.start.Add(time.Duration(g.between(lo, hi)/15*15) * time.Minute) }
	switch kind {
	case "meeting":
		e.Title = v.x("{unit}: ") + upperFirst(v.topic)
		f.opener = v.x("Met {cp} ({appt}) to discuss {topic}.")
		minutes(45, 120)
		f.details = 2
		if g.chance(0.4) {
			e.Disclosure = "documentary"
		}
	case "briefing_given":
		b := pick(g, p.m.briefings)
		e.Title = v.x("Brief to {unit}: ") + b
		f.opener = v.x("Briefed {cp} and {unit} staff on ") + b + v.x(". Questions focused on {topic}.")
		e.Direction, e.Disclosure = "given", "visual"
		minutes(30, 90)
	case "briefing_received":
		e.Title = v.x("{unit} brief: ") + upperFirst(v.topic)
		f.opener = v.x("{cp} briefed the foreign liaison officers on {topic}.")
		e.Direction, e.Disclosure = "received", "visual"
		minutes(30, 90)
		f.details = 2
	case "call":
		e.Title = v.x("Call with {cp}: {topic}")
		f.opener = v.x(pick(g, []string{"{cp} called to discuss {topic}.", "Called {cp} about {topic}."}))
		e.Location = "virtual"
		minutes(15, 45)
	case "vtc":
		e.Title = v.x("VTC {org}–{hq}: {topic}")
		f.opener = v.x("VTC between {unit} and {hq} on {topic}; {cp} led for {org}.")
		e.Location = "virtual"
		minutes(30, 90)
		f.details = 2
	case "email":
		if g.chance(0.5) {
			e.Title, e.Direction = v.x("E-mail from {cp}: {topic}"), "received"
		} else {
			e.Title, e.Direction = v.x("E-mail to {cp}: {topic}"), "given"
		}
		f.opener = v.x("E-mail exchange with {cp} on {topic}.")
		e.Location, e.Disclosure = "", "documentary"
	case "visit":
		e.Location = pick(g, p.m.visits)
		e.Title = "Visit: " + e.Location
		f.opener = "Visited " + e.Location + v.x(", hosted by {cp}. Discussed {topic}.")
		f.start = at(d, g.between(8, 10), 0)
		minutes(180, 420)
	case "conference":
		c := pick(g, p.m.confs)
		e.Title = fmt.Sprintf("%s %d", c, d.Year())
		e.Location = p.location
		f.opener = "Attended the " + c + v.x(". Side discussion with {cp} on {topic}.")
		f.start = at(d, 8, 30)
		f.end = at(d.AddDate(0, 0, g.between(1, 2)), 17, 0)
	case "exercise":
		g.frameExercise(e, v, d, f)
	case "social":
		s := pick(g, p.m.socials)
		e.Title, e.Location = s, p.location
		f.opener = s + v.x(". Informal discussion with {cp} on {topic}.")
		f.start = at(d, g.between(18, 19), 30*g.intn(2))
		if strings.Contains(s, "lunch") {
			f.start = at(d, 12, 0)
		}
		minutes(90, 150)
		f.details = 0
	case "rfi_out", "rfi_in":
		g.frameRFI(e, p, kind, v, f)
	default: // other: the officer's own administration
		o := v.x(pick(g, p.m.others))
		e.Title, f.opener = o, o+"."
		e.Location, e.Direction = "", ""
		f.tags = []string{"admin"}
		if g.chance(0.6) {
			e.Counterparts = nil
		}
		f.details = 0
	}
	return f
}

// frameExercise frames an exercise: days long, in its exercise area
// unless the phase is a conference or review.
func (g *gen) frameExercise(e *data.Exchange, v *vars, d time.Time, f *framing) {
	f.tags = append(f.tags, strings.ToLower(strings.ReplaceAll(v.exercise, " ", "-")))
	e.Title = v.x("{exercise} {year}: {phase}")
	if !strings.Contains(v.phase, "conference") && !strings.Contains(v.phase, "review") {
		e.Location = exerciseAreas[v.exercise]
	}
	f.opener = v.x("{exercise} {year}, {phase}. Worked with {cp} on {topic}.")
	f.start = at(d, 8, 0)
	f.end = at(d.AddDate(0, 0, g.between(2, 9)), 16, 0)
	if strings.Contains(v.phase, "conference") || strings.Contains(v.phase, "review") || v.phase == "site survey" {
		f.end = at(d.AddDate(0, 0, g.between(1, 3)), 16, 0)
	}
}

// frameRFI frames a request for information, sent or received: the
// question is its topic, and its tags name what it asks about.
func (g *gen) frameRFI(e *data.Exchange, p *post, kind string, v *vars, f *framing) {
	pool, to := p.m.rfiOut, "RFI to "
	if kind == "rfi_in" {
		pool, to = p.m.rfiIn, "RFI from "
	}
	e.RFIQuestion = v.x(pick(g, pool))
	v.topic = shortRFI(e.RFIQuestion)
	e.Title = to + v.x("{org}: ") + upperFirst(v.topic)
	if kind == "rfi_out" {
		f.opener = v.x("Raised a request for information with {unit} ({cp}).")
		e.Direction = "received"
	} else {
		f.opener = v.x("{cp} passed a request for information from {unit}.")
		e.Direction = "given"
	}
	e.Location, e.Disclosure = "", "documentary"
	f.tags = []string{"rfi"}
	for _, w := range append(slices.Clone(p.m.exercises), platforms...) {
		if strings.Contains(e.RFIQuestion, w) {
			f.tags = append(f.tags, strings.ToLower(strings.ReplaceAll(w, " ", "-")))
		}
	}
	f.details = 0
}

// summarise writes the summary (the opener, some of the topic's details,
// perhaps a common line) and the outcome, none for what is yet to happen.
func (g *gen) summarise(e *data.Exchange, p *post, kind string, v *vars, tp topic, f *framing, future, exerciseTopic bool) {
	body := []string{f.opener}
	said := slices.Clone(tp.details)
	for k := 0; k < f.details && len(said) > 0; k++ {
		j := g.intn(len(said))
		body = append(body, v.x(said[j]))
		said = slices.Delete(said, j, j+1)
	}
	if kind != "other" && kind != "social" && g.chance(0.4) {
		pool := bodyCommon
		if g.chance(0.4) {
			pool = p.m.body
		}
		if s := v.x(pick(g, pool)); !slices.Contains(body, s) {
			body = append(body, s)
		}
	}
	e.Summary = strings.Join(body, " ")
	if future { // what has not happened yet reads as planned, not as held
		e.Summary = "Planned, not yet held. To discuss " + v.topic + "."
	}
	switch {
	case kind == "other" || future || kind == "email" && g.chance(0.3) || kind == "social" && g.chance(0.5):
	case e.IsRFI():
		e.Outcome = "Tracked in the RFI register."
	case slices.Contains(tp.tags, "sosa") && v.ref != "" && g.chance(0.6):
		e.Outcome = v.x(pick(g, refOutcomes))
	case exerciseTopic && g.chance(0.5):
		e.Outcome = v.x(pick(g, exerciseOutcomes))
	default:
		e.Outcome = v.x(pick(g, outcomes))
	}
}

// exchangeState makes the future a draft, the last week either, and most
// of the rest final.
func (g *gen) exchangeState(e *data.Exchange, start time.Time, future bool) {
	switch {
	case future:
		e.State = "draft"
	case g.now.Sub(start) < 7*24*time.Hour:
		e.State = data.ExchangeState(pick(g, []string{"draft", "final"}))
	case g.chance(0.9):
		e.State = "final"
	default:
		e.State = "draft"
	}
}

// rfiDue gives an RFI its due time and status, and an answer unless open.
func (g *gen) rfiDue(e *data.Exchange, v *vars, d, start time.Time, future bool) {
	due := at(d.AddDate(0, 0, g.between(3, 21)), 17, 0)
	e.RFIDue = rfc(due)
	e.Summary += " Answer requested by " + prose(due) + "."
	switch x := g.r.Float64(); {
	case future:
		e.RFIStatus = "open"
	case due.Before(g.now) && x < 0.55, !due.Before(g.now) && x < 0.3:
		e.RFIStatus = "answered"
	case due.Before(g.now) && x < 0.75:
		e.RFIStatus = "closed"
	default:
		e.RFIStatus = "open" // overdue when due has passed
	}
	if e.RFIStatus != "open" {
		answered := earliest(start.Add(time.Duration(g.between(24, 24*14))*time.Hour), g.now)
		v.date = prose(answered)
		e.RFIResponse = v.x(pick(g, rfiResponses))
	}
}

func tagsOf(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// Actions.

// owner names who holds an action: the officer's side ("ours"), the
// counterpart ("theirs", when there is one), or a named owner.
func (g *gen) owner(p *post, v *vars, who string) string {
	switch who {
	case "ours":
		switch x := g.r.Float64(); {
		case x < 0.55:
			return p.lo
		case x < 0.85:
			return p.m.assistant
		case x < 0.95:
			return p.m.hq
		}
		return p.m.attache
	case "theirs":
		if v.cp != "" {
			return v.x("{cp} ({unit})")
		}
		return p.lo
	case "j4":
		return p.m.j4
	}
	return who
}

// actionStatus sets status and done_at of an action due on due, born at
// born, so that past-due actions are mostly done and some are overdue.
func (g *gen) actionStatus(a *data.Action, born, due time.Time) {
	open := data.ActionStatus(pick(g, []string{"open", "open", "in_progress"}))
	x := g.r.Float64()
	switch {
	case born.After(g.now):
		a.Status = "open"
	case due.Before(g.today.AddDate(0, 0, -1)): // past due everywhere
		switch {
		case x < 0.55:
			a.Status = "done"
		case x < 0.65:
			a.Status = "cancelled"
		default:
			a.Status = open // overdue
			if g.chance(0.5) {
				a.Notes = "Reminder sent on " + prose(due.AddDate(0, 0, g.between(1, 5))) + "."
			}
		}
	case x < 0.15:
		a.Status = "done"
	case x < 0.2:
		a.Status = "cancelled"
	default:
		a.Status = open
	}
	if a.Status == "done" {
		limit := earliest(g.now, due.Add(5*24*time.Hour))
		span := limit.Sub(born)
		doneAt := born
		if span > time.Hour {
			doneAt = born.Add(time.Hour + time.Duration(g.r.Int64N(int64(span-time.Hour))))
		}
		a.DoneAt = rfc(doneAt.Truncate(time.Minute))
	}
}

func (g *gen) exchangeActions(p *post, e *data.Exchange, v *vars, start time.Time) []*data.Action {
	var todo []act
	switch {
	case e.Kind == "rfi_out" && e.RFIStatus == "open":
		todo = []act{{"Chase answer to RFI: " + v.topic, "ours"}}
	case e.Kind == "rfi_in" && e.RFIStatus == "open":
		todo = []act{{"Obtain IHQ MoD answer to RFI: " + v.topic, "ours"}}
	case e.IsRFI(), e.Kind == "social", e.Kind == "other":
	case g.chance(0.3):
		pool := exchangeActions
		if e.Kind == "exercise" || strings.Contains(v.topic, v.exercise) { // exercise business
			pool = append(slices.Clone(pool), exerciseActions...)
		}
		todo = []act{pick(g, pool)}
		if a := pick(g, pool); g.chance(0.2) && a != todo[0] {
			todo = append(todo, a)
		}
	}
	var out []*data.Action
	for _, t := range todo {
		d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		due := d.AddDate(0, 0, g.between(2, 28))
		a := &data.Action{ExchangeID: e.ID, Title: clip(v.x(t.title), 200), Owner: g.owner(p, v, t.who), DueOn: date(due)}
		g.actionStatus(a, start, due)
		out = append(out, a)
	}
	return out
}

func clip(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Requests.

// plan is one request and the way through its workflow.
type plan struct {
	p      *post
	req    *data.Request
	target string
	path   []string
	notes  []string
	spa    []byte // patch applied once the order is placed
	v      *vars
}

// targets lists every state of both workflows, so that the first requests
// of a fill cover them all.
func targets() [][2]string {
	var out [][2]string
	for _, dir := range data.RequestDirections {
		for _, s := range data.Statuses(dir) {
			out = append(out, [2]string{dir, string(s)})
		}
	}
	return out
}

// pathTo returns the status changes that take a new request of the
// direction to target, following the workflow (data.NextStatuses):
// mostly the main line, sometimes a detour such as a rejection and a
// second order, or a cancellation from any state.
func (g *gen) pathTo(dir, target string) []string {
	initial := string(data.InitialStatus(dir))
	all := data.StatusNames(dir)
	rankOf := func(s string) int { return data.StatusRank(dir, data.RequestStatus(s)) }
	var walk func(t string, detoured bool, depth int) []string
	walk = func(t string, detoured bool, depth int) []string {
		if t == initial || depth > 3*len(all) {
			return nil
		}
		rank := rankOf(t)
		var lower, loops []string
		for _, s := range all {
			if slices.Contains(data.NextStatuses(dir, data.RequestStatus(s)), data.RequestStatus(t)) {
				if rankOf(s) < rank {
					lower = append(lower, s)
				} else {
					loops = append(loops, s)
				}
			}
		}
		var from string
		switch {
		case len(loops) > 0 && !detoured && g.chance(0.15):
			from, detoured = pick(g, loops), true
		case len(lower) == 0:
			return nil // unreachable from the initial state
		case len(lower) == 1:
			from = lower[0]
		case len(lower) == 2: // the main line (the higher rank) or the alternative
			main, alt := lower[0], lower[1]
			if rankOf(alt) > rankOf(main) {
				main, alt = alt, main
			}
			from = main
			if g.chance(0.2) {
				from = alt
			}
		default: // e.g. cancelled: from anywhere
			from = pick(g, lower)
		}
		return append(walk(from, detoured, depth+1), t)
	}
	return walk(target, false, 0)
}

func (g *gen) requests(ctx context.Context, s *store.Store, from, to int) ([]*data.Action, error) {
	if to <= from {
		return nil, nil
	}
	cover := targets()
	plans := make([]*plan, 0, to-from)
	recs := make([]data.Record, 0, to-from)
	for i := from; i < to; i++ {
		var pl *plan
		if i < len(cover) {
			pl = g.request(g.posts[i%len(g.posts)], cover[i][0], cover[i][1])
		} else {
			dir := data.InToUS
			if g.chance(0.4) {
				dir = data.USToIN
			}
			pl = g.request(g.postByWeight(), dir, g.weighted(data.StatusNames(dir), statusWeights[dir], 3))
		}
		plans = append(plans, pl)
		recs = append(recs, pl.req)
	}
	if _, err := s.Add(ctx, recs...); err != nil {
		return nil, err
	}
	var acts []*data.Action
	for _, pl := range plans {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Date the transitions a few days apart, ending yesterday, so the
		// history reads like weeks of work and "days in this state" varies.
		at := g.today.Add(-12 * time.Hour)
		dates := make([]time.Time, len(pl.path))
		for k := len(pl.path) - 1; k >= 0; k-- {
			dates[k] = at
			at = at.AddDate(0, 0, -g.between(1, 6)).Add(-time.Duration(g.intn(8)) * time.Hour)
		}
		for k, st := range pl.path {
			if err := s.SetStatusAt(ctx, pl.req.ID, data.RequestStatus(st), pl.notes[k], dates[k]); err != nil {
				return nil, fmt.Errorf("%s to %s: %w", pl.req.Ref, st, err)
			}
		}
		if pl.spa != nil {
			if err := s.Update(ctx, "request", pl.req.ID, pl.spa); err != nil {
				return nil, fmt.Errorf("%s: special priorities assistance: %w", pl.req.Ref, err)
			}
		}
		pl.p.refs = append(pl.p.refs, pl.req.Ref)
		acts = append(acts, g.requestActions(pl)...)
	}
	return acts, nil
}

func (g *gen) nsn(fsc string) string {
	if fsc == "" {
		return ""
	}
	return fmt.Sprintf("%s-%02d-%03d-%04d", fsc, g.between(0, 1), g.intn(1000), g.intn(10000))
}

func (g *gen) partNumber() string {
	switch g.intn(4) {
	case 0:
		return fmt.Sprintf("%d%c%05d-%d", g.between(1, 9), 'A'+rune(g.intn(8)), g.intn(100000), g.between(1, 9))
	case 1:
		return fmt.Sprintf("%03d-%05d-%03d", g.intn(1000), g.intn(100000), g.intn(1000))
	case 2:
		return fmt.Sprintf("%dM%04dG%02d", g.between(100, 999), g.intn(10000), g.between(1, 20))
	}
	return fmt.Sprintf("D%d-%04d-%02d", g.between(1000, 9999), g.intn(10000), g.between(1, 12))
}

func reached(path []string, s string) bool { return slices.Contains(path, s) }

// request plans one request of the direction ending in target.
func (g *gen) request(p *post, dir, target string) *plan {
	pr := g.requestProgram(p, dir)
	path := g.pathTo(dir, target)
	if len(path) > 0 {
		target = path[len(path)-1]
	}
	v := g.vars(p, g.today)
	v.user = pick(g, pr.endUsers)
	first, supplier, items := g.requestItems(pr)
	v.supplier, v.item, v.n = supplier, lowerFirst(first.desc), g.between(2, 4)

	// Dates, relative to today: later states were raised longer ago.
	last := data.Statuses(dir)
	frac := float64(data.StatusRank(dir, data.RequestStatus(target))) / float64(data.StatusRank(dir, last[len(last)-1]))
	age := g.between(0, 10)
	if len(path) > 0 {
		age = 10 + int(frac*110) + g.intn(30)
	}
	raised := g.today.AddDate(0, 0, -age)
	requiredBy := raised.AddDate(0, 0, g.between(45, 200))
	v.date = prose(requiredBy)

	r := &data.Request{Direction: dir, Posting: p.code, Program: pr.name, EndUser: v.user,
		Justification: upperFirst(v.x(pr.why)) + " Required by " + prose(requiredBy) + ".",
		RequiredBy:    date(requiredBy), Supplier: supplier,
		Marking: data.Marking{Classification: g.weighted(levels,
			map[string]int{"UNCLASSIFIED": 10, "RESTRICTED": 45, "CONFIDENTIAL": 40, "SECRET": 5}, 0),
			Releasability: []string{"USA", "IND"}},
		BusinessConfidential: g.chance(0.7)}
	delivered := reached(path, "delivered")
	g.requestLines(r, items, target, delivered)
	g.supplierSide(r, pr, first, path, target)
	v.rate = r.Rating
	var orderDay time.Time
	if reached(path, "order_placed") || reached(path, "firm_will_support") {
		orderDay = g.order(r, pr, target, raised, age)
	}
	if reached(path, "supplier_accepted") || reached(path, "firm_will_support") {
		g.acceptance(r, v, target, requiredBy, orderDay, delivered)
	}

	pl := &plan{p: p, req: r, target: target, path: path, v: v}
	g.statusNotes(pl, requiredBy)
	if dir == data.InToUS && reached(path, "order_placed") && target != "cancelled" {
		g.spaCase(pl, orderDay)
	}
	return pl
}

// requestProgram picks a programme of the direction that the posting
// deals with (any of the direction when none does).
func (g *gen) requestProgram(p *post, dir string) program {
	progs := inToUS
	if dir == data.USToIN {
		progs = usToIN
	}
	var fit []program
	for _, pr := range progs {
		if slices.Contains(pr.postings, p.code) {
			fit = append(fit, pr)
		}
	}
	if len(fit) == 0 {
		fit = progs
	}
	return pick(g, fit)
}

// requestItems picks what is asked for: the first item decides the
// supplier; more lines come from the same firm.
func (g *gen) requestItems(pr program) (first item, supplier string, items []item) {
	first = pick(g, pr.items)
	supplier = pick(g, first.suppliers)
	items = []item{first}
	var more []item
	for _, it := range pr.items {
		if it.desc != first.desc && slices.Contains(it.suppliers, supplier) {
			more = append(more, it)
		}
	}
	for k := g.between(0, min(3, len(more))); k > 0 && len(more) > 0; k-- {
		j := g.intn(len(more))
		items = append(items, more[j])
		more = slices.Delete(more, j, j+1)
	}
	return first, supplier, items
}

// requestLines adds a line per item, delivered as far as the target says.
func (g *gen) requestLines(r *data.Request, items []item, target string, delivered bool) {
	for _, it := range items {
		q := g.between(it.min, it.max)
		if q >= 1000 {
			q = q / 500 * 500
		}
		l := data.Line{Description: it.desc, CAGE: cages[r.Supplier], Quantity: float64(q), Unit: it.unit}
		if it.fsc != "" { // a part, not a service
			l.NSN, l.PartNumber = g.nsn(it.fsc), g.partNumber()
		}
		switch {
		case delivered:
			l.DeliveredQuantity = l.Quantity
		case target == "partially_delivered" && len(r.Lines) == 0:
			l.DeliveredQuantity = float64(max(1, q/2)) // the first line is partly in
			if l.DeliveredQuantity == l.Quantity {
				l.DeliveredQuantity = 0
			}
		case target == "partially_delivered" && g.chance(0.5):
			l.DeliveredQuantity = l.Quantity
		}
		r.Lines = append(r.Lines, l)
	}
}

// supplierSide sets the supplier's country and, into the US, the DPAS
// rating once authorised (sometimes before); out of the US, whether the
// firm takes part in the code of conduct.
func (g *gen) supplierSide(r *data.Request, pr program, first item, path []string, target string) {
	if r.Direction == data.InToUS {
		r.SupplierCountry = "USA"
		if reached(path, "rating_authorized") || reached(path, "program_determined") || g.chance(0.4) {
			sym := pr.symbol
			if strings.HasPrefix(first.fsc, "58") || strings.HasPrefix(first.fsc, "59") {
				sym = "A7"
			}
			kind := "DO"
			if g.chance(0.15) {
				kind = "DX"
			}
			r.Rating = kind + "-" + sym
		}
		return
	}
	r.SupplierCountry = "IND"
	r.CoCParticipant = g.weighted([]string{"yes", "unknown", "no"}, map[string]int{"yes": 70, "unknown": 20, "no": 10}, 0)
	if target == "firm_cannot_support" && g.chance(0.5) {
		r.CoCParticipant = "no"
	}
}

// order places the order of a request that got that far, and returns the
// day it was received: a target waiting for acceptance has its clock due
// or overdue.
func (g *gen) order(r *data.Request, pr program, target string, raised time.Time, age int) time.Time {
	var orderDay time.Time
	switch {
	case target == "order_placed":
		// 10 or 15 working days to accept: due from about ten days ago to
		// two weeks ahead, so the dashboard shows some overdue, some soon.
		orderDay = g.today.AddDate(0, 0, -g.between(8, 24))
	case target == "supplier_rejected":
		orderDay = g.today.AddDate(0, 0, -g.between(15, 40))
	default:
		orderDay = raised.AddDate(0, 0, int(float64(age)*0.4))
	}
	orderDay = earliest(orderDay, g.today.AddDate(0, 0, -1))
	r.OrderReceivedOn = date(orderDay)
	r.ContractNumber = fmt.Sprintf("%s-%02d-C-%04d", pr.contract, orderDay.Year()%100, g.intn(10000))
	return orderDay
}

// acceptance sets the promised date of an accepted order, some of them
// delayed.
func (g *gen) acceptance(r *data.Request, v *vars, target string, requiredBy, orderDay time.Time, delivered bool) {
	promised := requiredBy.AddDate(0, 0, g.between(-10, 20))
	switch {
	case target == "supplier_accepted" || target == "in_performance" || target == "partially_delivered":
		if g.chance(0.3) {
			r.Delayed = true
			r.DelayReportedOn = date(latest(orderDay, g.today.AddDate(0, 0, -g.between(0, 12))))
			promised = promised.AddDate(0, 0, g.between(20, 60))
		}
	case delivered && g.chance(0.1):
		r.Delayed = true
		r.DelayReportedOn = date(latest(orderDay, g.today.AddDate(0, 0, -g.between(20, 60))))
	}
	r.PromisedBy = date(promised)
	v.date = prose(promised)
}

// statusNotes writes the note of each step on the request's path.
func (g *gen) statusNotes(pl *plan, requiredBy time.Time) {
	for _, st := range pl.path {
		nv := *pl.v
		if st == "supplier_rejected" || st == "firm_cannot_support" {
			nv.date = prose(requiredBy.AddDate(0, 0, g.between(30, 90)))
		}
		note := ""
		if pool := statusNotes[st]; len(pool) > 0 {
			note = nv.x(pick(g, pool))
		}
		pl.notes = append(pl.notes, note)
	}
}

// spaCase asks, for some placed orders (more of the delayed or rejected),
// for Special Priorities Assistance a few days after the order.
func (g *gen) spaCase(pl *plan, orderDay time.Time) {
	p := 0.2
	if pl.req.Delayed || pl.target == "supplier_rejected" {
		p = 0.5
	}
	if g.chance(p) {
		on := earliest(orderDay.AddDate(0, 0, g.between(3, 20)), g.today)
		pl.spa = fmt.Appendf(nil, `{"spa_case":"SPA-%d-%04d","spa_requested_on":%q}`, on.Year(), g.between(100, 999), date(on))
	}
}

func (g *gen) requestActions(pl *plan) []*data.Action {
	v := pl.v
	v.ref = pl.req.Ref
	todo := slices.Clone(requestActions[pl.target])
	if len(todo) == 0 {
		todo = []act{{"Review {ref}", "ours"}}
	}
	todo = todo[:1+g.intn(len(todo))]
	if pl.req.Delayed {
		todo = append(todo, delayActions...)
	}
	if pl.spa != nil && !data.IsTerminal(pl.req.Direction, data.RequestStatus(pl.target)) {
		todo = append(todo, spaActions...)
	}
	terminal := data.IsTerminal(pl.req.Direction, data.RequestStatus(pl.target))
	var out []*data.Action
	for _, t := range todo {
		a := &data.Action{RequestID: pl.req.ID, Title: clip(v.x(t.title), 200), Owner: g.owner(pl.p, v, t.who)}
		if terminal {
			due := g.today.AddDate(0, 0, -g.between(3, 60))
			a.DueOn, a.Status = date(due), "done"
			if g.chance(0.2) {
				a.Status = "cancelled"
			} else {
				a.DoneAt = rfc(due.Add(-time.Duration(g.between(1, 72)) * time.Hour))
			}
		} else {
			due := g.today.AddDate(0, 0, g.between(-20, 25))
			a.DueOn = date(due)
			g.actionStatus(a, due.AddDate(0, 0, -g.between(5, 20)), due)
		}
		out = append(out, a)
	}
	return out
}
