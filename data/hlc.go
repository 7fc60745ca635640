package data

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// HLC is a hybrid logical clock reading: 48 bits of Unix milliseconds and a
// 16-bit counter. It never goes back, even when the wall clock does, so the
// order of a device's own changes is always the order they were made.
type HLC uint64

// MaxClockLead is how far a remote clock may push ours ahead of the wall
// clock: a peer with a wrong clock cannot drag every later change into the
// future.
const MaxClockLead = time.Hour

// MaxStampLead is how far ahead of this laptop's clock an imported change
// may be stamped and still apply without review (beyond MaxClockLead it
// applies with a warning). A badly set laptop clock is wrong by minutes or
// hours (drift, local time taken for UTC: at most 14 hours), or set back
// to a firmware date (the past, which harms nothing); a month ahead is no
// clock's slip but a crafted stamp or a mistyped year. Applied, such a
// value would drag the clock of every laptop that edits it as far ahead
// (writer.seen), up to the last reading there is, where no edit can
// supersede it. So it is held for review as invalid, saying how far ahead.
const MaxStampLead = 30 * 24 * time.Hour

// maxHLC is the last reading there is. The clock stops there, refusing
// to stamp anything after it, rather than wrap around to 0 (where every
// change would be older than the value it replaces).
const maxHLC = HLC(math.MaxUint64)

func makeHLC(ms int64, counter uint16) HLC { return HLC(uint64(ms)<<16 | uint64(counter)) }

// clockMillis is the wall clock in the 48 bits of milliseconds a reading
// holds: a clock set before 1970 or after the year 10889 reads as the end
// of the range, never as a wrapped-around value.
func clockMillis(wall time.Time) int64 { return min(max(wall.UnixMilli(), 0), int64(maxHLC>>16)) }

// Time is the wall-clock part.
func (h HLC) Time() time.Time { return time.UnixMilli(int64(h >> 16)).UTC() }

func (h HLC) String() string {
	return fmt.Sprintf("%s#%d", h.Time().Format(time.RFC3339Nano), uint16(h))
}

// tick returns the next reading after last, given the wall clock. At the
// last reading there is it refuses: wrapping to 0 would stamp the change
// before the value it replaces, which would then win for ever.
func tick(last HLC, wall time.Time) (HLC, error) {
	if ms := clockMillis(wall); ms > int64(last>>16) {
		return makeHLC(ms, 0), nil
	}
	if last == maxHLC {
		return last, fmt.Errorf("the clock is at the last reading there is (%s), so no change can be stamped after it: "+
			"a value it would replace was stamped there (a crafted stamp released from review?)", last)
	}
	return last + 1, nil // same or earlier millisecond: count on
}

// observe moves the clock past a remote reading, but never more than
// MaxClockLead ahead of the wall clock (nor past the last reading).
func observe(last, remote HLC, wall time.Time) HLC {
	limit := makeHLC(clockMillis(wall.Add(MaxClockLead)), 0)
	if remote > limit {
		remote = limit
	}
	if remote > last {
		return remote
	}
	return last
}

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
	return max(HLC(h).Time().Sub(s.Now()), 0), nil
}

// ClockLeadWarning is the warning for a lead ClockLead reported, "" when
// it is within what a peer's clock may push this one to.
func ClockLeadWarning(lead time.Duration) string {
	if lead <= MaxClockLead {
		return ""
	}
	return fmt.Sprintf("this laptop stamps its changes %s ahead of its clock (its clock was ahead earlier, or it edited values stamped ahead): "+
		"they will look later than they are until the clock catches up", aboutDuration(lead))
}

// aboutDuration says a long duration the way an officer would: "3 days",
// "5 hours", "90 minutes".
func aboutDuration(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d >= 48*time.Hour:
		return unit(int64((d+12*time.Hour)/(24*time.Hour)), "day")
	case d >= 2*time.Hour:
		return unit(int64((d+30*time.Minute)/time.Hour), "hour")
	}
	return unit(int64((d+30*time.Second)/time.Minute), "minute")
}

// aheadOf is whether a reading lies ahead of the wall clock by more than
// a minute (ordinary drift between laptops is not worth a mark).
func aheadOf(h HLC, wall time.Time) bool { return h.Time().Sub(wall) > time.Minute }

// futureStamps counts, per author, the changes an import applied that
// are stamped more than MaxClockLead ahead of this laptop's clock.
type futureStamps struct {
	wall    time.Time
	n       map[SiteID]int
	lead    map[SiteID]time.Duration
	officer map[SiteID]string
}

func (f *futureStamps) note(site SiteID, officer string, h HLC) {
	lead := h.Time().Sub(f.wall)
	if lead <= MaxClockLead {
		return
	}
	if f.n == nil {
		f.n, f.lead, f.officer = map[SiteID]int{}, map[SiteID]time.Duration{}, map[SiteID]string{}
	}
	f.n[site]++
	f.lead[site] = max(f.lead[site], lead)
	f.officer[site] = officer
}

// report adds the counts and one warning line per device to res.
func (f *futureStamps) report(res *ImportResult) {
	sites := make([]SiteID, 0, len(f.n))
	for s := range f.n {
		sites = append(sites, s)
	}
	slices.SortFunc(sites, func(a, b SiteID) int { return bytes.Compare(a[:], b[:]) })
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
		res.ClockWarnings = append(res.ClockWarnings, fmt.Sprintf("%s stamped up to %s ahead of this laptop's clock", what, aboutDuration(lead)))
	}
}
