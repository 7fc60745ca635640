package gui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// conflicted makes two laptops edit the same records between syncs: both
// retitle exchange x; Sharma deletes exchange y while Iyer edits it. Then
// Iyer's bundle reaches Sharma, whose laptop holds both conflicts.
func conflicted(t *testing.T) (a, b *App, sa, sb *store.Store, x, y string) {
	t.Helper()
	a, b, sa, sb = twoLaptops(t)
	x, y = conflictedOn(t, a, b, sa, sb)
	return a, b, sa, sb, x, y
}

func conflictedOn(t *testing.T, a, b *App, sa, sb *store.Store) (x, y string) {
	t.Helper()
	enrol(t, a, "iyer", identityLine(t, sb))
	enrol(t, b, "sharma", identityLine(t, sa))
	x = addTitled(t, sa, "CTF 151 counter-piracy brief")
	y = addTitled(t, sa, "Port visit planning call")
	receive(t, b, sendBundle(t, a, "iyer"))

	retitle(t, sa, x, "CTF 151 counter-piracy brief (Sharma)")
	retitle(t, sb, x, "CTF 151 brief: boarding drills (Iyer)")
	if err := sa.Delete(context.Background(), "exchange", y); err != nil {
		t.Fatal(err)
	}
	retitle(t, sb, y, "Port visit planning call, moved to Thursday")

	sc := receive(t, a, sendBundle(t, b, "sharma"))
	if !strings.Contains(sc.asked.text.Text, "2 conflicts") {
		t.Fatalf("import summary %q", sc.asked.text.Text)
	}
	return x, y
}

func openConflicts(ui *App) *conflictsScreen {
	ui.showSection("Conflicts")
	return ui.conflicts
}

// cardFor finds the card of a record's field.
func cardFor(t *testing.T, sc *conflictsScreen, id, field string) *conflictCard {
	t.Helper()
	for _, c := range sc.cards {
		if c.c.ID == id && c.c.Field == field {
			return c
		}
	}
	t.Fatalf("no card for %s %s among %d", id, field, len(sc.cards))
	return nil
}

// valueBy finds the competing value an officer set.
func valueBy(t *testing.T, c *conflictCard, officer string) *valueCard {
	t.Helper()
	for _, v := range c.values {
		if v.v.Officer == officer {
			return v
		}
	}
	t.Fatalf("no value by %s", officer)
	return nil
}

func navCount(ui *App, name string) string {
	for _, it := range ui.nav {
		if it.name == name {
			return it.count
		}
	}
	return "?"
}

func TestNoConflicts(t *testing.T) {
	ui, _ := newTestApp(t)
	sc := openConflicts(ui)
	if sc.heading.Text != "No conflicts" || len(sc.cards) != 0 {
		t.Fatalf("heading %q, %d cards", sc.heading.Text, len(sc.cards))
	}
	if navCount(ui, "Conflicts") != "" {
		t.Errorf("navigation count %q", navCount(ui, "Conflicts"))
	}
}

