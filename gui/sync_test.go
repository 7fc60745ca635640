package gui

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// twoLaptops opens two windows of one test app, each on its own store:
// Col. A. Sharma's laptop and Cdr. R. Iyer's.
func twoLaptops(t *testing.T) (a, b *App, sa, sb *store.Store) {
	t.Helper()
	a, sa = newTestApp(t)
	b, sb = newTestAppOn(t, a.app, "Cdr. R. Iyer")
	return a, b, sa, sb
}

// openSync shows a window's Sync screen, read.
func openSync(ui *App) *syncScreen {
	ui.showSection("Sync")
	return ui.syncPage
}

func identityLine(t *testing.T, s *store.Store) string {
	t.Helper()
	id, err := s.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

// enrol adds a peer through the Add peer dialog of a window's Sync screen.
func enrol(t *testing.T, ui *App, name, line string) {
	t.Helper()
	sc := openSync(ui)
	test.Tap(sc.addPeerBtn)
	d := sc.addPeer
	test.Type(d.name, name)
	d.line.SetText(line)
	test.Tap(d.add)
	if !d.closed {
		t.Fatalf("adding %s: the dialog stayed open: %q %q %q", name, d.form.errorText("name"), d.form.errorText("identity"), d.form.general.Text)
	}
	if sc.peerRows[name] == nil {
		t.Fatalf("%s is not in the peers table", name)
	}
}

func addTitled(t *testing.T, s *store.Store, title string) string {
	t.Helper()
	ids, err := s.Add(context.Background(), &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title,
		OccurredAt: "2026-11-23T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
		Summary: "Boarding drills and reporting lines.", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

func retitle(t *testing.T, s *store.Store, id, title string) {
	t.Helper()
	ctx := context.Background()
	rec, err := s.Get(ctx, "exchange", id)
	if err != nil {
		t.Fatal(err)
	}
	rec.(*data.Exchange).Title = title
	if err := s.Save(ctx, rec); err != nil {
		t.Fatal(err)
	}
}

func titleOf(t *testing.T, s *store.Store, id string) string {
	t.Helper()
	rec, err := s.Get(context.Background(), "exchange", id)
	if err != nil {
		t.Fatal(err)
	}
	return rec.(*data.Exchange).Title
}

// sendBundle writes a bundle through a window's Sync screen and returns
// its path.
func sendBundle(t *testing.T, ui *App, to string) string {
	t.Helper()
	sc := openSync(ui)
	path := filepath.Join(t.TempDir(), bundleName(time.Now(), []string{to}))
	sc.createBundle([]string{to}, path)
	if sc.asked == nil || sc.asked.title != "Bundle written" {
		t.Fatalf("creating a bundle for %s: %+v (status %q)", to, sc.asked, sc.status.Text)
	}
	return path
}

// receive imports a bundle through a window's Sync screen.
func receive(t *testing.T, ui *App, path string) *syncScreen {
	t.Helper()
	sc := openSync(ui)
	sc.importBundle(path)
	return sc
}

// badgeOf is what the badge of row i of a list shows.
func badgeOf(lv *listView, i int) string {
	o := lv.newRow()
	lv.updateRow(i, o)
	for _, c := range o.(*fyne.Container).Objects {
		if b, ok := c.(*rowBadge); ok {
			return b.state()
		}
	}
	return "no badge"
}

// exchangeBadges maps each exchange's title to its badge.
func exchangeBadges(t *testing.T, ui *App) map[string]string {
	t.Helper()
	ui.showSection("Exchanges")
	lv := ui.exchanges.list
	out := map[string]string{}
	for i, r := range listRows(t, lv) {
		out[r.Values["title"]] = badgeOf(lv, i)
	}
	return out
}

func TestSyncScreenShowsThisLaptop(t *testing.T) {
	ui, s := newTestApp(t)
	addTitled(t, s, "UKMTO reporting call")
	sc := openSync(ui)
	dev, _ := s.Device()
	if sc.identity.Text != identityLine(t, s) {
		t.Errorf("identity %q", sc.identity.Text)
	}
	test.Tap(sc.copyID)
	if got := ui.app.Clipboard().Content(); got != identityLine(t, s) {
		t.Errorf("copied %q", got)
	}
	if want := "Col. A. Sharma, Colonel · CMF · device " + dev.Site.ShortCode(); sc.who.Text != want {
		t.Errorf("who %q, want %q", sc.who.Text, want)
	}
	if !strings.Contains(sc.unsent.Text, "no peer is enrolled yet") {
		t.Errorf("unsent %q", sc.unsent.Text)
	}
	d, _ := s.Digest(context.Background())
	if sc.digest.Text != shortDigest(d) || sc.digestFull != d {
		t.Errorf("digest %q, want %q", sc.digest.Text, shortDigest(d))
	}
	if !sc.peersEmpty.Visible() || !sc.heldEmpty.Visible() {
		t.Error("the empty peers and quarantine notes are not shown")
	}
}

func TestAddPeer(t *testing.T) {
	ui, s := newTestApp(t)
	other := openStore(t)
	if err := other.Init(context.Background(), data.Officer{Name: "Cdr. R. Iyer", Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	sc := openSync(ui)
	peers := func() int {
		ps, err := s.Peers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}

	t.Run("a line that is not an identity is named next to it as it is pasted", func(t *testing.T) {
		test.Tap(sc.addPeerBtn)
		d := sc.addPeer
		test.Type(d.name, "bahrain-2")
		d.line.SetText("hello there")
		if got := d.form.errorText("identity"); !strings.Contains(got, "not a Liaison Desk identity line") {
			t.Fatalf("message next to the line: %q", got)
		}
		test.Tap(d.add)
		if d.closed || peers() != 0 {
			t.Fatal("a bad identity was saved, or the dialog closed")
		}
		d.line.SetText(identityLine(t, other))
		if d.form.errorText("identity") != "" || !strings.Contains(d.preview.Text, "Cdr. R. Iyer") {
			t.Fatalf("a good line: message %q, preview %q", d.form.errorText("identity"), d.preview.Text)
		}
		test.Tap(d.cancel)
	})

	t.Run("a bad name is named next to it and nothing is saved", func(t *testing.T) {
		test.Tap(sc.addPeerBtn)
		d := sc.addPeer
		test.Type(d.name, "bahrain two!")
		d.line.SetText(identityLine(t, other))
		test.Tap(d.add)
		if got := d.form.errorText("name"); !strings.Contains(got, "is not a peer name") {
			t.Fatalf("message next to the name: %q", got)
		}
		if d.closed || peers() != 0 {
			t.Fatal("a bad name was saved, or the dialog closed")
		}
		test.Tap(d.cancel)
	})

	t.Run("this laptop's own line is refused", func(t *testing.T) {
		test.Tap(sc.addPeerBtn)
		d := sc.addPeer
		test.Type(d.name, "me")
		d.line.SetText(identityLine(t, s))
		test.Tap(d.add)
		if got := d.form.errorText("identity"); !strings.Contains(got, "own identity") || peers() != 0 {
			t.Fatalf("message %q, %d peers", got, peers())
		}
		test.Tap(d.cancel)
	})

	t.Run("a good peer is added and listed", func(t *testing.T) {
		enrol(t, ui, "bahrain-2", identityLine(t, other))
		r := sc.peerRows["bahrain-2"]
		dev, _ := other.Device()
		if r.officer.Text != "Cdr. R. Iyer" || r.device.Text != dev.Site.ShortCode() || r.acked.Text != "never" ||
			r.sent.Text != "never" || r.state.Text != "trusted" || r.unsent.Text == "0" {
			t.Fatalf("row: %q %q %q %q %q %q", r.officer.Text, r.device.Text, r.acked.Text, r.sent.Text, r.state.Text, r.unsent.Text)
		}
		if !strings.Contains(sc.unsent.Text, "not yet acknowledged by any peer") {
			t.Errorf("unsent %q", sc.unsent.Text)
		}
	})

	t.Run("revoking asks first, then marks the peer revoked", func(t *testing.T) {
		test.Tap(sc.peerRows["bahrain-2"].revoke)
		if sc.asked == nil || sc.asked.title != "Revoke bahrain-2?" {
			t.Fatalf("asked %+v", sc.asked)
		}
		test.Tap(sc.asked.close)
		if ps, _ := s.Peers(context.Background()); ps[0].RevokedAt != "" {
			t.Fatal("revoked without confirmation")
		}
		test.Tap(sc.peerRows["bahrain-2"].revoke)
		test.Tap(sc.asked.ok)
		r := sc.peerRows["bahrain-2"]
		if !strings.HasPrefix(r.state.Text, "revoked") || r.revoke.Visible() {
			t.Fatalf("state %q, revoke shown %v", r.state.Text, r.revoke.Visible())
		}
	})
}

func TestBundleBetweenTwoLaptops(t *testing.T) {
	a, b, sa, sb := twoLaptops(t)
	enrol(t, a, "iyer", identityLine(t, sb))
	enrol(t, b, "sharma", identityLine(t, sa))
	id := addTitled(t, sa, "CTF 151 counter-piracy brief")

	if got := exchangeBadges(t, a)["CTF 151 counter-piracy brief"]; got != "unsent" {
		t.Errorf("before sending, the new exchange's badge is %q", got)
	}
	path := sendBundle(t, a, "iyer")
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("bundle file: %v", err)
	}
	sa1 := openSync(a)
	if !strings.Contains(sa1.asked.text.Text, "for iyer") || !strings.Contains(sa1.asked.text.Text, path) {
		t.Errorf("summary %q", sa1.asked.text.Text)
	}
	if sa1.peerRows["iyer"].sent.Text == "never" {
		t.Error("the peer's last sent time did not change")
	}

	sc := receive(t, b, path)
	if sc.asked == nil || sc.asked.title != "Bundle imported" {
		t.Fatalf("import: %+v (status %q)", sc.asked, sc.status.Text)
	}
	for _, want := range []string{"From sharma (Col. A. Sharma", "applied to", "0 already here", "0 conflicts", "0 held for review"} {
		if !strings.Contains(sc.asked.text.Text, want) {
			t.Errorf("summary %q lacks %q", sc.asked.text.Text, want)
		}
	}
	if sc.asked.ok == nil || sc.asked.ok.Text != "Save receipt…" {
		t.Error("no offer to save a receipt")
	}
	if titleOf(t, sb, id) != "CTF 151 counter-piracy brief" {
		t.Fatal("the exchange did not arrive")
	}
	if _, ok := exchangeBadges(t, b)["CTF 151 counter-piracy brief"]; !ok {
		t.Error("the exchange is not in the other laptop's list")
	}

	t.Run("importing it again applies nothing and says so", func(t *testing.T) {
		sc := receive(t, b, path)
		if !strings.Contains(sc.asked.text.Text, "imported before: nothing applied") {
			t.Fatalf("summary %q", sc.asked.text.Text)
		}
	})

	t.Run("the receipt carried back clears the unsent badge", func(t *testing.T) {
		receipt := filepath.Join(t.TempDir(), "r"+receiptExt)
		sc.saveReceipt(sc.lastBundle, receipt)
		if !strings.HasPrefix(sc.status.Text, "Receipt written") {
			t.Fatalf("status %q", sc.status.Text)
		}
		sa := openSync(a)
		sa.importReceipt(receipt)
		if sa.asked.title != "Receipt recorded" {
			t.Fatalf("receipt import: %s: %s", sa.asked.title, sa.asked.text.Text)
		}
		r := sa.peerRows["iyer"]
		if r.acked.Text == "never" || r.unsent.Text != "0" {
			t.Errorf("after the receipt: acked %q, unsent %q", r.acked.Text, r.unsent.Text)
		}
		if !strings.Contains(sa.unsent.Text, "Every change written here has been acknowledged") {
			t.Errorf("unsent %q", sa.unsent.Text)
		}
		if got := exchangeBadges(t, a)["CTF 151 counter-piracy brief"]; got != "" {
			t.Errorf("after the receipt the badge is %q", got)
		}
	})

	t.Run("after a bundle back, both laptops show the same digest", func(t *testing.T) {
		receive(t, a, sendBundle(t, b, "sharma"))
		da, db := openSync(a).digestFull, openSync(b).digestFull
		if da == "" || da != db {
			t.Errorf("digests %q and %q", da, db)
		}
		want, _ := sa.Digest(context.Background())
		if da != want {
			t.Errorf("shown %q, the store's %q", da, want)
		}
	})
}

func TestBundleFromAnUnknownSenderIsRefused(t *testing.T) {
	ui, s := newTestApp(t)
	stranger := openStore(t)
	if err := stranger.Init(context.Background(), data.Officer{Name: "Lt. X. Unknown", Rank: "Lieutenant", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	// The stranger knows this laptop (so the bundle is encrypted to it);
	// this laptop never enrolled the stranger.
	if _, err := stranger.AddPeer(context.Background(), "sharma", identityLine(t, s)); err != nil {
		t.Fatal(err)
	}
	addTitled(t, stranger, "Planted record")
	to, err := replication.TrustedPeers(context.Background(), stranger, []string{"sharma"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := replication.WriteBundle(context.Background(), stranger, to, &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "stranger"+bundleExt)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Digest(context.Background())
	n := storeCount(t, s, "exchanges")

	sc := receive(t, ui, path)
	if sc.asked == nil || sc.asked.title != "Refused: the sender is not trusted" {
		t.Fatalf("asked %+v", sc.asked)
	}
	for _, want := range []string{"is not an enrolled peer", "Add peer", "Nothing was changed."} {
		if !strings.Contains(sc.asked.text.Text, want) {
			t.Errorf("message %q lacks %q", sc.asked.text.Text, want)
		}
	}
	if !strings.HasPrefix(sc.status.Text, "Refused") {
		t.Errorf("status %q", sc.status.Text)
	}
	after, _ := s.Digest(context.Background())
	if after != before || storeCount(t, s, "exchanges") != n {
		t.Fatal("the refused bundle changed the store")
	}
	if sc.createBtn.Disabled() || sc.bar.Visible() {
		t.Error("the screen stayed busy")
	}
}

func TestQuarantineReleaseAndDiscard(t *testing.T) {
	a, b, sa, sb := twoLaptops(t)
	ctx := context.Background()
	enrol(t, a, "iyer", identityLine(t, sb))
	enrol(t, b, "sharma", identityLine(t, sa))
	// A third laptop B never enrolled sends to A, which passes it on.
	third := func(officer, title string) {
		c := openStore(t)
		if err := c.Init(ctx, data.Officer{Name: officer, Rank: "Major", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddPeer(ctx, "sharma", identityLine(t, sa)); err != nil {
			t.Fatal(err)
		}
		if _, err := sa.AddPeer(ctx, strings.ToLower(strings.Fields(officer)[len(strings.Fields(officer))-1]), identityLine(t, c)); err != nil {
			t.Fatal(err)
		}
		addTitled(t, c, title)
		to, _ := replication.TrustedPeers(ctx, c, []string{"sharma"})
		var buf bytes.Buffer
		if _, err := replication.WriteBundle(ctx, c, to, &buf); err != nil {
			t.Fatal(err)
		}
		if _, _, err := replication.ImportBundle(ctx, sa, &buf); err != nil {
			t.Fatal(err)
		}
	}
	third("Maj. P. Rao", "Relayed brief from Rao")
	third("Maj. K. Das", "Relayed brief from Das")

	sc := receive(t, b, sendBundle(t, a, "iyer"))
	if !strings.Contains(sc.asked.text.Text, "held for review") || strings.Contains(sc.asked.text.Text, " 0 held for review") {
		t.Fatalf("summary %q", sc.asked.text.Text)
	}
	if len(sc.held) != 2 || len(sc.heldRows) != 2 || sc.heldEmpty.Visible() {
		t.Fatalf("held %+v", sc.held)
	}
	byOfficer := map[string]data.QuarantineEntry{}
	for _, e := range sc.held {
		byOfficer[e.Officer] = e
	}
	rao, das := byOfficer["Maj. P. Rao"], byOfficer["Maj. K. Das"]
	if r := sc.heldRows[rao.Author]; r.reason.Text != "not enrolled" || r.sender.Text != "sharma" || !strings.Contains(r.changes.Text, " changes, ") {
		t.Fatalf("Rao's row: %q %q %q", r.reason.Text, r.sender.Text, r.changes.Text)
	}
	rows := func() map[string]string { return exchangeBadges(t, b) }
	if _, ok := rows()["Relayed brief from Rao"]; ok {
		t.Fatal("a held change was applied")
	}

	t.Run("release applies what was held, after asking", func(t *testing.T) {
		sc := openSync(b)
		test.Tap(sc.heldRows[rao.Author].release)
		if sc.asked == nil || !strings.Contains(sc.asked.text.Text, "Maj. P. Rao") {
			t.Fatalf("asked %+v", sc.asked)
		}
		test.Tap(sc.asked.ok)
		if !strings.HasPrefix(sc.status.Text, "Released: ") || !strings.Contains(sc.status.Text, " changes applied") {
			t.Fatalf("status %q", sc.status.Text)
		}
		if _, ok := rows()["Relayed brief from Rao"]; !ok {
			t.Error("the released exchange is not listed")
		}
		if openSync(b).heldRows[rao.Author] != nil {
			t.Error("Rao's changes are still held")
		}
	})

	t.Run("discard drops what was held, after asking", func(t *testing.T) {
		sc := openSync(b)
		test.Tap(sc.heldRows[das.Author].discard)
		test.Tap(sc.asked.ok)
		if sc.status.Text != fmt.Sprintf("Discarded %d changes held for review.", das.Changes) || !sc.heldEmpty.Visible() {
			t.Fatalf("status %q, empty note %v", sc.status.Text, sc.heldEmpty.Visible())
		}
		if _, ok := rows()["Relayed brief from Das"]; ok {
			t.Error("a discarded change was applied")
		}
	})
}

func TestSyncWithHub(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	hub := openStore(t)
	if err := hub.Init(ctx, data.Officer{Name: "CMF hub", Rank: "Hub", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&replication.Hub{R: hub}).Handler())
	defer srv.Close()
	enrol(t, ui, "hub", identityLine(t, hub))
	addTitled(t, s, "Combined Task Force 150 brief")
	sc := openSync(ui)

	t.Run("a hub that has not enrolled this laptop refuses it", func(t *testing.T) {
		sc.hubURL.SetText(srv.URL)
		test.Tap(sc.hubBtn)
		if sc.asked == nil || sc.asked.title != "The hub refused this laptop" || !strings.Contains(sc.asked.text.Text, "403") {
			t.Fatalf("asked %+v", sc.asked)
		}
		if got := ui.app.Preferences().String(hubURLPreference); got != srv.URL {
			t.Errorf("remembered %q", got)
		}
	})

	t.Run("once enrolled, changes go both ways", func(t *testing.T) {
		if _, err := hub.AddPeer(ctx, "sharma", identityLine(t, s)); err != nil {
			t.Fatal(err)
		}
		other := openStore(t)
		if err := other.Init(ctx, data.Officer{Name: "Cdr. R. Iyer", Rank: "Commander", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
		if _, err := hub.AddPeer(ctx, "iyer", identityLine(t, other)); err != nil {
			t.Fatal(err)
		}
		if _, err := other.AddPeer(ctx, "hub", identityLine(t, hub)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPeer(ctx, "iyer", identityLine(t, other)); err != nil { // else held for review
			t.Fatal(err)
		}
		addTitled(t, other, "Gulf of Aden transit brief")
		if _, err := replication.SyncHub(ctx, other, srv.URL, srv.Client()); err != nil {
			t.Fatal(err)
		}

		test.Tap(sc.hubBtn)
		if sc.asked == nil || sc.asked.title != "Synced with hub" {
			t.Fatalf("asked %+v", sc.asked)
		}
		if !strings.Contains(sc.asked.text.Text, "Received: ") || !strings.Contains(sc.asked.text.Text, "the hub applied") {
			t.Errorf("summary %q", sc.asked.text.Text)
		}
		badges := exchangeBadges(t, ui)
		if _, ok := badges["Gulf of Aden transit brief"]; !ok {
			t.Error("the other laptop's exchange did not arrive")
		}
		if got := badges["Combined Task Force 150 brief"]; got != "" {
			t.Errorf("after the hub acknowledged it, this laptop's exchange has the badge %q", got)
		}
		d, _ := s.Digest(ctx)
		h, _ := hub.Digest(ctx)
		if d != h || openSync(ui).digestFull != h {
			t.Error("this laptop is not the same as the hub after syncing")
		}
	})
}

func TestSyncWithAHubWhoseCertificateIsSelfSigned(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	hub := openStore(t)
	if err := hub.Init(ctx, data.Officer{Name: "CMF hub", Rank: "Hub", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer((&replication.Hub{R: hub}).Handler())
	defer srv.Close()
	enrol(t, ui, "hub", identityLine(t, hub))
	if _, err := hub.AddPeer(ctx, "sharma", identityLine(t, s)); err != nil {
		t.Fatal(err)
	}
	sc := openSync(ui)
	sc.hubURL.SetText(srv.URL)

	t.Run("without its certificate the laptop says where to give it", func(t *testing.T) {
		test.Tap(sc.hubBtn)
		if sc.asked == nil || !strings.Contains(sc.asked.text.Text, "Hub certificate") {
			t.Fatalf("asked %+v", sc.asked)
		}
	})
	t.Run("with its certificate chosen, the sync goes through", func(t *testing.T) {
		pemFile := filepath.Join(t.TempDir(), "hub.crt")
		os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
		ui.app.Preferences().SetString(hubCAPreference, pemFile)
		sc.showHubCA()
		if !strings.Contains(sc.hubCA.Text, pemFile) {
			t.Errorf("the screen does not say which certificate it trusts: %q", sc.hubCA.Text)
		}
		test.Tap(sc.hubBtn)
		if sc.asked == nil || sc.asked.title != "Synced with hub" {
			t.Fatalf("asked %+v", sc.asked)
		}
	})
}
