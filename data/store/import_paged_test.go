package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"liaisondesk/data"
)

// pagesOf gives changes size at a time, as a reader does: each page a
// copy that is scribbled over once it returns, so an import that kept a
// page's bytes would see garbage.
func pagesOf(changes []data.RawChange, size int) func(func([]data.RawChange) error) error {
	return func(page func([]data.RawChange) error) error {
		for at := 0; at < len(changes); at += size {
			p := make([]data.RawChange, 0, size)
			for _, c := range changes[at:min(at+size, len(changes))] {
				c.Fields, c.Parents = bytes.Clone(c.Fields), bytes.Clone(c.Parents)
				p = append(p, c)
			}
			err := page(p)
			for i := range p {
				for j := range p[i].Fields {
					p[i].Fields[j] = '#'
				}
				for j := range p[i].Parents {
					p[i].Parents[j] = '#'
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// recordsOf lists a store's exchanges and levels as the merge wrote them.
func recordsOf(t *testing.T, s *Store) string {
	t.Helper()
	var out bytes.Buffer
	for _, q := range []string{`SELECT id, title, classification FROM exchanges ORDER BY id`, `SELECT id, rank, '' FROM classifications ORDER BY id`} {
		rows, err := s.db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b, c string
			if err := rows.Scan(&a, &b, &c); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "%s|%s|%s\n", a, b, c)
		}
		rows.Close()
	}
	return out.String()
}

func paged(sender data.SiteID, b *data.Batch, pages func(func([]data.RawChange) error) error) data.Incoming {
	return data.Incoming{Sender: sender, Batch: &data.Batch{Authors: b.Authors, Commits: b.Commits}, Pages: pages}
}

// A batch given a page at a time applies as the same batch given whole:
// the same changes, records, conflicts and held commits, with a rule that
// judges the batch as a whole (the levels it creates) seeing all of it,
// though commits are cut by pages' ends.
func TestAPagedBatchAppliesAsTheWholeOne(t *testing.T) {
	ctx := context.Background()
	x := openTestStore(t)
	var recs []data.Record
	for i := range 7 {
		e := sampleExchange()
		e.Title = fmt.Sprintf("Exchange %d", i)
		recs = append(recs, e)
	}
	if _, err := x.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	// A level the batch creates, and a change that re-ranks it: held.
	for _, f := range []string{`{"rank":35,"colour":"#112233"}`, `{"rank":5}`} {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(f), &fields); err != nil {
			t.Fatal(err)
		}
		if err := x.CraftChange(ctx, "classifications", "EYES ONLY", fields); err != nil {
			t.Fatal(err)
		}
	}
	e := sampleExchange()
	e.Title = "After the re-rank"
	if _, err := x.Add(ctx, e); err != nil {
		t.Fatal(err)
	}
	push, err := x.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	whole, byPage := openTestStore(t), openTestStore(t)
	enrolled(t, whole, "x", x)
	enrolled(t, byPage, "x", x)
	want, err := whole.Import(ctx, data.Incoming{Sender: siteOf(t, x).Site, Batch: push})
	if err != nil {
		t.Fatal(err)
	}
	got, err := byPage.Import(ctx, paged(siteOf(t, x).Site, push, pagesOf(push.Changes, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged: %+v\nwhole: %+v", got, want)
	}
	if len(got.Held) == 0 || got.Held[0].Reason != "invalid" {
		t.Fatalf("the re-rank of a level the batch creates was not held: %+v", got.Held)
	}
	if w, p := recordsOf(t, whole), recordsOf(t, byPage); w != p {
		t.Fatalf("the records differ:\npaged %s\nwhole %s", p, w)
	}
	checkStoreClean(t, byPage)
}

// A paged batch that goes wrong after its first pages (a change repeated
// on a later page, a change its author did not sign, a reader that
// fails) is refused with nothing written: every page is verified before
// any is applied.
func TestAPagedBatchWrongOnALaterPageWritesNothing(t *testing.T) {
	ctx := context.Background()
	x := openTestStore(t)
	for i := range 6 {
		e := sampleExchange()
		e.Title = fmt.Sprintf("Exchange %d", i)
		if _, err := x.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	push, err := x.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	last := len(push.Changes) - 1
	failing := errors.New("the spool could not be read")
	for _, tc := range []struct {
		name  string
		pages func(func([]data.RawChange) error) error
		want  error
	}{
		{"a change repeated on the last page", pagesOf(append(append([]data.RawChange{}, push.Changes...), push.Changes[0]), 2), data.ErrRefused},
		{"the last change altered", func() func(func([]data.RawChange) error) error {
			cs := append([]data.RawChange{}, push.Changes...)
			cs[last].Fields = bytes.Replace(cs[last].Fields, []byte("Exchange"), []byte("Exchanga"), 1)
			return pagesOf(cs, 2)
		}(), data.ErrRefused},
		{"the reader failing on its last page", func(page func([]data.RawChange) error) error {
			return pagesOf(push.Changes[:last], 2)(page)
		}, nil},
		{"the reader failing midway", func(page func([]data.RawChange) error) error {
			if err := pagesOf(push.Changes[:4], 2)(page); err != nil {
				return err
			}
			return failing
		}, failing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := openTestStore(t)
			enrolled(t, b, "x", x)
			before, _ := b.Digest(ctx)
			vbefore, _ := b.Vector(ctx)
			_, err := b.Import(ctx, paged(siteOf(t, x).Site, push, tc.pages))
			switch {
			case err == nil:
				t.Fatal("the batch was taken")
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("refused for another reason: %v", err)
			}
			if after, _ := b.Digest(ctx); after != before {
				t.Fatal("the refused batch changed the store")
			}
			if v, _ := b.Vector(ctx); fmt.Sprint(v) != fmt.Sprint(vbefore) {
				t.Fatalf("the refused batch moved the vector: %v, before %v", v, vbefore)
			}
		})
	}
}
