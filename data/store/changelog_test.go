package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// ---------------------------------------------------------------------
// Property test: random sequences of saves keep the tables equal to a
// rebuild from the log, and History tells every field change in order.
// ---------------------------------------------------------------------

// clField is what the log should say about one field: its value as last
// written (empty initial values included) and the values History should
// list for it, in order.
type clField struct {
	last string
	seq  []string
}

type clFields map[string]*clField

// set records that a save wrote v to the field. A value equal to the last
// one writes nothing; an empty value on create is not listed (History
// leaves out "", [], 0, false).
func (fs clFields) set(name string, v any) {
	c := clCanon(mustJSON(v))
	f, ok := fs[name]
	if !ok {
		f = &clField{last: c}
		fs[name] = f
		if !isEmptyJSON(json.RawMessage(c)) {
			f.seq = append(f.seq, c)
		}
		return
	}
	if c != f.last {
		f.seq = append(f.seq, c)
		f.last = c
	}
}

// clCanon is the canonical text of a JSON value: re-encoded compactly,
// numbers as float64, keys sorted.
func clCanon(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "!" + string(raw)
	}
	return string(mustJSON(v))
}

type clLine struct {
	id     string
	desc   string
	qty    float64
	no     int
	fields clFields
}

type clRecord struct {
	kind    string
	id      string
	deleted bool
	vals    map[string]any // the tracked fields' current values
	fields  clFields

	direction     string             // requests
	status        data.RequestStatus // requests
	lines         []*clLine          // requests: live lines in order
	removedLines  int                // requests: lines removed, by an edit or the delete
	parent        *clRecord          // actions: the exchange or request they follow up
	statusChanges int                // requests: SetStatus calls
	counterparts  []*clRecord        // exchanges: contacts named
}

func (r *clRecord) set(name string, v any) {
	r.vals[name] = v
	r.fields.set(name, v)
}

// clModel is what the test expects the store to hold.
type clModel struct {
	t   *testing.T
	s   *Store
	ctx context.Context
	rng *rand.Rand
	all []*clRecord
	n   int // a counter that makes new values new
	ops map[string]int
}

var (
	clWords   = []string{"Malabar", "CTF 150", "P-8I", "sonobuoy", "J4", "boarding", "logistics", "MH-60R", "RIMPAC", "Tiger Triumph"}
	clTags    = []string{"ctf150", "malabar", "rfi", "logistics", "j4", "sosa"}
	clNations = []string{"USA", "IND", "GBR", "AUS", "JPN", "FRA"}
	clRanks   = []string{"CAPT", "COL", "CDR", "LTC", "Mr.", "Ms."}
	clNames   = []string{"Miller", "Okafor", "Nakamura", "Singh", "Reyes", "Dubois", "Clarke"}
	clAppts   = []string{"Deputy J4", "Chief, Foreign Liaison Office", "J5 Plans", "Director, CTF 151"}
)

func (m *clModel) text(prefix string) string {
	m.n++
	return fmt.Sprintf("%s %s %d", prefix, clWords[m.rng.IntN(len(clWords))], m.n)
}

// pick returns k distinct elements of from (k may be 0), in random order.
func clPick[T any](rng *rand.Rand, from []T, k int) []T {
	k = min(k, len(from))
	out := make([]T, 0, k)
	for _, i := range rng.Perm(len(from))[:k] {
		out = append(out, from[i])
	}
	return out
}

func (m *clModel) live(kinds ...string) []*clRecord {
	var out []*clRecord
	for _, r := range m.all {
		if !r.deleted && slices.Contains(kinds, r.kind) {
			out = append(out, r)
		}
	}
	return out
}

func (m *clModel) anyLive(kinds ...string) *clRecord {
	l := m.live(kinds...)
	if len(l) == 0 {
		return nil
	}
	return l[m.rng.IntN(len(l))]
}

func (m *clModel) newRecord(kind, id string) *clRecord {
	r := &clRecord{kind: kind, id: id, vals: map[string]any{}, fields: clFields{}}
	m.all = append(m.all, r)
	return r
}

func (m *clModel) tags() []string { return clPick(m.rng, clTags, m.rng.IntN(4)) }
func (m *clModel) nations() []string {
	return clPick(m.rng, clNations, m.rng.IntN(4))
}
func (m *clModel) contactIDs() ([]string, []*clRecord) {
	cs := clPick(m.rng, m.live("contact"), m.rng.IntN(4))
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.id
	}
	return ids, cs
}

func (m *clModel) must(what string, err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatalf("op %d, %s: %v", m.n, what, err)
	}
}

func (m *clModel) createContact() {
	c := &data.Contact{Name: clRanks[m.rng.IntN(len(clRanks))] + " " + m.text(clNames[m.rng.IntN(len(clNames))]),
		Appointment: clAppts[m.rng.IntN(len(clAppts))]}
	ids, err := m.s.Add(m.ctx, c)
	m.must("add contact", err)
	r := m.newRecord("contact", ids[0])
	r.set("name", c.Name)
	r.set("appointment", c.Appointment)
}

func (m *clModel) createExchange() {
	ids, cps := m.contactIDs()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: m.text("Meeting on"), OccurredAt: "2026-11-20T06:00:00Z",
		Summary: m.text("Discussed"), Counterparts: ids, Tags: m.tags(),
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: m.nations()}}
	got, err := m.s.Add(m.ctx, e)
	m.must("add exchange", err)
	r := m.newRecord("exchange", got[0])
	r.counterparts = cps
	r.set("title", e.Title)
	r.set("summary", e.Summary)
	r.set("tags", e.Tags)
	r.set("counterparts", e.Counterparts)
	r.set("releasability", e.Releasability)
}

func (m *clModel) createRequest() {
	dir := data.RequestDirections[m.rng.IntN(2)]
	q := &data.Request{Direction: dir, Posting: "INDOPACOM", Program: m.text("Program"), EndUser: "INAS 312",
		Justification: m.text("Aircraft on ground:"), RequiredBy: "2027-02-01",
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: m.nations()}}
	for range 1 + m.rng.IntN(3) {
		q.Lines = append(q.Lines, data.Line{Description: m.text("Spare"), Quantity: float64(1 + m.rng.IntN(20)), Unit: "EA"})
	}
	got, err := m.s.Add(m.ctx, q)
	m.must("add request", err)
	r := m.newRecord("request", got[0])
	r.direction, r.status = dir, data.InitialStatus(dir)
	r.set("program", q.Program)
	r.set("justification", q.Justification)
	r.set("releasability", q.Releasability)
	r.fields.set("status", r.status)
	for i, l := range q.Lines {
		ln := &clLine{id: l.ID, desc: l.Description, qty: l.Quantity, no: i + 1, fields: clFields{}}
		ln.fields.set("description", ln.desc)
		ln.fields.set("quantity", ln.qty)
		ln.fields.set("line_no", ln.no)
		r.lines = append(r.lines, ln)
	}
}

