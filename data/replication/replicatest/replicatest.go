// Package replicatest is the conformance suite for a hub's replica: the
// behaviour every store a hub can keep its replica in (the SQLite store,
// the PostgreSQL hub store) must show, run through the real sync code
// against real laptops (SQLite stores in temporary directories). A store
// passes by calling Run from its own tests with a factory for a fresh,
// initialised and unlocked hub replica.
package replicatest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// Hub is a hub's replica under test: the Replica sync uses and what the
// hub's operator does to it (peers add and revoke, digest).
type Hub interface {
	replication.Replica
	AddPeer(ctx context.Context, name, identityLine string) (data.Peer, error)
	RevokePeer(ctx context.Context, name string) error
	Digest(ctx context.Context) (string, error)
	TrustOrg(ctx context.Context, line string) (data.Org, error)
	Quarantine(ctx context.Context) ([]data.QuarantineEntry, error)
	ReleaseQuarantine(ctx context.Context, id string) (data.ImportResult, error)
	DiscardQuarantine(ctx context.Context, id string) (int, error)
}

// NewHub makes a fresh hub replica for t that keeps time by clock (the
// suite's clocks advance a second per reading: Ticking), closed when t
// ends.
type NewHub func(t testing.TB, clock func() time.Time) Hub

// Day is when the suite's clocks start.
var Day = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// Ticking is a clock that starts at start and advances one second per
// reading, as the suite's replicas keep time.
func Ticking(start time.Time) func() time.Time {
	clock := start
	return func() time.Time { clock = clock.Add(time.Second); return clock }
}

// Run runs the suite against hubs made by newHub.
func Run(t *testing.T, newHub NewHub) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, NewHub)
	}{
		{"LaptopsConvergeThroughTheHub", laptopsConvergeThroughTheHub},
		{"AttachmentContentTravelsThroughTheHubInChunks", attachmentContentTravels},
		{"AnUnenrolledDeviceIsRefusedAndChangesNothing", unenrolledDeviceIsRefused},
		{"ARevokedDeviceIsRefusedFromItsNextRequest", revokedDeviceIsRefused},
		{"ATamperedChangeIsRefusedAndNothingApplies", tamperedChangeIsRefused},
		{"AForgedCommitIsRefusedAndNothingApplies", forgedCommitIsRefused},
		{"ATruncatedCommitIsRefused", truncatedCommitIsRefused},
		{"AGapHoldsTheVectorUntilItFills", gapHoldsTheVector},
		{"AnUnknownAuthorsRelayedChangesAreHeldNotServed", unknownAuthorIsHeld},
		{"AReplayedBundleIsANoOp", replayIsANoOp},
		{"AnotherHistoryOfAnEnrolledDeviceIsRefused", clonedDeviceIsRefused},
		{"OutgoingPagesAreBoundedCoveredAndContinue", outgoingPagesContinue},
		{"CertifiedLaptopsSyncWithoutPeersAdd", certifiedLaptopsSync},
		{"ADeviceTheOrganisationRevokedIsRefusedOnceTheRevocationArrives", orgRevokedDeviceIsRefused},
		{"APushOnlySyncRecordsTheAckAndALaterFullSyncDeliversEverything", pushOnlySync},
		{"ADeviceThatRotatedItsKeyKeepsSyncingAndLaptopsGetItsOldAndNewWork", rotatedDeviceKeepsSyncing},
		{"ARotationNotSignedByTheDevicesCurrentKeyIsRefused", rotationNotByTheCurrentKeyIsRefused},
		{"ARelayerCannotInjectARotationForAnotherDevice", relayerCannotInjectARotation},
		{"ARestoredHubStillAcceptsTheRotatedDevice", restoredHubAcceptsTheRotatedDevice},
		{"ACertifiedDeviceThatRotatedItsKeyKeepsSyncing", certifiedDeviceRotates},
		{"AHeldCommitReleasedAtTheHubIsServedToLaptops", releasedHeldCommitIsServed},
		{"ADiscardedHeldCommitIsNeverServedAndDoesNotBlockTheAuthorsLaterWork", discardedHeldCommitNeverServedAndDoesNotBlock},
		{"AReleaseChecksHeldWorkByTheAuthorsKeyHistory", releaseChecksHeldWorkByTheKeyHistory},
		{"AnEnrolmentTakesBackAForgeryReleasedBefore", enrolmentTakesBackAForgeryReleasedBefore},
		{"AnEnrolmentJudgesWhatIsHeldInTheDevicesName", enrolmentJudgesWhatIsHeldInTheDevicesName},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newHub) })
	}
}

