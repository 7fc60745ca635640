package replicatest

// Key rotation through a hub (docs/ARCHITECTURE.md §4.4): the hub takes a
// device's signed statement from its sync, keeps it, carries it on to the
// laptops in its replies, and verifies each commit with the key its author
// held at that commit's seqs. A statement that does not continue the key
// history the hub holds refuses the whole import, as at a laptop.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// rotationBy is a statement, signed by key, that site's key becomes a
// fresh one from seq from on.
func rotationBy(t testing.TB, key ed25519.PrivateKey, site data.SiteID, from int64) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	st, err := data.SignRotation(key, data.Rotation{Site: site.String(), OldKey: fmt.Sprintf("%x", []byte(key.Public().(ed25519.PublicKey))),
		NewKey: fmt.Sprintf("%x", []byte(pub)), Age: "age1x", FromSeq: from, Issued: Day.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	return st.String()
}

// hubKeyOf wants the hub to hold want as site's key, for its requests
// and in its peer list, and n rotation statements.
func hubKeyOf(t testing.TB, hub Hub, site data.SiteID, want data.Identity, n int) {
	t.Helper()
	ctx := context.Background()
	key, err := hub.SenderKey(ctx, site)
	if err != nil || !bytes.Equal(want.PublicKey, key) {
		t.Fatalf("the hub takes %x as the device's key (%v), want %x", key, err, []byte(want.PublicKey))
	}
	peers, err := hub.Peers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range peers {
		if p.Identity.Site == site && (!p.Identity.PublicKey.Equal(want.PublicKey) || p.Identity.AgeRecipient != want.AgeRecipient) {
			t.Fatalf("the hub's peer %s: %s, want %s", p.Name, p.Identity, want)
		}
	}
	if lines, err := hub.RotationLines(ctx); err != nil || len(lines) != n {
		t.Fatalf("the hub holds %d rotation statements (%v), want %d", len(lines), err, n)
	}
}

// A device that rotated its key keeps syncing through the hub, which
// replies to its new age key; a laptop that syncs only afterwards gets
// the device's older and newer work in one pull, with the statement that
// tells it which key signs which, and its own later work reaches the
// device.
func rotatedDeviceKeepsSyncing(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	addExchange(t, a, "Before the rotation")
	syncOK(t, a, url)
	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the rotation")
	syncOK(t, a, url) // signed with the new key: the hub follows the statement
	syncOK(t, a, url) // the statement again: a no-op
	hubKeyOf(t, hub, rot.Identity.Site, rot.Identity, 1)

	res := syncOK(t, b, url)
	if res.Pulled.Quarantined != 0 || exchanges(t, b) != 2 {
		t.Fatalf("b holds %d exchanges and held %+v: want a's work before and after its rotation applied", exchanges(t, b), res.Pulled.Held)
	}
	peers, _ := b.Peers(ctx)
	for _, p := range peers {
		if p.Identity.Site == rot.Identity.Site && !p.Identity.PublicKey.Equal(rot.Identity.PublicKey) {
			t.Fatalf("b's peer a after the rotation: %s, want the new key", p.Identity)
		}
	}
	addExchange(t, b, "Reply from b")
	syncOK(t, b, url)
	syncOK(t, a, url)
	if exchanges(t, a) != 3 {
		t.Fatalf("a holds %d exchanges after its rotation, want b's reply too", exchanges(t, a))
	}
	syncOK(t, b, url)
	d := digestOf(t, hub)
	for name, l := range map[string]*store.Store{"a": a, "b": b} {
		if digestOf(t, l) != d {
			t.Fatalf("laptop %s's digest differs from the hub's", name)
		}
		if r, err := l.Check(ctx); err != nil || len(r.Problems) > 0 {
			t.Fatalf("laptop %s: %+v %v", name, r, err)
		}
	}
}

// A rotation statement not signed by the device's current key refuses the
// whole import, as a laptop refuses it (data/store/rotate.go
// takeRotations): a thief holding the key the device rotated away from
// cannot rotate it again, nor roll it back with an older statement. The
// hub keeps the device's real key.
func rotationNotByTheCurrentKeyIsRefused(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, x := laptop(t, "Cdr A"), laptop(t, "Cdr X")
	enrolAt(t, hub, a, x)
	url := serve(t, hub)
	old, _ := a.Device()
	syncOK(t, a, url)
	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the rotation")
	syncOK(t, a, url)
	addExchange(t, x, "Cover traffic from x")
	for _, tc := range []struct{ name, line, want string }{
		{"a later rotation by the old key", rotationBy(t, old.PrivateKey, old.Site, 100), "is not signed by the device's current key"},
		{"an older statement replayed", rotationBy(t, old.PrivateKey, old.Site, 1), "an old statement does not roll a key back"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := incoming(t, x, nil)
			in.Rotations = []string{tc.line}
			refusedUnchanged(t, hub, in, tc.want)
			hubKeyOf(t, hub, old.Site, rot.Identity, 1)
		})
	}
	syncOK(t, a, url) // the device carries on
}