func (m *clModel) createAction() {
	a := &data.Action{Title: m.text("Follow up"), Owner: clNames[m.rng.IntN(len(clNames))], Status: "open"}
	parent := m.anyLive("exchange", "request")
	if m.rng.IntN(3) == 0 {
		parent = nil
	}
	if parent != nil && parent.kind == "exchange" {
		a.ExchangeID = parent.id
	} else if parent != nil {
		a.RequestID = parent.id
	}
	got, err := m.s.Add(m.ctx, a)
	m.must("add action", err)
	r := m.newRecord("action", got[0])
	r.parent = parent
	r.set("title", a.Title)
	r.set("owner", a.Owner)
	r.set("status", a.Status)
}

// update writes a patch of some of the given field choices with Update, or
// (when save is given and the coin says so) by editing the loaded record
// and saving it.
func (m *clModel) update(r *clRecord, patch map[string]any, save func(data.Record)) {
	if len(patch) == 0 {
		return
	}
	if save != nil && m.rng.IntN(2) == 0 {
		rec, err := m.s.Get(m.ctx, data.Kind(r.kind), r.id)
		m.must("get "+r.kind, err)
		save(rec)
		m.must("save "+r.kind, m.s.Save(m.ctx, rec))
		m.ops["(by Save) "+r.kind]++
	} else {
		m.must("update "+r.kind, m.s.Update(m.ctx, data.Kind(r.kind), r.id, mustJSON(patch)))
		m.ops["(by Update) "+r.kind]++
	}
	for k, v := range patch {
		if k != "lines" {
			r.set(k, v)
		}
	}
}

func (m *clModel) updateContact() {
	r := m.anyLive("contact")
	if r == nil {
		return
	}
	patch := map[string]any{}
	if m.rng.IntN(2) == 0 {
		patch["name"] = clRanks[m.rng.IntN(len(clRanks))] + " " + m.text(clNames[m.rng.IntN(len(clNames))])
	}
	if m.rng.IntN(2) == 0 {
		patch["appointment"] = clAppts[m.rng.IntN(len(clAppts))] // often the same: no change
	}
	m.update(r, patch, nil)
}

func (m *clModel) updateExchange() {
	r := m.anyLive("exchange")
	if r == nil {
		return
	}
	patch := map[string]any{}
	if m.rng.IntN(2) == 0 {
		patch["title"] = m.text("Meeting on")
	}
	if m.rng.IntN(3) == 0 {
		patch["summary"] = m.text("Discussed")
	}
	if m.rng.IntN(3) == 0 {
		patch["tags"] = m.tags()
	}
	if m.rng.IntN(3) == 0 {
		patch["releasability"] = m.nations()
	}
	var cps []*clRecord
	if m.rng.IntN(3) == 0 || slices.ContainsFunc(r.counterparts, func(c *clRecord) bool { return c.deleted }) {
		// A counterpart that was deleted must go before the exchange can be
		// saved (see TestEditOfARecordWhoseReferenceWasDeleted).
		patch["counterparts"], cps = m.contactIDs()
	}
	m.update(r, patch, func(rec data.Record) {
		e := rec.(*data.Exchange)
		for k, v := range patch {
			switch k {
			case "title":
				e.Title = v.(string)
			case "summary":
				e.Summary = v.(string)
			case "tags":
				e.Tags = v.([]string)
			case "releasability":
				e.Releasability = v.([]string)
			case "counterparts":
				e.Counterparts = v.([]string)
			}
		}
	})
	if _, ok := patch["counterparts"]; ok {
		r.counterparts = cps
	}
}

func (m *clModel) updateRequest() {
	r := m.anyLive("request")
	if r == nil {
		return
	}
	patch := map[string]any{}
	if m.rng.IntN(3) == 0 {
		patch["program"] = m.text("Program")
	}
	if m.rng.IntN(3) == 0 {
		patch["justification"] = m.text("Aircraft on ground:")
	}
	if m.rng.IntN(3) == 0 {
		patch["releasability"] = m.nations()
	}
	type edit struct {
		line      *clLine // nil: a new line
		desc      string
		qty       float64
		newlyMade bool
	}
	var edits []edit
	if m.rng.IntN(2) == 0 {
		for _, l := range r.lines {
			e := edit{line: l, desc: l.desc, qty: l.qty}
			switch m.rng.IntN(6) {
			case 0:
				e.desc = m.text("Spare")
			case 1:
				e.qty = float64(1 + m.rng.IntN(20))
			case 2:
				continue // removed
			}
			edits = append(edits, e)
		}
		if len(edits) == 0 || (len(edits) < 4 && m.rng.IntN(3) == 0) {
			edits = append(edits, edit{desc: m.text("Spare"), qty: float64(1 + m.rng.IntN(20)), newlyMade: true})
		}
		if m.rng.IntN(4) == 0 {
			m.rng.Shuffle(len(edits), func(i, j int) { edits[i], edits[j] = edits[j], edits[i] })
		}
		var lines []map[string]any
		for _, e := range edits {
			l := map[string]any{"description": e.desc, "quantity": e.qty, "unit": "EA"}
			if e.line != nil {
				l["id"] = e.line.id
			}
			lines = append(lines, l)
		}
		patch["lines"] = lines
	}
	m.update(r, patch, nil)
	if edits == nil {
		return
	}
	rec, err := m.s.Get(m.ctx, "request", r.id)
	m.must("get request", err)
	stored := rec.(*data.Request).Lines
	if len(stored) != len(edits) {
		m.t.Fatalf("request %s has %d lines after an update that gave %d", r.id, len(stored), len(edits))
	}
	kept := map[*clLine]bool{}
	var now []*clLine
	for i, e := range edits {
		l := e.line
		if l == nil {
			l = &clLine{id: stored[i].ID, fields: clFields{}}
		}
		kept[l] = true
		l.desc, l.qty, l.no = e.desc, e.qty, i+1
		l.fields.set("description", l.desc)
		l.fields.set("quantity", l.qty)
		l.fields.set("line_no", l.no)
		now = append(now, l)
	}
	for _, l := range r.lines {
		if !kept[l] {
			r.removedLines++
		}
	}
	r.lines = now
}

func (m *clModel) updateAction() {
	var live []*clRecord
	for _, a := range m.live("action") {
		// An action whose exchange or request was deleted cannot be saved
		// (see TestEditOfARecordWhoseReferenceWasDeleted).
		if a.parent == nil || !a.parent.deleted {
			live = append(live, a)
		}
	}
	if len(live) == 0 {
		return
	}
	r := live[m.rng.IntN(len(live))]
	patch := map[string]any{}
	if m.rng.IntN(2) == 0 {
		patch["title"] = m.text("Follow up")
	}
	if m.rng.IntN(3) == 0 {
		patch["owner"] = clNames[m.rng.IntN(len(clNames))]
	}
	if m.rng.IntN(3) == 0 {
		patch["status"] = []string{"open", "in_progress", "cancelled", "done"}[m.rng.IntN(4)]
	}
	m.update(r, patch, func(rec data.Record) {
		a := rec.(*data.Action)
		for k, v := range patch {
			switch k {
			case "title":
				a.Title = v.(string)
			case "owner":
				a.Owner = v.(string)
			case "status":
				a.Status = data.ActionStatus(v.(string))
			}
		}
	})
}

