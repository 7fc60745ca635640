package data

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// checkBatch is two commits of one site (1-3, 4-5) and one of another
// (1-2), with their changes; the signatures are the stores' to check.
func checkBatch() ([]Commit, []RawChange) {
	a, b := SiteID{1}, SiteID{2}
	var changes []RawChange
	var commits []Commit
	for _, r := range []struct {
		site        SiteID
		first, last int64
	}{{a, 1, 3}, {a, 4, 5}, {b, 1, 2}} {
		c := Commit{Site: r.site, FirstSeq: r.first, LastSeq: r.last, Signature: make([]byte, 64)}
		for seq := r.first; seq <= r.last; seq++ {
			ch := RawChange{ID: ChangeID{Site: r.site, Seq: seq}, HLC: HLC(1000 + seq), Table: "exchanges",
				RowID: fmt.Sprintf("row-%d", seq), Fields: []byte(`{"title":"x"}`), Schema: 1}
			h := ch.Hash()
			c.Hashes = append(c.Hashes, h[:]...)
			changes = append(changes, ch)
		}
		commits = append(commits, c)
	}
	return commits, changes
}

// The streaming check names each change's commit, whatever the order the
// changes come in, and refuses, in the words both stores use, a change no
// commit covers, a change given twice and a change its author did not
// sign as it is.
func TestTheBatchCheckNamesEachChangesCommitAndRefusesWhatItCannotVouchFor(t *testing.T) {
	commits, changes := checkBatch()
	k, err := NewBatchCheck(commits)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 0, 0, 1, 1, 2, 2}
	for _, i := range []int{6, 3, 0, 5, 1, 4, 2} { // out of order
		n, err := k.Take(&changes[i])
		if err != nil || n != want[i] {
			t.Fatalf("change %s: commit %d (%v), want %d", changes[i].ID, n, err, want[i])
		}
	}
	for _, tc := range []struct {
		name   string
		change func() RawChange
		words  string
	}{
		{"a seq past the commits", func() RawChange { c := changes[4]; c.ID.Seq = 6; return c }, "is not covered by a signed commit"},
		{"a site with no commit", func() RawChange { c := changes[0]; c.ID.Site = SiteID{3}; return c }, "is not covered by a signed commit"},
		{"a change twice", func() RawChange { return changes[1] }, "appears twice"},
		{"altered", func() RawChange { c := changes[0]; c.Fields = []byte(`{"title":"y"}`); return c }, "does not match the hash its author signed"},
	} {
		k, _ := NewBatchCheck(commits)
		k.Take(&changes[1])
		c := tc.change()
		if _, err := k.Take(&c); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.words) {
			t.Errorf("%s: %v, want a refusal saying %q", tc.name, err, tc.words)
		}
	}
}

// Commits that cannot be right are refused before any change is read.
func TestTheBatchCheckRefusesImpossibleCommits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(cs []Commit)
		words string
	}{
		{"overlapping", func(cs []Commit) { cs[1].FirstSeq, cs[1].Hashes = 3, append(cs[1].Hashes, make([]byte, 32)...) }, "overlap at seq 3"},
		{"a range backwards", func(cs []Commit) { cs[0].FirstSeq = 4 }, "impossible range"},
		{"a hash list short", func(cs []Commit) { cs[2].Hashes = cs[2].Hashes[:32] }, "wrong size"},
		{"a signature short", func(cs []Commit) { cs[2].Signature = cs[2].Signature[:10] }, "wrong size"},
	} {
		commits, _ := checkBatch()
		tc.edit(commits)
		if _, err := NewBatchCheck(commits); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.words) {
			t.Errorf("%s: %v, want a refusal saying %q", tc.name, err, tc.words)
		}
	}
}
