package pgstore

// The one way a benchmark reports a target. The same file, but for its
// package clause, sits in every package with benchmarks (test code cannot
// be shared across packages): keep the copies identical.

import (
	"fmt"
	"strings"
	"testing"
)

// checkTarget prints one target of a benchmark, measured against its
// limit, as a line scripts/bench-table.sh collects into the table that
// `make bench` ends with:
//
//	TARGET<TAB>benchmark<TAB>what<TAB>target<TAB>measured<TAB>PASS|MISS
//
// It prints to stdout, which go test passes through, rather than b.Logf,
// of which the testing package keeps only a benchmark's first 10 lines.
// A miss never fails the benchmark, so the others still run and are
// measured; with BENCH_STRICT=1, `make bench` fails at the end instead,
// on the table.
func checkTarget(b *testing.B, what, measured, limit string, ok bool) {
	verdict := "PASS"
	if !ok {
		verdict = "MISS"
	}
	field := strings.NewReplacer("\t", " ", "\n", " ").Replace
	fmt.Printf("TARGET\t%s\t%s\t%s\t%s\t%s\n", b.Name(), field(what), field(limit), field(measured), verdict)
}
