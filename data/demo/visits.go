package demo

import (
	"context"
	"fmt"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// demoVisit is one visit request of the demo and the states it walks.
type demoVisit struct {
	v     data.Visit
	start int // days from today
	days  int
	walk  []data.VisitStatus
}

// visits adds a few visit requests by Indian delegations, in several
// states: one inside the lead time, one submitted, one held with its
// report done, one denied. They use no random numbers, so the rest of the
// demo is the same with them.
func visits(ctx context.Context, s *store.Store, today time.Time) error {
	sent := []data.VisitStatus{data.VisitSentToWing, data.VisitSubmitted}
	list := []demoVisit{
		{v: data.Visit{Posting: "INDOPACOM", VisitType: data.VisitOneTime, Facility: "NAS Jacksonville, Florida",
			Purpose: "P-8I sustainment programme review with the Navy International Programs Office", Program: "P-8I",
			FMSCase: "IN-P-SAB", USContact: "CDR J. Alvarez, NIPO, +1 202 555 0141",
			Visitors: []data.Visitor{
				{Name: "R. Iyer", Rank: "Cdr", Organisation: "Indian Navy, DNAS", Nationality: "IND", Clearance: "SECRET", Passport: "Z1234567", BirthDate: "1981-03-14"},
				{Name: "S. Menon", Rank: "Lt Cdr", Organisation: "Indian Navy, INAS 312", Nationality: "IND", Clearance: "SECRET", Passport: "Z7654321", BirthDate: "1987-09-02"}}},
			start: 10, days: 2},
		{v: data.Visit{Posting: "SOCOM", VisitType: data.VisitOneTime, Facility: "Fort Liberty, North Carolina",
			Purpose: "Observe a combined special forces exercise planning conference", USContact: "MAJ K. Turner, USASOC G3",
			FVSCase:  "FVS-2026-IN-1187",
			Visitors: []data.Visitor{{Name: "A. Rathore", Rank: "Col", Organisation: "Indian Army, Para SF", Nationality: "IND", Clearance: "SECRET", Passport: "Z2468013", BirthDate: "1976-11-21"}}},
			start: 45, days: 3, walk: sent},
		{v: data.Visit{Posting: "CMF", VisitType: data.VisitRecurring, Facility: "Naval Support Activity, Manama",
			Purpose: "Quarterly staff talks with CTF 150 on boarding procedures", USContact: "LCDR M. Hale, CMF N3",
			FVSCase:  "FVS-2026-IN-0954",
			Visitors: []data.Visitor{{Name: "V. Nair", Rank: "Capt", Organisation: "Indian Navy, DNO", Nationality: "IND", Clearance: "SECRET", Passport: "Z1357913", BirthDate: "1978-05-30"}}},
			start: -20, days: 1, walk: append(sent, data.VisitApproved, data.VisitHeld, data.VisitReportDone)},
		{v: data.Visit{Posting: "INDOPACOM", VisitType: data.VisitExtended, Facility: "Camp H. M. Smith, Hawaii",
			Purpose: "Extended attachment of a staff officer to the J5 planning cell", FVSCase: "FVS-2026-IN-1022",
			Visitors: []data.Visitor{{Name: "P. Kulkarni", Rank: "Wg Cdr", Organisation: "Indian Air Force", Nationality: "IND", Clearance: "SECRET", Passport: "Z9753197", BirthDate: "1984-01-08"}}},
			start: 60, days: 180, walk: append(sent, data.VisitDenied)},
	}
	for _, d := range list {
		v := d.v
		v.StartsOn = date(today.AddDate(0, 0, d.start))
		v.EndsOn = date(today.AddDate(0, 0, d.start+d.days-1))
		if _, err := s.Add(ctx, &v); err != nil {
			return fmt.Errorf("visits: %w", err)
		}
		for _, to := range d.walk {
			if err := s.SetVisitStatus(ctx, v.ID, to, ""); err != nil {
				return fmt.Errorf("visits: %w", err)
			}
		}
	}
	return nil
}
