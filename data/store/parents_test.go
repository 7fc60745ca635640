package store

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// enrolAll makes every store trust every other.
func enrolAll(t *testing.T, stores map[string]*Store) {
	t.Helper()
	for a, sa := range stores {
		for b, sb := range stores {
			if a != b {
				if _, err := sa.AddPeer(context.Background(), b, mustIdentityOf(t, sb).String()); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// sendAll imports into to everything from holds that to lacks, as a
// bundle from from would.
func sendAll(t *testing.T, from, to *Store) data.ImportResult {
	t.Helper()
	ctx := context.Background()
	have, err := to.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := from.Outgoing(ctx, have)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := from.Device()
	res, err := to.Import(ctx, data.Incoming{Sender: dev.Site, Batch: b})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// nextSeq is the seq the store's device will give its next change.
func nextSeq(t *testing.T, s *Store) int64 {
	t.Helper()
	v, err := s.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := s.Device()
	return v[dev.Site] + 1
}

// craft is a change the device of s signs without writing it to its own
// log: what a hostile enrolled peer can send, with any parents and any
// clock reading.
func craft(t *testing.T, s *Store, seq int64, hlc data.HLC, kind, rowID string, fields map[string]any, parents map[string][]data.ChangeID) *data.Batch {
	t.Helper()
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := tableForAnyKind(data.Kind(kind))
	if err != nil {
		t.Fatal(err)
	}
	ch := &data.Change{ID: data.ChangeID{Site: dev.Site, Seq: seq}, HLC: hlc, Table: tb.name, RowID: rowID, Parents: parents, Schema: data.SchemaVersion,
		Fields: map[string]json.RawMessage{}}
	for f, v := range fields {
		ch.Fields[f] = mustJSON(v)
	}
	fj, _ := ch.FieldsJSON()
	pj, _ := ch.ParentsJSON()
	raw := data.RawChange{ID: ch.ID, HLC: hlc, Table: tb.name, RowID: rowID, Fields: fj, Parents: pj, Schema: data.SchemaVersion}
	h := raw.Hash()
	commit := data.Commit{Site: dev.Site, FirstSeq: seq, LastSeq: seq, Hashes: h[:],
		Signature: ed25519.Sign(dev.PrivateKey, data.CommitMessage(dev.Site, seq, seq, h[:]))}
	return &data.Batch{Commits: []data.Commit{commit}, Changes: []data.RawChange{raw},
		Authors: []data.Author{{Site: dev.Site, PublicKey: dev.PublicKey(), Officer: dev.Officer}}}
}

// titleOf reads an exchange's title at a replica.
func titleOf(t *testing.T, s *Store, id string) string {
	t.Helper()
	rec, err := s.Get(context.Background(), "exchange", id)
	if err != nil {
		t.Fatalf("get exchange: %v", err)
	}
	return rec.(*data.Exchange).Title
}

// conflictFields lists a record's conflicting fields at a replica.
func conflictFields(t *testing.T, s *Store, id string) []string {
	t.Helper()
	cs, err := s.Conflicts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		if c.ID == id {
			out = append(out, c.Field)
		}
	}
	return out
}

// An enrolled peer relays a change whose parents name officer X's next
// edit, before X has made it, hoping to blank the field everywhere when
// that edit arrives. Whatever the crafted change's clock and whatever the
// order changes arrive in, X's title is shown (as a conflict at worst),
// never a blank, and every replica agrees.
func TestParentsCannotSupersedeAnEditNotYetMade(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		stamp    data.HLC
		conflict bool // a crafted change stamped after X's edit can only make it a conflict
	}{
		{"the crafted change stamped before X's edit", data.MakeHLC(start.UnixMilli(), 0), false},
		{"the crafted change stamped days in the future", data.MakeHLC(start.AddDate(0, 0, 3).UnixMilli(), 0), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			x, p, r1, r2 := openTestStore(t), openTestStore(t), openTestStore(t), openTestStore(t)
			enrolAll(t, map[string]*Store{"x": x, "p": p, "r1": r1, "r2": r2})
			id := addOne(t, x, sampleExchange())
			for _, to := range []*Store{p, r1, r2} {
				sendAll(t, x, to)
			}
			xdev, _ := x.Device()
			future := data.ChangeID{Site: xdev.Site, Seq: nextSeq(t, x)}
			crafted := craft(t, p, nextSeq(t, p), c.stamp, "exchange", id, map[string]any{"summary": "Noted."},
				map[string][]data.ChangeID{"title": {future}})
			pdev, _ := p.Device()

			// X itself holds for review a change naming a seq it has not
			// made yet, naming the change.
			before, _ := x.Digest(ctx)
			res, err := x.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: crafted})
			if err != nil {
				t.Fatalf("X refused the whole import: %v", err)
			}
			if len(res.Held) != 1 || res.Held[0].Reason != "invalid" || !strings.Contains(res.Held[0].Detail, crafted.Changes[0].ID.String()) {
				t.Fatalf("X did not hold the change naming its own future change %s as parent: %+v", future, res)
			}
			if after, _ := x.Digest(ctx); after != before {
				t.Fatalf("the held change reached X's log")
			}

			// r1 gets the crafted change first, r2 after X's edit.
			if _, err := r1.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: crafted}); err != nil {
				t.Fatal(err)
			}
			if err := x.Update(ctx, "exchange", id, []byte(`{"title":"Malabar 2026 planning (X)"}`)); err != nil {
				t.Fatal(err)
			}
			sendAll(t, x, r1)
			sendAll(t, x, r2)
			for name, s := range map[string]*Store{"x": x, "r2": r2} {
				if _, err := s.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: crafted}); err != nil {
					t.Fatalf("%s: the crafted change arriving after X's edit: %v", name, err)
				}
			}

			// A full exchange among the replicas (each has records of its
			// own), then every one must agree.
			replicas := []*Store{x, r1, r2}
			for range 2 {
				for _, a := range replicas {
					for _, b := range replicas {
						if a != b {
							sendAll(t, a, b)
						}
					}
				}
			}
			want, _ := x.Digest(ctx)
			for name, s := range map[string]*Store{"x": x, "r1": r1, "r2": r2} {
				if got := titleOf(t, s, id); got != "Malabar 2026 planning (X)" {
					t.Errorf("%s: title %q, want X's edit", name, got)
				}
				// The crafted summary is concurrent with the create's: a
				// conflict of its own, whatever the title does.
				conflicts := conflictFields(t, s, id)
				if got := slices.Contains(conflicts, "title"); got != c.conflict {
					t.Errorf("%s: conflicts %v: title in conflict %v, want %v", name, conflicts, got, c.conflict)
				}
				if got, _ := s.Digest(ctx); got != want {
					t.Errorf("%s: digest differs from X's", name)
				}
				clCheckClean(t, s, name)
			}
			if !c.conflict {
				return
			}
			// The conflict says why it has one value, and keeping X's
			// value settles it.
			cs, _ := r1.Conflicts(ctx)
			var title *data.Conflict
			for i := range cs {
				if cs[i].ID == id && cs[i].Field == "title" {
					title = &cs[i]
				}
			}
			if title == nil || len(title.Values) != 1 || clCanon(title.Values[0].Value) != `"Malabar 2026 planning (X)"` ||
				!strings.Contains(title.Note, "no current value") || !strings.Contains(title.Note, crafted.Changes[0].ID.String()) {
				t.Fatalf("the title conflict: %+v", title)
			}
			if err := r1.Resolve(ctx, "exchange", id, "title", nil, title.Values[0].Change); err != nil {
				t.Fatal(err)
			}
			if got := titleOf(t, r1, id); got != "Malabar 2026 planning (X)" || slices.Contains(conflictFields(t, r1, id), "title") {
				t.Errorf("after keeping X's title: %q, conflicts %v", got, conflictFields(t, r1, id))
			}
		})
	}
}

