package data

// Key rotation (docs/ARCHITECTURE.md §4.4): a device replaces its signing
// key and its age key, and says so in a statement signed by the old key.
// The site id stays, so the device's seqs continue and request refs keep
// their code. A receiver that knows the old key checks the statement and
// from then on takes the new key for that site's changes from the
// statement's seq on; the changes before it still verify with the old one.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
)

// ErrNoRotation: a device on the roster shows a new key, and the store
// holds no rotation statement of its certified key leading to it.
var ErrNoRotation = errors.New("no rotation statement leads to the new key")

// rotationPrefix starts a rotation statement's line.
const rotationPrefix = "liaisondesk-rotation-v1"

// Rotation says that device Site signs its changes from FromSeq on with
// NewKey instead of OldKey, and opens bundles with Age.
type Rotation struct {
	Site    string `json:"site"`
	OldKey  string `json:"old_key"` // hex
	NewKey  string `json:"new_key"` // hex
	Age     string `json:"age"`     // the new age recipient
	FromSeq int64  `json:"from_seq"`
	Issued  string `json:"issued"` // RFC 3339
}

// RotationStatement is a rotation as it travels: its JSON body as signed
// and the old key's signature.
type RotationStatement struct {
	Body []byte
	Sig  []byte
	R    Rotation // the body, read
}

func rotationSigned(body []byte) []byte {
	return append([]byte(rotationPrefix+"\x00"), body...)
}

// SignRotation makes the statement, signed by the old key.
func SignRotation(old ed25519.PrivateKey, r Rotation) (RotationStatement, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return RotationStatement{}, err
	}
	return RotationStatement{Body: body, Sig: ed25519.Sign(old, rotationSigned(body)), R: r}, nil
}

// String is the statement's one-line form.
func (st RotationStatement) String() string {
	return rotationPrefix + " " + base64.RawURLEncoding.EncodeToString(st.Body) + " " + base64.RawURLEncoding.EncodeToString(st.Sig)
}

// Hash identifies a statement: carried twice, it is stored once.
func (st *RotationStatement) Hash() []byte {
	sum := sha256.Sum256([]byte(st.String()))
	return sum[:]
}

// SiteID is the device the statement is about.
func (st *RotationStatement) SiteID() SiteID {
	id, _ := ParseSiteID(st.R.Site)
	return id
}

// Keys returns the old and new ed25519 keys.
func (st *RotationStatement) Keys() (old, new ed25519.PublicKey) {
	o, _ := hex.DecodeString(st.R.OldKey)
	n, _ := hex.DecodeString(st.R.NewKey)
	return o, n
}

// ParseRotation reads a statement's line and checks its form and that the
// old key it names signed it. Whether that old key is the device's, the
// receiver decides (it must be the key it holds for the site).
func ParseRotation(line string) (RotationStatement, error) {
	bad := func(why string) (RotationStatement, error) {
		return RotationStatement{}, Refused("a key rotation statement %s", why)
	}
	parts := strings.Fields(strings.TrimSpace(line))
	if len(parts) != 3 || parts[0] != rotationPrefix {
		return bad("is not a Liaison Desk rotation line")
	}
	body, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize || len(body) > 4096 {
		return bad("is damaged")
	}
	st := RotationStatement{Body: body, Sig: sig}
	if err := json.Unmarshal(body, &st.R); err != nil {
		return bad("is malformed")
	}
	if _, err := ParseSiteID(st.R.Site); err != nil || st.R.FromSeq < 1 {
		return bad("names no valid device or change")
	}
	old, new := st.Keys()
	if len(old) != ed25519.PublicKeySize || len(new) != ed25519.PublicKeySize || bytes.Equal(old, new) {
		return bad("names no valid pair of keys")
	}
	if !ed25519.Verify(old, rotationSigned(body), sig) {
		return RotationStatement{}, Refused("the key rotation of device %s is not signed by the old key it names (forged or altered)", st.SiteID().ShortCode())
	}
	return st, nil
}

// KeySpan is one key of a site's history: it signs the site's changes
// from FromSeq on, until the next span.
type KeySpan struct {
	Key     ed25519.PublicKey
	FromSeq int64
}

// KeyAt returns the key that signs a commit starting at seq, given a
// site's rotations in order (each from the previous one's new key), or
// first when there are none. A commit reaching across a rotation was
// signed by no honest key: ok is false.
func KeyAt(first ed25519.PublicKey, spans []KeySpan, firstSeq, lastSeq int64) (key ed25519.PublicKey, ok bool) {
	key = first
	next := int64(1 << 62)
	for i, sp := range spans {
		if sp.FromSeq <= firstSeq {
			key = sp.Key
			continue
		}
		next = spans[i].FromSeq
		break
	}
	return key, lastSeq < next
}

// RotationRefusal names a statement that would not continue the key
// history a receiver holds for the site.
func RotationRefusal(st *RotationStatement, why string) error {
	return Refused("the key rotation of device %s (from its change %d) %s; nothing was imported", st.SiteID().ShortCode(), st.R.FromSeq, why)
}
