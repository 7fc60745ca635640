package replication

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// A world is 2–6 laptops and a hub, every device enrolled everywhere,
// each laptop with its own skewed clock. Between checks, random edits are
// made and changes travel by random routes: bundles that may be lost,
// duplicated or imported out of order, receipts that may not come back,
// relays through other laptops, and syncs with the hub. Then a full
// exchange, after which every replica must be identical.
type world struct {
	t       *testing.T
	rng     *rand.Rand
	ctx     context.Context
	laptops []*store.Store
	hub     *store.Store
	hubURL  string
	mail    []letter // bundles written and not yet imported (or kept to import twice)
	n       int      // titles made so far
}

type letter struct {
	to     int
	bundle []byte
}

// fastDir keeps the many small stores on tmpfs when there is one: the
// stores sync every commit, and the test is about merging, not disks.
func fastDir(t *testing.T) string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "ldprop-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func newWorld(t *testing.T, seed uint64, laptops int) *world {
	w := &world{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), ctx: context.Background()}
	dir := fastDir(t)
	open := func(name string, skew time.Duration) *store.Store {
		s, err := store.Open(w.ctx, filepath.Join(dir, name+".db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		clock := day.Add(skew)
		rng := rand.New(rand.NewPCG(seed, uint64(len(name))))
		s.Now = func() time.Time {
			clock = clock.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
			return clock
		}
		if err := s.Init(w.ctx, data.Officer{Name: "Officer " + name, Rank: "Commander", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for i := range laptops {
		// Clocks up to three hours wrong either way.
		skew := time.Duration(w.rng.IntN(6*60)-3*60) * time.Minute
		w.laptops = append(w.laptops, open(fmt.Sprintf("laptop%d", i), skew))
	}
	w.hub = open("hub", 0)
	all := append(slices.Clone(w.laptops), w.hub)
	for i, a := range all {
		for j, b := range all {
			if i != j {
				if _, err := a.AddPeer(w.ctx, w.name(j), mustIdentity(t, b)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	srv := httptest.NewServer((&Hub{R: w.hub}).Handler())
	t.Cleanup(srv.Close)
	w.hubURL = srv.URL
	return w
}

func (w *world) name(i int) string {
	if i == len(w.laptops) {
		return "hub"
	}
	return fmt.Sprintf("laptop%d", i)
}

// ids lists the live records of a kind at a replica.
func (w *world) ids(s *store.Store, kind data.Kind) []string {
	var out []string
	err := s.List(w.ctx, kind, data.ListFilter{}, func(r data.Record) error {
		b, _ := json.Marshal(r)
		var v struct{ ID string }
		json.Unmarshal(b, &v)
		out = append(out, v.ID)
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func (w *world) pick(ids []string) string { return ids[w.rng.IntN(len(ids))] }

// edit makes one random change at laptop i. Refusals by the store's
// rules (say, a final exchange) are part of the game: they change nothing.
func (w *world) edit(i int) {
	s := w.laptops[i]
	exchanges := w.ids(s, "exchange")
	switch op := w.rng.IntN(10); {
	case op < 3 || len(exchanges) == 0:
		w.n++
		addExchange(w.t, s, fmt.Sprintf("Meeting %d", w.n))
	case op < 6:
		field := []string{"title", "location", "summary", "outcome"}[w.rng.IntN(4)]
		value := []string{"Alpha", "Bravo", "Charlie"}[w.rng.IntN(3)] // few values: equal edits merge
		patch, _ := json.Marshal(map[string]string{field: value})
		if err := s.Update(w.ctx, "exchange", w.pick(exchanges), patch); err != nil {
			w.t.Fatalf("update: %v", err)
		}
	case op < 7:
		if err := s.Delete(w.ctx, "exchange", w.pick(exchanges)); err != nil {
			w.t.Fatalf("delete: %v", err)
		}
	case op < 8:
		r := &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", EndUser: "INAS 312",
			Justification: "Aircraft on ground.", RequiredBy: "2027-01-15",
			Lines:   []data.Line{{Description: "Hydraulic pump", NSN: "1650013456789", Quantity: 2, Unit: "EA"}},
			Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}}
		if _, err := s.Add(w.ctx, r); err != nil {
			w.t.Fatalf("add request: %v", err)
		}
	default:
		reqs := w.ids(s, "request")
		if len(reqs) == 0 {
			return
		}
		id := w.pick(reqs)
		rec, err := s.Get(w.ctx, "request", id)
		if err != nil {
			w.t.Fatal(err)
		}
		r := rec.(*data.Request)
		next := data.NextStatuses(r.Direction, r.Status)
		if len(next) == 0 {
			return
		}
		if err := s.SetStatus(w.ctx, id, next[w.rng.IntN(len(next))], "moved on"); err != nil {
			w.t.Fatalf("status: %v", err)
		}
	}
}

// send writes a bundle from laptop i to laptop j into the mail.
func (w *world) send(i, j int) {
	w.mail = append(w.mail, letter{to: j, bundle: bundle(w.t, w.laptops[i], w.name(j))})
}

// deliver imports a random letter; it may stay in the mail to arrive
// again, and its receipt may or may not travel back.
func (w *world) deliver() {
	if len(w.mail) == 0 {
		return
	}
	k := w.rng.IntN(len(w.mail))
	l := w.mail[k]
	if w.rng.IntN(4) > 0 {
		w.mail = slices.Delete(w.mail, k, k+1)
	}
	to := w.laptops[l.to]
	_, b, err := ImportBundle(w.ctx, to, bytes.NewReader(l.bundle))
	if err != nil {
		w.t.Fatalf("import at %s: %v", w.name(l.to), err)
	}
	if w.rng.IntN(2) == 0 {
		var rc bytes.Buffer
		if err := WriteReceipt(w.ctx, to, b.Header.Bundle, &rc); err != nil {
			w.t.Fatal(err)
		}
		sender := slices.IndexFunc(w.laptops, func(s *store.Store) bool { d, _ := s.Device(); return d.Site == b.Sender })
		if _, err := ImportReceipt(w.ctx, w.laptops[sender], &rc); err != nil {
			w.t.Fatalf("receipt: %v", err)
		}
	}
}

func (w *world) syncHub(i int) {
	if _, err := SyncHub(w.ctx, w.laptops[i], w.hubURL, nil); err != nil {
		w.t.Fatalf("hub sync of %s: %v", w.name(i), err)
	}
}

// resolveOne settles a random conflict at laptop i, if it has any.
func (w *world) resolveOne(i int) {
	s := w.laptops[i]
	cs, err := s.Conflicts(w.ctx)
	if err != nil || len(cs) == 0 {
		return
	}
	c := cs[w.rng.IntN(len(cs))]
	keep := c.Values[w.rng.IntN(len(c.Values))].Change
	if err := s.Resolve(w.ctx, c.Kind, c.ID, c.Field, nil, keep); err != nil {
		w.t.Fatalf("resolve %s %s %s: %v", c.Kind, c.ID, c.Field, err)
	}
}

// step is one random event.
func (w *world) step() {
	n := len(w.laptops)
	i := w.rng.IntN(n)
	switch op := w.rng.IntN(20); {
	case op < 8:
		w.edit(i)
	case op < 12:
		j := w.rng.IntN(n)
		if j != i {
			w.send(i, j)
		}
	case op < 15:
		w.deliver()
	case op < 16:
		if len(w.mail) > 0 { // lost in transit
			w.mail = slices.Delete(w.mail, 0, 1)
		}
	case op < 19:
		w.syncHub(i)
	default:
		w.resolveOne(i)
	}
}

// converge runs the full exchange: everyone syncs with the hub twice (the
// second round brings back what others pushed after one's first), and
// then every replica must be identical. full also checks every replica's
// tables against a rebuild from its log, and its signatures.
func (w *world) converge(full bool) {
	for range 2 {
		for i := range w.laptops {
			w.syncHub(i)
		}
	}
	want := digest(w.t, w.hub)
	wantConflicts, err := w.hub.Conflicts(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	wantVector, _ := w.hub.Vector(w.ctx)
	for i, s := range append(slices.Clone(w.laptops), w.hub) {
		if got := digest(w.t, s); got != want {
			w.t.Fatalf("%s differs from the hub after a full exchange", w.name(i))
		}
		v, _ := s.Vector(w.ctx)
		if !v.Covers(wantVector) || !wantVector.Covers(v) {
			w.t.Fatalf("%s holds %v, the hub %v", w.name(i), v, wantVector)
		}
		cs, err := s.Conflicts(w.ctx)
		if err != nil {
			w.t.Fatal(err)
		}
		if string(mustJSON(conflictSet(cs))) != string(mustJSON(conflictSet(wantConflicts))) {
			w.t.Fatalf("%s has conflicts %s, the hub %s", w.name(i), mustJSON(cs), mustJSON(wantConflicts))
		}
		if q, _ := s.Quarantine(w.ctx); len(q) > 0 {
			w.t.Fatalf("%s quarantined changes of enrolled devices: %+v", w.name(i), q)
		}
		if full {
			checkClean(w.t, s)
		}
	}
}

// conflictSet is the part of conflicts that must agree everywhere (the
// officer names come from each replica's own peer list).
func conflictSet(cs []data.Conflict) []string {
	var out []string
	for _, c := range cs {
		for _, v := range c.Values {
			out = append(out, fmt.Sprintf("%s %s %s %s %s %v", c.Kind, c.ID, c.Field, v.Change, v.Value, v.Shown))
		}
	}
	return out
}

// Each world runs rounds of random events, each round ending with a full
// exchange and the convergence check: 40 worlds of 30 rounds are 1,200
// cases (PROPERTY_WORLDS raises the number of worlds).
func TestEveryRouteEndsWithIdenticalReplicas(t *testing.T) {
	worlds, rounds, steps := 40, 30, 10
	if n, err := strconv.Atoi(os.Getenv("PROPERTY_WORLDS")); err == nil && n > 0 {
		worlds = n
	}
	if testing.Short() {
		worlds = 4
	}
	for wn := range worlds {
		seed := uint64(wn + 1)
		laptops := 2 + wn%5
		t.Run(fmt.Sprintf("world %d with %d laptops", wn, laptops), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, seed, laptops)
			for r := range rounds {
				for range steps {
					w.step()
				}
				w.converge(r%10 == 9)
			}
		})
	}
}
