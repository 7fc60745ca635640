package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// joinBatches is one batch holding the commits, changes and authors of all.
func joinBatches(bs ...*data.Batch) *data.Batch {
	out := &data.Batch{}
	for _, b := range bs {
		out.Commits = append(out.Commits, b.Commits...)
		out.Changes = append(out.Changes, b.Changes...)
		out.Authors = append(out.Authors, b.Authors...)
	}
	return out
}

// deviceHLC is the clock a store stamps its next change from.
func deviceHLC(t *testing.T, s *Store) data.HLC {
	t.Helper()
	var h int64
	if err := s.rdb.QueryRowContext(context.Background(), `SELECT hlc FROM device`).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return data.HLC(h)
}

// A change stamped more than MaxStampLead ahead of this laptop's clock is
// no clock's slip: it is held for review as invalid, saying how far ahead,
// so it cannot drag the clock of every laptop that edits it into the far
// future. The rest of the batch applies; between the clock lead and the
// bound a change applies with the warning; and an officer who releases
// such a change deliberately finds the clock stopped at the last reading,
// never wrapped around.
func TestAChangeStampedFarAheadOfThisLaptopIsHeldForReview(t *testing.T) {
	ctx := context.Background()
	wall := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) // openTestStore's clock
	setup := func(t *testing.T) (x, p, r *Store, id string) {
		x, p, r = openTestStore(t), openTestStore(t), openTestStore(t)
		enrolAll(t, map[string]*Store{"x": x, "p": p, "r": r})
		id = addOne(t, x, sampleExchange())
		sendAll(t, x, p)
		sendAll(t, x, r)
		sendAll(t, p, r)
		return x, p, r, id
	}

	t.Run("forty days ahead: held as invalid, saying how far; the author's next commit waits and the rest applies", func(t *testing.T) {
		x, p, r, id := setup(t)
		seq := nextSeq(t, p)
		far := craft(t, p, seq, data.MakeHLC(wall.AddDate(0, 0, 40).UnixMilli(), 0), "exchange", id, map[string]any{"title": "From the future"}, nil)
		next := craft(t, p, seq+1, data.MakeHLC(wall.Add(time.Hour/2).UnixMilli(), 0), "exchange", id, map[string]any{"summary": "Noted."}, nil)
		genuine := addOne(t, x, sampleExchange())
		have, _ := r.Vector(ctx)
		fromX, err := x.Outgoing(ctx, have)
		if err != nil {
			t.Fatal(err)
		}
		before := deviceHLC(t, r)
		pdev, _ := p.Device()
		res, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: joinBatches(fromX, far, next)})
		if err != nil {
			t.Fatalf("the whole import refused: %v", err)
		}
		if len(res.Held) != 2 || res.Held[0].Reason != "invalid" || res.Held[1].Reason != "waits" {
			t.Fatalf("held %+v: want the far stamp invalid and the next commit waiting", res.Held)
		}
		if d := res.Held[0].Detail; !strings.Contains(d, far.Changes[0].ID.String()) || !strings.Contains(d, "stamped 40 days ahead of this laptop's clock") {
			t.Errorf("held for %q: want the change named and how far ahead", d)
		}
		if _, err := r.Get(ctx, "exchange", genuine); err != nil {
			t.Errorf("the relayed genuine record: %v", err)
		}
		if got := titleOf(t, r, id); got != sampleExchange().Title {
			t.Errorf("title %q: the held change reached the record", got)
		}
		if res.FutureStamped != 0 || deviceHLC(t, r).Time().After(wall.Add(data.MaxClockLead+time.Hour)) || deviceHLC(t, r) < before {
			t.Errorf("R's clock at %v (%d counted ahead): moved by a held change", deviceHLC(t, r), res.FutureStamped)
		}
		held, _ := r.Quarantine(ctx)
		if len(held) != 2 || !strings.Contains(held[0].Detail+held[1].Detail, "40 days ahead") {
			t.Errorf("the held list: %+v", held)
		}
	})

	t.Run("twenty-nine days ahead: applied, with the clock warning", func(t *testing.T) {
		_, p, r, id := setup(t)
		ahead := craft(t, p, nextSeq(t, p), data.MakeHLC(wall.AddDate(0, 0, 29).UnixMilli(), 0), "exchange", id, map[string]any{"title": "Stamped ahead"}, nil)
		pdev, _ := p.Device()
		res, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: ahead})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 1 || len(res.Held) != 0 || res.FutureStamped != 1 || len(res.ClockWarnings) != 1 ||
			!strings.Contains(res.ClockWarnings[0], "29 days ahead") {
			t.Errorf("result %+v: want it applied with the warning", res)
		}
		if got := titleOf(t, r, id); got != "Stamped ahead" {
			t.Errorf("title %q", got)
		}
	})

	t.Run("at the last reading: held; released, the clock stops there instead of wrapping", func(t *testing.T) {
		_, p, r, id := setup(t)
		end := craft(t, p, nextSeq(t, p), data.MaxHLC, "exchange", id, map[string]any{"title": "Stamped at the end of time"}, nil)
		pdev, _ := p.Device()
		res, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: end})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Held) != 1 || res.Held[0].Reason != "invalid" || !strings.Contains(res.Held[0].Detail, "days ahead of this laptop's clock") {
			t.Fatalf("held %+v: want the change held as invalid", res.Held)
		}
		// The officer releases it anyway.
		if _, err := r.ReleaseQuarantine(ctx, pdev.Site.String()); err != nil {
			t.Fatalf("release: %v", err)
		}
		if got := titleOf(t, r, id); got != "Stamped at the end of time" {
			t.Fatalf("title %q after the release", got)
		}
		if lead, _ := r.ClockLead(ctx); lead > data.MaxClockLead {
			t.Errorf("the release moved R's clock %v ahead", lead)
		}
		// Editing the title would need a reading after the last one: a
		// refusal naming the problem, and nothing written.
		before, hlc := mustDigest(t, r), deviceHLC(t, r)
		err = r.Update(ctx, "exchange", id, []byte(`{"title":"Edited on R"}`))
		if err == nil || !strings.Contains(err.Error(), "last reading there is") {
			t.Fatalf("editing a value stamped at the last reading: %v, want a refusal naming the clock's end", err)
		}
		if mustDigest(t, r) != before || deviceHLC(t, r) != hlc || titleOf(t, r, id) != "Stamped at the end of time" {
			t.Errorf("the refused edit wrote something")
		}
		// The rest of the record, and the laptop's other work, are edited
		// as before, stamped by the wall clock.
		if err := r.Update(ctx, "exchange", id, []byte(`{"summary":"Edited on R"}`)); err != nil {
			t.Errorf("editing another field: %v", err)
		}
		other := addOne(t, r, sampleExchange())
		if err := r.Update(ctx, "exchange", other, []byte(`{"title":"Another"}`)); err != nil {
			t.Errorf("editing another record: %v", err)
		}
		if lead, _ := r.ClockLead(ctx); lead > data.MaxClockLead {
			t.Errorf("R's clock %v ahead after its own edits", lead)
		}
	})
}
