//go:build unix

package gui

import (
	"syscall"
	"time"
)

// gbCPU is the CPU time (user + system, all threads) the process has used so
// far. The machine may be shared: wall times swing with other load,
// CPU time per operation shows what the code itself costs.
func gbCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
