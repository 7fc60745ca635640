//go:build unix

package store

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system, all threads) the process has used so
// far. On a shared machine wall times swing with other load;
// CPU time per operation shows what the code itself costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