// A writer can only have seen its own earlier changes: a change naming
// its author's own seq at or after itself is held for review as invalid,
// naming the change, and reaches no record; the rest of the batch applies.
func TestAChangeNamingItsAuthorsLaterChangesIsHeld(t *testing.T) {
	ctx := context.Background()
	x, p, r := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "p": p, "r": r})
	id := addOne(t, x, sampleExchange())
	sendAll(t, x, p)
	sendAll(t, x, r)
	pdev, _ := p.Device()
	seq := nextSeq(t, p)
	for _, own := range []int64{seq, seq + 1, seq + 100} {
		crafted := craft(t, p, seq, data.MakeHLC(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).UnixMilli(), 0), "exchange", id,
			map[string]any{"summary": "Noted."}, map[string][]data.ChangeID{"title": {{Site: pdev.Site, Seq: own}}})
		before, _ := r.Digest(ctx)
		res, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: crafted})
		if err != nil {
			t.Fatalf("parent %d of change %d: the whole import refused: %v", own, seq, err)
		}
		if len(res.Held) != 1 || res.Held[0].Reason != "invalid" || !strings.Contains(res.Held[0].Detail, crafted.Changes[0].ID.String()) ||
			!strings.Contains(res.Held[0].Detail, "cannot have seen") {
			t.Errorf("parent %d of change %d: not held naming the change: %+v", own, seq, res.Held)
		}
		if after, _ := r.Digest(ctx); after != before {
			t.Errorf("parent %d of change %d: the held change reached the log", own, seq)
		}
	}
	if got := titleOf(t, r, id); got != sampleExchange().Title {
		t.Errorf("title %q after held imports", got)
	}

	// Relayed with another officer's genuine work, the crafted change is
	// held and the work applies.
	q := openTestStore(t)
	for name, s := range map[string]*Store{"x": x, "p": p} {
		if _, err := q.AddPeer(ctx, name, mustIdentityOf(t, s).String()); err != nil {
			t.Fatal(err)
		}
	}
	sendAll(t, x, q)
	genuine := addOne(t, x, sampleExchange())
	have, _ := q.Vector(ctx)
	b, err := x.Outgoing(ctx, have)
	if err != nil {
		t.Fatal(err)
	}
	crafted := craft(t, p, seq, data.MakeHLC(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).UnixMilli(), 0), "exchange", id,
		map[string]any{"summary": "Noted."}, map[string][]data.ChangeID{"title": {{Site: pdev.Site, Seq: seq}}})
	b.Commits = append(b.Commits, crafted.Commits...)
	b.Changes = append(b.Changes, crafted.Changes...)
	b.Authors = append(b.Authors, crafted.Authors...)
	res, err := q.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: b})
	if err != nil {
		t.Fatalf("one crafted change blocks a relayed batch: %v", err)
	}
	if _, err := q.Get(ctx, "exchange", genuine); err != nil || res.Quarantined != 1 {
		t.Errorf("the genuine record (%v) and %d held changes, want it applied and the crafted change held", err, res.Quarantined)
	}
	held, _ := q.Quarantine(ctx)
	if len(held) != 1 || held[0].Reason != "invalid" || !strings.Contains(held[0].Detail, crafted.Changes[0].ID.String()) {
		t.Errorf("the held list: %+v", held)
	}
}

