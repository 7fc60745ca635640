package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// addAccreditation records the test officer's accreditation with a DDL
// ceiling of CONFIDENTIAL, oral and visual disclosure, categories 1 and 5.
func addAccreditation(t *testing.T, s *Store) string {
	t.Helper()
	ids, err := s.Add(context.Background(), &data.Accreditation{Officer: "Col. A. Sharma", CertifyingCommand: "US Naval Forces Central Command",
		DDLCeiling: "CONFIDENTIAL", DDLMethods: []string{"oral", "visual"}, DDLCategories: []string{"1", "5"},
		DDLReviewOn: "2026-12-10", BadgeExpiresOn: "2027-03-01"})
	if err != nil {
		t.Fatalf("add accreditation: %v", err)
	}
	return ids[0]
}

func received(level, method, category string) *data.Exchange {
	e := sampleExchange()
	e.Direction, e.Disclosure, e.NDPCategory = "received", method, category
	e.Classification = level
	return e
}

func TestAnExchangeReceivedBeyondTheDDLIsSavedOnlyWithAJustification(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	addAccreditation(t, s)

	_, err := s.Add(ctx, received("SECRET", "oral", "1"))
	var ddl *data.DDLError
	if !errors.As(err, &ddl) || data.FieldOf(err) != "ddl_justification" {
		t.Fatalf("a SECRET exchange received under a CONFIDENTIAL ceiling: got %v, want a DDLError on ddl_justification", err)
	}
	if !strings.Contains(err.Error(), "SECRET is above the DDL ceiling CONFIDENTIAL") {
		t.Errorf("the error does not name the ceiling crossed: %v", err)
	}
	if n := countRows(t, s, "exchanges"); n != 0 {
		t.Fatalf("a refused exchange was written: %d rows", n)
	}

	e := received("SECRET", "oral", "1")
	e.DDLJustification = "The J2 briefed the threat picture above the ceiling; reported to the Defence Wing the same day."
	ids, err := s.Add(ctx, e)
	if err != nil {
		t.Fatalf("with a justification: %v", err)
	}
	got, err := s.Get(ctx, data.KindExchange, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.(*data.Exchange).DDLJustification != e.DDLJustification {
		t.Errorf("the justification was not kept: %q", got.(*data.Exchange).DDLJustification)
	}

	// Clearing the justification of a saved exchange is refused like a new one.
	err = s.Update(ctx, data.KindExchange, ids[0], []byte(`{"ddl_justification": ""}`))
	if !errors.As(err, &ddl) {
		t.Errorf("clearing the justification: got %v, want a DDLError", err)
	}
	// An edit that does not touch what the rule reads goes through.
	if err := s.Update(ctx, data.KindExchange, ids[0], []byte(`{"summary": "Threat brief."}`)); err != nil {
		t.Errorf("editing the summary: %v", err)
	}
}

func TestTheDDLRuleLeavesAloneWhatItDoesNotGovern(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	// Without an accreditation on record there is nothing to check against.
	if _, err := s.Add(ctx, received("SECRET", "documentary", "8")); err != nil {
		t.Fatalf("no accreditation: %v", err)
	}
	addAccreditation(t, s)
	given := received("SECRET", "documentary", "8")
	given.Direction = "given"
	if _, err := s.Add(ctx, given); err != nil {
		t.Errorf("information the officer gave: %v", err)
	}
	if _, err := s.Add(ctx, received("CONFIDENTIAL", "visual", "5")); err != nil {
		t.Errorf("within the DDL: %v", err)
	}
	// Another officer's accreditation does not govern this device's officer.
	if _, err := s.Add(ctx, &data.Accreditation{Officer: "Cdr R. Iyer", DDLCeiling: "UNCLASSIFIED"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, received("CONFIDENTIAL", "oral", "1")); err != nil {
		t.Errorf("another officer's DDL was applied: %v", err)
	}
}

func TestAnAccreditationIsOnePerOfficerWithACeilingOnTheList(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.Add(ctx, &data.Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "COSMIC"}); data.FieldOf(err) != "ddl_ceiling" {
		t.Errorf("a ceiling not on the list: got %v", err)
	}
	id := addAccreditation(t, s)
	if _, err := s.Add(ctx, &data.Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "SECRET"}); data.FieldOf(err) != "officer" {
		t.Errorf("a second accreditation for one officer: got %v", err)
	}
	if err := s.Update(ctx, data.KindAccreditation, id, []byte(`{"ddl_ceiling": "SECRET"}`)); err != nil {
		t.Errorf("raising the ceiling: %v", err)
	}
	// The JSON names are fixed: officer and ddl_ceiling are enough, and
	// the methods and categories are arrays.
	rec, err := DecodeRecord(data.KindAccreditation, []byte(`{"officer": "Cdr R. Iyer", "ddl_ceiling": "RESTRICTED"}`))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.Add(ctx, rec)
	if err != nil {
		t.Fatalf("officer and ddl_ceiling alone: %v", err)
	}
	got, _ := s.Get(ctx, data.KindAccreditation, ids[0])
	if a := got.(*data.Accreditation); a.DDLMethods == nil || a.DDLCategories == nil {
		t.Errorf("methods and categories should read as empty arrays: %#v", a)
	}
}

