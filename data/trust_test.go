package data

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var trustDay = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func rotation(t *testing.T, old, new ed25519.PrivateKey, site SiteID, from int64) RotationStatement {
	t.Helper()
	st, err := SignRotation(old, Rotation{Site: site.String(), OldKey: fmt.Sprintf("%x", []byte(old.Public().(ed25519.PublicKey))),
		NewKey: fmt.Sprintf("%x", []byte(new.Public().(ed25519.PublicKey))), Age: "age1x", FromSeq: from, Issued: trustDay.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func signed(key ed25519.PrivateKey, site SiteID, first, last int64) *Commit {
	c := &Commit{Site: site, FirstSeq: first, LastSeq: last, Hashes: make([]byte, 32*(last-first+1))}
	c.Signature = ed25519.Sign(key, CommitMessage(site, first, last, c.Hashes))
	return c
}

// A rotation is taken only when it continues what a store holds for the
// site; one it cannot check (no key known) is left, not refused.
func TestARotationMustContinueTheKeyHistoryHeld(t *testing.T) {
	site := SiteID{1, 2, 3}
	k0, k1, k2, thief := newKey(t), newKey(t), newKey(t), newKey(t)
	pub := func(k ed25519.PrivateKey) []byte { return k.Public().(ed25519.PublicKey) }
	var h KeyHistory
	h.Add(pub(k0), pub(k1), 10, "age1x")
	for _, tc := range []struct {
		name  string
		st    RotationStatement
		h     *KeyHistory
		known [][]byte
		take  bool
		want  string
	}{
		{"the first, by the enrolled key", rotation(t, k0, k1, site, 10), nil, [][]byte{pub(k0)}, true, ""},
		{"the first, by another key", rotation(t, thief, k1, site, 10), nil, [][]byte{pub(k0)}, false, "is not signed by the key this store holds for that device"},
		{"for a device no key of is known", rotation(t, thief, k1, site, 10), nil, nil, false, ""},
		{"the next, by the current key", rotation(t, k1, k2, site, 20), &h, nil, true, ""},
		{"the next, by the key rotated away from", rotation(t, k0, k2, site, 20), &h, nil, false, "is not signed by the device's current key"},
		{"an older one", rotation(t, k1, k2, site, 5), &h, nil, false, "an old statement does not roll a key back"},
	} {
		take, err := CheckRotation(&tc.st, tc.h, tc.known)
		if take != tc.take || (tc.want == "") != (err == nil) || (err != nil && (!errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.want))) {
			t.Errorf("%s: take %v, %v; want %v, %q", tc.name, take, err, tc.take, tc.want)
		}
	}
}

// A rotated device's commits verify with the key it held at their seqs:
// the new key cannot sign what came before the rotation, and no commit
// reaches across it.
func TestAnEnrolledDevicesCommitsVerifyByItsKeyHistory(t *testing.T) {
	self, site := SiteID{9}, SiteID{1, 2, 3}
	k0, k1 := newKey(t), newKey(t)
	tr := NewTrust(self, nil, trustDay)
	tr.AddPeer(site, "a", "Cdr A", k0.Public().(ed25519.PublicKey), false)
	var h KeyHistory
	h.Add(k0.Public().(ed25519.PublicKey), k1.Public().(ed25519.PublicKey), 10, "age1x")
	tr.AddHistory(map[SiteID]KeyHistory{site: h})
	if key, err := tr.SenderKey(site); err != nil || !k1.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(key)) {
		t.Fatalf("the sender's key after its rotation: %x %v", key, err)
	}
	for _, tc := range []struct {
		name string
		c    *Commit
		want string
	}{
		{"before, by the old key", signed(k0, site, 1, 9), ""},
		{"after, by the new key", signed(k1, site, 10, 12), ""},
		{"before, by the new key", signed(k1, site, 1, 9), "the new key signs only later changes"},
		{"after, by the old key", signed(k0, site, 10, 12), "the new key signs only later changes"},
		{"across the rotation", signed(k0, site, 5, 12), "reaches across a key rotation"},
	} {
		_, err := tr.EnrolledKey(tc.c)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A revoked peer, or one never enrolled, is refused as a sender, and so
// is this device itself.
func TestTheSendersATrustRefuses(t *testing.T) {
	self, a, r, stranger := SiteID{9}, SiteID{1}, SiteID{2}, SiteID{3}
	tr := NewTrust(self, nil, trustDay)
	tr.AddPeer(a, "a", "", newKey(t).Public().(ed25519.PublicKey), false)
	tr.AddPeer(r, "r", "", newKey(t).Public().(ed25519.PublicKey), true)
	if err := tr.CheckSender(a); err != nil {
		t.Fatalf("an enrolled peer: %v", err)
	}
	var ue *UntrustedSenderError
	if err := tr.CheckSender(r); !errors.As(err, &ue) || ue.Peer != "r" {
		t.Errorf("a revoked peer: %v", err)
	}
	if err := tr.CheckSender(stranger); !errors.As(err, &ue) {
		t.Errorf("a stranger: %v", err)
	}
	if err := tr.CheckSender(self); !errors.Is(err, ErrRefused) {
		t.Errorf("itself: %v", err)
	}
	if why := tr.PastCut(&Commit{Site: a, LastSeq: 100}); why != "" {
		t.Errorf("no organisation, yet a cut: %q", why)
	}
}

// Who authored a commit is decided by what this store knows of the
// author, never by what the sender says: an enrolled author's commits
// carry its enrolled key; an unknown author's are held on the sender's
// word; a revoked or pinned key still tells the author's signatures from
// forgeries; and a commit that verifies with no key it may is refused.
func TestJudgingACommitsAuthor(t *testing.T) {
	pub := func(k ed25519.PrivateKey) []byte { return k.Public().(ed25519.PublicKey) }
	enrolled, revoked, pinned, stranger, thief := newKey(t), newKey(t), newKey(t), newKey(t), newKey(t)
	eSite, rSite, pSite, sSite := SiteID{1}, SiteID{2}, SiteID{3}, SiteID{4}
	tr := NewTrust(SiteID{9}, pub(newKey(t)), trustDay)
	tr.AddPeer(eSite, "echo", "Cdr E", pub(enrolled), false)
	tr.AddPeer(rSite, "romeo", "Cdr R", pub(revoked), true)
	tr.Pinned[pSite] = pub(pinned)
	for _, tc := range []struct {
		name       string
		c          *Commit
		said       Author
		quarantine string
		claimed    bool
		key        []byte
		refused    string
	}{
		{"an enrolled author's, with a key the sender swapped", signed(enrolled, eSite, 1, 3), Author{PublicKey: pub(thief), Officer: "Nobody"}, "", false, pub(enrolled), ""},
		{"a forgery of an enrolled author", signed(thief, eSite, 1, 3), Author{PublicKey: pub(thief)}, "", false, nil, "is not signed by the enrolled key of echo"},
		{"an unknown author's, on the sender's word", signed(stranger, sSite, 1, 3), Author{PublicKey: pub(stranger), Officer: "Cdr S"}, "unknown", true, pub(stranger), ""},
		{"an unknown author's that does not verify with the key given", signed(thief, sSite, 1, 3), Author{PublicKey: pub(stranger)}, "", false, nil, "does not verify with its author's key"},
		{"a revoked author's, by its own key", signed(revoked, rSite, 4, 5), Author{PublicKey: pub(thief)}, "revoked", false, pub(revoked), ""},
		{"a revoked author's forged", signed(thief, rSite, 4, 5), Author{}, "", false, nil, "does not verify with its author's key"},
		{"another key for a site released with a pinned key", signed(thief, pSite, 7, 7), Author{PublicKey: pub(thief)}, "forged", true, pub(thief), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tr.Judge(tc.c, tc.said)
			if tc.refused != "" {
				if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("got %+v %v, want refused: %s", v, err, tc.refused)
				}
				return
			}
			if err != nil || v.Quarantine != tc.quarantine || v.Claimed != tc.claimed || string(v.Author.PublicKey) != string(tc.key) {
				t.Fatalf("got %+v %v, want held %q claimed %v", v, err, tc.quarantine, tc.claimed)
			}
		})
	}
}
