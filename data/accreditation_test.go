package data

import (
	"errors"
	"strings"
	"testing"
)

// The DDL rule, one case per limit: only information the officer received
// is judged, against the ceiling, the methods and the categories of the
// DDL, and a justification lets any crossing be saved.
func TestTheDDLRule(t *testing.T) {
	ddl := &Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "CONFIDENTIAL",
		DDLMethods: []string{"oral", "visual"}, DDLCategories: []string{"1", "5"}}
	levels := OrderedLevels(append(DefaultClassifications(), Classification{ID: "NATO SECRET", Rank: 40}))
	for _, tc := range []struct {
		name                               string
		direction, level, method, category string
		justification                      string
		accreditation                      *Accreditation
		crossed                            []string // limits crossed, in order; nil: saved
		says                               string
	}{
		{name: "received SECRET above a CONFIDENTIAL ceiling", direction: "received", level: "SECRET",
			crossed: []string{"ceiling"}, says: "SECRET is above the DDL ceiling CONFIDENTIAL"},
		{name: "both ways counts as received", direction: "both", level: "SECRET", crossed: []string{"ceiling"}},
		{name: "received at the ceiling", direction: "received", level: "CONFIDENTIAL"},
		{name: "received below the ceiling", direction: "received", level: "RESTRICTED", method: "oral", category: "5"},
		{name: "given above the ceiling is not the DDL's business", direction: "given", level: "SECRET", method: "documentary", category: "8"},
		{name: "no direction is not judged", level: "SECRET"},
		{name: "an added level above the ceiling", direction: "received", level: "NATO SECRET", crossed: []string{"ceiling"}},
		{name: "a level with no place in the order counts as above", direction: "received", level: "COSMIC",
			crossed: []string{"ceiling"}, says: "no place in the order"},
		{name: "documentary disclosure not permitted", direction: "received", level: "UNCLASSIFIED", method: "documentary",
			crossed: []string{"method"}, says: "documentary disclosure is not a method the DDL permits (oral, visual)"},
		{name: "category 8 not permitted", direction: "received", level: "UNCLASSIFIED", category: "8",
			crossed: []string{"category"}, says: "NDP-1 category 8 is not a category the DDL permits (1, 5)"},
		{name: "every limit at once", direction: "received", level: "SECRET", method: "documentary", category: "3",
			crossed: []string{"ceiling", "method", "category"}},
		{name: "a justification lets it be saved", direction: "received", level: "SECRET", method: "documentary",
			justification: "Briefed by J2 with the FDO present.", crossed: []string{"ceiling", "method"}},
		{name: "a blank justification is none", direction: "received", level: "SECRET", justification: "  \n",
			crossed: []string{"ceiling"}},
		{name: "no accreditation, nothing to check against", direction: "received", level: "SECRET",
			accreditation: &Accreditation{}},
		{name: "a DDL permitting nothing", direction: "received", level: "UNCLASSIFIED", method: "oral",
			accreditation: &Accreditation{Officer: "X", DDLCeiling: "SECRET"}, crossed: []string{"method"}, says: "permits (none)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ddl
			if tc.accreditation != nil {
				a = tc.accreditation
				if a.Officer == "" {
					a = nil
				}
			}
			e := &Exchange{Direction: tc.direction, Disclosure: tc.method, NDPCategory: tc.category,
				Marking: Marking{Classification: tc.level}, DDLJustification: tc.justification}
			var limits []string
			for _, c := range DDLCrossings(e, a, levels) {
				limits = append(limits, c.Limit)
			}
			if strings.Join(limits, ",") != strings.Join(tc.crossed, ",") {
				t.Fatalf("crossed %v, want %v", limits, tc.crossed)
			}
			err := CheckDDL(e, a, levels)
			if len(tc.crossed) == 0 || strings.TrimSpace(tc.justification) != "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ddlErr *DDLError
			if !errors.As(err, &ddlErr) || FieldOf(err) != "ddl_justification" || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a DDLError on ddl_justification", err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%q does not say %q", err.Error(), tc.says)
			}
		})
	}
}

func TestAnAccreditationsFormRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a     Accreditation
		field string
	}{
		{"officer and ceiling are enough", Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "CONFIDENTIAL"}, ""},
		{"no officer", Accreditation{DDLCeiling: "CONFIDENTIAL"}, "officer"},
		{"no ceiling", Accreditation{Officer: "X"}, "ddl_ceiling"},
		{"a method that is not one", Accreditation{Officer: "X", DDLCeiling: "SECRET", DDLMethods: []string{"telepathy"}}, "ddl_methods"},
		{"a method twice", Accreditation{Officer: "X", DDLCeiling: "SECRET", DDLMethods: []string{"oral", "oral"}}, "ddl_methods"},
		{"a ninth category", Accreditation{Officer: "X", DDLCeiling: "SECRET", DDLCategories: []string{"9"}}, "ddl_categories"},
		{"a badge date that is not a date", Accreditation{Officer: "X", DDLCeiling: "SECRET", BadgeExpiresOn: "soon"}, "badge_expires_on"},
		{"ending before it starts", Accreditation{Officer: "X", DDLCeiling: "SECRET", StartsOn: "2026-05-01", EndsOn: "2026-04-01"}, "ends_on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FieldOf(tc.a.Validate()); got != tc.field {
				t.Errorf("field %q, want %q", got, tc.field)
			}
		})
	}
}

func TestNDPCategoriesKeepTheirNumbersAndTakeStoredNames(t *testing.T) {
	cats := NDPCategories([]NDPCategory{{ID: "6", Name: "US Order of Battle"}, {ID: "9", Name: "stray"}, {ID: "2", Name: " "}})
	if len(cats) != 8 || cats[5].Name != "US Order of Battle" || cats[1].Name != "Military Materiel and Munitions" {
		t.Fatalf("%+v", cats)
	}
}
