package replication

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// openHQ is HQ's store: posted to IHQ, holding the organisation's key.
func openHQ(t testing.TB) (*store.Store, data.Org) {
	t.Helper()
	hq := openReplicaAt(t, "Brig HQ", "IHQ", day)
	org, _, err := hq.InitOrg(context.Background(), "Indian Liaison Officers")
	if err != nil {
		t.Fatalf("org init: %v", err)
	}
	return hq, org
}

// openReplicaAt is openReplica posted to posting.
func openReplicaAt(t testing.TB, officer, posting string, start time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), t.TempDir()+"/store.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := start
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Commander", Posting: posting}); err != nil {
		t.Fatal(err)
	}
	return s
}

// member is a device HQ enrolled under name, which has run org trust.
func member(t testing.TB, hq *store.Store, org data.Org, officer, name string, role data.Role) *store.Store {
	t.Helper()
	s := openReplica(t, officer, day)
	if _, _, err := hq.Enrol(context.Background(), mustIdentity(t, s), name, role, ""); err != nil {
		t.Fatalf("enrol %s: %v", name, err)
	}
	if _, err := s.TrustOrg(context.Background(), org.String()); err != nil {
		t.Fatal(err)
	}
	return s
}

func mustImport(t *testing.T, to *store.Store, b []byte) data.ImportResult {
	t.Helper()
	return importOK(t, to, b)
}

func importErr(t *testing.T, to *store.Store, b []byte) error {
	t.Helper()
	_, _, err := ImportBundle(context.Background(), to, bytes.NewReader(b))
	if err == nil {
		t.Fatal("the bundle was imported; want it refused")
	}
	return err
}

// Enrolment once at HQ is all: the roster reaches a laptop with HQ's
// bundle, and from then on laptops that never enrolled each other apply
// each other's work, sent directly or relayed.
func TestCertifiedDevicesApplyEachOthersWorkWithNoPairwiseEnrolment(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	b := member(t, hq, org, "Cdr B", "bravo", data.RoleLaptop)
	c := member(t, hq, org, "Cdr C", "charlie", data.RoleLaptop)

	mustImport(t, a, bundle(t, hq, "alpha")) // the roster, and a's own certificate
	addExchange(t, a, "Boarding drill, alpha")
	// b has only run org trust: a's certificate in the header is enough.
	res := mustImport(t, b, bundle(t, a, "bravo"))
	if res.Applied == 0 || res.Quarantined != 0 {
		t.Fatalf("b applied %d, held %d: want a's work applied, nothing held", res.Applied, res.Quarantined)
	}
	addExchange(t, b, "Port visit, bravo")
	res = mustImport(t, c, bundle(t, b, "charlie")) // a's work relayed by b
	if res.Quarantined != 0 {
		t.Fatalf("c held %d changes of certified devices: %+v", res.Quarantined, res.Held)
	}
	if countExchanges(t, c) != countExchanges(t, b) {
		t.Fatalf("c holds %d exchanges, b %d", countExchanges(t, c), countExchanges(t, b))
	}
	for _, s := range []*store.Store{a, b, c} {
		peers, err := s.Peers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range peers {
			if p.Role == "" {
				t.Fatalf("a peer enrolled by hand: %+v", p)
			}
		}
	}
}

