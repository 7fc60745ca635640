package replication

import (
	"context"
	"testing"

	"liaisondesk/data"
)

// A visit request crosses by bundle with its visitors (sensitive fields
// included: they are the officer's records, only kept out of outputs), its
// status notes, and a posting's lead time set on the other laptop; edits
// of different fields on both laptops merge per field.
func TestAVisitRequestCrossesByBundleAndMergesPerField(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	v := &data.Visit{Purpose: "P-8I sustainment review", StartsOn: "2027-01-10", EndsOn: "2027-01-11", Facility: "NAS Jacksonville",
		Visitors: []data.Visitor{{Name: "R. Iyer", Rank: "Cdr", Nationality: "IND", Passport: "Z9876543", BirthDate: "1980-04-02"}}}
	ids, err := a.Add(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetVisitStatus(ctx, ids[0], data.VisitSentToWing, "by bag"); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(ctx, data.KindPosting, "CMF", []byte(`{"visit_lead_days": 45}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("the replicas differ after a round trip")
	}
	checkClean(t, b)

	// Concurrent edits of different fields.
	if err := a.Update(ctx, data.KindVisit, ids[0], []byte(`{"facility":"NAS Jacksonville, VP-30"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, data.KindVisit, ids[0], []byte(`{"fvs_case":"FVS-2026-IN-1187"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("the replicas differ after a round trip")
	}
	rec, err := b.Get(ctx, data.KindVisit, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	got := rec.(*data.Visit)
	if got.Facility != "NAS Jacksonville, VP-30" || got.FVSCase != "FVS-2026-IN-1187" || got.Status != data.VisitSentToWing ||
		len(got.Visitors) != 1 || got.Visitors[0].Passport != "Z9876543" {
		t.Fatalf("crossed as %+v", got)
	}
	ps, err := b.Postings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == "CMF" && p.LeadDays() != 45 {
			t.Fatalf("CMF's lead time on b: %d", p.LeadDays())
		}
	}
}