func TestConflictsSideBySide(t *testing.T) {
	a, b, sa, sb, x, y := conflicted(t)
	sc := openConflicts(a)
	if sc.heading.Text != "2 fields in conflict" || len(sc.cards) != 2 {
		t.Fatalf("heading %q, %d cards", sc.heading.Text, len(sc.cards))
	}
	if navCount(a, "Conflicts") != "2" {
		t.Errorf("navigation count %q", navCount(a, "Conflicts"))
	}
	if got := a.BannerText(); got != "RESTRICTED//REL TO USA, IND" {
		t.Errorf("banner %q over RESTRICTED records", got)
	}
	devA, _ := sa.Device()
	devB, _ := sb.Device()

	title := cardFor(t, sc, x, "title")
	mine, theirs := valueBy(t, title, "Col. A. Sharma"), valueBy(t, title, "Cdr. R. Iyer")
	if mine.text != "CTF 151 counter-piracy brief (Sharma)" || theirs.text != "CTF 151 brief: boarding drills (Iyer)" {
		t.Errorf("values %q and %q", mine.text, theirs.text)
	}
	if !strings.Contains(mine.byline, "device "+devA.Site.ShortCode()) || !strings.Contains(theirs.byline, "Cdr. R. Iyer · device "+devB.Site.ShortCode()) {
		t.Errorf("bylines %q and %q", mine.byline, theirs.byline)
	}
	if mine.v.Shown == theirs.v.Shown {
		t.Error("not exactly one value is the one shown meanwhile")
	}
	if title.merged == nil || title.open == nil {
		t.Error("a title conflict offers no merged value or no way to open the record")
	}
	if mine.keep.Text != "Keep this" {
		t.Errorf("button %q", mine.keep.Text)
	}

	gone := cardFor(t, sc, y, data.DeletedField)
	del, edit := valueBy(t, gone, "Col. A. Sharma"), valueBy(t, gone, "Cdr. R. Iyer")
	if del.text != "Deleted" || del.keep.Text != "Keep deletion" {
		t.Errorf("the delete: %q, %q", del.text, del.keep.Text)
	}
	if !strings.HasPrefix(edit.text, "Edited\n") || !strings.Contains(edit.text, "Title: Port visit planning call, moved to Thursday") || edit.keep.Text != "Restore" {
		t.Errorf("the edit: %q, %q", edit.text, edit.keep.Text)
	}
	if gone.merged != nil {
		t.Error("a deleted record offers a merged value")
	}

	badges := exchangeBadges(t, a)
	if badges["CTF 151 counter-piracy brief (Sharma)"] != "conflict" && badges["CTF 151 brief: boarding drills (Iyer)"] != "conflict" {
		t.Errorf("badges %v", badges)
	}
	dash := refreshDashboard(a)
	if dash.conflicts.value != "2" || !dash.conflicts.alert {
		t.Errorf("dashboard conflicts card %+v", dash.conflicts)
	}

	t.Run("Keep this settles the field with that value", func(t *testing.T) {
		sc := openConflicts(a)
		test.Tap(valueBy(t, cardFor(t, sc, x, "title"), "Cdr. R. Iyer").keep)
		if got := titleOf(t, sa, x); got != "CTF 151 brief: boarding drills (Iyer)" {
			t.Fatalf("title %q", got)
		}
		if len(sc.cards) != 1 || sc.heading.Text != "1 field in conflict" || navCount(a, "Conflicts") != "1" {
			t.Fatalf("%d cards, heading %q, navigation %q", len(sc.cards), sc.heading.Text, navCount(a, "Conflicts"))
		}
		// The choice is a new change of this laptop's, not yet sent.
		if got := exchangeBadges(t, a)["CTF 151 brief: boarding drills (Iyer)"]; got != "unsent" {
			t.Errorf("badge after keeping %q", got)
		}
		if refreshDashboard(a).conflicts.value != "1" {
			t.Error("the dashboard still counts the settled conflict")
		}
	})

	t.Run("Restore brings the deleted record back with the edit", func(t *testing.T) {
		sc := openConflicts(a)
		test.Tap(valueBy(t, cardFor(t, sc, y, data.DeletedField), "Cdr. R. Iyer").keep)
		if got := titleOf(t, sa, y); got != "Port visit planning call, moved to Thursday" {
			t.Fatalf("title %q", got)
		}
		if sc.heading.Text != "No conflicts" || len(sc.cards) != 0 || navCount(a, "Conflicts") != "" {
			t.Fatalf("heading %q, %d cards, navigation %q", sc.heading.Text, len(sc.cards), navCount(a, "Conflicts"))
		}
		if n, _ := sa.ConflictCount(context.Background()); n != 0 {
			t.Fatalf("%d conflicts left in the store", n)
		}
	})

	t.Run("the choices travel to the other laptop", func(t *testing.T) {
		receive(t, b, sendBundle(t, a, "iyer"))
		if n, _ := sb.ConflictCount(context.Background()); n != 0 {
			t.Errorf("%d conflicts on the other laptop", n)
		}
		da, _ := sa.Digest(context.Background())
		db, _ := sb.Digest(context.Background())
		if titleOf(t, sb, x) != "CTF 151 brief: boarding drills (Iyer)" || titleOf(t, sb, y) != "Port visit planning call, moved to Thursday" {
			t.Error("the other laptop does not show the choices")
		}
		if da == db {
			t.Log("digests equal already") // A has not yet heard B's receipt; equality is not required here
		}
	})
}

