package data

import (
	"fmt"
	"math"
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

// MaxHLC is the last reading there is. The clock stops there, refusing
// to stamp anything after it, rather than wrap around to 0 (where every
// change would be older than the value it replaces).
const MaxHLC = HLC(math.MaxUint64)

func MakeHLC(ms int64, counter uint16) HLC { return HLC(uint64(ms)<<16 | uint64(counter)) }

// clockMillis is the wall clock in the 48 bits of milliseconds a reading
// holds: a clock set before 1970 or after the year 10889 reads as the end
// of the range, never as a wrapped-around value.
func clockMillis(wall time.Time) int64 { return min(max(wall.UnixMilli(), 0), int64(MaxHLC>>16)) }

// Time is the wall-clock part.
func (h HLC) Time() time.Time { return time.UnixMilli(int64(h >> 16)).UTC() }

func (h HLC) String() string {
	return fmt.Sprintf("%s#%d", h.Time().Format(time.RFC3339Nano), uint16(h))
}

// tick returns the next reading after last, given the wall clock. At the
// last reading there is it refuses: wrapping to 0 would stamp the change
// before the value it replaces, which would then win for ever.
func Tick(last HLC, wall time.Time) (HLC, error) {
	if ms := clockMillis(wall); ms > int64(last>>16) {
		return MakeHLC(ms, 0), nil
	}
	if last == MaxHLC {
		return last, fmt.Errorf("the clock is at the last reading there is (%s), so no change can be stamped after it: "+
			"a value it would replace was stamped there (a crafted stamp released from review?)", last)
	}
	return last + 1, nil // same or earlier millisecond: count on
}

// observe moves the clock past a remote reading, but never more than
// MaxClockLead ahead of the wall clock (nor past the last reading).
func Observe(last, remote HLC, wall time.Time) HLC {
	limit := MakeHLC(clockMillis(wall.Add(MaxClockLead)), 0)
	if remote > limit {
		remote = limit
	}
	if remote > last {
		return remote
	}
	return last
}

// ClockLeadWarning is the warning for a lead ClockLead reported, "" when
// it is within what a peer's clock may push this one to.
func ClockLeadWarning(lead time.Duration) string {
	if lead <= MaxClockLead {
		return ""
	}
	return fmt.Sprintf("this laptop stamps its changes %s ahead of its clock (its clock was ahead earlier, or it edited values stamped ahead): "+
		"they will look later than they are until the clock catches up", AboutDuration(lead))
}

// aboutDuration says a long duration the way an officer would: "3 days",
// "5 hours", "90 minutes".
func AboutDuration(d time.Duration) string {
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
func AheadOf(h HLC, wall time.Time) bool { return h.Time().Sub(wall) > time.Minute }
