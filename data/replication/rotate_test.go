package replication

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// A device that rotates its key keeps its site and its seqs: a peer that
// enrolled it by hand takes the statement from its next bundle, its old
// commits still verify with the old key and its new ones with the new.
func TestARotatedKeyIsAcceptedByAnEnrolledPeerAndOldCommitsStillVerify(t *testing.T) {
	ctx := context.Background()
	a := openReplica(t, "Cdr A", day)
	c := openReplica(t, "Cdr C", day)
	enrol2(t, a, c)
	addExchange(t, a, "Before the rotation")
	mustImport(t, c, bundle(t, a, "c"))
	oldID, _ := a.Identity(ctx)

	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rot.Identity.Site != oldID.Site || rot.Identity.PublicKey.Equal(oldID.PublicKey) || rot.Identity.AgeRecipient == oldID.AgeRecipient {
		t.Fatalf("after rotate: %v, before %v: want the same site, new keys", rot.Identity, oldID)
	}
	checkClean(t, a) // its own old commits verify with the old key
	addExchange(t, a, "After the rotation")
	res := mustImport(t, c, bundle(t, a, "c"))
	if res.Applied == 0 || res.Quarantined != 0 {
		t.Fatalf("c applied %d, held %d: want a's new work applied", res.Applied, res.Quarantined)
	}
	peers, _ := c.Peers(ctx)
	if len(peers) != 1 || !peers[0].Identity.PublicKey.Equal(rot.Identity.PublicKey) || peers[0].Identity.AgeRecipient != rot.Identity.AgeRecipient {
		t.Fatalf("c's peer a after the rotation: %+v, want the new keys", peers)
	}
	checkClean(t, c)
	// Bundles to a now go to its new age key, and c's work applies there.
	addExchange(t, c, "Reply from c")
	mustImport(t, a, bundle(t, c, "a"))
	if digest(t, a) != digest(t, c) {
		t.Fatal("a and c differ after the rotation")
	}
	// The statement is carried again with every bundle: a no-op.
	mustImport(t, c, bundle(t, a, "c"))
	checkClean(t, c)
}

// In an organisation, a hub and a laptop that only trust the organisation
// take the rotation at their next sync; HQ certifies the new key under the
// same roster name (org enrol with the new identity line), and a laptop
// that meets the device only afterwards applies both its old and new work.
func TestARotationReachesTheHubAndLaptopsAndHQCertifiesTheNewKey(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	hub := member(t, hq, org, "Hub Delhi", "hub", data.RoleHub)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	b := member(t, hq, org, "Cdr B", "bravo", data.RoleLaptop)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	sync := func(s *store.Store) HubResult {
		t.Helper()
		res, err := SyncHub(ctx, s, srv.URL, nil)
		if err != nil {
			t.Fatalf("sync: %v", err)
		}
		return res
	}
	sync(hq)
	addExchange(t, a, "Alpha before the rotation")
	sync(a)
	sync(b)

	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Before the statement reached HQ, HQ cannot certify the new key.
	if _, _, err := hq.Enrol(ctx, rot.Identity.String(), "alpha", data.RoleLaptop, ""); !errors.Is(err, data.ErrNoRotation) {
		t.Fatalf("HQ enrols the new key before the rotation reached it: %v", err)
	}
	addExchange(t, a, "Alpha after the rotation")
	sync(a) // the hub knows only the old certificate: the statement carries it over
	if res := sync(b); res.Pulled.Quarantined != 0 {
		t.Fatalf("b held %+v", res.Pulled.Held)
	}
	sync(hq)
	if _, _, err := hq.Enrol(ctx, rot.Identity.String(), "alpha", data.RoleLaptop, ""); err != nil {
		t.Fatalf("HQ certifies the new key: %v", err)
	}
	late := member(t, hq, org, "Cdr L", "lima", data.RoleLaptop)
	sync(hq)
	if res := sync(late); res.Pulled.Quarantined != 0 {
		t.Fatalf("a laptop meeting alpha after its rotation held %+v", res.Pulled.Held)
	}
	sync(a)
	sync(b)
	sync(hq)
	sync(late)
	want := digest(t, hq)
	for name, s := range map[string]*store.Store{"hub": hub, "a": a, "b": b, "late": late} {
		if digest(t, s) != want {
			v1, _ := s.Vector(ctx)
			v2, _ := hq.Vector(ctx)
			q, _ := s.Quarantine(ctx)
			t.Fatalf("%s differs from HQ: %v vs %v, held %+v", name, v1, v2, q)
		}
		checkClean(t, s)
	}
	rows, _ := hq.RosterRows(ctx)
	for _, r := range rows {
		if r.Name == "alpha" && r.Identity != rot.Identity.String() {
			t.Fatalf("the roster's alpha: %s, want the new identity", r.Identity)
		}
	}
}