// A revocation names the last change that stays valid: what the device
// wrote before is kept everywhere, what it wrote after is held for review
// on every replica, even where it had arrived before the revocation.
func TestARevocationHoldsTheDevicesLaterChangesEverywhereAndKeepsTheEarlierOnes(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	b := member(t, hq, org, "Cdr B", "bravo", data.RoleLaptop)
	mustImport(t, a, bundle(t, hq, "alpha"))
	mustImport(t, b, bundle(t, hq, "bravo"))
	addExchange(t, a, "Before the revocation")
	mustImport(t, hq, bundle(t, a, "hq"))
	mustImport(t, b, bundle(t, a, "bravo"))
	before := countExchanges(t, b)
	addExchange(t, a, "After HQ's cut, reaching b first")
	mustImport(t, b, bundle(t, a, "bravo"))
	if countExchanges(t, b) != before+1 {
		t.Fatal("b did not apply a's second change before the revocation")
	}

	rev, err := hq.Revoke(ctx, "alpha", "laptop lost")
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, b, bundle(t, hq, "bravo"))
	if got := countExchanges(t, b); got != before {
		t.Fatalf("b shows %d exchanges after the revocation, want %d: the change past the cut stays applied", got, before)
	}
	v, _ := b.Vector(ctx)
	aID, _ := a.Identity(ctx)
	if v[aID.Site] != rev.LastSeq {
		t.Fatalf("b holds a's changes up to %d, want the cut %d", v[aID.Site], rev.LastSeq)
	}
	q, err := b.Quarantine(ctx)
	if err != nil || len(q) != 1 || q[0].Reason != "revoked" || !strings.Contains(q[0].Detail, "revoked by the organisation") {
		t.Fatalf("held at b: %+v, %v; want a's later change held as revoked", q, err)
	}
	// a's own bundles are refused now, with the reason.
	err = importErr(t, b, bundle(t, a, "bravo"))
	if !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "revoked by the organisation") {
		t.Fatalf("a's bundle after its revocation: %v", err)
	}
	mustImport(t, hq, bundle(t, b, "hq"))
	if digest(t, b) != digest(t, hq) {
		t.Fatal("b and HQ differ after the revocation")
	}
}

// Every refusal of the organisation's roster says why and changes nothing.
func TestCertificatesThatDoNotHoldAreRefusedAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	b := member(t, hq, org, "Cdr B", "bravo", data.RoleLaptop)

	t.Run("another organisation's certificate", func(t *testing.T) {
		other, _ := openHQ(t) // another organisation, same name even
		x := openReplica(t, "Cdr X", day)
		if _, _, err := other.Enrol(ctx, mustIdentity(t, x), "xray", data.RoleLaptop, ""); err != nil {
			t.Fatal(err)
		}
		otherOrg, _, _ := other.Org(ctx)
		x.TrustOrg(ctx, otherOrg.String())
		mustImport(t, x, bundle(t, other, "xray"))
		x.AddPeer(ctx, "bravo", mustIdentity(t, b))
		addExchange(t, x, "From another organisation")
		before := digest(t, b)
		err := importErr(t, b, bundle(t, x, "bravo"))
		if !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "another organisation") {
			t.Fatalf("got %v", err)
		}
		if digest(t, b) != before {
			t.Fatal("b changed")
		}
	})
	t.Run("no certificate", func(t *testing.T) {
		x := openReplica(t, "Cdr Z", day)
		x.AddPeer(ctx, "bravo", mustIdentity(t, b))
		addExchange(t, x, "From a stranger")
		before := digest(t, b)
		err := importErr(t, b, bundle(t, x, "bravo"))
		if !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "presents no certificate of organisation Indian Liaison Officers") {
			t.Fatalf("got %v", err)
		}
		if digest(t, b) != before {
			t.Fatal("b changed")
		}
	})
	t.Run("expired", func(t *testing.T) {
		x := openReplica(t, "Cdr Y", day)
		if _, _, err := hq.Enrol(ctx, mustIdentity(t, x), "yankee", data.RoleLaptop, "2026-11-25"); err != nil {
			t.Fatal(err)
		}
		x.TrustOrg(ctx, org.String())
		mustImport(t, x, bundle(t, hq, "yankee"))
		addExchange(t, x, "Sent after the certificate ran out")
		late := openReplica(t, "Cdr L", day.Add(72*time.Hour))
		if _, _, err := hq.Enrol(ctx, mustIdentity(t, late), "lima", data.RoleLaptop, ""); err != nil {
			t.Fatal(err)
		}
		late.TrustOrg(ctx, org.String())
		mustImport(t, x, bundle(t, hq, "yankee")) // x learns of lima
		before := digest(t, late)
		err := importErr(t, late, bundle(t, x, "lima"))
		if !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "expired on 2026-11-25") {
			t.Fatalf("got %v", err)
		}
		if digest(t, late) != before {
			t.Fatal("the store changed")
		}
	})
}

