package demo

import (
	"context"
	"fmt"
	"slices"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// accreditations records each posting's liaison officer's accreditation,
// dated around today without drawing from the seed (so the records drawn
// before keep their values): a badge that expires within the month, so
// the reminders show one, a DDL review in three months, an EVA ending in
// eleven. A fill again leaves existing ones alone (one per officer).
func (g *gen) accreditations(ctx context.Context, s *store.Store) (int, error) {
	var have []string
	err := s.List(ctx, data.KindAccreditation, data.ListFilter{}, func(r data.Record) error {
		have = append(have, r.(*data.Accreditation).Officer)
		return nil
	})
	if err != nil {
		return 0, err
	}
	var recs []data.Record
	for i, p := range g.posts {
		if slices.Contains(have, p.lo) {
			continue
		}
		recs = append(recs, &data.Accreditation{Officer: p.lo, CertifyingCommand: p.name,
			StartsOn: date(g.today.AddDate(-1, 0, 0)), EndsOn: date(g.today.AddDate(2, 0, 0)),
			Functions:      "Liaison between the Indian Armed Forces and " + p.name + " under the Memorandum of Agreement on Liaison Officers.",
			ContactOfficer: "Contact officer, " + p.code + " foreign liaison office", ForeignDisclosureOfficer: p.code + " foreign disclosure officer",
			// Wide enough for every exchange the demo draws, so a second fill
			// adds them all; the DDL check is shown by the tests, not the demo.
			DDLCeiling: "SECRET", DDLMethods: []string{"oral", "visual", "documentary"}, DDLCategories: []string{"1", "2", "5"},
			DDLLimitations: "No disclosure of third-country information without the originator's consent.",
			DDLReviewOn:    date(g.today.AddDate(0, 3, 0)),
			EVANumber:      fmt.Sprintf("EVA-%s-%d-%03d", p.code, g.today.Year(), 101+i), EVAEndsOn: date(g.today.AddDate(0, 11, 0)),
			BadgeExpiresOn: date(g.today.AddDate(0, 0, 20+7*i))})
	}
	if len(recs) == 0 {
		return 0, nil
	}
	if _, err := s.Add(ctx, recs...); err != nil {
		return 0, err
	}
	return len(recs), nil
}
