package gui

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"liaisondesk/data"
)

// showSectionAndWait brings a section to the front and waits for the
// refresh it starts.
func showSectionAndWait(ui *App, name string) {
	ui.dashboard.ready.Wait()
	ui.showSection(name)
	switch sc := ui.nav[ui.current].sec.(type) {
	case *conflictsScreen:
		sc.ready.Wait()
	case *syncScreen:
		sc.ready.Wait()
	}
}

func TestConflictsScreen(t *testing.T) {
	ui, s := newTestApp(t)
	showSectionAndWait(ui, "Conflicts")
	sc := ui.nav[ui.current].sec.(*conflictsScreen)
	if sc.heading.Text != "No conflicts" {
		t.Fatalf("heading %q", sc.heading.Text)
	}
	capture(t, ui.Window(), "conflicts")

	// Only sync can make a conflict; write one behind the store's back to
	// see that the count is read, not assumed.
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO conflicts (tbl, row_id, field) VALUES ('exchanges', 'x', 'title'), ('exchanges', 'x', 'summary')`); err != nil {
		t.Fatal(err)
	}
	ui.show(0)
	showSectionAndWait(ui, "Conflicts")
	if sc.heading.Text != "2 fields in conflict" {
		t.Fatalf("heading %q", sc.heading.Text)
	}
}

func TestSyncScreen(t *testing.T) {
	ui, s := newTestApp(t)
	if _, err := s.Add(context.Background(), &data.Exchange{Posting: "CMF", Kind: "call", Title: "UKMTO reporting call",
		OccurredAt: "2026-11-23T10:00:00Z", Marking: data.Marking{Classification: "UNCLASSIFIED"}}); err != nil {
		t.Fatal(err)
	}
	showSectionAndWait(ui, "Sync")
	sc := ui.nav[ui.current].sec.(*syncScreen)
	dev, _ := s.Device()
	n, _ := s.AuthoredChanges(context.Background())
	if n == 0 {
		t.Fatal("no changes authored")
	}
	for _, c := range []struct{ got, want string }{
		{sc.officer.Text, "Col. A. Sharma, Colonel"},
		{sc.posting.Text, "CMF"},
		{sc.device.Text, dev.Site.ShortCode()},
		{sc.site.Text, dev.Site.String()},
		{sc.authored.Text, plural(int(n), "change", "changes") + " written here · not yet synced"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	if len(sc.key.Text) != 64 || strings.Trim(sc.key.Text, "0123456789abcdef") != "" {
		t.Errorf("public key %q", sc.key.Text)
	}
	capture(t, ui.Window(), "sync")
}