// A laptop that edits a value stamped ahead of its own clock (a peer's
// clock days fast) stamps its edit after that value, so the edit
// supersedes it: a writer's parents are always below its own clock.
func TestAnEditSupersedesAValueStampedAheadOfThisLaptop(t *testing.T) {
	ctx := context.Background()
	x, r := openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "r": r})
	fast := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) // X's clock three days fast
	x.Now = func() time.Time { fast = fast.Add(time.Second); return fast }
	id := addOne(t, x, sampleExchange())
	sendAll(t, x, r)
	if err := r.Update(ctx, "exchange", id, []byte(`{"title":"Edited on R"}`)); err != nil {
		t.Fatal(err)
	}
	if got := titleOf(t, r, id); got != "Edited on R" {
		t.Errorf("title %q, want R's edit", got)
	}
	if cs := conflictFields(t, r, id); len(cs) != 0 {
		t.Errorf("conflicts %v: R's edit did not supersede the value it saw", cs)
	}
	// R's clock was dragged along, and says so.
	if lead, err := r.ClockLead(ctx); err != nil || lead < 70*time.Hour || data.ClockLeadWarning(lead) == "" {
		t.Errorf("R's clock lead %v (%v): want about three days, with a warning", lead, err)
	}
	sendAll(t, r, x)
	if got := titleOf(t, x, id); got != "Edited on R" {
		t.Errorf("at X: title %q, want R's edit", got)
	}
	if cs := conflictFields(t, x, id); len(cs) != 0 {
		t.Errorf("at X: conflicts %v", cs)
	}
}

