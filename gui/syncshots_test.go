package gui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// TestSyncScreenshots captures the Sync and Conflicts screens, a list with
// its badges and the sync dialogs, over realistic data: two peers and a
// hub (one revoked), changes held for review, two conflicts. It runs only
// with LIAISONDESK_SHOTS set (a folder for the PNGs).
func TestSyncScreenshots(t *testing.T) {
	if os.Getenv("LIAISONDESK_SHOTS") == "" {
		t.Skip("set LIAISONDESK_SHOTS to a folder to capture the screens")
	}
	ctx := context.Background()
	// Light from the start: a section built before a theme switch keeps
	// its icons in the old colours on the test driver.
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(themePreference, "light")
	a, sa := newTestAppOn(t, fa, "Col. A. Sharma")
	b, sb := newTestAppOn(t, fa, "Cdr. R. Iyer")
	conflictedOn(t, a, b, sa, sb)
	for _, title := range []string{"Maritime security VTC with NAVCENT N3", "UKMTO reporting call", "Red Sea convoy coordination"} {
		addTitled(t, sa, title)
	}
	newLaptop := func(officer string) *store.Store {
		s := openStore(t)
		if err := s.Init(ctx, data.Officer{Name: officer, Rank: "Commander", Posting: "CMF"}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	hub := newLaptop("CMF hub, NSA Bahrain")
	if _, err := sa.AddPeer(ctx, "cmf-hub", identityLine(t, hub)); err != nil {
		t.Fatal(err)
	}
	old := newLaptop("Lt. Cdr. S. Menon")
	if _, err := sa.AddPeer(ctx, "menon-old", identityLine(t, old)); err != nil {
		t.Fatal(err)
	}
	if err := sa.RevokePeer(ctx, "menon-old"); err != nil {
		t.Fatal(err)
	}
	// Iyer passes on what a laptop this one never enrolled wrote.
	rao := newLaptop("Maj. P. Rao")
	if _, err := rao.AddPeer(ctx, "iyer", identityLine(t, sb)); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.AddPeer(ctx, "rao", identityLine(t, rao)); err != nil {
		t.Fatal(err)
	}
	addTitled(t, rao, "Counter-smuggling brief, Gulf of Oman")
	relay(t, rao, sb, "iyer")
	relay(t, sb, sa, "sharma")

	closeDialogs(a)
	sc := openSync(a)
	a.Window().Resize(fyne.NewSize(1200, 1000))
	sc.hubURL.SetText("https://hub.cmf.example.mil:8443")
	sc.status.SetText("Imported 2026-11-25_to-sharma.ldbundle: 12 changes applied to 5 records, 0 already here, 2 conflicts, 8 held for review.")
	capture(t, a.Window(), "sync")

	openConflicts(a)
	a.Window().Resize(fyne.NewSize(1200, 900))
	capture(t, a.Window(), "conflicts")

	a.Window().Resize(fyne.NewSize(1200, 780))
	a.showSection("Exchanges")
	listRows(t, a.exchanges.list)
	capture(t, a.Window(), "exchanges-badges")

	a.showSection("Dashboard")
	capture(t, a.Window(), "dashboard-sync")

	sc = openSync(a)
	test.Tap(sc.addPeerBtn)
	sc.addPeer.name.SetText("bahrain 2")
	sc.addPeer.line.SetText(identityLine(t, hub))
	test.Tap(sc.addPeer.add)
	capture(t, a.Window(), "sync-addpeer")
	test.Tap(sc.addPeer.cancel)

	sc.askRecipients()
	capture(t, a.Window(), "sync-recipients")
	closeDialogs(a)

	addTitled(t, sb, "Bahrain Maritime Security Centre visit")
	receive(t, a, bundleFile(t, sb, "sharma"))
	capture(t, a.Window(), "sync-imported")
	closeDialogs(a)

	applyTheme(a.app, "dark")
	openSync(a)
	a.Window().Resize(fyne.NewSize(1200, 1000))
	capture(t, a.Window(), "sync-dark")
	openConflicts(a)
	a.Window().Resize(fyne.NewSize(1200, 900))
	capture(t, a.Window(), "conflicts-dark")
}

// closeDialogs closes every dialog left open in a window.
func closeDialogs(ui *App) {
	for o := ui.win.Canvas().Overlays().Top(); o != nil; o = ui.win.Canvas().Overlays().Top() {
		ui.win.Canvas().Overlays().Remove(o)
	}
}

// bundleFile writes a bundle from a store to a file, by the store API.
func bundleFile(t *testing.T, from *store.Store, name string) string {
	t.Helper()
	ctx := context.Background()
	peers, err := replication.TrustedPeers(ctx, from, []string{name})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), bundleName(time.Now(), []string{name}))
	if err := data.WriteFileAtomic(path, 0o600, func(w io.Writer) error {
		_, err := replication.WriteBundle(ctx, from, peers, w)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

// relay sends a bundle from one store to another, by the store API.
func relay(t *testing.T, from, to *store.Store, name string) {
	t.Helper()
	ctx := context.Background()
	peers, err := replication.TrustedPeers(ctx, from, []string{name})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := replication.WriteBundle(ctx, from, peers, &buf); err != nil {
		t.Fatal(err)
	}
	if _, _, err := replication.ImportBundle(ctx, to, &buf); err != nil {
		t.Fatal(err)
	}
}
