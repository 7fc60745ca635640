package gui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// openStore opens an uninitialised store in a temporary directory.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newTestApp opens the main window on a real store in a temporary
// directory, initialised for an officer posted to CMF, on Fyne's test
// driver, with the dashboard loaded.
func newTestApp(t *testing.T) (*App, *store.Store) {
	return newTestAppFor(t, "Col. A. Sharma")
}

func newTestAppFor(t *testing.T, officer string) (*App, *store.Store) {
	t.Helper()
	return newTestAppOn(t, test.NewTempApp(t), officer)
}

// newTestAppOn opens another window of a test app on a new store: a
// second laptop, in tests of sync between two.
func newTestAppOn(t *testing.T, a fyne.App, officer string) (*App, *store.Store) {
	t.Helper()
	s := openStore(t)
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	ui := New(a, s, Options{Synchronous: true, Passphrase: testPassphrase})
	ui.Window().Resize(fyne.NewSize(1200, 780))
	ui.Start()
	return ui, s
}

// listRows waits for a list to load and returns its rows in order.
func listRows(t *testing.T, lv *listView) []data.Row {
	t.Helper()
	var rows []data.Row
	for i := 0; i < lv.length(); i++ {
		r, ok := lv.rowAt(i)
		if !ok {
			t.Fatalf("row %d missing", i)
		}
		rows = append(rows, r)
	}
	return rows
}

// capture writes the window to $LIAISONDESK_SHOTS/NAME.png when that
// variable is set, for a person to look at.
func capture(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("LIAISONDESK_SHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	relayout(w.Canvas().Content())
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// relayout lays the whole tree out again, top down, as a real window does
// on its next frame once a field's message appears or a button's text
// changes. (The test canvas paints without that pass.)
func relayout(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch c := o.(type) {
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		r.Layout(c.Size())
		for _, child := range r.Objects() {
			relayout(child)
		}
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, child := range c.Objects {
			relayout(child)
		}
	}
}

// pressCtrlS presses Ctrl+S: the main menu item bound to it. (The test
// canvas takes no typed shortcuts.)
func pressCtrlS(t *testing.T, a *App) {
	t.Helper()
	want := &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	for _, m := range a.menu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == want.ShortcutName() {
				it.Action()
				return
			}
		}
	}
	t.Fatal("no menu item is bound to Ctrl+S")
}
