package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// ---- columns shared by several reports ----

var (
	colMarking  = column{key: "marking", title: "Marking", width: 2.4, wrap: true}
	colPosting  = column{key: "posting", title: "Posting", width: 1.3}
	exchangeCol = []column{
		{key: "when", title: "When (local)", typ: timeCol, width: 1.6},
		{key: "home_time", title: "When (home)", typ: timeCol, width: 1.6}, // titled with the home city by weeklyExchangeCol
		colPosting,
		{key: "kind", title: "Kind", width: 1.4},
		{key: "title", title: "Title", width: 3.6, wrap: true},
		{key: "counterparts", title: "Counterparts", width: 3.2, wrap: true},
		colMarking,
	}
	outcomeCol = []column{
		{key: "date", title: "Date", typ: dateCol, width: 1.1},
		colPosting,
		{key: "title", title: "Exchange", width: 3, wrap: true},
		{key: "outcome", title: "Outcome", width: 6, wrap: true},
		colMarking,
	}
	rfiCol = []column{
		{key: "raised", title: "Raised", typ: dateCol, width: 1.2},
		colPosting,
		{key: "direction", title: "Dir", width: 0.6},
		{key: "title", title: "Title", width: 2.6, wrap: true},
		{key: "question", title: "Question", width: 3.2, wrap: true},
		{key: "due", title: "Due", typ: dateCol, width: 1.2},
		{key: "status", title: "Status", width: 1},
		{key: "days_overdue", title: "Days overdue", typ: numCol, width: 1},
		{key: "response", title: "Response", width: 3, wrap: true},
		colMarking,
	}
	requestCol = []column{
		{key: "ref", title: "Ref", width: 41.5},
		{key: "direction", title: "Dir", width: 9.5},
		{key: "program", title: "Programme", width: 21.5, wrap: true}, // holds "aerostructures"
		{key: "rating", title: "Rating", width: 11.5},
		{key: "status", title: "Status", width: 21, wrap: true},
		{key: "required_by", title: "Required", typ: dateCol, width: 15.5},
		{key: "promised_by", title: "Promised", typ: dateCol, width: 15.5},
		{key: "slip_days", title: "Slip (d)", typ: numCol, width: 9},
		{key: "acceptance_due", title: "Accept by", typ: dateCol, width: 15.5},
		{key: "acceptance_clock", title: "Acceptance clock", width: 23, wrap: true},
		{key: "spa", title: "SPA", width: 21.5, wrap: true}, // holds "SPA-2026-0920"
		{key: "days_in_state", title: "Days in state", typ: numCol, width: 10},
		{key: "last_action", title: "Last action", width: 29, wrap: true},
		{key: "marking", title: "Marking", width: 29.5, wrap: true},
	}
	actionCol = []column{
		{key: "owner", title: "Owner", width: 2, wrap: true},
		{key: "due_on", title: "Due", typ: dateCol, width: 1.2},
		{key: "status", title: "Status", width: 1.1},
		{key: "days_overdue", title: "Days overdue", typ: numCol, width: 1},
		{key: "title", title: "Action", width: 4, wrap: true},
		{key: "source", title: "Born in", width: 3, wrap: true},
		colPosting,
		colMarking,
	}
	contactCol = []column{
		{key: "name", title: "Name", width: 2.2, wrap: true},
		{key: "rank", title: "Rank", width: 1.25},
		{key: "appointment", title: "Appointment", width: 2.55, wrap: true},
		{key: "organisation", title: "Organisation", width: 2, wrap: true},
		{key: "directorate", title: "Dir.", width: 0.7},
		{key: "nation", title: "Nation", width: 0.7}, // holds its header
		{key: "email", title: "Email", width: 2.6, wrap: true},
		{key: "phone", title: "Phone", width: 1.4},
		{key: "exchanges", title: "Exchanges", typ: numCol, width: 1},
		{key: "last_contact", title: "Last contact", typ: dateCol, width: 1.2},
	}
	changeCol = []column{
		{key: "at", title: "When (UTC)", typ: timeCol, width: 1.6},
		{key: "ref", title: "Request", width: 2.4},
		{key: "program", title: "Programme", width: 1.3},
		{key: "from", title: "From", width: 1.6, wrap: true},
		{key: "to", title: "To", width: 1.6, wrap: true},
		{key: "by", title: "By", width: 1.6, wrap: true},
		{key: "note", title: "Note", width: 3, wrap: true},
		colMarking,
	}
)

