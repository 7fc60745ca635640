package gui

import (
	"testing"

	"fyne.io/fyne/v2"
)

func TestMenuAndShortcuts(t *testing.T) {
	ui, _ := newTestApp(t)
	t.Run("the menu has File, Edit, View and Help", func(t *testing.T) {
		var names []string
		for _, m := range ui.menu().Items {
			names = append(names, m.Label)
		}
		if len(names) != 4 || names[0] != "File" || names[1] != "Edit" || names[2] != "View" || names[3] != "Help" {
			t.Fatalf("menus %v", names)
		}
	})
	t.Run("every section up to the ninth has a Ctrl+digit shortcut", func(t *testing.T) {
		view := ui.menu().Items[2]
		// The sections, then a separator and Due soon (reminders_test.go).
		if len(view.Items) != len(ui.nav)+2 || !view.Items[len(ui.nav)].IsSeparator {
			t.Fatalf("%d view items for %d sections", len(view.Items), len(ui.nav))
		}
		for i, it := range view.Items[:len(ui.nav)] {
			it.Action()
			if ui.current != i {
				t.Fatalf("%s: current section %d, want %d", it.Label, ui.current, i)
			}
			if (it.Shortcut == nil) != (i >= 9) {
				t.Fatalf("%s: shortcut %v", it.Label, it.Shortcut)
			}
		}
	})
	t.Run("Ctrl+N opens a new exchange and Ctrl+F focuses search", func(t *testing.T) {
		ui.newExchange()
		if ui.nav[ui.current].name != "Exchanges" || ui.exchanges.onList() {
			t.Fatal("Ctrl+N did not open the exchange form")
		}
		ui.focusSearch()
		if !ui.exchanges.onList() || ui.Window().Canvas().Focused() != fyne.Focusable(ui.exchanges.list.search) {
			t.Fatal("Ctrl+F did not focus the search box")
		}
	})
}
