package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// The checks of an incoming batch that need nothing but the batch: every
// replica (the SQLite store, a PostgreSQL hub) makes them, in one place,
// so they refuse the same batches with the same words.

// CommitChanges is one commit of a batch with the changes of it the batch
// carries, in the batch's order, and its author as the sender gave it.
type CommitChanges struct {
	Commit
	Changes []*RawChange
	Author  Author
}

// GroupBatch checks a batch's shape and ties each change to its commit:
// every commit's range possible and its hash list and signature of the
// right size, no two of a site overlapping, no change twice, every
// change covered by a commit and matching the hash its author signed,
// and every change well formed (CheckRawChange). It names the first
// problem it finds; signatures are the caller's (they need its trust).
// The commits come back in the batch's order.
func GroupBatch(b *Batch) ([]*CommitChanges, error) {
	authors := map[SiteID]Author{}
	for _, a := range b.Authors {
		authors[a.Site] = a
	}
	bySite := map[SiteID][]*CommitChanges{}
	var out []*CommitChanges
	for i := range b.Commits {
		c := b.Commits[i]
		if c.FirstSeq < 1 || c.LastSeq < c.FirstSeq || c.LastSeq >= 1<<40 {
			return nil, Refused("commit %s:%d-%d has an impossible range", c.Site, c.FirstSeq, c.LastSeq)
		}
		if int64(len(c.Hashes)) != 32*(c.LastSeq-c.FirstSeq+1) || len(c.Signature) != 64 {
			return nil, Refused("commit %s:%d-%d is malformed (hash list or signature of the wrong size)", c.Site, c.FirstSeq, c.LastSeq)
		}
		cc := &CommitChanges{Commit: c, Author: authors[c.Site]}
		bySite[c.Site] = append(bySite[c.Site], cc)
		out = append(out, cc)
	}
	for site, cs := range bySite {
		slices.SortFunc(cs, func(a, b *CommitChanges) int { return int(a.FirstSeq - b.FirstSeq) })
		for i := 1; i < len(cs); i++ {
			if cs[i].FirstSeq <= cs[i-1].LastSeq {
				return nil, Refused("commits of %s overlap at seq %d", site, cs[i].FirstSeq)
			}
		}
	}
	seen := map[ChangeID]bool{}
	for i := range b.Changes {
		c := &b.Changes[i]
		if seen[c.ID] {
			return nil, Refused("change %s appears twice", c.ID)
		}
		seen[c.ID] = true
		cs := bySite[c.ID.Site]
		k, _ := slices.BinarySearchFunc(cs, c.ID.Seq, func(cc *CommitChanges, seq int64) int {
			if cc.LastSeq < seq {
				return -1
			}
			if cc.FirstSeq > seq {
				return 1
			}
			return 0
		})
		if k == len(cs) || cs[k].FirstSeq > c.ID.Seq || cs[k].LastSeq < c.ID.Seq {
			return nil, Refused("change %s is not covered by a signed commit", c.ID)
		}
		cc := cs[k]
		h := c.Hash()
		at := 32 * (c.ID.Seq - cc.FirstSeq)
		if !bytes.Equal(h[:], cc.Hashes[at:at+32]) {
			return nil, Refused("change %s does not match the hash its author signed (altered in transit?)", c.ID)
		}
		if err := CheckRawChange(c); err != nil {
			return nil, err
		}
		cc.Changes = append(cc.Changes, c)
	}
	return out, nil
}

// CheckRawChange refuses a change whose parts are malformed, before any of
// it reaches the log.
func CheckRawChange(c *RawChange) error {
	if !WellFormedTable(c.Table) {
		return Refused("change %s names a malformed table %q", c.ID, Clip(c.Table))
	}
	if c.RowID == "" || len(c.RowID) > 100 || !utf8.ValidString(c.RowID) {
		return Refused("change %s has a malformed record id", c.ID)
	}
	if c.Schema < 1 || c.Schema > SchemaVersion {
		return Refused("change %s was made by a newer version of Liaison Desk (schema %d; this one reads up to %d): update first", c.ID, c.Schema, SchemaVersion)
	}
	if !nonEmptyObject(c.Fields) {
		return Refused("change %s has malformed fields", c.ID)
	}
	if _, err := DecodeParents(c.Parents); err != nil {
		return Refused("change %s has malformed parents", c.ID)
	}
	if c.HLC == 0 {
		return Refused("change %s has no clock reading", c.ID)
	}
	return nil
}

// nonEmptyObject reports whether b is a JSON object with a member: what
// decoding it into a map would accept, read without building the map
// (an import checks every change).
func nonEmptyObject(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return false
	}
	return bytes.TrimLeft(b[1:], " \t\r\n")[0] != '}'
}

// Suspect says why no honest writer makes change c, or "": its parents
// name changes its author cannot have seen, or it is stamped so far ahead
// that applying it would drag the clock of every replica with it. self is
// the importing replica's site, selfMade the changes it has made, now its
// clock. Such a change is not refused (an honest relayer cannot tell):
// its commit is held for review.
func Suspect(c *RawChange, self SiteID, selfMade int64, now time.Time) string {
	if why := checkParents(c, self, selfMade); why != "" {
		return why
	}
	return checkStamp(c, now)
}

// checkParents names a parent of c its author cannot have seen: its own
// change at or after c, or the importer's beyond what it has made.
// (Another device's future changes cannot be told here; the merge lets
// them supersede nothing.)
func checkParents(c *RawChange, self SiteID, selfMade int64) string {
	parents, _ := DecodeParents(c.Parents) // well formed: CheckRawChange
	fields := make([]string, 0, len(parents))
	for f := range parents {
		fields = append(fields, f)
	}
	slices.Sort(fields) // the same reason whatever the map's order
	for _, f := range fields {
		for _, p := range parents[f] {
			switch {
			case p.Site == c.ID.Site && p.Seq >= c.ID.Seq:
				return fmt.Sprintf("change %s names %s, its author's own change at or after itself, as a parent of %s: its author cannot have seen it (crafted?)",
					c.ID, p, Clip(f))
			case p.Site == self && p.Seq > selfMade:
				return fmt.Sprintf("change %s names this device's change %s as a parent of %s, but this device has made only %d changes (crafted?)",
					c.ID, p, Clip(f), selfMade)
			}
		}
	}
	return ""
}

// checkStamp names a change stamped more than MaxStampLead ahead of now.
func checkStamp(c *RawChange, now time.Time) string {
	if c.HLC.Time().Sub(now) <= MaxStampLead {
		return ""
	}
	// In whole seconds: a reading near the last one is thousands of
	// years ahead, past what a Duration holds.
	const day = 24 * 60 * 60
	days := (c.HLC.Time().Unix() - now.Unix() + day/2) / day
	return fmt.Sprintf("change %s is stamped %d days ahead of this laptop's clock (crafted, or its author's clock is badly wrong): "+
		"applied, it would drag the clock of every laptop that edits the value that far ahead", c.ID, days)
}
