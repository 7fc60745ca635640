//go:build !ci

package store

// kdfWorkFactor is the scrypt work factor new passphrase seals use.
const kdfWorkFactor = productionWorkFactor
