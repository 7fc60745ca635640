package data

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"slices"
)

// KeyHistory is a site's rotations as a store holds them: the key before
// the first one, and each new key with the seq it signs from. Both stores
// (SQLite and the PostgreSQL hub) fill it from their tables and ask it
// the same questions, so they judge rotations alike.
type KeyHistory struct {
	First ed25519.PublicKey
	Spans []KeySpan
	Age   string // the latest age recipient
}

// Latest is the key the site signs with now.
func (h KeyHistory) Latest() ed25519.PublicKey { return h.Spans[len(h.Spans)-1].Key }

// Holds says whether key is one the site has had.
func (h KeyHistory) Holds(key []byte) bool {
	return bytes.Equal(h.First, key) || slices.ContainsFunc(h.Spans, func(sp KeySpan) bool { return bytes.Equal(sp.Key, key) })
}

// At is the key that signs a commit of first..last (KeyAt).
func (h KeyHistory) At(first, last int64) (ed25519.PublicKey, bool) {
	return KeyAt(h.First, h.Spans, first, last)
}

// Add appends a rotation held, in seq order.
func (h *KeyHistory) Add(old, new ed25519.PublicKey, fromSeq int64, age string) {
	if h.First == nil {
		h.First = old
	}
	h.Spans = append(h.Spans, KeySpan{Key: new, FromSeq: fromSeq})
	h.Age = age
}

// CheckRotation judges a statement new to a store against what it holds
// for the site: its history (nil: no rotation held), else the keys it
// knows for it (its enrolment, its pinned key, its certificates). take
// is false, with no error, for a site the store knows no key of: it
// cannot be checked, and comes again with the next sync. A statement
// that does not continue the history is refused.
func CheckRotation(st *RotationStatement, h *KeyHistory, known [][]byte) (take bool, err error) {
	old, _ := st.Keys()
	if h != nil {
		last := h.Spans[len(h.Spans)-1]
		switch {
		case st.R.FromSeq <= last.FromSeq:
			return false, RotationRefusal(st, fmt.Sprintf("is older than the rotation this store holds for it (from change %d): an old statement does not roll a key back", last.FromSeq))
		case !bytes.Equal(old, last.Key):
			return false, RotationRefusal(st, "is not signed by the device's current key")
		}
		return true, nil
	}
	if len(known) == 0 {
		return false, nil
	}
	if !slices.ContainsFunc(known, func(k []byte) bool { return bytes.Equal(k, old) }) {
		return false, RotationRefusal(st, "is not signed by the key this store holds for that device")
	}
	return true, nil
}

// ParseRotations reads the statements a sender carried, in seq order so
// a chain carried at once applies in turn. A damaged one refuses the
// import.
func ParseRotations(lines []string) ([]RotationStatement, error) {
	var sts []RotationStatement
	for _, line := range lines {
		st, err := ParseRotation(line)
		if err != nil {
			return nil, Refused("%v; nothing was imported", err)
		}
		sts = append(sts, st)
	}
	slices.SortFunc(sts, func(a, b RotationStatement) int { return int(a.R.FromSeq - b.R.FromSeq) })
	return sts, nil
}

// FollowRotations follows the statements a sender carried from key, the
// key a store holds for it, to the key its header is signed with now.
// Statements that do not continue from key are skipped here; the import
// refuses them.
func FollowRotations(sender SiteID, key []byte, lines []string) []byte {
	var chain []RotationStatement
	for _, line := range lines {
		if st, err := ParseRotation(line); err == nil && st.SiteID() == sender {
			chain = append(chain, st)
		}
	}
	slices.SortFunc(chain, func(a, b RotationStatement) int { return int(a.R.FromSeq - b.R.FromSeq) })
	for _, st := range chain {
		if old, new := st.Keys(); bytes.Equal(old, key) {
			key = new
		}
	}
	return key
}

// ClaimedHistories reads, from the statements a sender carried, the key
// histories of sites a store cannot check (it holds no history for them
// in known): only the sender's word, like an unknown author's key, they
// tell which key each of its relayed commits must at least verify with.
// A chain that breaks is left out.
func ClaimedHistories(lines []string, known func(SiteID) bool) map[SiteID]KeyHistory {
	bySite := map[SiteID][]RotationStatement{}
	for _, line := range lines {
		if st, err := ParseRotation(line); err == nil && !known(st.SiteID()) {
			bySite[st.SiteID()] = append(bySite[st.SiteID()], st)
		}
	}
	out := map[SiteID]KeyHistory{}
	for site, sts := range bySite {
		slices.SortFunc(sts, func(a, b RotationStatement) int { return int(a.R.FromSeq - b.R.FromSeq) })
		var h KeyHistory
		for i, st := range sts {
			old, new := st.Keys()
			if i > 0 && (!bytes.Equal(old, h.Latest()) || st.R.FromSeq <= h.Spans[len(h.Spans)-1].FromSeq) {
				h = KeyHistory{}
				break
			}
			h.Add(old, new, st.R.FromSeq, st.R.Age)
		}
		if h.First != nil {
			out[site] = h
		}
	}
	return out
}
