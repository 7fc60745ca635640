package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

// The successor takes over the predecessor's open actions from the Actions
// screen: the dialog offers the owners in use, says how many will move,
// and moves them in one step; the list shows the new owner.
func TestHandOverOpenActionsFromTheActionsScreen(t *testing.T) {
	ctx := context.Background()
	a, s := newTestAppFor(t, "Cdr. S. Menon")
	for _, act := range []*data.Action{
		{Title: "Send CTF 151 the revised boarding schedule", Owner: "Cdr. P. Rao", DueOn: "2026-12-04", Status: data.ActionOpen},
		{Title: "Chase the fuel request with NAVCENT N4", Owner: "Cdr. P. Rao", DueOn: "2026-12-08", Status: data.ActionInProgress},
		{Title: "Confirm the port visit dates with NSA Bahrain", Owner: "Cdr. P. Rao", DueOn: "2026-11-20", Status: data.ActionDone},
		{Title: "Brief the defence attaché on the convoy plan", Owner: "Lt. K. Iyer", DueOn: "2026-12-02", Status: data.ActionOpen},
	} {
		if _, err := s.Add(ctx, act); err != nil {
			t.Fatal(err)
		}
	}
	a.showSection("Actions")
	h := a.actions.openHandover()
	if got := h.from.Options; strings.Join(got, "|") != "Cdr. P. Rao|Lt. K. Iyer" {
		t.Fatalf("owners offered: %v", got)
	}
	if !h.move.Disabled() {
		t.Fatal("Hand over is enabled before anyone is picked")
	}
	h.from.SetSelected("Cdr. P. Rao")
	h.to.SetText("Cdr. P. Rao")
	if !h.move.Disabled() || !strings.Contains(h.count.Text, "pick someone else") {
		t.Fatalf("to the same owner: %q, enabled %v", h.count.Text, !h.move.Disabled())
	}
	h.to.SetText("Cdr. S. Menon")
	if h.move.Disabled() || h.count.Text != "2 open or in-progress actions will move from Cdr. P. Rao to Cdr. S. Menon." {
		t.Fatalf("the dialog says %q (enabled %v)", h.count.Text, !h.move.Disabled())
	}
	a.Window().Resize(fyne.NewSize(1200, 780))
	capture(t, a.Window(), "actions-handover")

	test.Tap(h.move)
	owners, err := s.ActionOwners(ctx)
	if err != nil || len(owners) != 2 || owners[0].Owner != "Cdr. S. Menon" || owners[0].Open != 2 || owners[1].Owner != "Lt. K. Iyer" {
		t.Fatalf("owners after the hand-over: %+v, %v", owners, err)
	}
	var listed []string
	for _, r := range listRows(t, a.actions.list) {
		listed = append(listed, r.Values["owner"])
	}
	if strings.Count(strings.Join(listed, "|"), "Cdr. S. Menon") != 2 || strings.Count(strings.Join(listed, "|"), "Cdr. P. Rao") != 1 {
		t.Fatalf("the list shows owners %v", listed)
	}
	capture(t, a.Window(), "actions-handover-done")
}
