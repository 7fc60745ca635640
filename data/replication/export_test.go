package replication

import "testing"

// CheckTarget is checkTarget for the benchmarks of the external test
// package (memory_bench_test.go), which cannot see this one's names.
func CheckTarget(b *testing.B, what, measured, limit string, ok bool) {
	checkTarget(b, what, measured, limit, ok)
}