// ---- rows ----

func (b *builder) exchangeRow(ctx context.Context, e *data.Exchange) (row, error) {
	names, err := b.counterpartNames(ctx, e.Counterparts)
	if err != nil {
		return row{}, err
	}
	at := localTime(e.OccurredAt, b.zone(e))
	home := at
	if !at.IsZero() {
		home = at.In(b.home)
	}
	return row{cells: []any{at, home, e.Posting, humanise(e.Kind), e.Title, names, markText(e.Marking)},
		marking: markingOf(e.Marking)}, nil
}

// weeklyExchangeCol is exchangeCol with its home-time column titled with
// the home city: "When (New Delhi)".
func (b *builder) weeklyExchangeCol() []column {
	cols := slices.Clone(exchangeCol)
	for i := range cols {
		if cols[i].key == "home_time" {
			cols[i].title = "When (" + data.ZoneCity(b.home) + ")"
		}
	}
	return cols
}

func (b *builder) outcomeRow(e *data.Exchange) row {
	return row{cells: []any{localDate(e.OccurredAt, b.zone(e)), e.Posting, e.Title, e.Outcome, markText(e.Marking)}, marking: markingOf(e.Marking)}
}

func localDate(v string, loc *time.Location) string {
	t := localTime(v, loc)
	if t.IsZero() {
		return ""
	}
	return t.Format(data.DateLayout)
}

func (b *builder) rfiRow(e *data.Exchange) row {
	loc := b.zone(e)
	var overdue any
	if e.RFIStatus == data.RFIOpen && e.RFIDue != "" {
		if due := localTime(e.RFIDue, time.UTC); !due.IsZero() && due.Before(b.now) {
			overdue = int(b.now.Sub(due).Hours() / 24)
		}
	}
	dir := "out"
	if e.Kind == "rfi_in" {
		dir = "in"
	}
	return row{cells: []any{localDate(e.OccurredAt, loc), e.Posting, dir, e.Title, e.RFIQuestion, localDate(e.RFIDue, loc),
		e.RFIStatus, overdue, e.RFIResponse, markText(e.Marking)}, marking: markingOf(e.Marking)}
}

// acceptanceClock says where a placed order's DPAS acceptance clock
// stands, in working days.
func acceptanceClock(r *data.Request, today time.Time) string {
	if r.AcceptanceDue == "" {
		return ""
	}
	due, err := time.Parse(data.DateLayout, r.AcceptanceDue)
	if err != nil {
		return ""
	}
	rank := data.StatusRank(r.Direction, r.Status)
	switch {
	case r.Status == data.StatusOrderPlaced:
		n := workingDaysBetween(today, due)
		switch {
		case n < 0:
			return fmt.Sprintf("OVERDUE %d wd", -n)
		case n == 0:
			return "due today"
		}
		return fmt.Sprintf("due in %d wd", n)
	case r.Status == "supplier_rejected":
		return "rejected"
	case rank > data.StatusRank(data.InToUS, data.StatusOrderPlaced) && r.Status != data.StatusCancelled:
		return "accepted"
	}
	return ""
}

func (b *builder) requestRow(r *data.Request, today time.Time) row {
	// Who is asked: the US (India's request) or India. Noto Sans as
	// embedded has no arrows.
	dir := "to US"
	if r.Direction == data.USToIN {
		dir = "to IN"
	}
	var slip any
	if n, ok := daysBetween(r.RequiredBy, r.PromisedBy); ok {
		slip = n
	}
	spa := ""
	switch {
	case r.SPACase != "":
		spa = r.SPACase
	case r.SPARequestedOn != "":
		spa = "requested " + r.SPARequestedOn
	}
	var inState any
	last := ""
	if n := len(r.History); n > 0 {
		h := r.History[n-1]
		if at := localTime(h.At, time.UTC); !at.IsZero() {
			inState = max(0, int(today.Sub(at.Truncate(24*time.Hour)).Hours()/24))
			last = at.Format(data.DateLayout) + " " + humanise(h.To)
		}
		if h.Note != "" {
			last += ": " + h.Note
		}
	}
	status := humanise(r.Status)
	if r.Delayed {
		status += " (delayed"
		if r.DelayConfirmDue != "" {
			status += ", confirm by " + r.DelayConfirmDue
		}
		status += ")"
	}
	return row{cells: []any{r.Ref, dir, r.Program, r.Rating, status, r.RequiredBy, r.PromisedBy, slip, r.AcceptanceDue,
		acceptanceClock(r, today), spa, inState, last, markText(r.Marking)}, marking: markingOf(r.Marking)}
}

