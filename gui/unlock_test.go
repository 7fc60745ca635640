package gui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// testPassphrase seals every test window's store (Options.Passphrase, as
// LIAISONDESK_PASSPHRASE_FILE does for the real window), so no test stops
// at the unlock screen unless it means to.
const testPassphrase = "tea in the liaison office"

// lockedApp opens the window on a store sealed under testPassphrase,
// without giving it the passphrase: it starts on the unlock screen.
func lockedApp(t *testing.T) (*App, *store.Store) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InitWithPassphrase(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}, testPassphrase); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ui := New(test.NewTempApp(t), s, Options{Synchronous: true})
	ui.Window().Resize(fyne.NewSize(1200, 780))
	ui.Start()
	return ui, s
}

// unlockOnScreen is the unlock screen in the window, found by its field.
func unlockOnScreen(t *testing.T, ui *App) *unlockScreen {
	t.Helper()
	u := ui.currentUnlock()
	if u == nil {
		t.Fatal("the window does not show the unlock screen")
	}
	return u
}

func TestTheWindowStartsOnTheUnlockScreen(t *testing.T) {
	ui, s := lockedApp(t)
	u := unlockOnScreen(t, ui)
	capture(t, ui.Window(), "unlock")
	if ui.dashboard != nil {
		t.Fatal("the screens were built before the unlock")
	}
	t.Run("a wrong passphrase is said next to the field and writes nothing", func(t *testing.T) {
		before, _ := s.Count(context.Background())
		test.Type(u.pass, "the wrong one entirely")
		u.pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter submits
		if !strings.Contains(u.problem.Text, "Wrong passphrase") || !s.Locked() || u.pass.Text != "" {
			t.Fatalf("problem %q, locked %v, field %q", u.problem.Text, s.Locked(), u.pass.Text)
		}
		capture(t, ui.Window(), "unlock-wrong")
		after, _ := s.Count(context.Background())
		if after["changes"] != before["changes"] {
			t.Fatal("a wrong passphrase wrote to the change log")
		}
	})
	t.Run("the passphrase opens the dashboard, and the store signs", func(t *testing.T) {
		test.Type(u.pass, testPassphrase)
		u.pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if s.Locked() || ui.dashboard == nil {
			t.Fatalf("still locked: %q", u.problem.Text)
		}
		if _, err := s.Add(context.Background(), &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 150 coordination",
			OccurredAt: "2026-11-20T06:00:00Z", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTheWindowLocksFromTheMenuAndWhenIdle(t *testing.T) {
	ui, s := newTestApp(t)
	if s.Locked() || !s.HasPassphrase() {
		t.Fatal("the test window should open sealed and unlocked")
	}
	ui.showSection("Exchanges")
	screen := ui.Window().Content()
	t.Run("Lock in the File menu, Ctrl+L", func(t *testing.T) {
		var lock *fyne.MenuItem
		for _, it := range ui.menu().Items[0].Items {
			if it.Label == "Lock" {
				lock = it
			}
		}
		if lock == nil || lock.Shortcut == nil {
			t.Fatal("no Lock item with a shortcut in the File menu")
		}
		lock.Action()
		if !s.Locked() || !ui.Locked() {
			t.Fatal("not locked")
		}
		if _, err := s.AgeIdentity(context.Background()); !errors.Is(err, data.ErrLocked) {
			t.Fatalf("the keys stayed in memory: %v", err)
		}
		u := unlockOnScreen(t, ui)
		before := ui.current
		for _, it := range ui.menu().Items[2].Items { // View
			if it.Label == "Dashboard" {
				it.Action() // inert behind the unlock screen
			}
		}
		test.Type(u.pass, testPassphrase)
		u.submit()
		if ui.current != before {
			t.Fatal("a menu item acted on the screens behind the unlock screen")
		}
		if s.Locked() || ui.Window().Content() != screen {
			t.Fatal("unlocking did not bring back the screen as it was")
		}
	})
	t.Run("after the idle time set in Settings", func(t *testing.T) {
		if ui.idleLimit() != 15*time.Minute {
			t.Fatalf("default idle time %s", ui.idleLimit())
		}
		ui.app.Preferences().SetInt(idlePreference, 5)
		ui.touch()
		ui.lockIfIdle(time.Now().Add(4 * time.Minute))
		if s.Locked() {
			t.Fatal("locked before the idle time")
		}
		ui.lockIfIdle(time.Now().Add(5 * time.Minute))
		if !s.Locked() {
			t.Fatal("not locked after the idle time")
		}
	})
}

func TestAStoreWithoutAPassphraseHasOneChosenAtStart(t *testing.T) {
	s := openStore(t)
	if err := s.Init(context.Background(), data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	ui := New(test.NewTempApp(t), s, Options{Synchronous: true})
	ui.Window().Resize(fyne.NewSize(1200, 780))
	ui.Start()
	u := unlockOnScreen(t, ui)
	if !u.choose {
		t.Fatal("an old store asks to unlock, not to choose a passphrase")
	}
	capture(t, ui.Window(), "unlock-choose")
	test.Type(u.pass, testPassphrase)
	test.Type(u.again, "something else")
	u.submit()
	if !strings.Contains(u.problem.Text, "differ") || s.HasPassphrase() {
		t.Fatalf("mismatch: %q", u.problem.Text)
	}
	test.Type(u.pass, testPassphrase)
	test.Type(u.again, testPassphrase)
	u.submit()
	if !s.HasPassphrase() || s.Locked() || ui.dashboard == nil {
		t.Fatalf("not sealed and open: %q", u.problem.Text)
	}
}

func TestTheDemoOpensWithoutAPassphrase(t *testing.T) {
	s := openStore(t)
	ui := New(test.NewTempApp(t), s, Options{Demo: true, Synchronous: true})
	ui.fill = func(ctx context.Context, progress func(done, total int)) error { return nil }
	ui.Start()
	if ui.currentUnlock() != nil || ui.dashboard == nil || s.HasPassphrase() {
		t.Fatal("the demo asked for a passphrase")
	}
}
