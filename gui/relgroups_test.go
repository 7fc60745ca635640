package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

// newHQTestApp opens the window on HQ's store (posted to IHQ, holding the
// organisation's key), where HQ flagged Pakistan and set a GULF group.
func newHQTestApp(t *testing.T) *App {
	t.Helper()
	ctx := context.Background()
	s := openStore(t)
	if err := s.Init(ctx, data.Officer{Name: "Brig. K. Rao", Rank: "Brigadier", Posting: "IHQ"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.InitOrg(ctx, "Indian Liaison Officers"); err != nil {
		t.Fatal(err)
	}
	if err := s.FlagNation(ctx, "PAK", "No releasability agreement"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRelGroup(ctx, data.RelGroup{ID: "GULF", Title: "Gulf partners", Nations: []string{"BHR", "ARE", "PAK"}}); err != nil {
		t.Fatal(err)
	}
	ui := New(test.NewTempApp(t), s, Options{Synchronous: true, Passphrase: testPassphrase})
	ui.Window().Resize(fyne.NewSize(1200, 780))
	ui.Start()
	return ui
}

func TestTheGroupPickerAddsAGroupsNationsAndAsksBeforeAFlaggedOne(t *testing.T) {
	a := newHQTestApp(t)
	a.showSection("Exchanges")
	a.exchanges.openNew()
	f := a.exchanges.form
	p := f.relGroups
	if p.Disabled() || !strings.Contains(strings.Join(p.sel.Options, " "), "CMF FVEY GULF QUAD") {
		t.Fatalf("picker disabled %v, groups %v", p.Disabled(), p.sel.Options)
	}
	f.releasability.SetText("IND")
	p.sel.SetSelected("FVEY")
	if p.pending != nil || f.releasability.Text != "IND, AUS, CAN, GBR, NZL, USA" {
		t.Fatalf("after FVEY: asked %v, %q", p.pending != nil, f.releasability.Text)
	}
	f.releasability.SetText("IND")
	p.sel.SetSelected("GULF")
	if p.pending == nil {
		t.Fatal("a group with a flagged nation was added without asking")
	}
	if f.releasability.Text != "IND" {
		t.Fatalf("the group was added before the answer: %q", f.releasability.Text)
	}
	capture(t, a.Window(), "relgroup_flagged_confirm")
	p.pending.Dismiss()
	if f.releasability.Text != "IND" {
		t.Fatalf("declined, yet added: %q", f.releasability.Text)
	}
	p.sel.SetSelected("GULF")
	p.pending.Confirm()
	if f.releasability.Text != "IND, BHR, ARE, PAK" {
		t.Fatalf("confirmed: %q", f.releasability.Text)
	}
}

func TestTheGroupPickerIsOffWhileARecordIsOnlyViewed(t *testing.T) {
	a, _ := newTestApp(t)
	a.showSection("Requests")
	a.requests.openNew()
	if a.requests.form.relGroups.Disabled() {
		t.Fatal("the picker is off on a new request")
	}
	a.requests.form.setEditable(false)
	if !a.requests.form.relGroups.Disabled() {
		t.Fatal("the picker is on while viewing")
	}
}
