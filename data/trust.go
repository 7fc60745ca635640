package data

import (
	"bytes"
	"fmt"
	"time"
)

// Trust is what a store knows, at one moment, of who may send to it and
// author the changes it takes: the peers enrolled by hand, the devices
// the organisation's roster certifies or revoked, and the rotated sites'
// key histories. Each store (SQLite, the PostgreSQL hub) fills one from
// its tables inside the transaction that judges, and asks it; the
// decisions are made here once, so the two stores cannot drift apart.
type Trust struct {
	Self    SiteID
	SelfKey []byte
	Keys    map[SiteID][]byte // enrolled or certified, not revoked: the key each signs with now
	Revoked map[SiteID][]byte // revoked: the key it had, which still tells its signatures from forgeries
	Names   map[SiteID]string // peer or roster names
	Officer map[SiteID]string
	Pinned  map[SiteID][]byte // the key a site's applied commits were checked with, for sites not enrolled
	Now     time.Time         // the store's clock, which certificates are judged by
	Org     *OrgTrust         // nil: no organisation trusted
	// History: the rotated sites' keys by seq; Claimed: the sender's word
	// for sites the store cannot check (ClaimRotations).
	History, Claimed map[SiteID]KeyHistory
}

// OrgTrust is what the organisation's roster adds to a Trust.
type OrgTrust struct {
	Org    *Org
	Roster Roster
	// senderErr: why a certified device may not send (revoked, expired).
	senderErr map[SiteID]error
	Cut       map[SiteID]int64 // revoked: its last change that stays valid
}

// NewTrust is the trust of a store whose device is self, trusting no one
// yet.
func NewTrust(self SiteID, selfKey []byte, now time.Time) *Trust {
	return &Trust{Self: self, SelfKey: selfKey, Now: now, Keys: map[SiteID][]byte{}, Revoked: map[SiteID][]byte{},
		Names: map[SiteID]string{}, Officer: map[SiteID]string{}, Pinned: map[SiteID][]byte{}}
}

// AddPeer counts a peer enrolled by hand, or revoked.
func (t *Trust) AddPeer(site SiteID, name, officer string, key []byte, revoked bool) {
	t.Names[site], t.Officer[site] = name, officer
	if revoked {
		t.Revoked[site] = key
	} else {
		t.Keys[site] = key
	}
}

// AddRoster adds the organisation's certified devices, after the peers:
// their keys verify their commits; a revoked one's changes past its cut
// are held; a device enrolled by hand keeps that enrolment, but the
// organisation's revocation binds it.
func (t *Trust) AddRoster(org *Org, roster Roster) {
	t.Org = &OrgTrust{Org: org, Roster: roster, senderErr: map[SiteID]error{}, Cut: map[SiteID]int64{}}
	for site, v := range roster.Revoked {
		t.Org.Cut[site] = v.LastSeq
	}
	for site, c := range roster.Certs {
		if site == t.Self {
			continue
		}
		if t.Keys[site] != nil || t.Revoked[site] != nil {
			if _, ok := t.Org.Cut[site]; ok {
				t.Org.senderErr[site] = roster.Check(site, t.Now) // the organisation's revocation binds
			}
			continue // enrolled by hand: that enrolment stands
		}
		id, _ := c.Identity()
		t.Keys[site], t.Names[site], t.Officer[site] = id.PublicKey, c.Name, c.Officer
		t.Org.senderErr[site] = roster.Check(site, t.Now)
	}
}

// AddHistory adds the rotated sites' key histories, after the peers and
// the roster: an enrolled or certified device that rotated signs with its
// new key.
func (t *Trust) AddHistory(hist map[SiteID]KeyHistory) {
	t.History = hist
	for site, h := range hist {
		if k := t.Keys[site]; k != nil && h.Holds(k) {
			t.Keys[site] = h.Latest()
		}
	}
}

// ClaimRotations takes, from the statements a sender carried, the key
// histories of the sites this store holds none for: the sender's word.
func (t *Trust) ClaimRotations(lines []string) {
	t.Claimed = ClaimedHistories(lines, func(site SiteID) bool { _, ok := t.History[site]; return ok })
}

// rosterSenderErr is why a certified sender may not send, or nil.
func (t *Trust) rosterSenderErr(sender SiteID) error {
	if t.Org == nil {
		return nil
	}
	return t.Org.senderErr[sender]
}

