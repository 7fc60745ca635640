package data

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Vector says what a replica holds: per site, the highest seq such that
// every lower seq of that site is held too (docs/ARCHITECTURE.md §4.1), or was
// discarded here from review as the author's only version of it
// (DiscardQuarantine): such a gap never fills. A site it has nothing of
// is absent.
type Vector map[SiteID]int64

// Covers reports whether v holds everything o holds.
func (v Vector) Covers(o Vector) bool {
	for site, seq := range o {
		if v[site] < seq {
			return false
		}
	}
	return true
}

// Merge raises v to hold at least what o holds.
func (v Vector) Merge(o Vector) {
	for site, seq := range o {
		if seq > v[site] {
			v[site] = seq
		}
	}
}

// Lacks counts the changes v holds that o does not.
func (v Vector) Lacks(o Vector) int64 {
	var n int64
	for site, seq := range v {
		if d := seq - o[site]; d > 0 {
			n += d
		}
	}
	return n
}

// Sites lists the vector's sites in byte order, so encodings are stable.
func (v Vector) Sites() []SiteID {
	out := slices.Collect(maps.Keys(v))
	slices.SortFunc(out, func(a, b SiteID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

func (v Vector) String() string {
	var b strings.Builder
	for i, s := range v.Sites() {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s:%d", s.ShortCode(), v[s])
	}
	return b.String()
}

// RawChange is a change as stored and carried: fields and parents in the
// exact bytes that were hashed and signed, so it can be verified anywhere
// and relayed byte for byte.
type RawChange struct {
	ID      ChangeID
	HLC     HLC
	Table   string
	RowID   string
	Fields  []byte // canonical JSON object
	Parents []byte // canonical JSON object, or empty
	Schema  int
}

// Hash is the change's SHA-256, as its commit signs it.
func (c *RawChange) Hash() [32]byte {
	ch := Change{ID: c.ID, HLC: c.HLC, Table: c.Table, RowID: c.RowID, Schema: c.Schema}
	return ch.Hash(c.Fields, c.Parents)
}

// Commit is a signed group of one site's consecutive changes (one save or
// one batch): the signature covers the hash of each change in seq order.
type Commit struct {
	Site      SiteID
	FirstSeq  int64
	LastSeq   int64
	Hashes    []byte // 32 bytes per change, FirstSeq..LastSeq
	Signature []byte
}

// Verify checks the commit's signature with its author's key.
func (c *Commit) Verify(pub []byte) bool {
	if len(pub) != 32 || len(c.Signature) != 64 || int64(len(c.Hashes)) != 32*(c.LastSeq-c.FirstSeq+1) {
		return false
	}
	return verifySignature(pub, CommitMessage(c.Site, c.FirstSeq, c.LastSeq, c.Hashes), c.Signature)
}

// Author is what a sender knows of a site whose changes it relays: its key
// and officer, so a change held for review can still be checked.
type Author struct {
	Site      SiteID
	PublicKey []byte
	Officer   string
}

// Batch is what travels: commits and the changes of them the recipient
// lacks (the tail of a commit whose head it already holds), and the keys
// of their authors as the sender knows them.
type Batch struct {
	Commits []Commit
	Changes []RawChange
	Authors []Author
}

// PeerStatus is what the Sync screen shows of a peer.
type PeerStatus struct {
	Peer
	Holds   Vector `json:"-"`
	AckedAt string `json:"acked_at,omitempty"`
	SentAt  string `json:"sent_at,omitempty"`
	Unsent  int64  `json:"unsent"` // changes we hold that it has not acknowledged
}

// verifySignature is ed25519.Verify that reports a key of the wrong size
// as a failure instead of panicking.
func verifySignature(pub, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}