func (m *clModel) changeStatus() {
	var movable []*clRecord
	for _, r := range m.live("request") {
		if len(data.NextStatuses(r.direction, r.status)) > 0 {
			movable = append(movable, r)
		}
	}
	if len(movable) == 0 {
		m.createRequest()
		return
	}
	r := movable[m.rng.IntN(len(movable))]
	next := data.NextStatuses(r.direction, r.status)
	to := next[m.rng.IntN(len(next))]
	m.must("status "+string(to), m.s.SetStatus(m.ctx, r.id, to, m.text("note")))
	r.status = to
	r.statusChanges++
	r.fields.set("status", to)
}

func (m *clModel) delete() {
	r := m.anyLive("contact", "exchange", "request", "action")
	if r == nil {
		return
	}
	m.must("delete "+r.kind, m.s.Delete(m.ctx, data.Kind(r.kind), r.id))
	m.ops["delete "+r.kind]++
	r.deleted = true
	r.removedLines += len(r.lines)
	r.lines = nil
}

func (m *clModel) step() {
	ops := []struct {
		name   string
		weight int
		do     func()
	}{
		{"create contact", 8, m.createContact},
		{"create exchange", 12, m.createExchange},
		{"create request", 7, m.createRequest},
		{"create action", 6, m.createAction},
		{"update contact", 6, m.updateContact},
		{"update exchange", 16, m.updateExchange},
		{"update request", 12, m.updateRequest},
		{"update action", 6, m.updateAction},
		{"status", 14, m.changeStatus},
		{"delete", 7, m.delete},
	}
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	p := m.rng.IntN(total)
	for _, o := range ops {
		if p < o.weight {
			m.n++
			o.do()
			m.ops[o.name]++
			return
		}
		p -= o.weight
	}
}

// checkClean fails the test when Check finds anything.
func clCheckClean(t *testing.T, s *Store, when string) *CheckReport {
	t.Helper()
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Fatalf("%s: check: %v", when, err)
	}
	if rep.Integrity != "ok" || len(rep.Problems) > 0 {
		t.Fatalf("%s: check: integrity %q, %d problems:\n%s", when, rep.Integrity, len(rep.Problems), strings.Join(rep.Problems, "\n"))
	}
	return rep
}

// verifyStored compares what Get returns with the model.
func (m *clModel) verifyStored(r *clRecord) {
	t := m.t
	t.Helper()
	rec, err := m.s.Get(m.ctx, data.Kind(r.kind), r.id)
	if r.deleted {
		if !errors.Is(err, data.ErrNotFound) {
			t.Errorf("%s %s was deleted, Get says %v", r.kind, r.id, err)
		}
		return
	}
	if err != nil {
		t.Errorf("%s %s: %v", r.kind, r.id, err)
		return
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(mustJSON(rec), &got); err != nil {
		t.Fatal(err)
	}
	for name, v := range r.vals {
		if g, w := clCanon(got[name]), clCanon(mustJSON(v)); g != w {
			t.Errorf("%s %s: %s is %s, want %s", r.kind, r.id, name, g, w)
		}
	}
	if r.kind != "request" {
		return
	}
	q := rec.(*data.Request)
	if q.Status != r.status {
		t.Errorf("request %s: status %s, want %s", r.id, q.Status, r.status)
	}
	if len(q.History) != r.statusChanges {
		t.Errorf("request %s: %d status entries, want %d", r.id, len(q.History), r.statusChanges)
	}
	if len(q.Lines) != len(r.lines) {
		t.Errorf("request %s: %d lines, want %d", r.id, len(q.Lines), len(r.lines))
		return
	}
	for i, l := range r.lines {
		g := q.Lines[i]
		if g.ID != l.id || g.Description != l.desc || g.Quantity != l.qty || g.LineNo != l.no {
			t.Errorf("request %s line %d: got %s %q ×%v (no %d), want %s %q ×%v (no %d)",
				r.id, i+1, g.ID, g.Description, g.Quantity, g.LineNo, l.id, l.desc, l.qty, l.no)
		}
	}
}

// verifyHistory checks that History lists every tracked field change of
// the record, in order, each entry's old value the previous entry's new.
func (m *clModel) verifyHistory(r *clRecord) {
	t := m.t
	t.Helper()
	h, err := m.s.History(m.ctx, data.Kind(r.kind), r.id)
	if err != nil {
		t.Errorf("history of %s %s: %v", r.kind, r.id, err)
		return
	}
	by := map[string][]data.HistoryEntry{}
	for i, e := range h {
		by[e.Field] = append(by[e.Field], e)
		if i > 0 && e.At < h[i-1].At {
			t.Errorf("history of %s %s: entry %d (%s at %s) comes after one at %s", r.kind, r.id, i, e.Field, e.At, h[i-1].At)
		}
	}
	compare := func(label string, f *clField) {
		t.Helper()
		entries := by[label]
		var news []string
		for i, e := range entries {
			news = append(news, clCanon(e.New))
			if i > 0 && clCanon(e.Old) != clCanon(entries[i-1].New) {
				t.Errorf("history of %s %s, %s entry %d: old %s, but the previous entry set %s", r.kind, r.id, label, i, e.Old, entries[i-1].New)
			}
		}
		if !slices.Equal(news, f.seq) {
			t.Errorf("history of %s %s, field %s:\n got %v\nwant %v", r.kind, r.id, label, news, f.seq)
		}
	}
	for name, f := range r.fields {
		compare(name, f)
	}
	// Deleted records keep their history, ending with the delete.
	del := by[data.DeletedField]
	switch {
	case r.deleted && (len(del) != 1 || string(del[0].New) != "true"):
		t.Errorf("history of deleted %s %s: _deleted entries %+v, want one set to true", r.kind, r.id, del)
	case !r.deleted && len(del) > 0:
		t.Errorf("history of live %s %s has a _deleted entry", r.kind, r.id)
	}
	if r.deleted {
		for _, e := range h {
			if !strings.HasPrefix(e.Field, "lines[") && e.At > del[0].At {
				t.Errorf("history of deleted %s %s: %s changed at %s, after the delete at %s", r.kind, r.id, e.Field, e.At, del[0].At)
			}
		}
	}
	if r.kind != "request" {
		return
	}
	for _, l := range r.lines {
		for name, f := range l.fields {
			compare(fmt.Sprintf("lines[%d].%s", l.no, name), f)
		}
	}
	removed := 0
	for label, entries := range by {
		if strings.HasPrefix(label, "lines[removed ") && strings.HasSuffix(label, "]."+data.DeletedField) {
			removed += len(entries)
		}
	}
	if removed != r.removedLines {
		t.Errorf("history of request %s lists %d removed lines, want %d", r.id, removed, r.removedLines)
	}
}

func TestChangeLogProperties(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 20261125, 0xdecaf} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			ctx := context.Background()
			s := openTestStore(t)
			rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
			m := &clModel{t: t, s: s, ctx: ctx, rng: rng, ops: map[string]int{}}
			steps := 200 + rng.IntN(301)
			for i := range steps {
				m.step()
				if (i+1)%100 == 0 {
					clCheckClean(t, s, fmt.Sprintf("after %d operations", i+1))
				}
			}
			rep := clCheckClean(t, s, fmt.Sprintf("after all %d operations", steps))

			counts := data.Counts{}
			for _, r := range m.all {
				if r.deleted {
					continue // a request's lines and status entries go with it
				}
				if r.kind == "request" {
					counts["request_history"] += int64(r.statusChanges)
				}
				counts[map[string]string{"contact": "contacts", "exchange": "exchanges", "request": "requests", "action": "actions"}[r.kind]]++
				counts["request_lines"] += int64(len(r.lines))
			}
			for table, want := range counts {
				if rep.Counts[table] != want {
					t.Errorf("%s: %d rows, want %d", table, rep.Counts[table], want)
				}
			}
			for _, r := range m.all {
				m.verifyStored(r)
				m.verifyHistory(r)
			}
			t.Logf("%d steps, %d records, %d changes, %d commits; %v", steps, len(m.all), rep.Counts["changes"], rep.Commits, m.ops)
		})
	}
}

