package demo

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

var testNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// openStore opens an initialised store in a temporary directory whose
// clock starts at testNow and advances one second per reading.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	clock := testNow
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	if err := s.Init(ctx, data.Officer{Name: "Col. R. K. Mehta", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatalf("init: %v", err)
	}
	return s
}

func fill(t *testing.T, s *store.Store, o Options) Summary {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = testNow
	}
	sum, err := Fill(context.Background(), s, o)
	if err != nil {
		t.Fatalf("fill: %v", err)
	}
	return sum
}

func list[T data.Record](t *testing.T, s *store.Store, kind data.Kind) []T {
	t.Helper()
	var out []T
	if err := s.List(context.Background(), kind, data.ListFilter{}, func(r data.Record) error {
		out = append(out, r.(T))
		return nil
	}); err != nil {
		t.Fatalf("list %s: %v", kind, err)
	}
	return out
}

func TestFillDefault(t *testing.T) {
	s := openStore(t)
	calls := 0
	sum := fill(t, s, Options{Seed: 1, Progress: func(done, total int) {
		calls++
		if total != DefaultExchanges || done < 0 || done > total {
			t.Errorf("progress(%d, %d)", done, total)
		}
	}})
	if sum.Exchanges != DefaultExchanges || sum.Contacts < 40 || sum.Contacts > 80 || sum.Requests < 25 || sum.Actions < 50 {
		t.Errorf("summary %+v", sum)
	}
	if calls < 2 {
		t.Errorf("progress called %d times", calls)
	}
	counts, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{"contacts": sum.Contacts, "exchanges": sum.Exchanges, "requests": sum.Requests, "actions": sum.Actions} {
		if counts[table] != int64(want) {
			t.Errorf("%s: store holds %d, summary says %d", table, counts[table], want)
		}
	}

	t.Run("contacts", func(t *testing.T) {
		nations := map[string]bool{}
		emails := map[string]bool{}
		for _, c := range list[*data.Contact](t, s, "contact") {
			nations[c.Nation] = true
			if emails[c.Email] {
				t.Errorf("e-mail %s given twice", c.Email)
			}
			emails[c.Email] = true
			if c.Rank == "" || c.Appointment == "" || c.Organisation == "" || c.Phone == "" {
				t.Errorf("contact lacks detail: %+v", c)
			}
		}
		for _, n := range []string{"USA", "GBR", "JPN", "BHR"} {
			if !nations[n] {
				t.Errorf("no counterpart from %s", n)
			}
		}
	})

	t.Run("exchanges", func(t *testing.T) {
		exs := list[*data.Exchange](t, s, "exchange")
		kinds, postings := map[string]int{}, map[string]int{}
		byPostingKind := map[string]bool{}
		levels := map[string]bool{}
		var thisWeek, future, final, openOverdue, answered int
		for _, e := range exs {
			kinds[e.Kind]++
			postings[e.Posting]++
			byPostingKind[e.Posting+"/"+e.Kind] = true
			levels[e.Classification] = true
			for _, f := range []string{e.Title, e.Summary, e.Outcome, e.RFIQuestion, e.RFIResponse} {
				if strings.ContainsAny(f, "{}") {
					t.Errorf("unexpanded template in %q", f)
				}
			}
			at, err := time.Parse(time.RFC3339, e.OccurredAt)
			if err != nil {
				t.Fatal(err)
			}
			if at.Before(testNow.AddDate(0, 0, -190)) || at.After(testNow.AddDate(0, 0, 16)) {
				t.Errorf("%s occurred at %s, outside the demo window", e.Title, e.OccurredAt)
			}
			loc, _ := time.LoadLocation(e.TimeZone)
			if h := at.In(loc).Hour(); h < 8 || h > 19 {
				t.Errorf("%s at %d:00 local time", e.Title, h)
			}
			if e.Kind != "other" && len(e.Counterparts) == 0 {
				t.Errorf("%s (%s) has no counterpart", e.Title, e.Kind)
			}
			switch d := testNow.Sub(at); {
			case d < 0:
				future++
			case d < 7*24*time.Hour:
				thisWeek++
			}
			if e.State == "final" {
				final++
			}
			if e.IsRFI() {
				if e.RFIQuestion == "" || e.RFIDue == "" {
					t.Errorf("RFI %s lacks question or due time", e.Title)
				}
				if e.RFIStatus == "open" && e.RFIDue < testNow.Format(time.RFC3339) {
					openOverdue++
				}
				if e.RFIStatus == "answered" {
					answered++
					if e.RFIResponse == "" {
						t.Errorf("answered RFI %s has no response", e.Title)
					}
				}
			}
		}
		for _, k := range data.ExchangeKinds {
			for _, p := range postingOrder {
				if !byPostingKind[p+"/"+k] {
					t.Errorf("no %s exchange at %s", k, p)
				}
			}
		}
		t.Logf("kinds %v, postings %v, this week %d, ahead %d, final %d", kinds, postings, thisWeek, future, final)
		if thisWeek < 20 || future < 3 || final < 100 || final == len(exs) {
			t.Errorf("this week %d, ahead %d, final %d of %d", thisWeek, future, final, len(exs))
		}
		if openOverdue == 0 || answered == 0 {
			t.Errorf("RFIs: %d open and overdue, %d answered", openOverdue, answered)
		}
		for _, l := range []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"} {
			if !levels[l] {
				t.Errorf("no %s exchange", l)
			}
		}
	})

	t.Run("requests", func(t *testing.T) {
		reqs := list[*data.Request](t, s, "request")
		seen := map[string]bool{}
		var clockDue, clockOverdue, delayed, spa int
		today := testNow.Format(data.DateLayout)
		for _, r := range reqs {
			seen[r.Direction+"/"+string(r.Status)] = true
			seen[r.Posting] = true
			if len(r.Lines) == 0 || len(r.Lines) > 4 {
				t.Errorf("%s has %d lines", r.Ref, len(r.Lines))
			}
			if r.Status != data.InitialStatus(r.Direction) && len(r.History) == 0 {
				t.Errorf("%s is %s with no history", r.Ref, r.Status)
			}
			if r.Direction == data.USToIN && (r.Rating != "" || r.SupplierCountry != "IND") {
				t.Errorf("%s: us_to_in with rating %q, supplier country %s", r.Ref, r.Rating, r.SupplierCountry)
			}
			if r.Status == "order_placed" && r.AcceptanceDue != "" {
				if r.AcceptanceDue < today {
					clockOverdue++
				} else {
					clockDue++
				}
			}
			if r.Delayed {
				delayed++
			}
			if r.SPACase != "" {
				spa++
			}
		}
		for _, dir := range data.RequestDirections {
			for _, st := range data.StatusNames(dir) {
				if !seen[dir+"/"+st] {
					t.Errorf("no %s request in state %s", dir, st)
				}
			}
		}
		for _, p := range postingOrder {
			if !seen[p] {
				t.Errorf("no request at %s", p)
			}
		}
		if clockDue+clockOverdue == 0 || delayed == 0 || spa == 0 {
			t.Errorf("acceptance clocks: %d due, %d overdue; %d delayed; %d with SPA", clockDue, clockOverdue, delayed, spa)
		}
	})

	t.Run("actions", func(t *testing.T) {
		today := testNow.Format(data.DateLayout)
		var overdue, done, onExchange, onRequest int
		for _, a := range list[*data.Action](t, s, "action") {
			if a.Overdue(today) {
				overdue++
			}
			if a.Status == "done" {
				done++
				if a.DoneAt == "" || a.DoneAt > testNow.Format(time.RFC3339) {
					t.Errorf("done action %q done at %q", a.Title, a.DoneAt)
				}
			}
			if a.ExchangeID != "" {
				onExchange++
			}
			if a.RequestID != "" {
				onRequest++
			}
			if strings.ContainsAny(a.Title, "{}") || a.Owner == "" || a.DueOn == "" {
				t.Errorf("action %+v", a)
			}
		}
		if overdue < 10 || done < 10 || onExchange == 0 || onRequest == 0 {
			t.Errorf("actions: %d overdue, %d done, %d on exchanges, %d on requests", overdue, done, onExchange, onRequest)
		}
	})
}