// laptop is a real laptop store with the suite's clock.
func laptop(t testing.TB, officer string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = Ticking(Day)
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatalf("init: %v", err)
	}
	return s
}

func identityOf(t testing.TB, r replication.Replica) string {
	t.Helper()
	id, err := r.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

// enrolAt makes the hub and each laptop trust each other, and the
// laptops each other (what they relay through the hub is theirs); laptop
// i is "dev<i>" at the hub and at the other laptops.
func enrolAt(t testing.TB, hub Hub, laptops ...*store.Store) {
	t.Helper()
	ctx := context.Background()
	for i, l := range laptops {
		for j, o := range laptops {
			if i != j {
				if _, err := o.AddPeer(ctx, "dev"+string(rune('a'+i)), identityOf(t, l)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := hub.AddPeer(ctx, "dev"+string(rune('a'+i)), identityOf(t, l)); err != nil {
			t.Fatalf("enrol laptop %d at the hub: %v", i, err)
		}
		if _, err := l.AddPeer(ctx, "hub", identityOf(t, hub)); err != nil {
			t.Fatalf("enrol the hub at laptop %d: %v", i, err)
		}
	}
}

func serve(t testing.TB, hub Hub) string {
	t.Helper()
	srv := httptest.NewServer((&replication.Hub{R: hub}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func syncOK(t testing.TB, l *store.Store, url string) replication.HubResult {
	t.Helper()
	res, err := replication.SyncHub(context.Background(), l, url, nil)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func addExchange(t testing.TB, s *store.Store, title string) string {
	t.Helper()
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title,
		OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
		Summary: "Boarding drills.", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
	ids, err := s.Add(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

type digester interface {
	Digest(ctx context.Context) (string, error)
}

func digestOf(t testing.TB, r digester) string {
	t.Helper()
	d, err := r.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func exchanges(t testing.TB, s *store.Store) int64 {
	t.Helper()
	c, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c["exchanges"]
}

func laptopsConvergeThroughTheHub(t *testing.T, newHub NewHub) {
	hub := newHub(t, Ticking(Day))
	a, b, c := laptop(t, "Cdr A"), laptop(t, "Cdr B"), laptop(t, "Cdr C")
	enrolAt(t, hub, a, b, c)
	url := serve(t, hub)
	for i := range 3 {
		addExchange(t, a, "From A "+string(rune('0'+i)))
	}
	addExchange(t, b, "From B")
	syncOK(t, a, url)
	syncOK(t, b, url)
	syncOK(t, c, url)
	syncOK(t, a, url)
	for _, l := range []*store.Store{a, b, c} {
		if n := exchanges(t, l); n != 4 {
			t.Fatalf("a laptop holds %d exchanges, want 4", n)
		}
	}
	syncOK(t, b, url) // b now hears of c's seeds, relayed
	d := digestOf(t, hub)
	for i, l := range []*store.Store{a, b} {
		if got := digestOf(t, l); got != d {
			t.Fatalf("laptop %d's digest differs from the hub's after syncing", i)
		}
	}
}

func attachmentContentTravels(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	id := addExchange(t, a, "Briefing with slides")
	content := make([]byte, 2<<20+777) // over two chunks
	for i := range content {
		content[i] = byte(i * 31)
	}
	p := filepath.Join(t.TempDir(), "slides.pdf")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	att, err := a.Attach(ctx, data.KindExchange, id, p, store.AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	syncOK(t, a, url)
	syncOK(t, b, url)
	for name, r := range map[string]replication.Replica{"hub": hub, "laptop b": b} {
		var buf bytes.Buffer
		if err := r.WriteContent(ctx, att.SHA256, &buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(buf.Bytes(), content) {
			t.Fatalf("%s holds other content", name)
		}
	}
}

func unenrolledDeviceIsRefused(t *testing.T, newHub NewHub) {
	hub := newHub(t, Ticking(Day))
	a, stranger := laptop(t, "Cdr A"), laptop(t, "Cdr S")
	enrolAt(t, hub, a)
	if _, err := stranger.AddPeer(context.Background(), "hub", identityOf(t, hub)); err != nil {
		t.Fatal(err)
	}
	url := serve(t, hub)
	before := digestOf(t, hub)
	addExchange(t, stranger, "Not for this hub")
	_, err := replication.SyncHub(context.Background(), stranger, url, nil)
	var he *replication.HubError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("want 403 for a device the hub never enrolled, got %v", err)
	}
	if digestOf(t, hub) != before {
		t.Fatal("the refused push changed the hub")
	}
}

func revokedDeviceIsRefused(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	url := serve(t, hub)
	syncOK(t, a, url)
	if err := hub.RevokePeer(ctx, "deva"); err != nil {
		t.Fatal(err)
	}
	before := digestOf(t, hub)
	addExchange(t, a, "After revocation")
	_, err := replication.SyncHub(ctx, a, url, nil)
	var he *replication.HubError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("want 403 for a revoked device, got %v", err)
	}
	if digestOf(t, hub) != before {
		t.Fatal("the revoked device's push changed the hub")
	}
	if err := hub.RevokePeer(ctx, "deva"); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("a second revocation: %v", err)
	}
}

// incoming is what laptop l would push to the hub now.
func incoming(t testing.TB, l *store.Store, have data.Vector) data.Incoming {
	t.Helper()
	ctx := context.Background()
	b, err := l.Outgoing(ctx, have)
	if err != nil {
		t.Fatal(err)
	}
	v, err := l.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := l.Device()
	return data.Incoming{Sender: dev.Site, SenderHolds: v, Batch: b}
}

// refusedUnchanged imports in and wants a refusal naming want, with the
// hub unchanged.
func refusedUnchanged(t *testing.T, hub Hub, in data.Incoming, want string) {
	t.Helper()
	before := digestOf(t, hub)
	held, err := hub.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = hub.Import(context.Background(), in)
	if !errors.Is(err, data.ErrRefused) || !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Fatalf("want a refusal saying %q, got %v", want, err)
	}
	if digestOf(t, hub) != before {
		t.Fatal("the refused import changed the hub")
	}
	v, err := hub.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !v.Covers(held) || !held.Covers(v) {
		t.Fatalf("the refused import moved the hub's vector: %v", v)
	}
}

func tamperedChangeIsRefused(t *testing.T, newHub NewHub) {
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	addExchange(t, a, "Genuine")
	in := incoming(t, a, nil)
	last := &in.Batch.Changes[len(in.Batch.Changes)-1]
	last.Fields = bytes.Replace(last.Fields, []byte("Genuine"), []byte("Altered"), 1)
	refusedUnchanged(t, hub, in, "does not match the hash its author signed")
}

func forgedCommitIsRefused(t *testing.T, newHub NewHub) {
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	addExchange(t, a, "Genuine")
	in := incoming(t, a, nil)
	in.Batch.Commits[0].Signature[0] ^= 1
	refusedUnchanged(t, hub, in, "is not signed by the enrolled key of deva")
}

func truncatedCommitIsRefused(t *testing.T, newHub NewHub) {
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	addExchange(t, a, "Several changes in one commit") // the seed commit is one of many changes
	in := incoming(t, a, nil)
	in.Batch.Changes = in.Batch.Changes[1:]
	refusedUnchanged(t, hub, in, "arrived without 1 of its changes")
}

func gapHoldsTheVector(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	first := incoming(t, a, nil)
	addExchange(t, a, "Second")
	all := incoming(t, a, nil)
	dev, _ := a.Device()
	// Only what came after the first push: a gap before it.
	tail := incoming(t, a, first.SenderHolds)
	if _, err := hub.Import(ctx, tail); err != nil {
		t.Fatalf("import the tail: %v", err)
	}
	v, _ := hub.Vector(ctx)
	if v[dev.Site] != 0 {
		t.Fatalf("the hub claims %d of a's changes with a gap before them", v[dev.Site])
	}
	res, err := hub.Import(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	v, _ = hub.Vector(ctx)
	if v[dev.Site] != all.SenderHolds[dev.Site] || res.AlreadyHad != len(tail.Batch.Changes) {
		t.Fatalf("after the gap filled the hub holds %d of %d (already had %d)", v[dev.Site], all.SenderHolds[dev.Site], res.AlreadyHad)
	}
}

func unknownAuthorIsHeld(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, c, b := laptop(t, "Cdr A"), laptop(t, "Cdr C"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	// c is a's peer, not the hub's: a relays c's changes.
	if _, err := a.AddPeer(ctx, "c", identityOf(t, c)); err != nil {
		t.Fatal(err)
	}
	// One commit of many changes: its hash list is kilobytes long.
	var many []data.Record
	for i := range 150 {
		many = append(many, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: fmt.Sprintf("C's exchange %d", i),
			OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Summary: "Relayed.",
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
	}
	if _, err := c.Add(ctx, many...); err != nil {
		t.Fatal(err)
	}
	in := incoming(t, c, nil)
	in.Sender = mustSite(t, a)
	cdev, _ := c.Device()
	inA := incoming(t, a, nil)
	inA.Batch.Commits = append(inA.Batch.Commits, in.Batch.Commits...)
	inA.Batch.Changes = append(inA.Batch.Changes, in.Batch.Changes...)
	inA.Batch.Authors = append(inA.Batch.Authors, in.Batch.Authors...)
	res, err := hub.Import(ctx, inA)
	if err != nil {
		t.Fatal(err)
	}
	if res.Quarantined != len(in.Batch.Changes) || len(res.Held) == 0 || res.Held[0].Reason != "unknown" {
		t.Fatalf("c's changes were not held for review: %+v", res)
	}
	v, _ := hub.Vector(ctx)
	if v[cdev.Site] != 0 {
		t.Fatal("the hub serves changes of an author it cannot trust")
	}
	q, err := hub.Quarantine(ctx)
	if err != nil || len(q) != 1 || q[0].Author != cdev.Site.String() || q[0].Reason != "unknown" || !q[0].Claimed ||
		q[0].Changes != len(in.Batch.Changes) || q[0].Sender != "deva" {
		t.Fatalf("the hub's review list: %+v %v", q, err)
	}
	url := serve(t, hub)
	syncOK(t, b, url)
	if got, _ := b.Vector(ctx); got[cdev.Site] != 0 {
		t.Fatal("a held change reached another laptop")
	}
}

func mustSite(t testing.TB, s replication.Replica) data.SiteID {
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	return dev.Site
}

func replayIsANoOp(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	in := incoming(t, a, nil)
	in.BundleID = "0193f1c2-0000-7000-8000-000000000001"
	if res, err := hub.Import(ctx, in); err != nil || res.Applied == 0 {
		t.Fatalf("first import: %+v %v", res, err)
	}
	res, err := hub.Import(ctx, in)
	if err != nil || !res.Replay || res.Applied != 0 {
		t.Fatalf("a replay was not a no-op: %+v %v", res, err)
	}
	if seen, err := hub.BundleSeen(ctx, in.Sender, in.BundleID); err != nil || !seen {
		t.Fatalf("bundle not remembered: %v", err)
	}
}

func clonedDeviceIsRefused(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a := laptop(t, "Cdr A")
	enrolAt(t, hub, a)
	addExchange(t, a, "Original")
	orig := incoming(t, a, nil)
	if _, err := hub.Import(ctx, orig); err != nil {
		t.Fatal(err)
	}
	// Another history of a's last commit: re-signed by a's own key, so
	// only the comparison with what the hub holds can tell.
	other := incoming(t, a, nil)
	n := len(other.Batch.Commits) - 1
	cm := other.Batch.Commits[n]
	cm.Hashes = bytes.Clone(cm.Hashes)
	last := other.Batch.Changes[len(other.Batch.Changes)-1]
	last.Fields = bytes.Replace(last.Fields, []byte("Original"), []byte("Copycat!"), 1)
	h := last.Hash()
	copy(cm.Hashes[len(cm.Hashes)-32:], h[:])
	dev, _ := a.Device()
	cm.Signature = ed25519.Sign(dev.PrivateKey, data.CommitMessage(cm.Site, cm.FirstSeq, cm.LastSeq, cm.Hashes))
	other.Batch.Commits = []data.Commit{cm}
	other.Batch.Changes = []data.RawChange{last}
	before := digestOf(t, hub)
	_, err := hub.Import(ctx, other)
	if !errors.Is(err, data.ErrCloned) {
		t.Fatalf("want the second history refused as a copied store, got %v", err)
	}
	if digestOf(t, hub) != before {
		t.Fatal("the refused history changed the hub")
	}
}

// inOrg makes HQ's organisation, which the hub and the laptops trust,
// certifying the hub and each laptop ("laptop<i>"); nobody adds a peer.
func inOrg(t testing.TB, hub Hub, laptops ...*store.Store) *store.Store {
	t.Helper()
	ctx := context.Background()
	hq := laptop(t, "Cdr HQ")
	org, _, err := hq.InitOrg(ctx, "Indian Navy")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hub.TrustOrg(ctx, org.String()); err != nil {
		t.Fatalf("the hub trusts the organisation: %v", err)
	}
	if _, _, err := hq.Enrol(ctx, identityOf(t, hub), "hub", data.RoleHub, ""); err != nil {
		t.Fatal(err)
	}
	for i, l := range laptops {
		if _, err := l.TrustOrg(ctx, org.String()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := hq.Enrol(ctx, identityOf(t, l), "laptop"+string(rune('a'+i)), data.RoleLaptop, "2099-12-31"); err != nil {
			t.Fatal(err)
		}
	}
	return hq
}

func certifiedLaptopsSync(t *testing.T, newHub NewHub) {
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	hq := inOrg(t, hub, a, b)
	url := serve(t, hub)
	syncOK(t, hq, url) // the roster reaches the hub
	addExchange(t, a, "Certified work")
	syncOK(t, a, url)
	syncOK(t, b, url)
	syncOK(t, a, url)
	if exchanges(t, b) != 1 {
		t.Fatal("a certified laptop's exchange did not reach another through the hub")
	}
	lines, own, err := hub.RosterLines(context.Background())
	if err != nil || own == "" || len(lines) < 4 {
		t.Fatalf("the hub holds %d roster entries and own certificate %q: %v", len(lines), own, err)
	}
	syncOK(t, hq, url)
	if d := digestOf(t, hub); digestOf(t, hq) != d {
		t.Fatal("HQ's digest differs from the hub's")
	}
}

func orgRevokedDeviceIsRefused(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	hq := inOrg(t, hub, a, b)
	url := serve(t, hub)
	syncOK(t, hq, url)
	syncOK(t, b, url)
	if _, err := hq.Revoke(ctx, "laptopb", "lost in transit"); err != nil {
		t.Fatal(err)
	}
	syncOK(t, hq, url) // the revocation reaches the hub
	before := digestOf(t, hub)
	addExchange(t, b, "After its revocation")
	_, err := replication.SyncHub(ctx, b, url, nil)
	var he *replication.HubError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Fatalf("want 403 for a device the organisation revoked, got %v", err)
	}
	if digestOf(t, hub) != before {
		t.Fatal("the revoked device's push changed the hub")
	}
	syncOK(t, a, url) // the others carry on
}

func outgoingPagesContinue(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	for i := range 4 {
		addExchange(t, a, "A "+string(rune('0'+i)))
		addExchange(t, b, "B "+string(rune('0'+i)))
	}
	for _, l := range []*store.Store{a, b} {
		if _, err := hub.Import(ctx, incoming(t, l, nil)); err != nil {
			t.Fatal(err)
		}
	}
	all, err := hub.OutgoingPage(ctx, data.Vector{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	have, got := data.Vector{}, 0
	for pages := 0; ; pages++ {
		page, err := hub.OutgoingPage(ctx, have, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Changes) == 0 {
			break
		}
		if len(page.Changes) > 5 || pages > 100 {
			t.Fatalf("a page of %d changes for a limit of 5", len(page.Changes))
		}
		if _, err := data.GroupBatch(page); err != nil { // every change covered by a commit of the page
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, c := range page.Changes {
			if c.ID.Seq != have[c.ID.Site]+1 {
				t.Fatalf("page %d skips or repeats: %s after %d", pages, c.ID, have[c.ID.Site])
			}
			have[c.ID.Site] = c.ID.Seq
			got++
		}
	}
	if got != len(all.Changes) {
		t.Fatalf("the pages carried %d changes, the whole %d", got, len(all.Changes))
	}
}

// A push-only sync applies the device's changes at the hub and brings
// back the hub's signed vector only: the device records it as what the
// hub holds (its next push carries nothing), pulls nothing, and a later
// full sync delivers everything.
func pushOnlySync(t *testing.T, newHub NewHub) {
	ctx := context.Background()
	hub := newHub(t, Ticking(Day))
	a, b := laptop(t, "Cdr A"), laptop(t, "Cdr B")
	enrolAt(t, hub, a, b)
	url := serve(t, hub)
	addExchange(t, a, "From A")
	syncOK(t, a, url)
	addExchange(t, b, "From B 1")
	addExchange(t, b, "From B 2")
	pushOnly := replication.SyncOptions{PushOnly: true}
	res, err := replication.SyncHubWith(ctx, b, url, nil, pushOnly)
	if err != nil {
		t.Fatalf("push-only sync: %v", err)
	}
	if res.AtHub.Applied == 0 || res.Pulled.Applied != 0 || exchanges(t, b) != 2 {
		t.Fatalf("push-only sync: the hub applied %d, the laptop pulled %d and holds %d exchanges; want some, none and its own 2",
			res.AtHub.Applied, res.Pulled.Applied, exchanges(t, b))
	}
	hubVector, err := hub.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	acked, err := b.PeerHolds(ctx, mustSite(t, hub))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []*store.Store{a, b} {
		if site := mustSite(t, l); acked[site] != hubVector[site] {
			t.Fatalf("the laptop records the hub as holding %d of a laptop's changes; the hub holds %d", acked[site], hubVector[site])
		}
	}
	if res, err := replication.SyncHubWith(ctx, b, url, nil, pushOnly); err != nil || res.Pushed.Changes != 0 {
		t.Fatalf("a second push-only sync sent %d changes (%v), want none: the hub acknowledged them", res.Pushed.Changes, err)
	}
	syncOK(t, b, url)
	if n := exchanges(t, b); n != 3 {
		t.Fatalf("after a full sync the laptop holds %d exchanges, want 3", n)
	}
	if digestOf(t, b) != digestOf(t, hub) {
		t.Fatal("after a full sync the laptop's digest differs from the hub's")
	}
}