func TestAnAccreditationsDatesComeDueAMonthAhead(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	id := addAccreditation(t, s) // DDL review 2026-12-10, badge 2027-03-01
	if err := s.Update(ctx, data.KindAccreditation, id, []byte(`{"eva_ends_on": "2026-11-20", "ends_on": "2027-06-30"}`)); err != nil {
		t.Fatal(err)
	}
	list, err := s.DueItems(ctx, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[data.DueWhat]bool{}
	for _, it := range list.Items {
		if it.Kind == data.KindAccreditation {
			got[it.What] = it.Overdue
			if it.ID != id || it.Title != "Accreditation of Col. A. Sharma" {
				t.Errorf("item %+v", it)
			}
		}
	}
	if overdue, ok := got[data.DueEVAEnd]; !ok || !overdue {
		t.Errorf("the EVA that ended on 20 November is not overdue: %v", got)
	}
	if overdue, ok := got[data.DueDDLReview]; !ok || overdue {
		t.Errorf("the DDL review on 10 December is not coming due: %v", got)
	}
	if _, ok := got[data.DueBadgeExpiry]; ok {
		t.Errorf("the badge expiring in March came due in November")
	}
	if _, ok := got[data.DueAccreditationEnd]; ok {
		t.Errorf("the accreditation ending in June came due in November")
	}
}

func TestNDPCategoryNamesAreDataWithTheirNumbersFixed(t *testing.T) {
	ctx := context.Background()
	s, _, _ := hqAndLaptops(t)
	cats, err := s.NDPCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 8 || cats[7].Name != "Military Intelligence" {
		t.Fatalf("categories: %+v", cats)
	}
	if err := s.SetNDPCategoryName(ctx, "6", "US Order of Battle"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNDPCategoryName(ctx, "6", "United States Order of Battle"); err != nil {
		t.Fatal(err)
	}
	cats, _ = s.NDPCategories(ctx)
	if cats[5].Name != "United States Order of Battle" {
		t.Errorf("the renamed category 6: %+v", cats[5])
	}
	if err := s.SetNDPCategoryName(ctx, "9", "Nuclear"); data.FieldOf(err) != "id" {
		t.Errorf("a ninth category: got %v", err)
	}
	if err := s.Delete(ctx, data.KindNDPCategory, "6"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("deleting a category: got %v", err)
	}
}

// HQ names the categories: a laptop's store refuses a rename, HQ's rename
// reaches the laptops, and a patched laptop's rename is held everywhere.
func TestOnlyHQRenamesACategoryAndTheRenameSyncs(t *testing.T) {
	ctx := context.Background()
	hq, a, v := hqAndLaptops(t)
	if err := a.SetNDPCategoryName(ctx, "7", "North American Aerospace Defense"); !errors.Is(err, data.ErrNoOrgKey) {
		t.Fatalf("a laptop renamed a category: %v", err)
	}
	if err := hq.SetNDPCategoryName(ctx, "7", "North American Aerospace Defense"); err != nil {
		t.Fatal(err)
	}
	if res := sendWithRoster(t, hq, a); len(res.Held) != 0 {
		t.Fatalf("HQ's rename was held: %+v", res.Held)
	}
	sendWithRoster(t, hq, v)
	if cats, _ := a.NDPCategories(ctx); cats[6].Name != "North American Aerospace Defense" {
		t.Fatalf("at the laptop: category 7 %q", cats[6].Name)
	}
	if err := a.CraftChange(ctx, "ndp_categories", "8", map[string]json.RawMessage{"name": json.RawMessage(`"Intelligence (renamed by a laptop)"`)}); err != nil {
		t.Fatal(err)
	}
	if res := sendWithRoster(t, a, v); len(res.Held) == 0 || !strings.Contains(res.Held[0].Detail, "only HQ sets") {
		t.Fatalf("a laptop's rename was not held: %+v", res.Held)
	}
	if cats, _ := v.NDPCategories(ctx); cats[7].Name != "Military Intelligence" {
		t.Fatalf("the laptop's rename applied: %q", cats[7].Name)
	}
}

// Even HQ cannot add a ninth category, delete one, blank a name or touch
// another field: such a change is held with its reason.
func TestACategoryChangeOutsideTheEightNamesIsHeld(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, row, fields, why string }{
		{"a ninth category", "9", `{"name":"Nuclear"}`, "eight categories"},
		{"a category deleted", "3", `{"_deleted":true}`, "cannot be deleted"},
		{"a blank name", "2", `{"name":""}`, "not one line"},
		{"another field", "2", `{"rank":1}`, "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, b, _ := hqAndLaptops(t) // x is HQ: certified staff
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.fields), &fields); err != nil {
				t.Fatal(err)
			}
			if err := x.CraftChange(ctx, "ndp_categories", tc.row, fields); err != nil {
				t.Fatal(err)
			}
			res := sendWithRoster(t, x, b)
			if len(res.Held) == 0 || res.Held[0].Reason != "invalid" || !strings.Contains(res.Held[0].Detail, tc.why) {
				t.Fatalf("the change was not held with its reason: %+v", res.Held)
			}
			if cats, _ := b.NDPCategories(ctx); len(cats) != 8 || cats[1].Name != "Military Materiel and Munitions" {
				t.Fatalf("the categories changed: %+v", cats)
			}
		})
	}
}

// Two laptops of one officer that each recorded an accreditation while
// apart both keep theirs after sync; an exchange is then judged against
// each, so the stricter DDL decides.
func TestTwoAccreditationsRecordedApartAreBothApplied(t *testing.T) {
	ctx := context.Background()
	a, b := openTestStore(t), openTestStore(t) // both "Col. A. Sharma"
	enrolAll(t, map[string]*Store{"a": a, "b": b})
	if _, err := a.Add(ctx, &data.Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "SECRET", DDLMethods: []string{"oral"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(ctx, &data.Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "RESTRICTED", DDLMethods: []string{"oral"}}); err != nil {
		t.Fatal(err)
	}
	sendAll(t, b, a)
	if _, err := a.Add(ctx, received("CONFIDENTIAL", "oral", "")); !errors.Is(err, data.ErrInvalid) || !strings.Contains(err.Error(), "ceiling RESTRICTED") {
		t.Fatalf("judged against the looser DDL only: %v", err)
	}
}
