package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// builder holds what every report's sections are made from.
type builder struct {
	s        *store.Store
	o        Options
	d        *doc
	t        *tally
	postings map[string]data.Posting
	today    string         // YYYY-MM-DD, UTC
	home     *time.Location // Options.HomeZone
	now      time.Time
	contacts map[string]*data.Contact // loaded on first use
}

func build(ctx context.Context, s *store.Store, o Options) (*doc, error) {
	k, err := Lookup(o.Kind, o.Export)
	if err != nil {
		return nil, err
	}
	if err := checkOptions(k, o); err != nil {
		return nil, err
	}
	levels, err := s.Classifications(ctx)
	if err != nil {
		return nil, data.Op("report", "", err)
	}
	c, err := newCeiling(levels, o.Ceiling, o.Rel)
	if err != nil {
		return nil, err
	}
	ps, err := s.Postings(ctx)
	if err != nil {
		return nil, data.Op("report", "", err)
	}
	home, err := data.HomeLocation(o.HomeZone)
	if err != nil {
		return nil, err
	}
	b := &builder{s: s, o: o, t: newTally(c), postings: map[string]data.Posting{}, home: home}
	for _, p := range ps {
		b.postings[p.ID] = p
	}
	if o.Posting != "" {
		if _, ok := b.postings[o.Posting]; !ok {
			return nil, &data.FieldError{Field: "posting", Problem: fmt.Sprintf("%q is not a known posting", o.Posting)}
		}
	}
	b.now = o.Now
	if b.now.IsZero() {
		b.now = s.Now()
	}
	b.today = b.now.UTC().Format(data.DateLayout)
	d := &doc{kind: k, opts: o, title: k.Title, generated: b.now, levels: levels, ceiling: c}
	b.d = d
	d.subtitle = "All postings"
	if p, ok := b.postings[o.Posting]; ok {
		d.subtitle = p.Name + " (" + p.ID + ")"
	}
	d.period = periodText(o.From, o.To)
	if dev, err := s.Device(); err == nil {
		d.officer = dev.Officer
		if dev.Rank != "" {
			d.officer += " (" + dev.Rank + ")"
		}
		d.device = dev.Site.ShortCode()
	}
	var fill func(context.Context) error
	if k.Export {
		fill = map[string]func(context.Context) error{"exchange": b.exportExchanges, "request": b.exportRequests,
			"contact": b.exportContacts, "action": b.exportActions,
			"document": b.exportRegister(data.KindDocument), "gift": b.exportRegister(data.KindGift),
			"visit": b.exportVisits, "accreditation": b.exportAccreditations}[k.Name]
	} else {
		fill = map[string]func(context.Context) error{"weekly": b.weekly, "exchange": b.memorandum, "rfi": b.rfiTracker,
			"requests": b.requestTracker, "command": b.command, "contacts": b.contactRegister, "actions": b.actionList,
			"handover": b.handover, "engagement": b.engagementBrief, "documents": b.documentRegister}[k.Name]
	}
	if err := fill(ctx); err != nil {
		return nil, err
	}
	d.banner, d.marks = b.t.banner(levels), b.t
	for _, sec := range d.sections {
		d.leftOut += sec.leftOut
		if sec.rows != nil {
			d.total += sec.count
		}
	}
	return d, nil
}