// statement signs a rotation of site's key with key, from seq.
func statement(t *testing.T, key ed25519.PrivateKey, site data.SiteID, from int64, issued time.Time) (string, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	st, err := data.SignRotation(key, data.Rotation{Site: site.String(), OldKey: fmt.Sprintf("%x", []byte(key.Public().(ed25519.PublicKey))),
		NewKey: fmt.Sprintf("%x", []byte(pub)), Age: "age1x", FromSeq: from, Issued: issued.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	return st.String(), priv
}

// Every rotation that would not continue the key history held here is
// refused with a reason, and nothing changes.
func TestRotationsThatDoNotHoldAreRefusedAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	a := openReplica(t, "Cdr A", day)
	c := openReplica(t, "Cdr C", day)
	x := openReplica(t, "Cdr X", day)
	enrol2(t, a, c)
	if _, err := c.AddPeer(ctx, "x", mustIdentity(t, x)); err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "Before")
	mustImport(t, c, bundle(t, a, "c"))
	aDev, _ := a.Device()
	xDev, _ := x.Device()

	refused := func(t *testing.T, line, want string) {
		t.Helper()
		before := digest(t, c)
		peersBefore, _ := c.Peers(ctx)
		err := c.AcceptRotation(ctx, line)
		if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, want refused: %q", err, want)
		}
		peersAfter, _ := c.Peers(ctx)
		lines, _ := c.RotationLines(ctx)
		if digest(t, c) != before || fmt.Sprint(peersAfter) != fmt.Sprint(peersBefore) || len(lines) > 1 {
			t.Fatal("the refused rotation changed c")
		}
	}
	t.Run("not signed by the old key", func(t *testing.T) {
		stranger := ed25519.NewKeyFromSeed(make([]byte, 32))
		line, _ := statement(t, stranger, aDev.Site, 10, day)
		refused(t, line, "is not signed by the key this store holds for that device")
	})
	t.Run("altered after signing", func(t *testing.T) {
		line, _ := statement(t, aDev.PrivateKey, aDev.Site, 10, day)
		parts := strings.Fields(line)
		forged := parts[0] + " " + parts[1][:len(parts[1])-2] + "AA " + parts[2]
		refused(t, forged, "")
	})
	t.Run("for another site", func(t *testing.T) {
		// x's own key, naming a's site: x cannot take over a's seqs.
		line, _ := statement(t, xDev.PrivateKey, aDev.Site, 10, day)
		refused(t, line, "is not signed by the key this store holds for that device")
	})
	t.Run("an older statement replayed", func(t *testing.T) {
		if _, err := a.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		addExchange(t, a, "After the first rotation")
		mustImport(t, c, bundle(t, a, "c"))
		// a statement for an earlier seq, signed by the old key (a thief
		// holding the old key, or an old statement kept back)
		line, _ := statement(t, aDev.PrivateKey, aDev.Site, 1, day)
		refused(t, line, "an old statement does not roll a key back")
	})
}

// A thief holding the new key cannot rewrite what the device signed before
// its rotation: a commit of seqs before the rotation point signed by the
// new key is refused.
func TestTheNewKeyCannotSignChangesBeforeTheRotation(t *testing.T) {
	ctx := context.Background()
	a := openReplica(t, "Cdr A", day)
	c := openReplica(t, "Cdr C", day)
	enrol2(t, a, c)
	addExchange(t, a, "Genuine")
	mustImport(t, c, bundle(t, a, "c"))
	if _, err := a.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	mustImport(t, c, bundle(t, a, "c")) // the statement
	newDev, _ := a.Device()

	// The thief re-signs a's first commit with the new key.
	batch, err := a.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range batch.Commits {
		cm := &batch.Commits[i]
		if cm.Site == newDev.Site {
			cm.Signature = ed25519.Sign(newDev.PrivateKey, data.CommitMessage(cm.Site, cm.FirstSeq, cm.LastSeq, cm.Hashes))
		}
	}
	before := digest(t, c)
	_, err = c.Import(ctx, data.Incoming{Sender: newDev.Site, Batch: batch})
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "the new key signs only later changes") {
		t.Fatalf("got %v, want the back-dated commit refused", err)
	}
	if digest(t, c) != before {
		t.Fatal("c changed")
	}
}