// TestEditOfARecordWhoseReferenceWasDeleted: docs/ARCHITECTURE.md §2 says deletes are
// tombstones and the app shows orphans instead of enforcing references. An
// exchange whose counterpart was deleted (here, or on another laptop and
// synced) should still be editable; today every save of it is refused until
// the user removes the counterpart, and an action whose exchange was
// deleted cannot be edited at all.
func TestEditOfARecordWhoseReferenceWasDeleted(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	cid := addOne(t, s, &data.Contact{Name: "CAPT John Miller"})
	e := sampleExchange()
	e.Counterparts = []string{cid}
	eid := addOne(t, s, e)
	aid := addOne(t, s, &data.Action{Title: "Send the boarding drill schedule", ExchangeID: eid})
	if err := s.Delete(ctx, "contact", cid); err != nil {
		t.Fatal(err)
	}
	errExchange := s.Update(ctx, "exchange", eid, []byte(`{"title":"CTF 150 coordination (amended)"}`))
	if err := s.Delete(ctx, "exchange", eid); err != nil {
		t.Fatal(err)
	}
	errAction := s.Update(ctx, "action", aid, []byte(`{"title":"Send the schedule"}`))
	if errExchange != nil || errAction != nil {
		t.Fatalf("an unchanged reference to a deleted record blocks every edit: exchange title: %v; action title: %v", errExchange, errAction)
	}
	clCheckClean(t, s, "after editing orphans")
}

// ---------------------------------------------------------------------
// The merge, on hand-made changes.
// ---------------------------------------------------------------------

var (
	clSiteA = data.SiteID{0xA0}
	clSiteB = data.SiteID{0xB0}
	clSiteC = data.SiteID{0xC0}
)

// clCh builds a change of one site; fields are plain values, parents name
// the changes superseded per field.
func clCh(site data.SiteID, seq int64, hlc data.HLC, fields map[string]any, parents map[string][]data.ChangeID) rowChange {
	c := rowChange{id: data.ChangeID{Site: site, Seq: seq}, hlc: hlc, fields: map[string]json.RawMessage{}, parents: parents}
	for f, v := range fields {
		c.fields[f] = mustJSON(v)
	}
	return c
}

func clID(site data.SiteID, seq int64) data.ChangeID { return data.ChangeID{Site: site, Seq: seq} }

func clHLC(ms int64, counter uint16) data.HLC { return data.MakeHLC(1_790_000_000_000+ms, counter) }

