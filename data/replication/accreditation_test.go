package replication

import (
	"context"
	"testing"

	"liaisondesk/data"
)

// An accreditation and an exchange saved with its
// DDL justification cross by bundle and back, and both replicas end equal.
func TestAnAccreditationCrossesByBundle(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	acc := &data.Accreditation{Officer: "Cdr A", CertifyingCommand: "Combined Maritime Forces",
		DDLCeiling: "CONFIDENTIAL", DDLMethods: []string{"oral"}, DDLCategories: []string{"1", "5"},
		DDLLimitations: "No third-country information.", EVANumber: "EVA-CMF-2026-101", BadgeExpiresOn: "2027-01-31"}
	ids, err := a.Add(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	e := &data.Exchange{Posting: "CMF", Kind: "briefing_received", Title: "N2 brief", OccurredAt: "2026-12-01T06:00:00Z",
		Direction: "received", Disclosure: "visual", NDPCategory: "8", DDLJustification: "Shown the plot by the N2.",
		Marking: data.Marking{Classification: "SECRET", Releasability: []string{"USA", "IND"}}}
	if _, err := a.Add(ctx, e); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	// B edits the accreditation and sends it back.
	if err := b.Update(ctx, data.KindAccreditation, ids[0], []byte(`{"ddl_review_on": "2027-02-01"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("the replicas differ after a round trip")
	}
	checkClean(t, a)
	checkClean(t, b)
	rec, err := a.Get(ctx, data.KindAccreditation, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	got := rec.(*data.Accreditation)
	if got.DDLCeiling != "CONFIDENTIAL" || len(got.DDLCategories) != 2 || got.DDLReviewOn != "2027-02-01" || got.EVANumber != "EVA-CMF-2026-101" {
		t.Fatalf("crossed as %+v", got)
	}
}

// Two laptops that change the DDL ceiling apart merge per field: the
// other fields each side edited both land, the ceiling is a conflict kept
// on both, and resolving it on one settles it on both.
func TestConcurrentDDLEditsMergePerField(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	ids, err := a.Add(ctx, &data.Accreditation{Officer: "Cdr A", DDLCeiling: "CONFIDENTIAL"})
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	importOK(t, b, bundle(t, a, "peerb"))
	if err := a.Update(ctx, data.KindAccreditation, id, []byte(`{"ddl_ceiling":"SECRET","eva_number":"EVA-1"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(ctx, data.KindAccreditation, id, []byte(`{"ddl_ceiling":"RESTRICTED","badge_expires_on":"2027-01-31"}`)); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	importOK(t, a, bundle(t, b, "peera"))
	if digest(t, a) != digest(t, b) {
		t.Fatal("digests differ")
	}
	cs, err := a.Conflicts(ctx)
	if err != nil || len(cs) != 1 || cs[0].Kind != data.KindAccreditation || cs[0].Field != "ddl_ceiling" {
		t.Fatalf("conflicts: %+v %v", cs, err)
	}
	got, _ := b.Get(ctx, data.KindAccreditation, id)
	if acc := got.(*data.Accreditation); acc.EVANumber != "EVA-1" || acc.BadgeExpiresOn != "2027-01-31" {
		t.Fatalf("the fields edited apart did not both merge: %+v", acc)
	}
	if err := a.Resolve(ctx, data.KindAccreditation, id, "ddl_ceiling", []byte(`"RESTRICTED"`), ""); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	if cs, _ := b.Conflicts(ctx); len(cs) != 0 || digest(t, a) != digest(t, b) {
		t.Fatalf("after resolving: %+v", cs)
	}
}
