package store

import (
	"crypto/ed25519"
	"crypto/rand"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"

	"liaisondesk/data"
)

// SealNewKeys seals a device's keys under a passphrase exactly as a store
// seals its own (keys.go: a random store key age-wrapped to the
// passphrase, the keys sealed with it): how a hub kept in PostgreSQL
// holds its identity, so it opens with the same passphrase rules.
func SealNewKeys(passphrase string, sign ed25519.PrivateKey, id *age.X25519Identity) (wrap, sealed []byte, err error) {
	if err := data.CheckNewPassphrase(passphrase); err != nil {
		return nil, nil, err
	}
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, nil, err
	}
	defer clear(key)
	if wrap, err = wrapStoreKey(key, passphrase); err != nil {
		return nil, nil, err
	}
	sealed, err = sealDeviceKeys(key, sign, id)
	return wrap, sealed, err
}

// OpenSealedKeys opens what SealNewKeys sealed; a wrong passphrase is
// data.ErrWrongPassphrase.
func OpenSealedKeys(passphrase string, wrap, sealed []byte) (ed25519.PrivateKey, *age.X25519Identity, error) {
	key, err := unwrapStoreKey(wrap, passphrase)
	if err != nil {
		return nil, nil, err
	}
	defer clear(key)
	k, err := unsealDeviceKeys(key, sealed)
	if err != nil {
		return nil, nil, err
	}
	return k.sign, k.age, nil
}
