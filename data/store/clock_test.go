package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// fastClock sets a store's clock to start, one second per reading.
func fastClock(s *Store, start time.Time) {
	clock := start
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
}

// Changes stamped further ahead of this laptop's clock than a remote
// clock may push it are applied (replicas must converge), and the import
// says how many, from which device, and how far ahead.
func TestImportWarnsOfChangesStampedAheadOfThisLaptop(t *testing.T) {
	ctx := context.Background()
	t.Run("days ahead: applied, counted and named", func(t *testing.T) {
		x, r := openTestStore(t), openTestStore(t)
		enrolAll(t, map[string]*Store{"x": x, "r": r})
		fastClock(x, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)) // three days fast
		id := addOne(t, x, sampleExchange())
		res := sendAll(t, x, r)
		if res.Applied == 0 || res.FutureStamped == 0 {
			t.Fatalf("result %+v: want changes applied and counted as stamped ahead", res)
		}
		// X's seed changes were made before its clock went fast.
		if res.FutureStamped != 1 {
			t.Errorf("%d changes counted as ahead, want 1 (the exchange)", res.FutureStamped)
		}
		if lead := time.Duration(res.FutureLeadSeconds) * time.Second; lead < 71*time.Hour || lead > 73*time.Hour {
			t.Errorf("furthest lead %v, want about three days", lead)
		}
		xdev, _ := x.Device()
		want := "1 change from device " + xdev.Site.ShortCode() + " (Col. A. Sharma) is stamped up to 3 days ahead of this laptop's clock"
		if len(res.ClockWarnings) != 1 || res.ClockWarnings[0] != want {
			t.Errorf("warnings %q, want [%q]", res.ClockWarnings, want)
		}
		if got := titleOf(t, r, id); got != sampleExchange().Title {
			t.Errorf("the change stamped ahead was not applied: title %q", got)
		}
		sendAll(t, r, x)
		if dx, _ := x.Digest(ctx); dx != mustDigest(t, r) {
			t.Errorf("replicas differ after exchanging everything")
		}
	})
	t.Run("several changes: counted in one line per device", func(t *testing.T) {
		x, r := openTestStore(t), openTestStore(t)
		enrolAll(t, map[string]*Store{"x": x, "r": r})
		fastClock(x, time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)) // five hours fast
		for range 3 {
			addOne(t, x, sampleExchange())
		}
		res := sendAll(t, x, r)
		if res.FutureStamped != 3 || len(res.ClockWarnings) != 1 ||
			!strings.HasPrefix(res.ClockWarnings[0], "3 changes from device ") || !strings.Contains(res.ClockWarnings[0], "are stamped up to 5 hours ahead") {
			t.Errorf("result %+v", res)
		}
	})
	t.Run("within the allowed lead: no warning", func(t *testing.T) {
		x, r := openTestStore(t), openTestStore(t)
		enrolAll(t, map[string]*Store{"x": x, "r": r})
		fastClock(x, time.Date(2026, 11, 25, 9, 40, 0, 0, time.UTC)) // forty minutes fast
		addOne(t, x, sampleExchange())
		if res := sendAll(t, x, r); res.FutureStamped != 0 || len(res.ClockWarnings) != 0 {
			t.Errorf("result %+v: want no warning", res)
		}
	})
}

func mustDigest(t *testing.T, s *Store) string {
	t.Helper()
	d, err := s.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A laptop whose clock was days ahead and then corrected keeps stamping
// its changes in the future (its clock never goes back): the store says
// how far its clock leads the wall clock, so the window and the verbs can
// warn.
func TestClockLeadOfALaptopWhoseClockWasAhead(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if lead, err := s.ClockLead(ctx); err != nil || lead != 0 {
		t.Fatalf("a store in step with its clock: lead %v, %v", lead, err)
	}
	if w := data.ClockLeadWarning(0); w != "" {
		t.Errorf("warning %q for no lead", w)
	}
	fastClock(s, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)) // the clock three days fast
	addOne(t, s, sampleExchange())
	fastClock(s, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) // corrected
	id := addOne(t, s, sampleExchange())
	lead, err := s.ClockLead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lead < 70*time.Hour || lead > 72*time.Hour {
		t.Errorf("lead %v, want about three days less the hour since", lead)
	}
	if h, err := s.History(ctx, "exchange", id); err != nil || h[0].At < "2026-11-28" {
		t.Errorf("made after the correction at %v (%v): the clock went back", h, err)
	}
	w := data.ClockLeadWarning(lead)
	if !strings.Contains(w, "3 days ahead of its clock") {
		t.Errorf("warning %q", w)
	}
	if data.ClockLeadWarning(data.MaxClockLead) != "" {
		t.Errorf("a lead a peer's clock may push it to is not worth a warning")
	}
}

// History marks a time that lies ahead of this laptop's clock.
func TestHistoryMarksTimesAheadOfThisLaptop(t *testing.T) {
	ctx := context.Background()
	x, r := openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "r": r})
	own := addOne(t, r, sampleExchange())
	fastClock(x, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	id := addOne(t, x, sampleExchange())
	sendAll(t, x, r)
	h, err := r.History(ctx, "exchange", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range h {
		if !e.Ahead {
			t.Errorf("%s at %s: not marked ahead of this laptop's clock", e.Field, e.At)
		}
	}
	h, err = r.History(ctx, "exchange", own)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range h {
		if e.Ahead {
			t.Errorf("this laptop's own %s at %s marked ahead of its clock", e.Field, e.At)
		}
	}
}
