package report

// Continuity (issue 14 item 8): what a successor needs to carry on that
// the open actions and requests do not say: the meetings and forums that
// recur, and the officer's accreditation, whose reference documents are
// attached to it and travel in the handover pack.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"liaisondesk/data"
)

// recurringWindow is how far back a handover looks for meetings that
// recur: long enough to see a monthly forum three times.
const recurringWindow = 180 * 24 * time.Hour

// recurringTags mark an exchange as one of a series even when the window
// holds it only once (a quarterly forum).
var recurringTags = []string{"recurring", "forum"}

// meetingKinds are the exchanges a series is made of: an e-mail, a social
// event or an exercise whose title repeats is not a meeting a successor
// attends.
var meetingKinds = []string{"meeting", "briefing_given", "briefing_received", "call", "vtc", "conference"}

var recurringCol = []column{
	{key: "series", title: "Meeting or forum", width: 3, wrap: true},
	colPosting,
	{key: "kind", title: "Kind", width: 1.2},
	{key: "location", title: "Where", width: 2, wrap: true},
	{key: "held", title: "Held", typ: numCol, width: 0.7},
	{key: "cadence", title: "Cadence", width: 1.3},
	{key: "last", title: "Last held", typ: dateCol, width: 1.1},
	{key: "next", title: "Next planned", typ: dateCol, width: 1.1},
	colMarking,
}

// seriesKey is an exchange title with dates, numbers and punctuation
// taken out, so "J4 weekly review 12 Nov" and "J4 weekly review 19 Nov"
// are one series.
func seriesKey(title string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(title) {
		switch {
		case unicode.IsLetter(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		default:
			space = true
		}
	}
	key := b.String()
	for _, month := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		key = strings.TrimSuffix(key, " "+month)
	}
	return key
}

// cadence names the typical gap between meetings of a series.
func cadence(days []time.Time) string {
	if len(days) < 2 {
		return "—"
	}
	gaps := make([]float64, 0, len(days)-1)
	for i := 1; i < len(days); i++ {
		gaps = append(gaps, days[i].Sub(days[i-1]).Hours()/24)
	}
	slices.Sort(gaps)
	median := gaps[len(gaps)/2]
	switch {
	case median >= 5 && median <= 9:
		return "weekly"
	case median >= 12 && median <= 16:
		return "fortnightly"
	case median >= 26 && median <= 35:
		return "monthly"
	case median >= 80 && median <= 100:
		return "quarterly"
	}
	return fmt.Sprintf("every %.0f days", median)
}

// series is the exchanges of one recurring meeting or forum.
type series struct {
	latest   *data.Exchange // the last one held
	held     []time.Time
	next     string // the date of the next planned one, or ""
	markings []data.Marking
	tagged   bool
}