// clPermutations calls fn with every order of cs.
func clPermutations(cs []rowChange, fn func([]rowChange)) {
	var rec func(k int)
	p := slices.Clone(cs)
	rec = func(k int) {
		if k == len(p) {
			fn(slices.Clone(p))
			return
		}
		for i := k; i < len(p); i++ {
			p[k], p[i] = p[i], p[k]
			rec(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	rec(0)
}

// clSummary is a rowState in comparable form.
func clSummary(st *rowState) string {
	var b strings.Builder
	keys := make([]string, 0, len(st.values))
	for k := range st.values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s ", k, st.values[k])
	}
	lk := make([]string, 0, len(st.leaves))
	for k := range st.leaves {
		lk = append(lk, k)
	}
	slices.Sort(lk)
	for _, k := range lk {
		fmt.Fprintf(&b, "leaves(%s)=%v ", k, st.leafIDs(k))
	}
	fmt.Fprintf(&b, "conflicts=%v deleted=%v created=%d updated=%d", st.conflicts, st.deleted, st.created, st.updated)
	return b.String()
}

// clMergeAllOrders merges cs in every order, fails unless all agree, and
// returns the state.
func clMergeAllOrders(t *testing.T, tb *table, cs []rowChange) *rowState {
	t.Helper()
	first := mergeRow(tb, cs)
	want := clSummary(first)
	clPermutations(cs, func(p []rowChange) {
		if got := clSummary(mergeRow(tb, p)); got != want {
			order := make([]string, len(p))
			for i, c := range p {
				order[i] = c.id.String()[:2] + fmt.Sprint(":", c.id.Seq)
			}
			t.Errorf("merge depends on the order of the changes: in order %v\n got %s\nwant %s", order, got, want)
		}
	})
	return first
}

func clValue(t *testing.T, st *rowState, field string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(st.values[field], &v); err != nil {
		t.Fatalf("value of %s: %s: %v", field, st.values[field], err)
	}
	return v
}

func TestMergeRow(t *testing.T) {
	create := clCh(clSiteA, 1, clHLC(0, 0), map[string]any{"title": "Malabar planning", "summary": "First draft",
		"tags": []string{"malabar"}}, nil)
	onTitle := func(ids ...data.ChangeID) map[string][]data.ChangeID { return map[string][]data.ChangeID{"title": ids} }

	t.Run("one leaf is clean", func(t *testing.T) {
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create})
		if clValue(t, st, "title") != "Malabar planning" || len(st.conflicts) != 0 || st.deleted {
			t.Errorf("got %s", clSummary(st))
		}
		if st.created != create.hlc || st.updated != create.hlc {
			t.Errorf("created %v updated %v, want both %v", st.created, st.updated, create.hlc)
		}
	})

	t.Run("a change supersedes its parent whatever the order", func(t *testing.T) {
		// A writer's clock is always past what it saw (writer.seen), even
		// on a laptop whose wall clock is behind: the edit is one tick
		// after the create it supersedes.
		edit := clCh(clSiteB, 1, create.hlc+1, map[string]any{"title": "Malabar 2026 planning"}, onTitle(create.id))
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, edit})
		if got := st.leafIDs("title"); !slices.Equal(got, []data.ChangeID{edit.id}) {
			t.Errorf("title leaves %v, want only the edit %v", got, edit.id)
		}
		if clValue(t, st, "title") != "Malabar 2026 planning" || len(st.conflicts) != 0 {
			t.Errorf("got %s", clSummary(st))
		}
		if clValue(t, st, "summary") != "First draft" {
			t.Errorf("the edit did not touch summary, yet it reads %v", clValue(t, st, "summary"))
		}
		// A chain of three, in every order.
		again := clCh(clSiteA, 2, clHLC(9000, 0), map[string]any{"title": "Malabar 2026: final"}, onTitle(edit.id))
		st = clMergeAllOrders(t, exchangesTable, []rowChange{create, edit, again})
		if got := st.leafIDs("title"); !slices.Equal(got, []data.ChangeID{again.id}) || len(st.conflicts) != 0 {
			t.Errorf("chain: got %s", clSummary(st))
		}
	})

	t.Run("two concurrent different values are a conflict shown by the highest (hlc, site, seq)", func(t *testing.T) {
		for _, c := range []struct {
			name string
			a, b rowChange
			win  string
		}{
			{"later clock wins", clCh(clSiteA, 2, clHLC(2000, 0), map[string]any{"title": "A's title"}, onTitle(create.id)),
				clCh(clSiteB, 1, clHLC(1000, 0), map[string]any{"title": "B's title"}, onTitle(create.id)), "A's title"},
			{"counter breaks a millisecond tie", clCh(clSiteA, 2, clHLC(1000, 3), map[string]any{"title": "A's title"}, onTitle(create.id)),
				clCh(clSiteB, 1, clHLC(1000, 2), map[string]any{"title": "B's title"}, onTitle(create.id)), "A's title"},
			{"site breaks a clock tie", clCh(clSiteA, 2, clHLC(1000, 0), map[string]any{"title": "A's title"}, onTitle(create.id)),
				clCh(clSiteB, 1, clHLC(1000, 0), map[string]any{"title": "B's title"}, onTitle(create.id)), "B's title"},
			{"sequence breaks a clock and site tie", clCh(clSiteA, 3, clHLC(1000, 0), map[string]any{"title": "A3"}, onTitle(create.id)),
				clCh(clSiteA, 2, clHLC(1000, 0), map[string]any{"title": "A2"}, onTitle(create.id)), "A3"},
		} {
			t.Run(c.name, func(t *testing.T) {
				st := clMergeAllOrders(t, exchangesTable, []rowChange{create, c.a, c.b})
				if !slices.Equal(st.conflicts, []string{"title"}) {
					t.Errorf("conflicts %v, want [title]", st.conflicts)
				}
				if got := clValue(t, st, "title"); got != c.win {
					t.Errorf("shows %v, want %v", got, c.win)
				}
				if len(st.leaves["title"]) != 2 {
					t.Errorf("title leaves %v, want both: a conflict is kept, never dropped", st.leafIDs("title"))
				}
			})
		}
	})

	t.Run("concurrent equal values merge silently", func(t *testing.T) {
		a := clCh(clSiteA, 2, clHLC(1000, 0), map[string]any{"tags": []string{"malabar", "j4"}}, map[string][]data.ChangeID{"tags": {create.id}})
		b := clCh(clSiteB, 1, clHLC(2000, 0), map[string]any{"tags": []string{"malabar", "j4"}}, map[string][]data.ChangeID{"tags": {create.id}})
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, a, b})
		if len(st.conflicts) != 0 || !reflect.DeepEqual(clValue(t, st, "tags"), []any{"malabar", "j4"}) {
			t.Errorf("got %s", clSummary(st))
		}
	})

	t.Run("concurrent different lists are a conflict", func(t *testing.T) {
		a := clCh(clSiteA, 2, clHLC(1000, 0), map[string]any{"tags": []string{"j4", "malabar"}}, map[string][]data.ChangeID{"tags": {create.id}})
		b := clCh(clSiteB, 1, clHLC(2000, 0), map[string]any{"tags": []string{"malabar", "j4"}}, map[string][]data.ChangeID{"tags": {create.id}})
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, a, b})
		if !slices.Equal(st.conflicts, []string{"tags"}) || !reflect.DeepEqual(clValue(t, st, "tags"), []any{"malabar", "j4"}) {
			t.Errorf("got %s", clSummary(st))
		}
	})

	t.Run("resolving supersedes every leaf", func(t *testing.T) {
		a := clCh(clSiteA, 2, clHLC(1000, 0), map[string]any{"title": "A's title"}, onTitle(create.id))
		b := clCh(clSiteB, 1, clHLC(2000, 0), map[string]any{"title": "B's title"}, onTitle(create.id))
		fix := clCh(clSiteC, 1, clHLC(2000, 1), map[string]any{"title": "A's title"}, onTitle(b.id, a.id))
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, a, b, fix})
		if len(st.conflicts) != 0 || clValue(t, st, "title") != "A's title" || !slices.Equal(st.leafIDs("title"), []data.ChangeID{fix.id}) {
			t.Errorf("got %s", clSummary(st))
		}
	})

	t.Run("a parent stamped at or after its child supersedes nothing", func(t *testing.T) {
		// A writer cannot have seen a change stamped after its own: such a
		// parent id is a crafted one, and both values stay.
		for _, h := range []data.HLC{create.hlc, create.hlc - 1, clHLC(-5000, 0)} {
			edit := clCh(clSiteB, 1, h, map[string]any{"title": "Malabar 2026 planning"}, onTitle(create.id))
			st := clMergeAllOrders(t, exchangesTable, []rowChange{create, edit})
			if got := st.leafIDs("title"); len(got) != 2 || !slices.Equal(st.conflicts, []string{"title"}) {
				t.Errorf("edit stamped %v, parent %v: got %s", h, create.hlc, clSummary(st))
			}
		}
	})

	t.Run("a parent not held yet supersedes nothing, before or after it arrives", func(t *testing.T) {
		// P names X's next edit (X:2, not made yet) as superseded, in a
		// change that does not set the title.
		future := clID(clSiteB, 2)
		xEdit := clCh(clSiteB, 2, clHLC(2000, 0), map[string]any{"title": "X's title"}, onTitle(create.id))
		crafted := clCh(clSiteC, 1, clHLC(1000, 0), map[string]any{"summary": "Noted."}, onTitle(future))
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, crafted})
		if clValue(t, st, "title") != "Malabar planning" || slices.Contains(st.conflicts, "title") {
			t.Errorf("before X's edit: %s", clSummary(st))
		}
		st = clMergeAllOrders(t, exchangesTable, []rowChange{create, crafted, xEdit})
		if clValue(t, st, "title") != "X's title" || slices.Contains(st.conflicts, "title") ||
			!slices.Equal(st.leafIDs("title"), []data.ChangeID{xEdit.id}) {
			t.Errorf("after X's edit: %s", clSummary(st))
		}
	})

	t.Run("a field left with no current value is a conflict showing the last value, never a blank", func(t *testing.T) {
		// Stamped after X's edit, the crafted change does supersede it,
		// but sets no title of its own.
		xEdit := clCh(clSiteB, 1, clHLC(1000, 0), map[string]any{"title": "X's title"}, onTitle(create.id))
		crafted := clCh(clSiteC, 1, clHLC(9000, 0), map[string]any{"summary": "Noted."}, onTitle(xEdit.id, create.id))
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, xEdit, crafted})
		if clValue(t, st, "title") != "X's title" || !slices.Contains(st.conflicts, "title") ||
			!slices.Equal(st.leafIDs("title"), []data.ChangeID{xEdit.id}) {
			t.Errorf("got %s", clSummary(st))
		}
		// Settling it (parents: the value shown) is clean.
		fix := clCh(clSiteA, 2, clHLC(9000, 1), map[string]any{"title": "X's title"}, onTitle(xEdit.id))
		st = clMergeAllOrders(t, exchangesTable, []rowChange{create, xEdit, crafted, fix})
		if clValue(t, st, "title") != "X's title" || slices.Contains(st.conflicts, "title") {
			t.Errorf("settled: %s", clSummary(st))
		}
	})

	t.Run("a delete as leaf deletes; a concurrent edit stays a leaf", func(t *testing.T) {
		del := clCh(clSiteA, 2, clHLC(1000, 0), map[string]any{data.DeletedField: true},
			map[string][]data.ChangeID{"title": {create.id}, "summary": {create.id}, "tags": {create.id}})
		st := clMergeAllOrders(t, exchangesTable, []rowChange{create, del})
		if !st.deleted {
			t.Errorf("not deleted: %s", clSummary(st))
		}
		if _, ok := st.values[data.DeletedField]; ok {
			t.Errorf("_deleted left among the values: %s", clSummary(st))
		}
		// Edited on B while A deleted it: still deleted, the edit kept
		// for "edited while deleted: restore?".
		edit := clCh(clSiteB, 1, clHLC(2000, 0), map[string]any{"title": "Edited on B"}, onTitle(create.id))
		st = clMergeAllOrders(t, exchangesTable, []rowChange{create, del, edit})
		if !st.deleted || !slices.Equal(st.leafIDs("title"), []data.ChangeID{edit.id}) {
			t.Errorf("delete with a concurrent edit: %s", clSummary(st))
		}
		// Restored: _deleted false supersedes the delete.
		restore := clCh(clSiteB, 2, clHLC(3000, 0), map[string]any{data.DeletedField: false},
			map[string][]data.ChangeID{data.DeletedField: {del.id}})
		st = clMergeAllOrders(t, exchangesTable, []rowChange{create, del, edit, restore})
		if st.deleted || clValue(t, st, "title") != "Edited on B" {
			t.Errorf("restored: %s", clSummary(st))
		}
	})
}

