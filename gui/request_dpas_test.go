package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

// The DPAS fields of the request form: a verbal delay shows its one-day
// confirmation (15 CFR 700.13(d)(2)), a significant amendment moves the
// acceptance clock (700.16(c)), a SOSA step out of order is named beside
// its field (700.57), and what was typed is saved.
func TestRequestFormDPASFields(t *testing.T) {
	ui, s := requestApp(t)
	ui.newRequest()
	f := ui.requests.form
	fillRequest(t, f)
	d := &f.dpas

	if rowShown(f.ff, "delay_notice") {
		t.Error("the delay notice shows before a delay is reported")
	}
	test.Type(f.orderReceived.Entry, "2026-11-02")
	if got := f.acceptanceDue.Text; !strings.HasPrefix(got, "2026-11-24") {
		t.Errorf("acceptance due %q, want 2026-11-24 (DO, 15 working days)", got)
	}
	test.Type(d.amendmentOn.Entry, "2026-11-20")
	d.amendmentSignificant.SetChecked(true)
	if got := f.acceptanceDue.Text; !strings.HasPrefix(got, "2026-12-14") {
		t.Errorf("after a significant amendment, acceptance due %q, want 2026-12-14", got)
	}

	f.delayed.SetChecked(true)
	if !rowShown(f.ff, "delay_notice") {
		t.Fatal("the delay notice is hidden once a delay is reported")
	}
	test.Type(f.delayReported.Entry, "2026-09-04") // the Friday before Labor Day
	d.delayNotice.set(data.DelayVerbal)
	f.changed()
	if got := f.delayConfirmDue.Text; got != "2026-09-08" {
		t.Errorf("confirm in writing by %q, want 2026-09-08", got)
	}

	d.spaBasis.set(data.SPARatingAuthority)
	test.Type(d.endorsed.Entry, "2026-11-10")
	if msg := f.ff.errorText("spa_endorsed_on"); !strings.Contains(msg, "spa_sponsored_on") || !strings.Contains(msg, "700.57") {
		t.Errorf("spa_endorsed_on message %q", msg)
	}
	if !ui.requests.frame.saveBtn.Disabled() {
		t.Error("Save enabled with a DoD endorsement before GoI sponsorship")
	}
	test.Type(d.sponsored.Entry, "2026-11-05")
	test.Type(d.urgentNeed, "Two aircraft on ground.")
	shootRequests(t, ui, "form_dpas", 1900)
	if msg := f.ff.errorText("spa_endorsed_on"); msg != "" {
		t.Fatalf("spa_endorsed_on message %q after the sponsorship date", msg)
	}
	ui.save()
	got := storedRequests(t, s)
	if len(got) != 1 {
		t.Fatalf("%d requests stored", len(got))
	}
	r := got[0]
	if r.DelayNotice != data.DelayVerbal || r.DelayConfirmDue != "2026-09-08" || !r.AmendmentSignificant ||
		r.AcceptanceDue != "2026-12-14" || r.SPABasis != data.SPARatingAuthority || r.SPASponsoredOn != "2026-11-05" ||
		r.SPAEndorsedOn != "2026-11-10" || r.UrgentNeed != "Two aircraft on ground." {
		t.Errorf("stored %+v", r)
	}

	t.Run("the in_to_us rows are hidden on a us_to_in request", func(t *testing.T) {
		ui.newRequest()
		f := ui.requests.form
		f.direction.set(data.USToIN)
		f.directionChanged()
		if rowShown(f.ff, "rejection_reason") || rowShown(f.ff, "spa_basis") {
			t.Error("rejection reason or SPA basis shown on a us_to_in request")
		}
	})
}

func rowShown(ff *fieldForm, name string) bool { return ff.rows[name].cell.Visible() }