// A relayer passes on the work of a rotated device to a laptop that never
// enrolled it: the old and new commits are held for review there like any
// unknown author's, each checked against the key its statements give for
// its seqs, and the sync is not refused.
func TestARotatedDevicesWorkRelayedToAStrangerIsHeldNotRefused(t *testing.T) {
	ctx := context.Background()
	a := openReplica(t, "Cdr A", day)
	b := openReplica(t, "Cdr B", day)
	c := openReplica(t, "Cdr C", day)
	enrol2(t, a, b) // names "a" and "c" as enrol2 gives them: b calls a "c"
	if _, err := c.AddPeer(ctx, "b", mustIdentity(t, b)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddPeer(ctx, "carol", mustIdentity(t, c)); err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "Before the rotation")
	if _, err := a.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the rotation")
	mustImport(t, b, bundle(t, a, "c"))
	checkClean(t, b) // b met a's rotation with a's first work
	res := mustImport(t, c, bundle(t, b, "carol"))
	if res.Quarantined == 0 {
		t.Fatalf("c applied %+v: want a's work held for review", res)
	}
	q, err := c.Quarantine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range q {
		if h.Reason != "unknown" {
			t.Fatalf("held at c: %+v, want every commit held as unknown", q)
		}
	}
}

// A hostile enrolled peer that carries a forged rotation of another
// device's key in its sync is refused whole: nothing it sent is applied,
// and the device's key stays.
func TestAForgedRotationCarriedInASyncRefusesTheWholeImport(t *testing.T) {
	ctx := context.Background()
	a := openReplica(t, "Cdr A", day)
	c := openReplica(t, "Cdr C", day)
	x := openReplica(t, "Cdr X", day)
	enrol2(t, a, c)
	if _, err := c.AddPeer(ctx, "x", mustIdentity(t, x)); err != nil {
		t.Fatal(err)
	}
	mustImport(t, c, bundle(t, a, "c"))
	aDev, _ := a.Device()
	xDev, _ := x.Device()
	addExchange(t, x, "Cover traffic from x")
	batch, err := x.Outgoing(ctx, data.Vector{})
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := statement(t, xDev.PrivateKey, aDev.Site, 50, day)
	before := digest(t, c)
	_, err = c.Import(ctx, data.Incoming{Sender: xDev.Site, Batch: batch, Rotations: []string{forged}})
	if !errors.Is(err, data.ErrRefused) || !strings.Contains(err.Error(), "is not signed by the key this store holds for that device") {
		t.Fatalf("got %v", err)
	}
	if digest(t, c) != before || countExchanges(t, c) != countExchanges(t, a) {
		t.Fatal("c applied part of the refused sync")
	}
	peers, _ := c.Peers(ctx)
	for _, p := range peers {
		if p.Name == "a" && !p.Identity.PublicKey.Equal(aDev.PublicKey()) {
			t.Fatal("a's key changed at c")
		}
	}
}

// A hub that rotates its keys is followed by the laptops that knew its old
// key: its identity answer carries its statements, and the laptop's next
// sync goes to its new keys.
func TestALaptopFollowsARotatedHub(t *testing.T) {
	ctx := context.Background()
	hq, org := openHQ(t)
	hub := member(t, hq, org, "Hub Delhi", "hub", data.RoleHub)
	a := member(t, hq, org, "Cdr A", "alpha", data.RoleLaptop)
	srv := httptest.NewServer((&Hub{R: hub}).Handler())
	defer srv.Close()
	for _, s := range []*store.Store{hq, a} {
		if _, err := SyncHub(ctx, s, srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := hub.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the hub's rotation")
	if _, err := SyncHub(ctx, a, srv.URL, nil); err != nil {
		t.Fatalf("a's sync after the hub rotated: %v", err)
	}
	if digest(t, a) != digest(t, hub) {
		t.Fatal("a and the hub differ")
	}
	checkClean(t, a)
}