// An enrolled relayer cannot rotate another device's key: a statement it
// signed naming that device is refused, with all it carried. A statement
// for a device the hub knows no key of cannot be checked: it is left (not
// taken, not refused), and comes again with the next sync.
func relayerCannotInjectARotation(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, x, stranger := laptop(t, "Cdr A"), laptop(t, "Cdr X"), laptop(t, "Cdr S")
	enrolAt(t, hub, a, x)
	url := serve(t, hub)
	syncOK(t, a, url)
	aID, _ := a.Identity(ctx)
	xDev, _ := x.Device()
	sDev, _ := stranger.Device()
	addExchange(t, x, "Cover traffic from x")
	in := incoming(t, x, nil)
	in.Rotations = []string{rotationBy(t, xDev.PrivateKey, aID.Site, 50)}
	refusedUnchanged(t, hub, in, "is not signed by the key this store holds for that device")
	hubKeyOf(t, hub, aID.Site, aID, 0)

	in.Rotations = []string{rotationBy(t, sDev.PrivateKey, sDev.Site, 5)}
	if res, err := hub.Import(ctx, in); err != nil || res.Applied == 0 {
		t.Fatalf("x's sync carrying a statement the hub cannot check: %+v %v", res, err)
	}
	if lines, _ := hub.RotationLines(ctx); len(lines) != 0 {
		t.Fatalf("the hub took a statement it cannot check: %v", lines)
	}
}

// A hub put back from a copy made before a device rotated its key (it
// holds the device's old key and older work, and neither the statement
// nor what came after) still takes the device's next sync: the statement
// it carries leads from the old key to the new, and what the hub lost is
// sent again and reaches the other laptops.
func restoredHubAcceptsTheRotatedDevice(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	addExchange(t, a, "Before the rotation")
	syncOK(t, a, url) // what the copy holds
	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the rotation")
	// a synced with the hub before it was put back: it records the hub
	// as holding all its work.
	v, err := a.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RecordAck(ctx, mustSite(t, hub), v); err != nil {
		t.Fatal(err)
	}
	res := syncOK(t, a, url)
	if res.HubLost == 0 {
		t.Fatalf("the sync did not resend what the put-back hub lost: %+v", res)
	}
	hubKeyOf(t, hub, rot.Identity.Site, rot.Identity, 1)
	syncOK(t, b, url)
	if exchanges(t, b) != 2 {
		t.Fatalf("b holds %d exchanges, want a's work before and after its rotation", exchanges(t, b))
	}
	if digestOf(t, b) != digestOf(t, hub) {
		t.Fatal("b's digest differs from the hub's")
	}
}

// In an organisation, a hub that knows a laptop only by its certificate
// takes the laptop's rotation from its next sync (the statement is signed
// by the certified key), lists it at its new keys, and another certified
// laptop gets its work from before and after.
func certifiedDeviceRotates(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	hq := inOrg(t, hub, a, b)
	url := serve(t, hub)
	syncOK(t, hq, url)
	addExchange(t, a, "Certified work before the rotation")
	syncOK(t, a, url)
	rot, err := a.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "Certified work after the rotation")
	syncOK(t, a, url)
	syncOK(t, a, url) // the reply goes to its new age key
	hubKeyOf(t, hub, rot.Identity.Site, rot.Identity, 1)
	if res := syncOK(t, b, url); res.Pulled.Quarantined != 0 || exchanges(t, b) != 2 {
		t.Fatalf("b holds %d exchanges and held %+v", exchanges(t, b), res.Pulled.Held)
	}
	if digestOf(t, b) != digestOf(t, hub) {
		t.Fatal("b's digest differs from the hub's")
	}
}