func TestConflictKeepDeletionAndMergedValue(t *testing.T) {
	a, _, sa, _, x, y := conflicted(t)
	sc := openConflicts(a)

	t.Run("a merged value the record refuses is named under it", func(t *testing.T) {
		card := cardFor(t, sc, x, "title")
		if card.merged.Text == "" {
			t.Error("the merged value does not start from the value shown")
		}
		card.merged.SetText("   ")
		test.Tap(card.saveMerged)
		if !card.mergedErr.Visible() || !strings.Contains(card.mergedErr.Text, "required") {
			t.Fatalf("message %q (shown %v)", card.mergedErr.Text, card.mergedErr.Visible())
		}
		if n, _ := sa.ConflictCount(context.Background()); n != 2 {
			t.Fatalf("%d conflicts after a refused merge", n)
		}
	})

	t.Run("a merged value settles the field", func(t *testing.T) {
		card := cardFor(t, sc, x, "title")
		card.merged.SetText("CTF 151 counter-piracy brief: boarding drills")
		test.Tap(card.saveMerged)
		if got := titleOf(t, sa, x); got != "CTF 151 counter-piracy brief: boarding drills" {
			t.Fatalf("title %q", got)
		}
	})

	t.Run("Keep deletion leaves the record deleted", func(t *testing.T) {
		test.Tap(valueBy(t, cardFor(t, sc, y, data.DeletedField), "Col. A. Sharma").keep)
		if _, err := sa.Get(context.Background(), "exchange", y); !errors.Is(err, data.ErrNotFound) {
			t.Fatalf("the record is there: %v", err)
		}
		if sc.heading.Text != "No conflicts" {
			t.Fatalf("heading %q", sc.heading.Text)
		}
	})
}

func TestARecordInConflictSaysSoInItsForm(t *testing.T) {
	a, _, _, _, x, _ := conflicted(t)
	a.showSection("Exchanges")
	a.exchanges.open(x)
	f := a.exchanges.frame
	if !f.conflict.Visible() || !strings.Contains(f.conflictText.Text, "title") {
		t.Fatalf("no conflict notice on the form: visible %v, %q", f.conflict.Visible(), f.conflictText.Text)
	}
	f.showConflicts()
	if a.nav[a.current].name != "Conflicts" {
		t.Fatalf("Resolve… opened %s", a.nav[a.current].name)
	}
}

func TestARecordWithoutConflictShowsNoNotice(t *testing.T) {
	ui, s := newTestApp(t)
	id := addTitled(t, s, "Quiet record")
	ui.showSection("Exchanges")
	ui.exchanges.open(id)
	if ui.exchanges.frame.conflict.Visible() {
		t.Fatal("a conflict notice on a record without conflicts")
	}
}

func TestADeletedRecordIsNamedByItsHistory(t *testing.T) {
	_, s := newTestApp(t)
	id := addTitled(t, s, "Gulf of Aden transit brief")
	if err := s.Delete(context.Background(), "exchange", id); err != nil {
		t.Fatal(err)
	}
	if got := titleFromHistory(context.Background(), s, "exchange", id); got != "Gulf of Aden transit brief" {
		t.Fatalf("named %q", got)
	}
}
