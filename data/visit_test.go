package data

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAVisitorsListArrivingBySyncIsCheckedLikeTheForm(t *testing.T) {
	good := `[{"name":"R. Iyer","nationality":"IND","passport":"Z1","birth_date":"1980-04-02"}]`
	if err := CheckImportedField("visitors", ListField, json.RawMessage(good)); err != nil {
		t.Fatalf("a good list: %v", err)
	}
	for _, bad := range []string{`["R. Iyer"]`, `[{"name":""}]`, `[{"name":"A","nationality":"XXX"}]`,
		`[{"name":"A","birth_date":"2 April 1980"}]`, `[{"name":"A\nB"}]`} {
		if err := CheckImportedField("visitors", ListField, json.RawMessage(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestTheLeadTimeWarningNamesTheArmyWaiverUnderFourteenDays(t *testing.T) {
	v := Visit{StartsOn: "2026-12-20", Status: VisitDrafted}
	if w := v.LeadTimeWarning(30, "2026-12-01"); !strings.Contains(w, "19 days") || strings.Contains(w, "AR 380-10") {
		t.Fatalf("19 days ahead: %q", w)
	}
	if w := v.LeadTimeWarning(30, "2026-12-10"); !strings.Contains(w, "10 days") || !strings.Contains(w, "waiver") {
		t.Fatalf("10 days ahead: %q", w)
	}
	if w := v.LeadTimeWarning(30, "2026-11-20"); w != "" {
		t.Fatalf("30 days ahead: %q", w)
	}
}

func TestRedactedLeavesOutOnlyTheSensitiveFieldsNotAskedFor(t *testing.T) {
	v := &Visit{Purpose: "x", Visitors: []Visitor{{Name: "A", Passport: "P1", BirthDate: "1980-01-01"}}}
	r := v.Redacted([]string{SensitiveBirthDate})
	if r.Visitors[0].Passport != "" || r.Visitors[0].BirthDate != "1980-01-01" || r.Visitors[0].Name != "A" {
		t.Fatalf("redacted %+v", r.Visitors[0])
	}
	if v.Visitors[0].Passport != "P1" {
		t.Fatal("redacting changed the record itself")
	}
	if _, err := ParseSensitive("include", "passport,salary"); err == nil {
		t.Fatal("asked for a field that is not sensitive")
	}
}