// byCommit splits a batch into one batch per commit.
func byCommit(b *data.Batch) []*data.Batch {
	var out []*data.Batch
	for _, c := range b.Commits {
		nb := &data.Batch{Commits: []data.Commit{c}, Authors: b.Authors}
		for _, ch := range b.Changes {
			if ch.ID.Site == c.Site && ch.ID.Seq >= c.FirstSeq && ch.ID.Seq <= c.LastSeq {
				nb.Changes = append(nb.Changes, ch)
			}
		}
		out = append(out, nb)
	}
	return out
}

// Applying the same changes in every order, crafted parents included,
// gives the same records, conflicts and digest: X's create and edit, a
// colleague's concurrent edit, and a peer's change naming X's edit as
// superseded, stamped days after it.
func TestImportOfCraftedParentsIsOrderIndependent(t *testing.T) {
	ctx := context.Background()
	x, p, q := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "p": p, "q": q})
	seeds, err := x.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	id := addOne(t, x, sampleExchange())
	sendAll(t, x, q)
	if err := q.Update(ctx, "exchange", id, []byte(`{"summary":"Q's summary"}`)); err != nil {
		t.Fatal(err)
	}
	xdev, _ := x.Device()
	edit := data.ChangeID{Site: xdev.Site, Seq: nextSeq(t, x)}
	if err := x.Update(ctx, "exchange", id, []byte(`{"title":"X's title","location":"Mumbai"}`)); err != nil {
		t.Fatal(err)
	}
	crafted := craft(t, p, nextSeq(t, p), data.MakeHLC(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC).UnixMilli(), 0), "exchange", id,
		map[string]any{"outcome": "Noted."}, map[string][]data.ChangeID{"title": {edit}, "location": {edit, {Site: xdev.Site, Seq: 999}}})
	xb, _ := x.Outgoing(ctx, data.Vector{xdev.Site: seeds.Commits[len(seeds.Commits)-1].LastSeq})
	qdev, _ := q.Device()
	qv, _ := q.Vector(ctx)
	qb, _ := q.Outgoing(ctx, data.Vector{xdev.Site: qv[xdev.Site], qdev.Site: qv[qdev.Site] - 1})
	parts := append(append(byCommit(xb), byCommit(qb)...), crafted)
	if len(parts) != 4 {
		t.Fatalf("%d parts, want X's create and edit, Q's edit and the crafted change", len(parts))
	}
	pdev, _ := p.Device()
	var want string
	perm := []int{0, 1, 2, 3}
	var permute func(k int)
	permute = func(k int) {
		if k < len(perm) {
			for i := k; i < len(perm); i++ {
				perm[k], perm[i] = perm[i], perm[k]
				permute(k + 1)
				perm[k], perm[i] = perm[i], perm[k]
			}
			return
		}
		r := openTestStore(t)
		for name, s := range map[string]*Store{"x": x, "p": p, "q": q} {
			if _, err := r.AddPeer(ctx, name, mustIdentityOf(t, s).String()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: seeds}); err != nil {
			t.Fatal(err)
		}
		for _, i := range perm {
			if _, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: parts[i]}); err != nil {
				t.Fatalf("order %v, part %d: %v", perm, i, err)
			}
		}
		rec, err := r.Get(ctx, "exchange", id)
		if err != nil {
			t.Fatal(err)
		}
		e := rec.(*data.Exchange)
		got := fmt.Sprintf("title=%q location=%q summary=%q outcome=%q conflicts=%v", e.Title, e.Location, e.Summary, e.Outcome, conflictFields(t, r, id))
		if e.Title != "X's title" || e.Location != "Mumbai" {
			t.Errorf("order %v: %s: X's edit is not shown", perm, got)
		}
		if want == "" {
			want = got
		} else if got != want {
			t.Errorf("order %v: %s\nfirst order: %s", perm, got, want)
		}
		clCheckClean(t, r, fmt.Sprint("order ", perm))
		r.Close()
	}
	permute(0)
}