func TestMergeRequestStatusByRank(t *testing.T) {
	reqCreate := func(direction string) rowChange {
		return clCh(clSiteA, 1, clHLC(0, 0), map[string]any{"direction": direction, "status": data.InitialStatus(direction),
			"program": "P-8I"}, nil)
	}
	onStatus := func(ids ...data.ChangeID) map[string][]data.ChangeID {
		return map[string][]data.ChangeID{"status": ids}
	}
	// status builds a chain from the create to the given states on one
	// site; it returns the changes and the last one.
	for _, c := range []struct {
		direction string
		a, b      data.RequestStatus // two states set concurrently from a common parent
		from      data.RequestStatus
		want      data.RequestStatus
		conflict  bool
	}{
		{data.InToUS, "submitted", "forwarded_to_dod", "draft", "forwarded_to_dod", false},
		{data.InToUS, "supplier_accepted", "supplier_rejected", "order_placed", "", true},
		{data.InToUS, "delivered", "cancelled", "in_performance", "cancelled", true},
		{data.InToUS, "closed", "cancelled", "supplier_rejected", "", true},
		{data.InToUS, "in_performance", "partially_delivered", "supplier_accepted", "partially_delivered", false},
		{data.USToIN, "firm_will_support", "firm_cannot_support", "firm_contacted", "", true},
		{data.USToIN, "passed_to_mod", "firm_contacted", "received", "firm_contacted", false},
		{data.USToIN, "delivered", "cancelled", "in_performance", "cancelled", true},
	} {
		for _, laterClock := range []string{"a", "b"} {
			t.Run(fmt.Sprintf("%s %s vs %s, %s later", c.direction, c.a, c.b, laterClock), func(t *testing.T) {
				create := reqCreate(c.direction)
				base := create
				cs := []rowChange{create}
				if c.from != data.InitialStatus(c.direction) {
					base = clCh(clSiteA, 2, clHLC(100, 0), map[string]any{"status": c.from}, onStatus(create.id))
					cs = append(cs, base)
				}
				ha, hb := clHLC(1000, 0), clHLC(2000, 0)
				if laterClock == "a" {
					ha, hb = hb, ha
				}
				a := clCh(clSiteA, 3, ha, map[string]any{"status": c.a}, onStatus(base.id))
				b := clCh(clSiteB, 1, hb, map[string]any{"status": c.b}, onStatus(base.id))
				st := clMergeAllOrders(t, requestsTable, append(cs, a, b))
				want := c.want
				if want == "" { // equal rank: the latest shows
					want = map[string]data.RequestStatus{"a": c.a, "b": c.b}[laterClock]
				}
				if got := clValue(t, st, "status"); got != string(want) {
					t.Errorf("status %v, want %v", got, want)
				}
				if got := slices.Contains(st.conflicts, "status"); got != c.conflict {
					t.Errorf("conflict %v, want %v (conflicts %v)", got, c.conflict, st.conflicts)
				}
			})
		}
	}

	// Three concurrent leaves: two incomparable ones (accepted, rejected)
	// and one that outranks both. The answer must not depend on the order
	// the replica happens to read them in.
	t.Run("three leaves, order-independent", func(t *testing.T) {
		create := reqCreate(data.InToUS)
		placed := clCh(clSiteA, 2, clHLC(100, 0), map[string]any{"status": "order_placed"}, onStatus(create.id))
		acc := clCh(clSiteA, 3, clHLC(1000, 0), map[string]any{"status": "supplier_accepted"}, onStatus(placed.id))
		rej := clCh(clSiteB, 1, clHLC(2000, 0), map[string]any{"status": "supplier_rejected"}, onStatus(placed.id))
		perf := clCh(clSiteC, 1, clHLC(1500, 0), map[string]any{"status": "in_performance"}, onStatus(placed.id))
		cs := []rowChange{create, placed, acc, rej, perf}
		var results []string
		clPermutations(cs, func(p []rowChange) {
			st := mergeRow(requestsTable, p)
			r := fmt.Sprintf("%s conflicts=%v", st.values["status"], st.conflicts)
			if !slices.Contains(results, r) {
				results = append(results, r)
			}
		})
		if len(results) > 1 {
			t.Fatalf("whether accepted vs rejected "+
				"is flagged depends on the order the leaves are read: %v", results)
		}
		if !strings.Contains(results[0], `"in_performance"`) {
			t.Errorf("status %v, want in_performance (the highest rank)", results)
		}
	})
}

