package store

import (
	"context"
	"testing"

	"liaisondesk/data"
)

// A store that materialised a delay confirmation under the old five-day
// rule shows the one-day date (15 CFR 700.13(d)(2)) as soon as it is
// opened again: no migration step, no edit of the record.
func TestOpenRecomputesDPASDatesMaterialisedUnderOldRules(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	r := sampleRequest()
	r.Rating, r.OrderReceivedOn = "DO-A1", "2026-11-20"
	r.Delayed, r.DelayReportedOn, r.DelayNotice = true, "2026-11-24", data.DelayVerbal
	id := addOne(t, s, r)
	if got := getRequest(t, s, id).DelayConfirmDue; got != "2026-11-25" {
		t.Fatalf("delay_confirm_due = %q, want 2026-11-25", got)
	}
	// What a store written by the previous version holds: the date five
	// working days on, and no fingerprint of the rules.
	for _, q := range []string{`UPDATE requests SET delay_confirm_due = '2026-12-02', acceptance_due = '2030-01-01' WHERE id = '` + id + `'`,
		`DELETE FROM derived_rules`} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if got := getRequest(t, s, id).DelayConfirmDue; got != "2026-12-02" {
		t.Fatalf("the stale date is not what the store holds (%q): the test proves nothing", got)
	}
	path := s.Path()
	s.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	got := getRequest(t, s2, id)
	if got.DelayConfirmDue != "2026-11-25" || got.AcceptanceDue != "2026-12-14" {
		t.Errorf("after reopening: delay_confirm_due %q, acceptance_due %q; want 2026-11-25, 2026-12-14", got.DelayConfirmDue, got.AcceptanceDue)
	}
	// The integrity check, which recomputes every derived column, agrees.
	if rep, err := s2.Check(ctx); err != nil || len(rep.Problems) > 0 {
		t.Errorf("check after reopening: %v %v", err, rep)
	}
	var fp string
	if err := s2.rdb.QueryRowContext(ctx, `SELECT fingerprint FROM derived_rules WHERE name = 'dpas'`).Scan(&fp); err != nil || fp != data.DPASFingerprint(nil) {
		t.Errorf("fingerprint %q (%v), want %q", fp, err, data.DPASFingerprint(nil))
	}
}

// The new fields travel through the store like the others, and a
// significant amendment moves the stored acceptance clock (§700.16(c)).
func TestDPASFieldsAreStored(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	r := sampleRequest()
	r.Rating, r.OrderReceivedOn = "DO-A1", "2026-11-02"
	id := addOne(t, s, r)
	if err := s.Update(ctx, "request", id, []byte(`{"amendment_received_on":"2026-11-20","amendment_significant":true,
		"rejection_reason":"mandatory_cannot_meet_date","earliest_offered_on":"2027-03-01"}`)); err != nil {
		t.Fatal(err)
	}
	got := getRequest(t, s, id)
	if got.AcceptanceDue != "2026-12-14" || !got.AmendmentSignificant || got.RejectionReason != "mandatory_cannot_meet_date" || got.EarliestOfferedOn != "2027-03-01" {
		t.Errorf("got acceptance_due %q, amendment_significant %v, rejection_reason %q, earliest_offered_on %q",
			got.AcceptanceDue, got.AmendmentSignificant, got.RejectionReason, got.EarliestOfferedOn)
	}
	refusedWithoutWrites(t, s, "rating_changed_on", func() error {
		return s.Update(ctx, "request", id, []byte(`{"rating_changed_on":"2026-11-04"}`))
	})
}
