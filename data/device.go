package data

import (
	"crypto/ed25519"
)

// Device is this database's identity: its site, key pair and officer.
type Device struct {
	SiteNo     int64
	Site       SiteID
	PrivateKey ed25519.PrivateKey // nil while the store is locked
	Public     ed25519.PublicKey  // set by the store, locked or not
	Officer    string
	Rank       string
	Posting    string
	CreatedAt  string
}

// PublicKey is the device's ed25519 verification key.
func (d *Device) PublicKey() ed25519.PublicKey {
	if len(d.PrivateKey) != ed25519.PrivateKeySize {
		return d.Public
	}
	return d.PrivateKey.Public().(ed25519.PublicKey)
}