// TestMergeIsOrderIndependent merges random histories of one row (three
// sites editing concurrently, each naming the leaves it saw) in many
// orders and expects the same state every time.
func TestMergeIsOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	sites := []data.SiteID{clSiteA, clSiteB, clSiteC}
	fields := []string{"title", "summary", "tags", "location"}
	values := []any{"x", "y", "z", []string{"a"}, []string{}, ""}
	for round := range 200 {
		create := clCh(clSiteA, 1, clHLC(0, 0), map[string]any{"title": "t", "summary": "s", "tags": []string{}, "location": "l"}, nil)
		cs := []rowChange{create}
		seqs := map[data.SiteID]int64{clSiteA: 1}
		for range 2 + rng.IntN(6) {
			site := sites[rng.IntN(len(sites))]
			seqs[site]++
			// Each edit saw a random earlier prefix of the log: its parents
			// are that prefix's leaves for the fields it changes.
			seen := cs[:1+rng.IntN(len(cs))]
			st := mergeRow(exchangesTable, seen)
			ch := map[string]any{}
			parents := map[string][]data.ChangeID{}
			for _, f := range clPick(rng, fields, 1+rng.IntN(2)) {
				ch[f] = values[rng.IntN(len(values))]
				parents[f] = st.leafIDs(f)
			}
			if rng.IntN(12) == 0 {
				ch[data.DeletedField] = rng.IntN(3) != 0
				parents[data.DeletedField] = st.leafIDs(data.DeletedField)
			}
			cs = append(cs, clCh(site, seqs[site], clHLC(int64(rng.IntN(5000)), uint16(rng.IntN(3))), ch, parents))
		}
		want := clSummary(mergeRow(exchangesTable, cs))
		for range 20 {
			p := slices.Clone(cs)
			rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
			if got := clSummary(mergeRow(exchangesTable, p)); got != want {
				t.Fatalf("round %d: merge depends on order:\n got %s\nwant %s", round, got, want)
			}
		}
	}
}

// TestMergeOfCraftedParentsIsOrderIndependent merges random histories in
// which changes name any parents at all (changes not made yet, changes
// made later, fields they do not set), with any clocks, as a hostile peer
// could craft them: every order gives the same state, and a live row
// shows a value for every field any change set.
func TestMergeOfCraftedParentsIsOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	sites := []data.SiteID{clSiteA, clSiteB, clSiteC}
	fields := []string{"title", "summary", "tags"}
	values := []any{"x", "y", "", []string{"a"}}
	for round := range 300 {
		n := 2 + rng.IntN(5)
		ids := make([]data.ChangeID, n+2) // two more than are made: parents never held
		seqs := map[data.SiteID]int64{}
		for i := range ids {
			site := sites[rng.IntN(len(sites))]
			seqs[site]++
			ids[i] = clID(site, seqs[site])
		}
		var cs []rowChange
		for i := range n {
			ch := map[string]any{}
			for _, f := range clPick(rng, fields, 1+rng.IntN(2)) {
				ch[f] = values[rng.IntN(len(values))]
			}
			if rng.IntN(8) == 0 {
				ch[data.DeletedField] = rng.IntN(2) == 0
			}
			parents := map[string][]data.ChangeID{}
			for _, f := range clPick(rng, append(slices.Clone(fields), data.DeletedField), rng.IntN(3)) {
				parents[f] = clPick(rng, ids, 1+rng.IntN(3))
			}
			cs = append(cs, clCh(ids[i].Site, ids[i].Seq, clHLC(int64(rng.IntN(8)), uint16(rng.IntN(2))), ch, parents))
		}
		st := mergeRow(exchangesTable, cs)
		want := clSummary(st)
		for range 20 {
			p := slices.Clone(cs)
			rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
			if got := clSummary(mergeRow(exchangesTable, p)); got != want {
				t.Fatalf("round %d: merge depends on order:\n got %s\nwant %s", round, got, want)
			}
		}
		if st.deleted {
			continue
		}
		for _, c := range cs {
			for f := range c.fields {
				if _, ok := st.values[f]; !ok && f != data.DeletedField {
					t.Fatalf("round %d: %s set by %v has no value on a live row: %s", round, f, c.id, want)
				}
			}
		}
	}
}

// ---------------------------------------------------------------------
// The hybrid logical clock.
// ---------------------------------------------------------------------

// mustTick is tick, failing the test on a refusal.
func mustTick(t *testing.T, last data.HLC, wall time.Time) data.HLC {
	t.Helper()
	h, err := data.Tick(last, wall)
	if err != nil {
		t.Fatalf("Tick(%v, %v): %v", last, wall, err)
	}
	return h
}

func TestHLC(t *testing.T) {
	wall := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	ms := wall.UnixMilli()

	t.Run("tick follows the wall clock when it moves on", func(t *testing.T) {
		last := data.MakeHLC(ms-10, 7)
		if got := mustTick(t, last, wall); got != data.MakeHLC(ms, 0) {
			t.Errorf("tick = %v, want %v", got, data.MakeHLC(ms, 0))
		}
	})
	t.Run("tick never goes back", func(t *testing.T) {
		last := data.MakeHLC(ms, 3)
		for _, w := range []time.Time{wall, wall.Add(-time.Millisecond), wall.Add(-time.Hour), wall.AddDate(-5, 0, 0), time.Unix(0, 0)} {
			got := mustTick(t, last, w)
			if got <= last {
				t.Errorf("Tick(%v, wall %v) = %v: not after the last reading", last, w, got)
			}
			if got != last+1 {
				t.Errorf("Tick(%v, wall %v) = %v, want the counter moved on (%v)", last, w, got, last+1)
			}
		}
		// A long run with the clock stuck or going back stays strictly
		// increasing, even past the 16-bit counter.
		h := data.MakeHLC(ms, 0xfff0)
		for i := range 100 {
			next := mustTick(t, h, wall.Add(-time.Duration(i)*time.Second))
			if next <= h {
				t.Fatalf("step %d: %v after %v", i, next, h)
			}
			h = next
		}
	})
	t.Run("tick stops at the last reading there is instead of wrapping to 0", func(t *testing.T) {
		if got := mustTick(t, data.MaxHLC-1, wall); got != data.MaxHLC {
			t.Errorf("Tick(max-1) = %v, want the last reading", got)
		}
		for _, w := range []time.Time{wall, time.Unix(0, 0), time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)} {
			got, err := data.Tick(data.MaxHLC, w)
			if err == nil || !strings.Contains(err.Error(), "last reading there is") {
				t.Errorf("Tick(max, wall %v) = %v, %v: want a refusal naming the last reading", w, got, err)
			}
		}
	})
	t.Run("a wall clock outside the range never wraps the reading", func(t *testing.T) {
		last := data.MakeHLC(ms, 0)
		if got := mustTick(t, last, time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)); got <= last {
			t.Errorf("a wall clock past the year 10889: tick = %v, not after %v", got, last)
		}
		if got := mustTick(t, last, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)); got != last+1 {
			t.Errorf("a wall clock before 1970: tick = %v, want %v", got, last+1)
		}
		if got := data.Observe(last, data.MaxHLC, time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)); got < last {
			t.Errorf("observe with a wall clock past the range = %v: went back from %v", got, last)
		}
	})
	t.Run("observe moves past a remote reading", func(t *testing.T) {
		last := data.MakeHLC(ms, 0)
		remote := data.MakeHLC(ms+5000, 2)
		if got := data.Observe(last, remote, wall); got != remote {
			t.Errorf("observe = %v, want %v", got, remote)
		}
		if got := data.Observe(remote, last, wall); got != remote {
			t.Errorf("observe of an older remote = %v, want ours %v kept", got, remote)
		}
	})
	t.Run("observe caps a remote clock at MaxClockLead ahead of the wall clock", func(t *testing.T) {
		limit := data.MakeHLC(wall.Add(data.MaxClockLead).UnixMilli(), 0)
		for _, ahead := range []time.Duration{data.MaxClockLead + time.Millisecond, 2 * data.MaxClockLead, 24 * time.Hour * 365 * 100} {
			remote := data.MakeHLC(wall.Add(ahead).UnixMilli(), 9)
			got := data.Observe(data.MakeHLC(ms, 0), remote, wall)
			if got > limit {
				t.Errorf("remote %v ahead: clock %v, more than %v ahead of the wall clock", ahead, got.Time(), data.MaxClockLead)
			}
			if got.Time().Before(wall.Add(data.MaxClockLead)) {
				t.Errorf("remote %v ahead: clock %v, want it moved to the limit %v", ahead, got.Time(), limit.Time())
			}
		}
		// Our own clock already past the limit is kept: it never goes back.
		own := data.MakeHLC(wall.Add(2*data.MaxClockLead).UnixMilli(), 0)
		if got := data.Observe(own, own+100, wall); got != own {
			t.Errorf("observe = %v, want ours %v kept", got, own)
		}
	})
	t.Run("the store's clock never goes back, across reopening", func(t *testing.T) {
		s := openTestStore(t)
		ctx := context.Background()
		clock := wall
		s.Now = func() time.Time { return clock }
		id := addOne(t, s, sampleExchange())
		for i := range 5 {
			clock = clock.Add(-time.Hour) // the officer's laptop clock jumps back
			if err := s.Update(ctx, "exchange", id, mustJSON(map[string]string{"title": fmt.Sprint("take ", i)})); err != nil {
				t.Fatal(err)
			}
		}
		path := s.Path()
		s.Close()
		s2, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		s2.Now = func() time.Time { return wall.AddDate(0, 0, -2) }
		if err := s2.Update(ctx, "exchange", id, []byte(`{"title":"after reopening"}`)); err != nil {
			t.Fatal(err)
		}
		rows, err := s2.rdb.QueryContext(ctx, `SELECT hlc FROM changes WHERE id >= ? AND id < ? ORDER BY id`,
			packID(s2.dev.SiteNo, 0), packID(s2.dev.SiteNo+1, 0))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var prev int64
		n := 0
		for rows.Next() {
			var h int64
			if err := rows.Scan(&h); err != nil {
				t.Fatal(err)
			}
			if h <= prev {
				t.Errorf("change %d: hlc %v not after %v", n, data.HLC(h), data.HLC(prev))
			}
			prev, n = h, n+1
		}
		hist, err := s2.History(ctx, "exchange", id)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range hist {
			if e.Field == "title" {
				titles = append(titles, clCanon(e.New))
			}
		}
		want := []string{`"CTF 150 monthly coordination"`, `"take 0"`, `"take 1"`, `"take 2"`, `"take 3"`, `"take 4"`, `"after reopening"`}
		if !slices.Equal(titles, want) {
			t.Errorf("title history %v, want %v (the order they were made)", titles, want)
		}
		clCheckClean(t, s2, "after the clock went back")
	})
}