// signature is what two fills with the same seed must share (ids and
// request references differ: they come from the store).
func signature(t *testing.T, s *store.Store) []string {
	var out []string
	for _, e := range list[*data.Exchange](t, s, "exchange") {
		out = append(out, e.OccurredAt+" "+e.Kind+" "+e.Title+" "+e.Classification)
	}
	for _, r := range list[*data.Request](t, s, "request") {
		out = append(out, r.Direction+" "+string(r.Status)+" "+r.Program+" "+r.RequiredBy)
	}
	for _, c := range list[*data.Contact](t, s, "contact") {
		out = append(out, c.Name+" "+c.Email)
	}
	slices.Sort(out)
	return out
}

func TestFillDeterministic(t *testing.T) {
	a, b := openStore(t), openStore(t)
	sa, sb := fill(t, a, Options{Exchanges: 120, Seed: 42}), fill(t, b, Options{Exchanges: 120, Seed: 42})
	if sa != sb {
		t.Fatalf("same seed, different summaries: %+v and %+v", sa, sb)
	}
	if !slices.Equal(signature(t, a), signature(t, b)) {
		t.Error("same seed, different data")
	}
	c := openStore(t)
	fill(t, c, Options{Exchanges: 120, Seed: 43})
	if slices.Equal(signature(t, a), signature(t, c)) {
		t.Error("different seeds, same data")
	}
}