// recurring lists the meetings and forums that recur at the handover's
// posting: a title (less its dates and numbers) held at least twice in
// the 180 days before the period's end, or tagged recurring or forum,
// with the next one planned.
func (b *builder) recurring(ctx context.Context) error {
	sec := &section{name: "recurring_meetings", title: "Recurring meetings and forums",
		note:  "Meetings, briefings, calls and conferences held at least twice in the 180 days before the period's end, or tagged recurring or forum, with the next one planned.",
		empty: "No recurring meetings or forums.", columns: recurringCol}
	end := b.now.UTC()
	if t, err := time.Parse(data.DateLayout, b.o.To); err == nil {
		end = t.Add(24 * time.Hour)
	}
	from := end.Add(-recurringWindow).Format(data.DateLayout)
	all := map[string]*series{}
	var order []string
	err := b.s.ReportExchanges(ctx, data.ExchangeQuery{Posting: b.o.Posting, From: from}, func(e *data.Exchange) error {
		if e.State == data.StateCancelled || !slices.Contains(meetingKinds, e.Kind) {
			return nil
		}
		key := seriesKey(e.Title)
		if key == "" {
			return nil
		}
		s := all[key]
		if s == nil {
			s = &series{}
			all[key] = s
			order = append(order, key)
		}
		s.markings = append(s.markings, e.Marking)
		for _, t := range e.Tags {
			s.tagged = s.tagged || slices.Contains(recurringTags, strings.ToLower(t))
		}
		at, err := time.Parse(time.RFC3339, e.OccurredAt)
		if err != nil {
			return nil
		}
		switch {
		case e.State == data.StatePlanned || e.State == data.StatePostponed:
			if day := at.UTC().Format(data.DateLayout); day >= b.today && (s.next == "" || day < s.next) {
				s.next = day
			}
		case at.Before(end):
			s.held = append(s.held, at)
			c := *e // ReportExchanges reuses e
			s.latest = &c
		}
		return nil
	})
	if err != nil {
		return err
	}
	var rows []row
	for _, key := range order {
		s := all[key]
		if s.latest == nil || (len(s.held) < 2 && !s.tagged) {
			continue
		}
		slices.SortFunc(s.held, func(x, y time.Time) int { return x.Compare(y) })
		// A row is a series, marked at the highest of its meetings: the
		// ceiling keeps or leaves out the whole row.
		banner := data.ComputeBanner(b.d.levels, s.markings)
		m := data.Marking{Classification: banner.Classification.ID, Releasability: banner.Releasability}
		if !b.t.keep(sec, m) {
			continue
		}
		e := s.latest
		rows = append(rows, row{cells: []any{e.Title, e.Posting, string(e.Kind), e.Location, len(s.held), cadence(s.held),
			s.held[len(s.held)-1].UTC().Format(data.DateLayout), s.next, markText(m)}, marking: &m})
	}
	slices.SortStableFunc(rows, func(x, y row) int { return strings.Compare(x.cells[0].(string), y.cells[0].(string)) })
	sec.rows = slice(rows)
	b.add(sec)
	return nil
}

// accreditation adds the officer's accreditation: the papers a successor
// must renew or replace, and the dates they run out. Its attached files
// (the certification, the DDL) are covered by the pack.
func (b *builder) accreditation(ctx context.Context) (int, error) {
	sec := &section{name: "accreditation", title: "Accreditation", empty: "No accreditation recorded for this officer."}
	dev, err := b.s.Device()
	if err != nil {
		return 0, err
	}
	var mine []*data.Accreditation
	err = b.s.List(ctx, data.KindAccreditation, data.ListFilter{}, func(r data.Record) error {
		if a := r.(*data.Accreditation); a.Officer == dev.Officer {
			mine = append(mine, a)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	b.add(sec)
	cats := map[string]string{}
	if stored, err := b.s.NDPCategories(ctx); err == nil {
		for _, c := range stored {
			cats[c.ID] = c.ID + " " + c.Name
		}
	}
	for i, a := range mine {
		if i > 0 {
			sec = b.add(&section{name: fmt.Sprintf("accreditation_%d", i+1), title: "Accreditation (recorded apart)"})
		}
		var named []string
		for _, c := range a.DDLCategories {
			named = append(named, orElse(cats[c], c))
		}
		sec.fields = []field{
			{"Officer", a.Officer},
			{"Certified by", a.CertifyingCommand},
			{"Certified", periodText(a.StartsOn, a.EndsOn)},
			{"Functions", a.Functions},
			{"Contact officer", a.ContactOfficer},
			{"Foreign disclosure officer", a.ForeignDisclosureOfficer},
			{"DDL ceiling", a.DDLCeiling},
			{"DDL methods", strings.Join(a.DDLMethods, ", ")},
			{"DDL categories", strings.Join(named, "; ")},
			{"DDL limitations", a.DDLLimitations},
			{"DDL review", a.DDLReviewOn},
			{"Extended visit authorization", evaText(a)},
			{"Badge expires", a.BadgeExpiresOn},
		}
		b.d.covered = append(b.d.covered, covered{data.KindAccreditation, a.ID, "accreditation of " + a.Officer + " (" + a.ID + ")", data.Marking{}})
	}
	return len(mine), nil
}

// orElse is a, or b when a is empty.
func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// evaText is the extended visit authorization as one line.
func evaText(a *data.Accreditation) string {
	switch {
	case a.EVANumber != "" && a.EVAEndsOn != "":
		return a.EVANumber + ", until " + a.EVAEndsOn
	case a.EVAEndsOn != "":
		return "until " + a.EVAEndsOn
	}
	return a.EVANumber
}