// The hub and the laptops know only the organisation's key: the laptop
// syncs with a hub certified as a hub, with no peers add on either side; a
// revoked laptop, and an uncertified one, get 403 before their body is
// read.
func TestALaptopSyncsWithACertifiedHubAndARevokedOneIsRefused(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	hub := member(t, hq, org, "Hub Delhi", "hub", data.RoleHub)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	b := member(t, hq, org, "Cdr B", "bravo", data.RoleLaptop)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()

	if _, err := SyncHub(ctx, hq, srv.URL, nil); err != nil {
		t.Fatalf("HQ's first sync: %v", err)
	}
	addExchange(t, a, "Alpha's work")
	if _, err := SyncHub(ctx, a, srv.URL, nil); err != nil {
		t.Fatalf("a: %v", err)
	}
	res, err := SyncHub(ctx, b, srv.URL, nil)
	if err != nil {
		t.Fatalf("b: %v", err)
	}
	if res.Pulled.Quarantined != 0 || countExchanges(t, b) != countExchanges(t, a) {
		t.Fatalf("b pulled %+v: want a's work applied", res.Pulled)
	}

	if _, err := hq.Revoke(ctx, "bravo", "tour ended"); err != nil {
		t.Fatal(err)
	}
	if _, err := SyncHub(ctx, hq, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	before := digest(t, hub)
	addExchange(t, b, "After the revocation")
	_, err = SyncHub(ctx, b, srv.URL, nil)
	var he *HubError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("the revoked laptop's sync: %v, want 403", err)
	}
	if digest(t, hub) != before {
		t.Fatal("the hub changed")
	}

	stranger := openReplica(t, "Cdr S", day)
	stranger.TrustOrg(ctx, org.String())
	if _, err := SyncHub(ctx, stranger, srv.URL, nil); !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("an uncertified laptop's sync: %v, want 403", err)
	}
}

// A laptop will not take a laptop for its hub, whatever it answers.
func TestALaptopRefusesAHubCertifiedAsALaptop(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	fake := member(t, hq, org, "Cdr F", "foxtrot", data.RoleLaptop)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	mustImport(t, fake, bundle(t, hq, "foxtrot"))
	srv := httptest.NewServer((&Hub{R: fake}).Handler())
	defer srv.Close()
	_, err := SyncHub(ctx, a, srv.URL, nil)
	if !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "not as a hub") {
		t.Fatalf("got %v", err)
	}
}

// A revocation the laptop holds reaches its hub too: it will not sync
// with a revoked hub, whatever certificate the hub still presents.
func TestALaptopRefusesARevokedHub(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	hub := member(t, hq, org, "Hub Delhi", "hub", data.RoleHub)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	if _, err := SyncHub(ctx, hq, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := hq.Revoke(ctx, "hub", "compromised"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, a, bundle(t, hq, "alpha"))
	before := digest(t, a)
	_, err := SyncHub(ctx, a, srv.URL, nil)
	if !errors.Is(err, data.ErrUntrusted) || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("got %v", err)
	}
	if digest(t, a) != before {
		t.Fatal("the laptop changed")
	}
}

// A store in no organisation still takes a member's bundle when it
// enrolled the member by hand: the roster in the header is not its
// business, and peers add keeps working.
func TestAStoreWithoutAnOrganisationTakesAnEnrolledMembersBundle(t *testing.T) {
	hq, org := openHQ(t)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	mustImport(t, a, bundle(t, hq, "alpha"))
	plain := openReplica(t, "Cdr P", day)
	enrol2(t, a, plain) // a calls it "c", it calls a "a"
	addExchange(t, a, "To a store without an organisation")
	res := mustImport(t, plain, bundle(t, a, "c"))
	if countExchanges(t, plain) != 1 {
		t.Fatalf("the member's exchange was not applied: %+v", res)
	}
	hqSite, _ := hq.Identity(context.Background())
	for _, h := range res.Held { // HQ's own changes, relayed: HQ is not enrolled here
		if h.Author != hqSite.Site.String() || h.Reason != "unknown" {
			t.Fatalf("held %+v", h)
		}
	}
	if n, _, _ := plain.RosterLines(context.Background()); len(n) != 0 {
		t.Fatalf("a store without an organisation kept %d roster entries", len(n))
	}
}