func TestFillTwice(t *testing.T) {
	s := openStore(t)
	first := fill(t, s, Options{Exchanges: 60, Seed: 7})
	second := fill(t, s, Options{Exchanges: 60, Seed: 7})
	counts, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts["exchanges"] != int64(first.Exchanges+second.Exchanges) || counts["requests"] != int64(first.Requests+second.Requests) ||
		counts["contacts"] != int64(first.Contacts+second.Contacts) || counts["actions"] != int64(first.Actions+second.Actions) {
		t.Errorf("after two fills (%+v, %+v) the store holds %v", first, second, counts)
	}
}

func TestFillSmallAndRefusals(t *testing.T) {
	s := openStore(t)
	if sum := fill(t, s, Options{Exchanges: 1, Seed: 3}); sum.Exchanges != 1 || sum.Requests != 25 {
		t.Errorf("one exchange: %+v", sum)
	}
	if _, err := Fill(context.Background(), s, Options{Exchanges: -1}); err == nil {
		t.Error("negative size accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fill(ctx, s, Options{Exchanges: 10, Now: testNow}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fill: %v", err)
	}
	bare, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "bare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	if _, err := Fill(context.Background(), bare, Options{}); !errors.Is(err, data.ErrNotInitialised) {
		t.Errorf("fill of an uninitialised store: %v", err)
	}
}

// TestPathTo walks every generated path through the workflow rules.
func TestPathTo(t *testing.T) {
	g, err := newGen(5, testNow, &data.Device{Officer: "Col X", Posting: "CMF"}, data.DefaultPostings())
	if err != nil {
		t.Fatal(err)
	}
	detours := 0
	for _, tg := range targets() {
		dir, target := tg[0], tg[1]
		for range 200 {
			path := g.pathTo(dir, target)
			from := data.InitialStatus(dir)
			for _, to := range path {
				if err := data.CheckTransition(dir, from, data.RequestStatus(to)); err != nil {
					t.Fatalf("%s path to %s %v: %v", dir, target, path, err)
				}
				from = data.RequestStatus(to)
			}
			if from != data.RequestStatus(target) {
				t.Fatalf("%s path %v ends at %s, not %s", dir, path, from, target)
			}
			distinct := slices.Compact(slices.Sorted(slices.Values(path)))
			if len(distinct) < len(path) { // a state visited twice: rejected and ordered again
				detours++
			}
		}
	}
	if detours == 0 {
		t.Error("no path ever takes a detour (rejection and re-order)")
	}
}

func TestCounts(t *testing.T) {
	for _, c := range []struct{ n, contacts, requests int }{
		{300, 60, 30}, {1, 60, 25}, {5000, 70, 500}, {100_000, 260, 600}, {1_000_000, 2000, 1500},
	} {
		if got := contactCount(c.n); got != c.contacts {
			t.Errorf("contactCount(%d) = %d, want %d", c.n, got, c.contacts)
		}
		if got := requestCount(c.n); got != c.requests {
			t.Errorf("requestCount(%d) = %d, want %d", c.n, got, c.requests)
		}
	}
}