func checkOptions(k Kind, o Options) error {
	for _, p := range []struct{ name, v string }{{"from", o.From}, {"to", o.To}} {
		if p.v == "" {
			continue
		}
		if _, err := time.Parse(data.DateLayout, p.v); err != nil {
			return &data.FieldError{Field: p.name, Problem: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", p.v)}
		}
		if !k.Period {
			return &data.FieldError{Field: p.name, Problem: fmt.Sprintf("the %s covers no period", strings.ToLower(k.Title))}
		}
	}
	if o.From != "" && o.To != "" && o.To < o.From {
		return &data.FieldError{Field: "to", Problem: "is before from"}
	}
	switch k.Needs {
	case "period":
		if o.From == "" || o.To == "" {
			return &data.FieldError{Field: "from", Problem: fmt.Sprintf("the %s needs a period: give from and to (YYYY-MM-DD)", strings.ToLower(k.Title))}
		}
	case "id":
		if o.ID == "" {
			return &data.FieldError{Field: "id", Problem: fmt.Sprintf("the %s needs the exchange's id", strings.ToLower(k.Title))}
		}
	}
	if o.ID != "" && k.Needs != "id" {
		return &data.FieldError{Field: "id", Problem: fmt.Sprintf("the %s is not about one record", strings.ToLower(k.Title))}
	}
	return nil
}

// periodText writes a period the way a title block shows it.
func periodText(from, to string) string {
	f, t := proseDate(from), proseDate(to)
	switch {
	case f != "" && t != "":
		return f + " – " + t
	case f != "":
		return "From " + f
	case t != "":
		return "Up to " + t
	}
	return ""
}

func proseDate(v string) string {
	d, err := time.Parse(data.DateLayout, v)
	if err != nil {
		return v
	}
	return d.Format("2 Jan 2006")
}

func (b *builder) add(sec *section) *section {
	b.d.sections = append(b.d.sections, sec)
	return sec
}

// contact returns a contact by id (nil when unknown), loading the register
// once.
func (b *builder) contact(ctx context.Context, id string) (*data.Contact, error) {
	if b.contacts == nil {
		b.contacts = map[string]*data.Contact{}
		err := b.s.List(ctx, "contact", data.ListFilter{}, func(r data.Record) error {
			c := r.(*data.Contact)
			b.contacts[c.ID] = c
			return nil
		})
		if err != nil {
			return nil, data.Op("report", "", err)
		}
	}
	return b.contacts[id], nil
}

// counterpartNames writes an exchange's counterparts as "RANK Name, ...".
func (b *builder) counterpartNames(ctx context.Context, ids []string) (string, error) {
	var names []string
	for _, id := range ids {
		c, err := b.contact(ctx, id)
		if err != nil {
			return "", err
		}
		if c == nil {
			names = append(names, "(unknown contact)")
			continue
		}
		names = append(names, strings.TrimSpace(c.Rank+" "+c.Name))
	}
	return strings.Join(names, "; "), nil
}

// zone is the time zone an exchange is shown in: its own, else its
// posting's, else UTC.
func (b *builder) zone(e *data.Exchange) *time.Location {
	for _, name := range []string{e.TimeZone, b.postings[e.Posting].TimeZone} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// localTime reads an RFC 3339 time into a zone; zero when empty or bad.
func localTime(v string, loc *time.Location) time.Time {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}
	}
	return t.In(loc)
}

// slice returns a rows function over rows held in memory.
func slice(rows []row) func(context.Context, emitFunc) error {
	return func(ctx context.Context, emit emitFunc) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}
}

func markingOf(m data.Marking) *data.Marking { return &m }

// markText is a record's marking as its table column shows it.
func markText(m data.Marking) string {
	if m.Classification == "" {
		return ""
	}
	return m.Text()
}

// humanise turns a code into words: briefing_given → briefing given,
// rfi_out → RFI out, vtc → VTC.
func humanise[S ~string](v S) string {
	words := strings.Split(string(v), "_")
	for i, w := range words {
		switch w {
		case "rfi", "vtc":
			words[i] = strings.ToUpper(w)
		case "dod", "mod":
			words[i] = strings.ToUpper(w[:1]) + "o" + strings.ToUpper(w[2:])
		}
	}
	return strings.Join(words, " ")
}

// workingDaysBetween counts working days after a and up to b (negative
// when b is before a).
func workingDaysBetween(a, b time.Time) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if data.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

func daysBetween(a, b string) (int, bool) {
	x, err1 := time.Parse(data.DateLayout, a)
	y, err2 := time.Parse(data.DateLayout, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(y.Sub(x).Hours() / 24), true
}