// CheckSender refuses a sender that is not a trusted peer.
func (t *Trust) CheckSender(sender SiteID) error {
	switch {
	case sender == t.Self:
		return Refused("it was made by this device itself")
	case t.rosterSenderErr(sender) != nil:
		return t.rosterSenderErr(sender)
	case t.Revoked[sender] != nil:
		return &UntrustedSenderError{Site: sender, Peer: t.Names[sender]}
	case t.Keys[sender] == nil:
		return &UntrustedSenderError{Site: sender}
	}
	return nil
}

// SenderKey is a trusted peer's signing key.
func (t *Trust) SenderKey(sender SiteID) ([]byte, error) {
	if err := t.CheckSender(sender); err != nil {
		return nil, err
	}
	return t.Keys[sender], nil
}

// SenderKeyFor is the key of a sender that is a trusted peer, or, at
// first contact, one that presents a certificate of the organisation
// trusted here, not revoked here and not expired.
func (t *Trust) SenderKeyFor(sender SiteID, certLine string) ([]byte, error) {
	err := t.CheckSender(sender)
	if err == nil {
		return t.Keys[sender], nil
	}
	if t.Org != nil && certLine == "" && t.Keys[sender] == nil && t.Revoked[sender] == nil && sender != t.Self {
		return nil, fmt.Errorf("%w: %w: device %s is not an enrolled peer and presents no certificate of organisation %s", ErrRefused, ErrUntrusted, sender.ShortCode(), t.Org.Org.Name)
	}
	if certLine == "" || t.Org == nil || t.Revoked[sender] != nil || t.Org.senderErr[sender] != nil || sender == t.Self {
		return nil, err
	}
	c, cerr := VerifyCertificate(t.Org.Org, certLine, sender)
	if cerr != nil {
		return nil, cerr
	}
	r := Roster{Certs: map[SiteID]Certificate{sender: c}, Revoked: t.Org.Roster.Revoked}
	if err := r.Check(sender, t.Now); err != nil {
		return nil, err
	}
	id, _ := c.Identity()
	return id.PublicKey, nil
}

// PastCut says why a commit of a device the organisation revoked is held,
// or "".
func (t *Trust) PastCut(c *Commit) string {
	if t.Org == nil {
		return ""
	}
	cut, ok := t.Org.Cut[c.Site]
	if !ok || c.LastSeq <= cut {
		return ""
	}
	return fmt.Sprintf("its author's device was revoked by the organisation after its change %d", cut)
}

// KeyAt is the key c must verify with: from its site's key history when
// it has one, else key. ok is false for a commit reaching across a
// rotation, which no honest key signed.
func (t *Trust) KeyAt(c *Commit, key []byte) ([]byte, bool) {
	h, ok := t.History[c.Site]
	if !ok {
		return key, true
	}
	return h.At(c.FirstSeq, c.LastSeq)
}

// EnrolledKey is the key an enrolled or certified author signed c with,
// or why c is refused: not signed by that key, or, for a rotated site,
// not by the key it held at c's seqs.
func (t *Trust) EnrolledKey(c *Commit) ([]byte, error) {
	site := c.Site
	key, ok := t.KeyAt(c, t.Keys[site])
	if ok && c.Verify(key) {
		return key, nil
	}
	if h, rotated := t.History[site]; rotated {
		if !ok {
			return nil, Refused("commit %s:%d-%d reaches across a key rotation of device %s: a key signs only its own span of changes", site, c.FirstSeq, c.LastSeq, site.ShortCode())
		}
		return nil, Refused("commit %s:%d-%d is not signed by the key device %s held at change %d (its key was rotated at change %d: the new key signs only later changes)",
			site, c.FirstSeq, c.LastSeq, site.ShortCode(), c.FirstSeq, h.Spans[len(h.Spans)-1].FromSeq)
	}
	return nil, Refused("commit %s:%d-%d is not signed by the enrolled key of %s (forged or altered)", site, c.FirstSeq, c.LastSeq, t.Names[site])
}

