package data

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/url"
	"strings"

	"filippo.io/age"
)

// Identity is what a device tells its peers about itself: enough to verify
// what it signs and to encrypt bundles to it. Its one-line form can be
// pasted or carried across an air gap.
type Identity struct {
	Site         SiteID
	Officer      string
	PublicKey    ed25519.PublicKey
	AgeRecipient string // age X25519 recipient, "age1…"
}

// String is the one-line form: prefix, site id, officer (URL-escaped),
// signing key, age recipient, separated by spaces.
func (id Identity) String() string {
	return strings.Join([]string{identityPrefix, id.Site.String(), url.QueryEscape(id.Officer),
		hex.EncodeToString(id.PublicKey), id.AgeRecipient}, " ")
}

// Peer is a device or hub this store trusts (or did, until revoked).
type Peer struct {
	Name      string   `json:"name"`
	Identity  Identity `json:"-"`
	AddedAt   string   `json:"added_at"`
	RevokedAt string   `json:"revoked_at,omitempty"`
	// Role is the role its organisation's certificate gives it; "" for a
	// peer enrolled by hand (peers add).
	Role string `json:"role,omitempty"`
}

// identityPrefix starts the one-line form of a device's public identity.
const identityPrefix = "liaisondesk-identity-v1"

// ParseIdentity reads the one-line form, naming what is wrong.
func ParseIdentity(line string) (Identity, error) {
	var id Identity
	parts := strings.Fields(strings.TrimSpace(line))
	if len(parts) != 5 || parts[0] != identityPrefix {
		return id, InvalidBecause(ErrNotIdentityLine, "identity", "is not a Liaison Desk identity line: one starts with %q and has 5 parts separated by spaces", identityPrefix)
	}
	site, err := ParseSiteID(parts[1])
	if err != nil {
		return id, Invalid("identity", "site id: %v", err)
	}
	officer, err := url.QueryUnescape(parts[2])
	if err != nil || CheckLine("officer", officer, false) != nil {
		return id, Invalid("identity", "the officer's name is not readable")
	}
	key, err := hex.DecodeString(parts[3])
	if err != nil || len(key) != ed25519.PublicKeySize {
		return id, Invalid("identity", "the signing key is not an ed25519 public key (64 hex digits)")
	}
	if _, err := age.ParseX25519Recipient(parts[4]); err != nil {
		return id, Invalid("identity", "the age recipient is not valid: %v", err)
	}
	return Identity{Site: site, Officer: officer, PublicKey: key, AgeRecipient: parts[4]}, nil
}
