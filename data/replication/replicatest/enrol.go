package replicatest

// Enrolling a device at the hub settles what the hub took on a relaying
// peer's word before (data/store/quarantine.go enrolHeld): what is held in
// the device's name that its key did not sign is a forgery, and commits
// released from review under another key go back to review as forgeries.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// forgedAs is what laptop c would push, re-signed by forger's key and
// naming that key as its author's: a forgery in c's name.
func forgedAs(t testing.TB, c, forger *store.Store) data.Incoming {
	t.Helper()
	in := incoming(t, c, nil)
	f, err := forger.Device()
	if err != nil {
		t.Fatal(err)
	}
	for i := range in.Batch.Commits {
		cm := &in.Batch.Commits[i]
		cm.Signature = ed25519.Sign(f.PrivateKey, data.CommitMessage(cm.Site, cm.FirstSeq, cm.LastSeq, cm.Hashes))
	}
	for i := range in.Batch.Authors {
		in.Batch.Authors[i].PublicKey = f.PublicKey()
	}
	return in
}

// A forgery in a device's name, relayed by an enrolled laptop and
// released by the operator on its word, is taken back into review when
// the device itself is enrolled: its changes leave the log and the vector,
// and the device's genuine work, relayed since, is what laptops get.
func enrolmentTakesBackAForgeryReleasedBefore(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b, c, forger := laptop(t, "Cdr A"), laptop(t, "Cdr B"), laptop(t, "Cdr C"), laptop(t, "Cdr F")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	addExchange(t, c, "Genuine work of C")
	in := forgedAs(t, c, forger)
	in.Sender = mustSite(t, b)
	if res, err := hub.Import(ctx, in); err != nil || res.Quarantined == 0 {
		t.Fatalf("the forgery relayed by b: %+v %v", res, err)
	}
	cSite := mustSite(t, c)
	if res, err := hub.ReleaseQuarantine(ctx, cSite.String()); err != nil || res.Applied == 0 {
		t.Fatalf("the operator releases it on b's word: %+v %v", res, err)
	}
	if _, err := hub.AddPeer(ctx, "c", identityOf(t, c)); err != nil {
		t.Fatal(err)
	}
	if v, _ := hub.Vector(ctx); v[cSite] != 0 {
		t.Fatalf("the hub still serves %d changes in c's name that c's key did not sign", v[cSite])
	}
	q, err := hub.Quarantine(ctx)
	if err != nil || len(q) != 1 || q[0].Reason != "forged" {
		t.Fatalf("the hub's review list after c's enrolment: %+v %v", q, err)
	}
	// a relays c's genuine work: it applies, and is what b gets.
	if _, err := a.AddPeer(ctx, "c", identityOf(t, c)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, incoming(t, c, nil)); err != nil {
		t.Fatal(err)
	}
	if res := syncOK(t, a, url); res.AtHub.Applied == 0 {
		t.Fatalf("c's genuine work relayed by a: %+v", res.AtHub)
	}
	if _, err := b.AddPeer(ctx, "c", identityOf(t, c)); err != nil {
		t.Fatal(err)
	}
	if res := syncOK(t, b, url); res.Pulled.Quarantined != 0 || exchanges(t, b) != 1 {
		t.Fatalf("b holds %d exchanges and held %+v: want c's genuine work", exchanges(t, b), res.Pulled.Held)
	}
}

// Held in a device's name, one version its key signed and one it did
// not: enrolling the device marks the second forged, and a release then
// applies the genuine one only.
func enrolmentJudgesWhatIsHeldInTheDevicesName(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b, c, forger := laptop(t, "Cdr A"), laptop(t, "Cdr B"), laptop(t, "Cdr C"), laptop(t, "Cdr F")
	enrolAt(t, hub, a, b)
	addExchange(t, c, "Genuine work of C")
	forged := forgedAs(t, c, forger)
	forged.Sender = mustSite(t, b)
	genuine := incoming(t, c, nil)
	genuine.Sender = mustSite(t, a)
	for _, in := range []data.Incoming{forged, genuine} {
		if res, err := hub.Import(ctx, in); err != nil || res.Quarantined == 0 {
			t.Fatalf("held at the hub: %+v %v", res, err)
		}
	}
	cSite := mustSite(t, c)
	if _, err := hub.ReleaseQuarantine(ctx, cSite.String()); !errors.Is(err, data.ErrTwoKeys) {
		t.Fatalf("a release while two keys are vouched for c: %v", err)
	}
	if _, err := hub.AddPeer(ctx, "c", identityOf(t, c)); err != nil {
		t.Fatal(err)
	}
	q, err := hub.Quarantine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, e := range q {
		reasons[e.Reason]++
	}
	if reasons["forged"] != 1 || reasons["unknown"] != 1 {
		t.Fatalf("after c's enrolment the hub holds %+v: want the forgery marked forged and c's own version still held", q)
	}
	if res, err := hub.ReleaseQuarantine(ctx, cSite.String()); err != nil || res.Applied != len(genuine.Batch.Changes) {
		t.Fatalf("release after c's enrolment: %+v %v", res, err)
	}
	if v, _ := hub.Vector(ctx); v[cSite] != genuine.SenderHolds[cSite] {
		t.Fatalf("the hub holds c's work to %d, c made %d", v[cSite], genuine.SenderHolds[cSite])
	}
}
