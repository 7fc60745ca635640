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
