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

// GroupBatch checks a whole batch with a BatchCheck and ties each change
// to its commit. It names the first problem it finds; signatures are the
// caller's (they need its trust). The commits come back in the batch's
// order.
func GroupBatch(b *Batch) ([]*CommitChanges, error) {
	k, err := NewBatchCheck(b.Commits)
	if err != nil {
		return nil, err
	}
	authors := map[SiteID]Author{}
	for _, a := range b.Authors {
		authors[a.Site] = a
	}
	out := make([]*CommitChanges, len(b.Commits))
	for i, c := range b.Commits {
		out[i] = &CommitChanges{Commit: c, Author: authors[c.Site]}
	}
	for i := range b.Changes {
		n, err := k.Take(&b.Changes[i])
		if err != nil {
			return nil, err
		}
		out[n].Changes = append(out[n].Changes, &b.Changes[i])
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
