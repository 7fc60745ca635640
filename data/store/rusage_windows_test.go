package store

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system, all threads) the process has used so
// far; Windows has no getrusage, GetProcessTimes gives the same two sums.
func cpuTime() time.Duration {
	var created, exited, kernel, user syscall.Filetime
	p, err := syscall.GetCurrentProcess()
	if err != nil {
		return 0
	}
	if err := syscall.GetProcessTimes(p, &created, &exited, &kernel, &user); err != nil {
		return 0
	}
	// A Filetime duration counts 100-nanosecond ticks.
	ticks := func(f syscall.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100)
}
