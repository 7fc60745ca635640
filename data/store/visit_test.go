package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"liaisondesk/data"
)

func sampleVisit() *data.Visit {
	return &data.Visit{Purpose: "P-8I sustainment review", StartsOn: "2026-12-05", EndsOn: "2026-12-06",
		Facility: "NAS Jacksonville", VisitType: data.VisitOneTime, FVSCase: "FVS-IN-2026-0412",
		Visitors: []data.Visitor{{Name: "Cdr R. Iyer", Rank: "Commander", Organisation: "Indian Navy", Nationality: "IND",
			Clearance: "SECRET", Passport: "Z9876543", BirthDate: "1980-04-02"}}}
}

func visitOf(t *testing.T, s *Store, id string) *data.Visit {
	t.Helper()
	rec, err := s.Get(context.Background(), data.KindVisit, id)
	if err != nil {
		t.Fatalf("get visit: %v", err)
	}
	return rec.(*data.Visit)
}

func TestAVisitIsDraftedAtTheOfficersPostingAndWalksItsWorkflow(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	ids, err := s.Add(ctx, sampleVisit())
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	v := visitOf(t, s, ids[0])
	if v.Status != data.VisitDrafted || v.Posting != "CMF" || v.Visitors[0].Passport != "Z9876543" {
		t.Fatalf("stored visit: %+v", v)
	}
	if err := s.SetVisitStatus(ctx, v.ID, data.VisitSubmitted, ""); err == nil || !strings.Contains(err.Error(), "allowed: sent_to_defence_wing") {
		t.Fatalf("drafted → submitted: %v", err)
	}
	for _, to := range []data.VisitStatus{data.VisitSentToWing, data.VisitSubmitted, data.VisitApproved, data.VisitHeld, data.VisitReportDone} {
		if err := s.SetVisitStatus(ctx, v.ID, to, "step "+string(to)); err != nil {
			t.Fatalf("to %s: %v", to, err)
		}
	}
	v = visitOf(t, s, v.ID)
	if v.Status != data.VisitReportDone || !strings.Contains(v.StatusNotes, "held → report_done: step report_done") {
		t.Fatalf("after the workflow: %s\n%s", v.Status, v.StatusNotes)
	}
	if err := s.SetVisitStatus(ctx, v.ID, data.VisitDenied, ""); err == nil {
		t.Fatal("a visit whose report is done was moved again")
	}
}

func TestAVisitsStatusIsNotChangedByEditingAndANewOneStartsDrafted(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	approved := sampleVisit()
	approved.Status = data.VisitApproved
	if _, err := s.Add(ctx, approved); err == nil {
		t.Fatal("a visit was created approved")
	}
	ids, err := s.Add(ctx, sampleVisit())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, data.KindVisit, ids[0], []byte(`{"status":"approved"}`)); err == nil {
		t.Fatal("an update set the status")
	}
	v := visitOf(t, s, ids[0])
	v.Status = data.VisitApproved
	if err := s.Save(ctx, v); err == nil {
		t.Fatal("a save set the status")
	}
	if got := visitOf(t, s, ids[0]).Status; got != data.VisitDrafted {
		t.Fatalf("status is %s", got)
	}
}

func TestAVisitIsSavedWithOnlyPurposeAndDates(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	rec, err := DecodeRecord(data.KindVisit, []byte(`{"purpose":"Port visit planning","starts_on":"2027-02-01","ends_on":"2027-02-02"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, rec); err != nil {
		t.Fatalf("add: %v", err)
	}
	for _, bad := range []string{`{"purpose":"x","starts_on":"2027-02-03","ends_on":"2027-02-01"}`,
		`{"starts_on":"2027-02-01","ends_on":"2027-02-01"}`,
		`{"purpose":"x","starts_on":"2027-02-01","ends_on":"2027-02-01","visitors":[{"name":"A","passport":"P","birth_date":"1 Jan 1980"}]}`} {
		rec, err := DecodeRecord(data.KindVisit, []byte(bad))
		if err == nil {
			_, err = s.Add(ctx, rec)
		}
		if err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestSearchFindsVisitorsByNameButNeverByPassportOrBirthDate(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.Add(ctx, sampleVisit()); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, "Iyer", data.SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].Kind != data.KindVisit {
		t.Fatalf("search by visitor name: %v %+v", err, hits)
	}
	for _, q := range []string{"Z9876543", "1980"} {
		hits, err := s.Search(ctx, q, data.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 0 {
			t.Errorf("search %q found %+v", q, hits)
		}
	}
	b, _ := json.Marshal(hits)
	if strings.Contains(string(b), "Z9876543") {
		t.Error("a hit carries the passport")
	}
}

func TestTheLeadTimeIsThePostingsAndWarnsInsideIt(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t) // today is 2026-11-25
	v := sampleVisit()
	v.Posting, v.StartsOn, v.EndsOn = "CMF", "2026-12-05", "2026-12-06" // in 10 days
	w, err := s.VisitLeadTimeWarning(ctx, v)
	if err != nil || !strings.Contains(w, "starts in 10 days, inside the 30-day lead time") || !strings.Contains(w, "AR 380-10") {
		t.Fatalf("warning: %q %v", w, err)
	}
	if err := s.Update(ctx, data.KindPosting, "CMF", []byte(`{"visit_lead_days": 7}`)); err != nil {
		t.Fatalf("set the lead time: %v", err)
	}
	if w, _ := s.VisitLeadTimeWarning(ctx, v); w != "" {
		t.Fatalf("outside a 7-day lead time, warned %q", w)
	}
	v.StartsOn = "2026-12-01"
	if w, _ := s.VisitLeadTimeWarning(ctx, v); !strings.Contains(w, "7-day lead time") {
		t.Fatalf("inside a 7-day lead time: %q", w)
	}
	v.Status = data.VisitSubmitted
	if w, _ := s.VisitLeadTimeWarning(ctx, v); w != "" {
		t.Fatalf("a submitted visit still warns: %q", w)
	}
}

// A patched peer gives a visit a status the workflow does not know: the
// change is held for review, and the visit keeps a status it can move from.
func TestAPeersVisitWithAnUnknownStatusIsHeld(t *testing.T) {
	ctx := context.Background()
	a, v := openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"a": a, "v": v})
	id := addOne(t, a, sampleVisit())
	sendAll(t, a, v)
	if err := a.CraftChange(ctx, "visits", id, map[string]json.RawMessage{"status": json.RawMessage(`"waived"`)}); err != nil {
		t.Fatal(err)
	}
	res := sendAll(t, a, v)
	if res.Quarantined == 0 || !strings.Contains(res.Held[0].Detail, "status") {
		t.Fatalf("held %d: %+v", res.Quarantined, res.Held)
	}
	if got := visitOf(t, v, id).Status; got != data.VisitDrafted {
		t.Fatalf("V's visit is %s", got)
	}
}
