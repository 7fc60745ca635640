package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

func TestVisitThroughTheForm(t *testing.T) {
	a, s := newTestApp(t)
	a.showSection("Visits")
	sc := a.visits
	test.Tap(sc.newBtn)
	f := sc.form
	if f.posting.Selected != "CMF" || f.visitType.Selected != "One-time" {
		t.Fatalf("a new visit: posting %q type %q", f.posting.Selected, f.visitType.Selected)
	}
	if f.leadWarning.Visible() {
		t.Fatal("a lead-time warning before any date")
	}
	today := time.Now().In(officerZone(a))
	test.Type(f.purpose, "P-8I sustainment review")
	test.Type(f.facility, "NAS Jacksonville")
	f.starts.SetText(today.AddDate(0, 0, 10).Format(data.DateLayout))
	f.ends.SetText(today.AddDate(0, 0, 11).Format(data.DateLayout))
	if !f.leadWarning.Visible() || !strings.Contains(f.leadWarning.Text, "starts in 10 days, inside the 30-day lead time") ||
		!strings.Contains(f.leadWarning.Text, "AR 380-10") {
		t.Fatalf("the warning beside the dates: visible %v %q", f.leadWarning.Visible(), f.leadWarning.Text)
	}
	test.Tap(f.addVisitor)
	r := f.visitors[0]
	test.Type(r.name, "R. Iyer")
	test.Type(r.rank, "Cdr")
	test.Type(r.nationality, "IND")
	test.Type(r.passport, "Z9876543")
	test.Type(r.birthDate, "1980-04-02")
	capture(t, a.Window(), "visit_form_lead_time")
	pressCtrlS(t, a)
	if sc.frame.editing {
		t.Fatalf("still editing after Ctrl+S: %v", sc.frame.lastErr)
	}
	rec, err := s.Get(context.Background(), data.KindVisit, sc.frame.id)
	if err != nil {
		t.Fatal(err)
	}
	v := rec.(*data.Visit)
	if v.Purpose != "P-8I sustainment review" || v.Status != data.VisitDrafted || len(v.Visitors) != 1 ||
		v.Visitors[0].Passport != "Z9876543" || v.Visitors[0].Nationality != "IND" {
		t.Fatalf("stored %+v", v)
	}
	if !f.moveTo.Visible() || len(f.moveTo.Options) != 1 || f.moveTo.Options[0] != "Sent to the Defence Wing" {
		t.Fatalf("the move offered on a drafted visit: %v %v", f.moveTo.Visible(), f.moveTo.Options)
	}
	f.move(data.VisitSentToWing, "by diplomatic bag")
	if got := visitStatusLabel(f.status); got != "Sent to the Defence Wing" || !strings.Contains(f.statusNotes.Text, "by diplomatic bag") {
		t.Fatalf("after the move: %s %q", got, f.statusNotes.Text)
	}
	capture(t, a.Window(), "visit_form_saved")
	sc.frame.close()
	rows := listRows(t, sc.list)
	if len(rows) != 1 || rows[0].Values["facility"] != "NAS Jacksonville" || !strings.Contains(rows[0].Values["visitor_names"], "Iyer") {
		t.Fatalf("list rows %v", rows)
	}
	for k, val := range rows[0].Values {
		if strings.Contains(val, "Z9876543") || strings.Contains(val, "1980-04-02") {
			t.Fatalf("the list holds a sensitive field in %s: %q", k, val)
		}
	}
	capture(t, a.Window(), "visit_list")
}

func TestAVisitFarAheadGetsNoLeadTimeWarning(t *testing.T) {
	a, _ := newTestApp(t)
	a.showSection("Visits")
	test.Tap(a.visits.newBtn)
	f := a.visits.form
	f.starts.SetText(time.Now().AddDate(0, 0, 45).Format(data.DateLayout))
	if f.leadWarning.Visible() {
		t.Fatalf("warned for a visit 45 days ahead: %q", f.leadWarning.Text)
	}
}
