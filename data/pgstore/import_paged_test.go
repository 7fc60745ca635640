package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication/replicatest"
)

// pagesOf gives changes size at a time, as a reader does: each page a
// copy that is scribbled over once it returns, so an import that kept a
// page's bytes would write garbage.
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

func paged(sender data.SiteID, b *data.Batch, pages func(func([]data.RawChange) error) error) data.Incoming {
	return data.Incoming{Sender: sender, Batch: &data.Batch{Authors: b.Authors, Commits: b.Commits}, Pages: pages}
}

// pagedSource is a laptop enrolled at two fresh hubs, with six saves
// (commits) of an exchange and one commit of an author the hubs do not
// know, relayed by the laptop: what it pushes.
func pagedSource(t *testing.T) (data.SiteID, *data.Batch, []*Store) {
	t.Helper()
	ctx := context.Background()
	l, stranger := laptopStore(t, "Cdr A"), laptopStore(t, "Cdr Stranger")
	for range 6 {
		addExchange(t, l)
	}
	addExchange(t, stranger)
	sid, _ := stranger.Identity(ctx)
	if _, err := l.AddPeer(ctx, "stranger", sid.String()); err != nil {
		t.Fatal(err)
	}
	b, _ := stranger.Outgoing(ctx, nil)
	if _, err := l.Import(ctx, data.Incoming{Sender: sid.Site, Batch: b}); err != nil {
		t.Fatal(err)
	}
	push, err := l.Outgoing(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := l.Identity(ctx)
	var hubs []*Store
	for range 2 {
		h, _ := openHub(t, replicatest.Day)
		if _, err := h.AddPeer(ctx, "deva", id.String()); err != nil {
			t.Fatal(err)
		}
		hubs = append(hubs, h)
	}
	return id.Site, push, hubs
}

// A batch given a page at a time applies at the hub as the same batch
// given whole: the same result, the same log, the same commit held for
// review, though commits are cut by pages' ends and each page's bytes
// are gone once it returns.
func TestAPagedBatchAppliesAtThePostgreSQLHubAsTheWholeOne(t *testing.T) {
	ctx := context.Background()
	sender, push, hubs := pagedSource(t)
	whole, byPage := hubs[0], hubs[1]
	want, err := whole.Import(ctx, data.Incoming{Sender: sender, Batch: push})
	if err != nil {
		t.Fatal(err)
	}
	got, err := byPage.Import(ctx, paged(sender, push, pagesOf(push.Changes, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged: %+v\nwhole: %+v", got, want)
	}
	own := 0
	for _, c := range push.Changes {
		if c.ID.Site == sender {
			own++
		}
	}
	if got.Applied != own || got.Quarantined != len(push.Changes)-own || len(got.Held) != 1 || got.Held[0].Reason != "unknown" || got.Records != own {
		t.Fatalf("the push was not applied with its stranger's commit held: %+v", got)
	}
	wd, _ := whole.Digest(ctx)
	pd, _ := byPage.Digest(ctx)
	if wd != pd {
		t.Fatal("the paged batch left another log than the whole one")
	}
	if r, err := byPage.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check after a paged import: %+v %v", r, err)
	}
	again, err := byPage.Import(ctx, paged(sender, push, pagesOf(push.Changes, 3)))
	if err != nil || again.Applied != 0 || again.Quarantined != 0 || again.AlreadyHad != len(push.Changes) {
		t.Fatalf("the same batch again: %+v %v", again, err)
	}
}

// A paged batch that goes wrong after its first pages (a change repeated
// on a later page, a change its author did not sign, a reader that
// fails) is refused with nothing written: every page is verified before
// any is applied, in one transaction.
func TestAPagedBatchWrongOnALaterPageWritesNothingAtThePostgreSQLHub(t *testing.T) {
	ctx := context.Background()
	l := laptopStore(t, "Cdr A")
	for range 6 {
		addExchange(t, l)
	}
	push, err := l.Outgoing(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := l.Identity(ctx)
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
			cs[last].Fields = bytes.Replace(cs[last].Fields, []byte("Boarding"), []byte("Boarsing"), 1)
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
			h, _ := openHub(t, replicatest.Day)
			if _, err := h.AddPeer(ctx, "deva", id.String()); err != nil {
				t.Fatal(err)
			}
			before, _ := h.Digest(ctx)
			_, err := h.Import(ctx, paged(id.Site, push, tc.pages))
			switch {
			case err == nil:
				t.Fatal("the batch was taken")
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("refused for another reason: %v", err)
			}
			if after, _ := h.Digest(ctx); after != before {
				t.Fatal("the refused batch changed the log")
			}
			if v, _ := h.Vector(ctx); len(v) != 0 {
				t.Fatalf("the refused batch moved the vector: %v", v)
			}
			var n int
			if err := h.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM changes) + (SELECT count(*) FROM held_changes) + (SELECT count(*) FROM bundles_seen)`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d rows written by a refused batch (%v)", n, err)
			}
			// The hub takes the batch whole afterwards: nothing staged
			// was left behind on its connections.
			if res, err := h.Import(ctx, paged(id.Site, push, pagesOf(push.Changes, 2))); err != nil || res.Applied != len(push.Changes) {
				t.Fatalf("the good batch after a refused one: %+v %v", res, err)
			}
		})
	}
}

// A hub that inserts a push's commits a chunk at a time, as it does for
// a large push, leaves the same log as one that inserts them at once.
func TestAPushsCommitsInsertedAChunkAtATimeLeaveTheSameLog(t *testing.T) {
	ctx := context.Background()
	sender, push, hubs := pagedSource(t)
	whole, chunked := hubs[0], hubs[1]
	chunked.commitChunk = 1 // a statement per commit
	want, err := whole.Import(ctx, data.Incoming{Sender: sender, Batch: push})
	if err != nil {
		t.Fatal(err)
	}
	got, err := chunked.Import(ctx, data.Incoming{Sender: sender, Batch: push})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || got.Applied == 0 {
		t.Fatalf("chunked: %+v\nat once: %+v", got, want)
	}
	wd, _ := whole.Digest(ctx)
	cd, _ := chunked.Digest(ctx)
	if wd != cd {
		t.Fatal("the chunked insert left another log")
	}
	if r, err := chunked.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check after a chunked insert: %+v %v", r, err)
	}
}