func (b *builder) actionRow(a *data.ReportAction) row {
	var overdue any
	if a.Overdue(b.today) {
		if n, ok := daysBetween(a.DueOn, b.today); ok {
			overdue = n
		}
	}
	return row{cells: []any{a.Owner, a.DueOn, humanise(a.Status), overdue, a.Title, a.Source, a.Posting, markText(a.Marking)},
		marking: markingOf(a.Marking)}
}

func (b *builder) changeRow(c *data.ReportStatusChange) row {
	return row{cells: []any{localTime(c.At, time.UTC), c.Ref, c.Program, humanise(c.From), humanise(c.To), c.By, c.Note, markText(c.Marking)},
		marking: markingOf(c.Marking)}
}

// ---- loading with the ceiling ----

// exchanges reads exchanges into memory, keeping those the ceiling allows
// and that pass keep (nil: all) into sec's count.
func (b *builder) exchanges(ctx context.Context, q data.ExchangeQuery, sec *section, keep func(*data.Exchange) bool) ([]*data.Exchange, error) {
	var out []*data.Exchange
	err := b.s.ReportExchanges(ctx, q, func(e *data.Exchange) error {
		if keep != nil && !keep(e) {
			return nil
		}
		if b.t.keep(sec, e.Marking) {
			c := *e // ReportExchanges reuses e
			out = append(out, &c)
		}
		return nil
	})
	return out, err
}

