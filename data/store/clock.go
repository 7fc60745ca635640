package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"liaisondesk/data"
)

// ClockLead is how far this device's clock (the HLC its next change is
// stamped from) is ahead of the wall clock; 0 when it is not. A laptop
// whose clock was days ahead and then corrected keeps stamping its changes
// that far ahead, since the HLC never goes back; so does one that edited a
// value a peer stamped in the future (writer.seen).
func (s *Store) ClockLead(ctx context.Context) (time.Duration, error) {
	var h int64
	if err := s.rdb.QueryRowContext(ctx, `SELECT hlc FROM device`).Scan(&h); err != nil {
		return 0, fmt.Errorf("clock lead: %w", err)
	}
	return max(data.HLC(h).Time().Sub(s.Now()), 0), nil
}

// futureStamps counts, per author, the changes an import applied that
// are stamped more than MaxClockLead ahead of this laptop's clock.
type futureStamps struct {
	wall    time.Time
	n       map[data.SiteID]int
	lead    map[data.SiteID]time.Duration
	officer map[data.SiteID]string
}

func (f *futureStamps) note(site data.SiteID, officer string, h data.HLC) {
	lead := h.Time().Sub(f.wall)
	if lead <= data.MaxClockLead {
		return
	}
	if f.n == nil {
		f.n, f.lead, f.officer = map[data.SiteID]int{}, map[data.SiteID]time.Duration{}, map[data.SiteID]string{}
	}
	f.n[site]++
	f.lead[site] = max(f.lead[site], lead)
	f.officer[site] = officer
}

// report adds the counts and one warning line per device to res.
func (f *futureStamps) report(res *data.ImportResult) {
	sites := make([]data.SiteID, 0, len(f.n))
	for s := range f.n {
		sites = append(sites, s)
	}
	slices.SortFunc(sites, func(a, b data.SiteID) int { return bytes.Compare(a[:], b[:]) })
	for _, s := range sites {
		n, lead := f.n[s], f.lead[s]
		res.FutureStamped += n
		res.FutureLeadSeconds = max(res.FutureLeadSeconds, int64(lead/time.Second))
		who := "device " + s.ShortCode()
		if f.officer[s] != "" {
			who += " (" + f.officer[s] + ")"
		}
		what := fmt.Sprintf("%d changes from %s are", n, who)
		if n == 1 {
			what = fmt.Sprintf("1 change from %s is", who)
		}
		res.ClockWarnings = append(res.ClockWarnings, fmt.Sprintf("%s stamped up to %s ahead of this laptop's clock", what, data.AboutDuration(lead)))
	}
}