// ClaimedKey is the key a held commit of an author the store cannot check
// must at least verify with: the key the sender gave, followed along the
// statements it carried for the site.
func (t *Trust) ClaimedKey(c *Commit, said []byte) []byte {
	key, _ := t.KeyAt(c, said)
	if h, ok := t.Claimed[c.Site]; ok && t.History[c.Site].First == nil && bytes.Equal(h.Latest(), said) {
		key, _ = h.At(c.FirstSeq, c.LastSeq)
	}
	return key
}

// Verdict is what the trust makes of the author of a commit by another
// device: the author as the store records it, and whether the commit is
// held for review.
type Verdict struct {
	Author     Author // the enrolled key and officer where the store has them, else the sender's word
	Quarantine string // "", or held for review: "unknown", "revoked" or "forged"
	Detail     string // why it is held, in words
	Claimed    bool   // the author's key and name are the sender's word only
}

// Judge decides who authored c, a commit of another device the sender
// vouched for as said, or why the whole batch is refused: a commit that
// does not verify with the key its author is known here to hold, or with
// the key the sender gave for an author this store cannot check.
func (t *Trust) Judge(c *Commit, said Author) (Verdict, error) {
	site := c.Site
	if t.Keys[site] != nil {
		key, err := t.EnrolledKey(c)
		if err != nil {
			return Verdict{}, err
		}
		v := Verdict{Author: Author{Site: site, PublicKey: key, Officer: t.Officer[site]}} // whatever the sender said
		if why := t.PastCut(c); why != "" {
			v.Quarantine, v.Detail = "revoked", why
		}
		return v, nil
	}
	v := Verdict{Author: said, Quarantine: "unknown", Detail: "its author is not an enrolled peer", Claimed: true}
	v.Author.Site = site
	if CheckLine("officer", said.Officer, false) != nil {
		v.Author.Officer = "" // a name no form would take: shown as the device code
	}
	if key := t.Revoked[site]; key != nil {
		// Held for review, but its key is known here: the signature must
		// be its own, whatever the sender says.
		key, _ = t.KeyAt(c, key)
		v.Quarantine, v.Detail, v.Claimed = "revoked", "its author's device was revoked", false
		v.Author.PublicKey, v.Author.Officer = key, t.Officer[site]
	} else if key, _ := t.KeyAt(c, t.Pinned[site]); key != nil && !c.Verify(key) {
		// Commits of this site were released here with another key: one
		// of the two is a forgery, which only enrolling the device can
		// tell. Both are kept.
		v.Quarantine = "forged"
		v.Detail = "it does not verify with the key this store already checked the device's changes with"
	}
	// Held for review: if the sender gave the author's key, the signature
	// must at least agree with it.
	if key := t.ClaimedKey(c, v.Author.PublicKey); len(key) > 0 && !c.Verify(key) {
		return Verdict{}, Refused("commit %s:%d-%d does not verify with its author's key (forged or altered)", site, c.FirstSeq, c.LastSeq)
	}
	return v, nil
}

// Vouch is what the relaying peers said of one commit held for review:
// its seqs, and the key and officer they gave for its author.
type Vouch struct {
	FirstSeq, LastSeq int64
	Key               []byte
	Officer           string
}

// VouchedKey is the one key the relaying peers vouched for an author
// whose key is known nowhere else, when they agree on it and on one
// version of each change (vouches in seq order), or why the held commits
// cannot be released on their word.
func VouchedKey(author SiteID, vouches []Vouch) ([]byte, string, error) {
	var key []byte
	var officer string
	for i, v := range vouches {
		if len(v.Key) == 0 {
			return nil, "", InvalidBecause(ErrAuthorKeyUnknown, "id", "the key of device %s is not known, so its changes cannot be checked", author.ShortCode())
		}
		if key != nil && !bytes.Equal(key, v.Key) {
			return nil, "", InvalidBecause(ErrTwoKeys, "id", "peers relayed changes of device %s signed with two different keys, so one of them is forged", author.ShortCode())
		}
		if i > 0 && v.FirstSeq <= vouches[i-1].LastSeq {
			return nil, "", InvalidBecause(ErrTwoHistories, "id", "two different versions of changes %d-%d of device %s are held (a conflict of histories)",
				v.FirstSeq, vouches[i-1].LastSeq, author.ShortCode())
		}
		key, officer = v.Key, v.Officer
	}
	return key, officer, nil
}