// ---------------------------------------------------------------------
// Check catches tampering.
// ---------------------------------------------------------------------

func TestCheckCatchesTampering(t *testing.T) {
	setup := func(t *testing.T) (*Store, string, string) {
		t.Helper()
		s := openTestStore(t)
		ctx := context.Background()
		cid := addOne(t, s, &data.Contact{Name: "CDR Ana Reyes", Appointment: "Deputy J4"})
		e := sampleExchange()
		e.Counterparts = []string{cid}
		ids, err := s.Add(ctx, e, sampleRequest())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Update(ctx, "exchange", ids[0], []byte(`{"title":"CTF 150 coordination (amended)"}`)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, ids[1], "submitted", ""); err != nil {
			t.Fatal(err)
		}
		clCheckClean(t, s, "before tampering")
		return s, ids[0], ids[1]
	}
	// lastChange is the rowid of the newest change of a row.
	lastChange := func(t *testing.T, s *Store, tbl, rowID string) int64 {
		t.Helper()
		var id int64
		if err := s.db.QueryRow(`SELECT max(id) FROM changes WHERE tbl = ? AND row_id = ?`, tbl, rowID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	exec := func(t *testing.T, s *Store, q string, args ...any) {
		t.Helper()
		res, err := s.db.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("%s: changed nothing", q)
		}
	}
	for _, c := range []struct {
		name   string
		tamper func(t *testing.T, s *Store, ex, req string)
		want   string // a problem must contain this
	}{
		{"a change's fields", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE changes SET fields = json_set(fields, '$.title', 'Forged') WHERE id = ?`, lastChange(t, s, "exchanges", ex))
		}, "do not match their signed hashes"},
		{"a change's fields and the table to match", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE changes SET fields = json_set(fields, '$.title', 'Forged') WHERE id = ?`, lastChange(t, s, "exchanges", ex))
			exec(t, s, `UPDATE exchanges SET title = 'Forged' WHERE id = ?`, ex)
		}, "do not match their signed hashes"},
		{"a change's parents", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE changes SET parents = NULL WHERE id = ?`, lastChange(t, s, "exchanges", ex))
		}, "do not match their signed hashes"},
		{"a change's clock", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE changes SET hlc = hlc + 65536 WHERE id = ?`, lastChange(t, s, "requests", req))
		}, "do not match their signed hashes"},
		{"a change's row", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE changes SET row_id = ? WHERE id = ?`, data.NewID(), lastChange(t, s, "exchanges", ex))
		}, "do not match their signed hashes"},
		{"a commit's signature", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE commits SET signature = zeroblob(64) WHERE first_seq = (SELECT max(first_seq) FROM commits)`)
		}, "signature does not verify"},
		{"a commit's hash list", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE commits SET hashes = zeroblob(length(hashes)) WHERE first_seq = (SELECT max(first_seq) FROM commits)`)
		}, "signature does not verify"},
		{"a change removed", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `DELETE FROM changes WHERE id = ?`, lastChange(t, s, "exchanges", ex))
		}, "covered by commits"},
		{"a domain row's field", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE exchanges SET title = 'x' WHERE id = ?`, ex)
		}, "field title is"},
		{"a request's status", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE requests SET status = 'delivered' WHERE id = ?`, req)
		}, "field status is"},
		{"a derived column", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `UPDATE exchanges SET counterpart_names = 'Someone Else' WHERE id = ?`, ex)
		}, "derived counterpart_names"},
		{"a domain row removed", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `DELETE FROM exchanges WHERE id = ?`, ex)
		}, "missing from the table"},
		{"a domain row added", func(t *testing.T, s *Store, ex, req string) {
			exec(t, s, `INSERT INTO exchanges (id, title) VALUES (?, 'Smuggled in')`, data.NewID())
		}, "in the table but not in the change log"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, ex, req := setup(t)
			c.tamper(t, s, ex, req)
			rep, err := s.Check(context.Background())
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if !slices.ContainsFunc(rep.Problems, func(p string) bool { return strings.Contains(p, c.want) }) {
				t.Errorf("check problems %q: none says %q", rep.Problems, c.want)
			}
		})
	}
}