func (b *builder) actions(ctx context.Context, q data.ActionQuery, sec *section, keep func(*data.ReportAction) bool) ([]*data.ReportAction, error) {
	var out []*data.ReportAction
	err := b.s.ReportActions(ctx, q, func(a *data.ReportAction) error {
		if keep != nil && !keep(a) {
			return nil
		}
		if b.t.keep(sec, a.Marking) {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

func (b *builder) requests(ctx context.Context, q data.RequestQuery, sec *section) ([]*data.Request, error) {
	var out []*data.Request
	err := b.s.ReportRequests(ctx, q, func(r *data.Request) error {
		if b.t.keep(sec, r.Marking) {
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// sortRequests orders a tracker the DPAS way: DX before DO before
// unrated, then the earliest required date.
func sortRequests(rs []*data.Request) {
	slices.SortStableFunc(rs, func(a, b *data.Request) int {
		if d := data.RatingPriority(b.Rating) - data.RatingPriority(a.Rating); d != 0 {
			return d
		}
		return strings.Compare(a.RequiredBy, b.RequiredBy)
	})
}

// sortRFIs puts open RFIs first, the most overdue at the top, then those
// answered and closed.
func sortRFIs(es []*data.Exchange) {
	rank := map[data.RFIStatus]int{data.RFIOpen: 0, data.RFIAnswered: 1, data.RFIClosed: 2}
	slices.SortStableFunc(es, func(a, b *data.Exchange) int {
		if d := rank[a.RFIStatus] - rank[b.RFIStatus]; d != 0 {
			return d
		}
		ad, bd := a.RFIDue, b.RFIDue
		if ad == "" {
			ad = "9999"
		}
		if bd == "" {
			bd = "9999"
		}
		if c := strings.Compare(ad, bd); c != 0 {
			return c
		}
		return strings.Compare(a.OccurredAt, b.OccurredAt)
	})
}

func (b *builder) rows(ctx context.Context, es []*data.Exchange, f func(*data.Exchange) row) []row {
	out := make([]row, len(es))
	for i, e := range es {
		out[i] = f(e)
	}
	return out
}

func (b *builder) todayTime() time.Time {
	t, _ := time.Parse(data.DateLayout, b.today)
	return t
}

// ---- the reports ----

func (b *builder) weekly(ctx context.Context) error {
	o := b.o
	figures := b.add(&section{name: "summary", title: "Summary"})
	exSec := &section{name: "exchanges", title: "Exchanges", note: "In the order they happened; times in the posting's zone and in " + data.ZoneCity(b.home) + ".",
		empty: "No exchanges in this period.", columns: b.weeklyExchangeCol()}
	exs, err := b.exchanges(ctx, data.ExchangeQuery{Posting: o.Posting, From: o.From, To: o.To}, exSec, nil)
	if err != nil {
		return err
	}
	var exRows []row
	for _, e := range exs {
		r, err := b.exchangeRow(ctx, e)
		if err != nil {
			return err
		}
		exRows = append(exRows, r)
	}
	exSec.rows = slice(exRows)
	b.add(exSec)

	outSec := b.add(&section{name: "key_outcomes", title: "Key outcomes", empty: "No outcomes recorded in this period.", columns: outcomeCol})
	var outRows []row
	for _, e := range exs {
		if strings.TrimSpace(e.Outcome) != "" {
			outRows = append(outRows, b.outcomeRow(e))
		}
	}
	outSec.rows, outSec.count = slice(outRows), len(outRows)

	rfiSec := &section{name: "rfis", title: "Requests for information", note: "Raised in the period, and every RFI still open.",
		empty: "No RFIs raised or open.", columns: rfiCol}
	rfis, err := b.exchanges(ctx, data.ExchangeQuery{Posting: o.Posting, From: o.From, To: o.To, RFIOnly: true, OpenRFIs: true}, rfiSec, nil)
	if err != nil {
		return err
	}
	sortRFIs(rfis)
	rfiSec.rows = slice(b.rows(ctx, rfis, b.rfiRow))
	b.add(rfiSec)

	chSec := b.add(&section{name: "request_status_changes", title: "Request status changes", empty: "No request changed status in this period.", columns: changeCol})
	var chRows []row
	err = b.s.ReportStatusChanges(ctx, data.StatusChangeQuery{Posting: o.Posting, From: o.From, To: o.To}, func(c *data.ReportStatusChange) error {
		if b.t.keep(chSec, c.Marking) {
			chRows = append(chRows, b.changeRow(c))
		}
		return nil
	})
	if err != nil {
		return err
	}
	chSec.rows = slice(chRows)

	actSec := b.add(&section{name: "actions_due", title: "Actions due", note: "Due in the period, and still-open actions already overdue.",
		empty: "No actions due.", columns: actionCol})
	acts, err := b.actions(ctx, data.ActionQuery{Posting: o.Posting, From: o.From, To: o.To, OpenToo: true}, actSec, func(a *data.ReportAction) bool {
		return (a.DueOn >= o.From && a.DueOn <= o.To) || (a.DueOn != "" && a.DueOn < o.From && a.Overdue(b.today))
	})
	if err != nil {
		return err
	}
	var actRows []row
	overdue := 0
	for _, a := range acts {
		actRows = append(actRows, b.actionRow(a))
		if a.Overdue(b.today) {
			overdue++
		}
	}
	actSec.rows = slice(actRows)

	kinds := map[string]int{}
	for _, e := range exs {
		kinds[humanise(e.Kind)]++
	}
	opened, answered := 0, 0
	for _, e := range rfis {
		if e.OccurredAt >= o.From && e.OccurredAt[:min(10, len(e.OccurredAt))] <= o.To {
			opened++
		}
		if e.RFIStatus != data.RFIOpen {
			answered++
		}
	}
	figures.fields = []field{
		{"Exchanges", fmt.Sprintf("%d%s", len(exs), kindBreakdown(kinds))},
		{"Key outcomes recorded", fmt.Sprint(len(outRows))},
		{"RFIs raised in the period", fmt.Sprint(opened)},
		{"RFIs answered or closed", fmt.Sprint(answered)},
		{"RFIs open", fmt.Sprint(len(rfis) - answered)},
		{"Request status changes", fmt.Sprint(len(chRows))},
		{"Actions due", fmt.Sprintf("%d (%d overdue)", len(acts), overdue)},
	}
	return nil
}

func kindBreakdown(kinds map[string]int) string {
	if len(kinds) == 0 {
		return ""
	}
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := kinds[b] - kinds[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", kinds[k], k)
	}
	return ": " + strings.Join(parts, ", ")
}

func (b *builder) rfiTracker(ctx context.Context) error {
	o := b.o
	sec := &section{name: "rfis", title: "Requests for information", empty: "No RFIs.", columns: rfiCol,
		note: "Open RFIs first, the most overdue at the top, then those answered and closed."}
	if o.From != "" || o.To != "" {
		sec.note = "Raised in the period, and every RFI still open. " + sec.note
	}
	rfis, err := b.exchanges(ctx, data.ExchangeQuery{Posting: o.Posting, From: o.From, To: o.To, RFIOnly: true, OpenRFIs: true}, sec, nil)
	if err != nil {
		return err
	}
	sortRFIs(rfis)
	sec.rows = slice(b.rows(ctx, rfis, b.rfiRow))
	open, overdue, answered := 0, 0, 0
	for _, e := range rfis {
		switch {
		case e.RFIStatus == data.RFIOpen:
			open++
			if e.RFIDue != "" && localTime(e.RFIDue, time.UTC).Before(b.now) {
				overdue++
			}
		default:
			answered++
		}
	}
	b.add(&section{name: "summary", title: "Summary", fields: []field{{"Open", fmt.Sprint(open)}, {"of which overdue", fmt.Sprint(overdue)},
		{"Answered or closed", fmt.Sprint(answered)}}})
	b.add(sec)
	return nil
}

func (b *builder) requestTracker(ctx context.Context) error {
	o := b.o
	sec := &section{name: "requests", title: "Requests", empty: "No requests.", columns: requestCol,
		note: "DX before DO before unrated, then by required date. wd = working days (15 CFR 700.13(d): 15 for DO, 10 for DX)."}
	reqs, err := b.requests(ctx, data.RequestQuery{Posting: o.Posting, ActiveFrom: o.From}, sec)
	if err != nil {
		return err
	}
	sortRequests(reqs)
	today := b.todayTime()
	var rows []row
	due, late, spa, delayed := 0, 0, 0, 0
	for _, r := range reqs {
		rows = append(rows, b.requestRow(r, today))
		c := acceptanceClock(r, today)
		switch {
		case strings.HasPrefix(c, "OVERDUE"):
			late++
		case strings.HasPrefix(c, "due"):
			due++
		}
		if r.SPACase != "" || r.SPARequestedOn != "" {
			spa++
		}
		if r.Delayed {
			delayed++
		}
	}
	sec.rows = slice(rows)
	b.add(&section{name: "summary", title: "Summary", fields: []field{{"Requests", fmt.Sprint(len(reqs))},
		{"Acceptance clocks running", fmt.Sprint(due)}, {"Acceptance overdue", fmt.Sprint(late)},
		{"Special Priorities Assistance", fmt.Sprint(spa)}, {"Delayed", fmt.Sprint(delayed)}}})
	b.add(sec)
	b.d.ics = &icsSource{items: func(ctx context.Context, emit func(icsItem) error) error {
		for _, r := range reqs {
			for _, it := range requestEvents(r) {
				if err := emit(it); err != nil {
					return err
				}
			}
		}
		return nil
	}}
	return nil
}

func (b *builder) actionList(ctx context.Context) error {
	o := b.o
	sec := b.add(&section{name: "actions", title: "Actions", empty: "No actions.", columns: actionCol,
		note: "By owner, then due date. Actions are marked as the exchange or request they were born in."})
	q := data.ActionQuery{Posting: o.Posting, From: o.From, To: o.To, OpenToo: o.From != "" || o.To != ""}
	if q.OpenToo {
		sec.note = "Due in the period, and every action still to do. " + sec.note
	}
	counts, err := b.s.ReportActionMarkings(ctx, q)
	if err != nil {
		return err
	}
	b.t.addCounts(sec, counts)
	c := b.t.c
	stream := func(ctx context.Context, fn func(*data.ReportAction) error) error {
		return b.s.ReportActions(ctx, q, func(a *data.ReportAction) error {
			if !c.allows(a.Marking) {
				return nil
			}
			return fn(a)
		})
	}
	sec.rows = func(ctx context.Context, emit emitFunc) error {
		return stream(ctx, func(a *data.ReportAction) error { return emit(b.actionRow(a)) })
	}
	b.d.ics = &icsSource{items: func(ctx context.Context, emit func(icsItem) error) error {
		return stream(ctx, func(a *data.ReportAction) error {
			if it, ok := actionTodo(a); ok {
				return emit(it)
			}
			return nil
		})
	}}
	return nil
}

// contactRows builds the register: everyone, or with a posting only those
// its exchanges met. Exchanges and last contact count only the exchanges
// the ceiling allows, and their markings go into the banner.
func (b *builder) contactRows(ctx context.Context, sec *section) ([]row, error) {
	var rows []row
	err := b.s.ReportContacts(ctx, func(c *data.ReportContact) error {
		n, last := 0, ""
		var seen []data.Marking
		for _, m := range c.Met {
			if b.o.Posting != "" && m.Posting != b.o.Posting {
				continue
			}
			if !b.t.c.allows(m.Marking) {
				continue
			}
			n += m.Count
			last = max(last, m.Last)
			seen = append(seen, m.Marking)
		}
		if b.o.Posting != "" && n == 0 {
			return nil
		}
		b.t.keep(sec, data.Marking{})
		for _, m := range seen {
			b.t.note(m)
		}
		lastDay := ""
		if len(last) >= 10 {
			lastDay = last[:10]
		}
		rows = append(rows, row{cells: []any{c.Name, c.Rank, c.Appointment, c.Organisation, c.Directorate, c.Nation, c.Email, c.Phone, n, lastDay},
			marking: &data.Marking{}})
		return nil
	})
	return rows, err
}

func (b *builder) contactRegister(ctx context.Context) error {
	sec := b.add(&section{name: "contacts", title: "Counterparts", empty: "No counterparts.", columns: contactCol,
		note: "Exchanges and last contact count the exchanges this report may show."})
	if b.o.Posting != "" {
		sec.note = "Counterparts met by " + b.o.Posting + ". " + sec.note
	}
	rows, err := b.contactRows(ctx, sec)
	if err != nil {
		return err
	}
	sec.rows = slice(rows)
	return nil
}

func (b *builder) handover(ctx context.Context) error {
	o := b.o
	figures := b.add(&section{name: "summary", title: "Summary"})
	actSec := b.add(&section{name: "open_actions", title: "Open actions", empty: "No open actions.", columns: actionCol})
	acts, err := b.actions(ctx, data.ActionQuery{Posting: o.Posting, OpenOnly: true}, actSec, nil)
	if err != nil {
		return err
	}
	var actRows []row
	for _, a := range acts {
		actRows = append(actRows, b.actionRow(a))
	}
	actSec.rows = slice(actRows)

	reqSec := b.add(&section{name: "open_requests", title: "Open priority-support requests", empty: "No open requests.", columns: requestCol})
	reqs, err := b.requests(ctx, data.RequestQuery{Posting: o.Posting, OpenOnly: true}, reqSec)
	if err != nil {
		return err
	}
	sortRequests(reqs)
	today := b.todayTime()
	var reqRows []row
	for _, r := range reqs {
		reqRows = append(reqRows, b.requestRow(r, today))
	}
	reqSec.rows = slice(reqRows)

	conSec := b.add(&section{name: "counterparts", title: "Counterpart register", empty: "No counterparts.", columns: contactCol})
	conRows, err := b.contactRows(ctx, conSec)
	if err != nil {
		return err
	}
	conSec.rows = slice(conRows)

	keySec := &section{name: "key_records", title: "Key records of the period", note: "Exchanges with a recorded outcome, and RFIs, in the order they happened.",
		empty: "No key records in this period.", columns: outcomeCol}
	keys, err := b.exchanges(ctx, data.ExchangeQuery{Posting: o.Posting, From: o.From, To: o.To}, keySec, func(e *data.Exchange) bool {
		return strings.TrimSpace(e.Outcome) != "" || e.IsRFI()
	})
	if err != nil {
		return err
	}
	var keyRows []row
	for _, e := range keys {
		r := b.outcomeRow(e)
		if e.IsRFI() && strings.TrimSpace(e.Outcome) == "" {
			r.cells[3] = "RFI (" + string(e.RFIStatus) + "): " + e.RFIQuestion
		}
		keyRows = append(keyRows, r)
	}
	keySec.rows = slice(keyRows)
	b.add(keySec)
	if err := b.recurring(ctx); err != nil { // handover_continuity.go
		return err
	}
	nAcc, err := b.accreditation(ctx)
	if err != nil {
		return err
	}
	b.cover(acts, reqs, keys)

	overdue := 0
	for _, a := range acts {
		if a.Overdue(b.today) {
			overdue++
		}
	}
	figures.fields = []field{
		{"Open actions", fmt.Sprintf("%d (%d overdue)", len(acts), overdue)},
		{"Open requests", fmt.Sprint(len(reqs))},
		{"Counterparts", fmt.Sprint(len(conRows))},
		{"Key records of the period", fmt.Sprint(len(keyRows))},
		{"Accreditations of the officer", fmt.Sprint(nAcc)},
	}
	return nil
}

// note records a marking for the banner without counting a row: figures
// derived from records the report does not list (a register's last
// contact) still carry their marking.
func (t *tally) note(m data.Marking) {
	if m.Classification != "" {
		t.markings[m.Text()] = m
	}
}
