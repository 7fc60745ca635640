package replication

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net/http/httptest"
	"slices"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// An organisation of HQ, a hub and five laptops, all of which ran org
// trust once and nothing else. HQ enrols laptops as the run goes, and
// revokes some; the devices edit, and sync by bundles (lost or delivered
// twice) and by the hub, in random order. At the end every replica still
// trusted holds the same roster and the same digest, no change of a
// revoked device past its cut is applied anywhere, and nothing of a
// validly certified device is held.
func TestAnOrganisationConvergesWhateverTheOrderOfEnrolmentsRevocationsAndSyncs(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { orgProperty(t, seed) })
	}
}

func orgProperty(t *testing.T, seed int64) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	hq, org := openHQ(t)
	hub := member(t, hq, org, "Hub Delhi", "hub", data.RoleHub)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	type device struct {
		s        *store.Store
		name     string
		enrolled bool
		revoked  bool
	}
	devs := []*device{{s: hq, name: "hq", enrolled: true}, {s: hub, name: "hub", enrolled: true}}
	for i := 0; i < 5; i++ {
		s := openReplica(t, fmt.Sprintf("Cdr %c", 'A'+i), day)
		if _, err := s.TrustOrg(ctx, org.String()); err != nil {
			t.Fatal(err)
		}
		devs = append(devs, &device{s: s, name: fmt.Sprintf("laptop%d", i+1)})
	}
	enrol := func(d *device) {
		if _, _, err := hq.Enrol(ctx, mustIdentity(t, d.s), d.name, data.RoleLaptop, ""); err != nil {
			t.Fatalf("enrol %s: %v", d.name, err)
		}
		d.enrolled = true
	}
	enrol(devs[2])
	enrol(devs[3])
	cuts := map[data.SiteID]int64{}
	// refusedOK: a refusal of an unenrolled or revoked sender, which the
	// run provokes on purpose.
	refusedOK := func(err error) bool {
		var he *HubError
		return errors.Is(err, data.ErrRefused) || errors.Is(err, data.ErrUntrusted) || errors.Is(err, data.ErrNotFound) ||
			errors.Is(err, data.ErrInvalid) || (errors.As(err, &he) && he.Status == 403)
	}
	synced, imported, refused := 0, 0, 0
	sync := func(d *device) {
		if d.s == hub {
			return
		}
		_, err := SyncHub(ctx, d.s, srv.URL, nil)
		switch {
		case err == nil:
			synced++
		case refusedOK(err):
			refused++
		default:
			t.Fatalf("%s syncs: %v", d.name, err)
		}
	}
	for step := 0; step < 240; step++ {
		d := devs[rng.Intn(len(devs))]
		switch k := rng.Intn(10); {
		case k < 4:
			if d.s != hub {
				addExchange(t, d.s, fmt.Sprintf("%s, step %d", d.name, step))
			}
		case k < 6:
			sync(d)
		case k < 9:
			to := devs[rng.Intn(len(devs))]
			if to == d {
				continue
			}
			peers, err := TrustedPeers(ctx, d.s, []string{to.name})
			if err != nil {
				continue // d does not know to yet, or knows it revoked
			}
			var buf bytes.Buffer
			if _, err := WriteBundle(ctx, d.s, peers, &buf); err != nil {
				t.Fatal(err)
			}
			for n := rng.Intn(3); n > 0; n-- { // lost, delivered once, or twice
				_, _, err := ImportBundle(ctx, to.s, bytes.NewReader(buf.Bytes()))
				switch {
				case err == nil:
					imported++
				case refusedOK(err):
					refused++
				default:
					t.Fatalf("step %d: %s's bundle at %s: %v", step, d.name, to.name, err)
				}
			}
		default:
			var waiting, live []*device
			for _, o := range devs[2:] {
				if !o.enrolled {
					waiting = append(waiting, o)
				} else if !o.revoked {
					live = append(live, o)
				}
			}
			switch {
			case len(waiting) > 0 && rng.Intn(2) == 0:
				enrol(waiting[rng.Intn(len(waiting))])
			case len(live) > 2 && len(cuts) < 2:
				o := live[rng.Intn(len(live))]
				rev, err := hq.Revoke(ctx, o.name, "lost")
				if err != nil {
					t.Fatal(err)
				}
				o.revoked = true
				id, _ := o.s.Identity(ctx)
				cuts[id.Site] = rev.LastSeq
			}
		}
	}
	// Everyone still trusted is enrolled by now, and syncs until quiet.
	for _, d := range devs[2:] {
		if !d.enrolled {
			enrol(d)
		}
	}
	for round := 0; round < 3; round++ {
		for _, d := range devs {
			if !d.revoked {
				sync(d)
			}
		}
	}
	var want, wantRoster string
	heldRevoked := 0
	for _, d := range devs {
		if d.revoked {
			continue
		}
		got := digest(t, d.s)
		lines, _, err := d.s.RosterLines(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(lines)
		roster := fmt.Sprint(lines)
		if want == "" {
			want, wantRoster = got, roster
		}
		if got != want || roster != wantRoster {
			t.Fatalf("%s differs from hq: digest %v, roster %v", d.name, got == want, roster == wantRoster)
		}
		all, err := d.s.Outgoing(ctx, data.Vector{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range all.Changes {
			if cut, ok := cuts[c.ID.Site]; ok && c.ID.Seq > cut {
				t.Fatalf("%s applied %s, past its device's revocation at %d", d.name, c.ID, cut)
			}
		}
		held, err := d.s.Quarantine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range held {
			site, _ := data.ParseSiteID(h.Author)
			if _, ok := cuts[site]; !ok {
				t.Fatalf("%s holds changes of a validly certified device: %+v", d.name, h)
			}
			heldRevoked += h.Changes
		}
	}
	t.Logf("seed %d: %d revoked; %d hub syncs, %d bundles imported, %d refused; %d changes past a cut held across the replicas",
		seed, len(cuts), synced, imported, refused, heldRevoked)
}
