package replicatest

// Review at the hub (docs/ARCHITECTURE.md §4.5): what the hub holds, its
// operator releases (then it is served to laptops like any change) or
// discards (then it is never served, is not held again when relayed
// again, and, when the author's key signed it, does not stop the hub
// relaying the author's later work).

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// movableClock ticks a second per reading from its start and jumps ahead
// when told: time passing at the hub between two syncs.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func (c *movableClock) skip(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func titlesOf(t testing.TB, s *store.Store) []string {
	t.Helper()
	var out []string
	err := s.List(context.Background(), data.KindExchange, data.ListFilter{}, func(r data.Record) error {
		out = append(out, r.(*data.Exchange).Title)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// A device's changes relayed by an enrolled laptop, when the hub does not
// know the device, are held; the operator releases them (checked with
// the key the relayer vouched for) and the hub serves them to the other
// laptops from then on.
func releasedHeldCommitIsServed(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b, c := laptop(t, "Cdr A"), laptop(t, "Cdr B"), laptop(t, "Cdr C")
	enrolAt(t, hub, a, b)
	for _, l := range []*store.Store{a, b} { // the laptops know c; the hub does not
		if _, err := l.AddPeer(ctx, "c", identityOf(t, c)); err != nil {
			t.Fatal(err)
		}
	}
	url := serve(t, hub)
	addExchange(t, c, "From C, relayed by A")
	if _, err := a.Import(ctx, incoming(t, c, nil)); err != nil {
		t.Fatal(err)
	}
	if res := syncOK(t, a, url); res.AtHub.Quarantined == 0 {
		t.Fatalf("the hub did not hold c's work: %+v", res.AtHub)
	}
	syncOK(t, b, url)
	if slices.Contains(titlesOf(t, b), "From C, relayed by A") {
		t.Fatal("a held change reached b before its release")
	}
	cSite := mustSite(t, c)
	if _, err := hub.ReleaseQuarantine(ctx, "zz"+cSite.String()[2:]); !errors.Is(err, data.ErrNotAuthorID) {
		t.Fatalf("release with an id that is not hex: %v", err)
	}
	res, err := hub.ReleaseQuarantine(ctx, cSite.String()[:8])
	if err != nil || res.Applied == 0 {
		t.Fatalf("release at the hub: %+v %v", res, err)
	}
	if q, err := hub.Quarantine(ctx); err != nil || len(q) != 0 {
		t.Fatalf("the hub still holds %+v (%v)", q, err)
	}
	if _, err := hub.ReleaseQuarantine(ctx, cSite.String()); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("a second release: %v", err)
	}
	if v, _ := hub.Vector(ctx); v[cSite] == 0 {
		t.Fatal("the hub does not count c's released work as held")
	}
	syncOK(t, b, url)
	if !slices.Contains(titlesOf(t, b), "From C, relayed by A") {
		t.Fatalf("b holds %v after the release at the hub", titlesOf(t, b))
	}
	if digestOf(t, b) != digestOf(t, hub) {
		t.Fatal("b's digest differs from the hub's")
	}
}

// A laptop whose clock ran a month and more ahead stamps its work so: the
// hub holds it for review (no honest clock is that far ahead), and what
// the laptop does next waits behind it. The operator discards it all.
// The discarded changes are never served, are not held again when sent
// again, and, once the hub's time has caught up with the
// laptop's stamps, the laptop's later work applies at the hub and
// reaches the other laptops past the gap.
func discardedHeldCommitNeverServedAndDoesNotBlock(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	clock := &movableClock{now: Day}
	hub := newHub(t, clock.read)
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	addExchange(t, a, "On time")
	syncOK(t, a, url)
	a.Now = Ticking(Day.Add(data.MaxStampLead + 10*24*time.Hour))
	addExchange(t, a, "Stamped ahead")
	if res := syncOK(t, a, url); len(res.AtHub.Held) == 0 || res.AtHub.Held[0].Reason != "invalid" {
		t.Fatalf("the hub did not hold the work stamped ahead: %+v", res.AtHub)
	}
	addExchange(t, a, "Waits behind it")
	syncOK(t, a, url)
	aSite := mustSite(t, a)
	n, err := hub.DiscardQuarantine(ctx, aSite.String())
	if err != nil || n == 0 {
		t.Fatalf("discard at the hub: %d %v", n, err)
	}
	if q, err := hub.Quarantine(ctx); err != nil || len(q) != 0 {
		t.Fatalf("the hub still holds %+v (%v)", q, err)
	}
	// Sent again (a had not heard of the discard): had, not held again;
	// the hub's vector moves over them, so a stops sending them.
	if res := syncOK(t, a, url); res.AtHub.Quarantined != 0 || res.AtHub.Applied != 0 {
		t.Fatalf("the discarded changes sent again: %+v", res.AtHub)
	}
	if res := syncOK(t, a, url); res.Pushed.Changes != 0 {
		t.Fatalf("a sends %d changes again after the discard", res.Pushed.Changes)
	}
	clock.skip(data.MaxStampLead + 20*24*time.Hour) // the hub's time catches up
	b.Now = Ticking(Day.Add(data.MaxStampLead + 20*24*time.Hour))
	addExchange(t, a, "Later work")
	syncOK(t, a, url)
	if q, err := hub.Quarantine(ctx); err != nil || len(q) != 0 {
		t.Fatalf("a's later work is held: %+v (%v)", q, err)
	}
	if v, _ := hub.Vector(ctx); v[aSite] != func() int64 { av, _ := a.Vector(ctx); return av[aSite] }() {
		t.Fatalf("the hub's vector stops at %d for a: the discarded seqs block its later work", v[aSite])
	}
	syncOK(t, b, url)
	got := titlesOf(t, b)
	if !slices.Contains(got, "Later work") || !slices.Contains(got, "On time") || slices.Contains(got, "Stamped ahead") || slices.Contains(got, "Waits behind it") {
		t.Fatalf("b holds %v: want a's work on time and later, never the discarded", got)
	}
}

// A device's work held at the hub (stamped ahead by a wrong clock), then
// the device rotates its key: the operator's release checks each held
// commit with the key the device held at its seqs, the old key before the
// rotation and the new one after, and both reach the other laptops.
func releaseChecksHeldWorkByTheKeyHistory(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	ahead := Day.Add(data.MaxStampLead + 10*24*time.Hour)
	a.Now = Ticking(ahead)
	addExchange(t, a, "Stamped ahead")
	if res := syncOK(t, a, url); res.AtHub.Quarantined == 0 {
		t.Fatalf("the hub did not hold the work stamped ahead: %+v", res.AtHub)
	}
	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the rotation")
	syncOK(t, a, url)
	hubKeyOf(t, hub, rot.Identity.Site, rot.Identity, 1)
	res, err := hub.ReleaseQuarantine(ctx, rot.Identity.Site.String())
	if err != nil || res.Applied == 0 {
		t.Fatalf("release at the hub: %+v %v", res, err)
	}
	if q, err := hub.Quarantine(ctx); err != nil || len(q) != 0 {
		t.Fatalf("the hub still holds %+v (%v)", q, err)
	}
	b.Now = Ticking(ahead.Add(time.Hour))
	syncOK(t, b, url)
	if got := titlesOf(t, b); !slices.Contains(got, "Stamped ahead") || !slices.Contains(got, "After the rotation") {
		t.Fatalf("b holds %v after the release: want a's work from before and after its rotation", got)
	}
}
