package data

import (
	"bytes"
	"slices"
)

// BatchCheck verifies a batch's changes one at a time against the
// batch's commits, as they stream in a page at a time: both stores (the
// SQLite import, a PostgreSQL hub) refuse with its words, and neither
// holds more than the commits and a bit per signed change to do so.
type BatchCheck struct {
	commits []Commit
	bySite  map[SiteID][]int // indexes into commits, in seq order
	seen    [][]uint64       // per commit, a bit per seq: a change of it was taken
}

// NewBatchCheck checks the commits' shape (every range possible, every
// hash list and signature of the right size, no two of a site
// overlapping) and returns the checker for their changes. Signatures are
// the caller's: they need its trust.
func NewBatchCheck(commits []Commit) (*BatchCheck, error) {
	k := &BatchCheck{commits: commits, bySite: map[SiteID][]int{}, seen: make([][]uint64, len(commits))}
	for i := range commits {
		c := &commits[i]
		if c.FirstSeq < 1 || c.LastSeq < c.FirstSeq || c.LastSeq >= 1<<40 {
			return nil, Refused("commit %s:%d-%d has an impossible range", c.Site, c.FirstSeq, c.LastSeq)
		}
		if int64(len(c.Hashes)) != 32*(c.LastSeq-c.FirstSeq+1) || len(c.Signature) != 64 {
			return nil, Refused("commit %s:%d-%d is malformed (hash list or signature of the wrong size)", c.Site, c.FirstSeq, c.LastSeq)
		}
		k.bySite[c.Site] = append(k.bySite[c.Site], i)
	}
	for site, is := range k.bySite {
		slices.SortFunc(is, func(a, b int) int { return int(commits[a].FirstSeq - commits[b].FirstSeq) })
		for j := 1; j < len(is); j++ {
			if commits[is[j]].FirstSeq <= commits[is[j-1]].LastSeq {
				return nil, Refused("commits of %s overlap at seq %d", site, commits[is[j]].FirstSeq)
			}
		}
	}
	return k, nil
}

// Take verifies one change: covered by a commit of the batch, not taken
// before, matching the hash its author signed, and well formed
// (CheckRawChange). It returns the index of its commit in the batch's
// commits. It keeps nothing of c: a page's bytes may go once it returns.
func (k *BatchCheck) Take(c *RawChange) (int, error) {
	is := k.bySite[c.ID.Site]
	j, _ := slices.BinarySearchFunc(is, c.ID.Seq, func(i int, seq int64) int {
		switch {
		case k.commits[i].LastSeq < seq:
			return -1
		case k.commits[i].FirstSeq > seq:
			return 1
		}
		return 0
	})
	if j == len(is) || k.commits[is[j]].FirstSeq > c.ID.Seq || k.commits[is[j]].LastSeq < c.ID.Seq {
		return 0, Refused("change %s is not covered by a signed commit", c.ID)
	}
	i := is[j]
	cm := &k.commits[i]
	at := c.ID.Seq - cm.FirstSeq
	if k.seen[i] == nil {
		k.seen[i] = make([]uint64, (cm.LastSeq-cm.FirstSeq)/64+1)
	}
	if k.seen[i][at/64]&(1<<(at%64)) != 0 {
		return 0, Refused("change %s appears twice", c.ID)
	}
	k.seen[i][at/64] |= 1 << (at % 64)
	h := c.Hash()
	if !bytes.Equal(h[:], cm.Hashes[32*at:32*at+32]) {
		return 0, Refused("change %s does not match the hash its author signed (altered in transit?)", c.ID)
	}
	if err := CheckRawChange(c); err != nil {
		return 0, err
	}
	return i, nil
}
