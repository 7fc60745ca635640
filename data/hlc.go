package data

import (
	"fmt"
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

func makeHLC(ms int64, counter uint16) HLC { return HLC(uint64(ms)<<16 | uint64(counter)) }

// Time is the wall-clock part.
func (h HLC) Time() time.Time { return time.UnixMilli(int64(h >> 16)).UTC() }

func (h HLC) String() string {
	return fmt.Sprintf("%s#%d", h.Time().Format(time.RFC3339Nano), uint16(h))
}

// tick returns the next reading after last, given the wall clock.
func tick(last HLC, wall time.Time) HLC {
	ms := wall.UnixMilli()
	if ms > int64(last>>16) {
		return makeHLC(ms, 0)
	}
	return last + 1 // same or earlier millisecond: count on
}

// observe moves the clock past a remote reading, but never more than
// MaxClockLead ahead of the wall clock.
func observe(last, remote HLC, wall time.Time) HLC {
	limit := makeHLC(wall.Add(MaxClockLead).UnixMilli(), 0)
	if remote > limit {
		remote = limit
	}
	if remote > last {
		return remote
	}
	return last
}
