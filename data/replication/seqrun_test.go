package replication

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A push's own seqs are kept as runs, not one by one; the hub's gap check
// on the runs reaches the same verdict as on every seq, whatever order
// and repeats a hostile device sends them in.
func TestTheGapCheckOnRunsOfSeqsAgreesWithOneOnEverySeq(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 4))
	for round := range 2000 {
		held := int64(rng.IntN(5))
		var seqs []int64
		for range rng.IntN(12) {
			seqs = append(seqs, 1+int64(rng.IntN(12)))
		}
		if round%3 == 0 { // in order, as an honest device sends them
			slices.Sort(seqs)
		}
		var runs []seqRun
		for _, s := range seqs {
			runs = addSeq(runs, s)
		}
		// The check on every seq.
		sorted := slices.Sorted(slices.Values(seqs))
		want := held
		for _, s := range sorted {
			if s == want+1 {
				want = s
			}
		}
		next, lowest, highest := heldAfter(held, runs)
		if next != want {
			t.Fatalf("held %d, seqs %v: runs %v hold through %d, every seq through %d", held, seqs, runs, next, want)
		}
		if len(seqs) > 0 && (lowest != sorted[0] || highest != sorted[len(sorted)-1]) {
			t.Fatalf("seqs %v: runs %v span %d-%d", seqs, runs, lowest, highest)
		}
	}
	if runs := addSeq(addSeq(addSeq(nil, 1), 2), 3); len(runs) != 1 {
		t.Fatalf("seqs in order make %d runs, want one", len(runs))
	}
}
