package data

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// SchemaVersion is written into every change, so a newer replica can tell
// what an older one meant.
const SchemaVersion = 1

// SiteID identifies a database: 16 random bytes, new on create and restore.
type SiteID [16]byte

func (s SiteID) String() string { return hex.EncodeToString(s[:]) }

// ShortCode is the four-hex-digit device code used in request refs.
func (s SiteID) ShortCode() string { return strings.ToUpper(hex.EncodeToString(s[:2])) }

// ParseSiteID reads the hex form.
func ParseSiteID(v string) (SiteID, error) {
	var s SiteID
	b, err := hex.DecodeString(v)
	if err != nil || len(b) != len(s) {
		return s, fmt.Errorf("%q is not a site id (32 hex digits)", Clip(v))
	}
	copy(s[:], b)
	return s, nil
}

// ChangeID names a change everywhere: its site and its dense per-site
// sequence number. Text form "<site hex>:<seq>".
type ChangeID struct {
	Site SiteID
	Seq  int64
}

func (c ChangeID) String() string { return c.Site.String() + ":" + strconv.FormatInt(c.Seq, 10) }

// ParseChangeID reads the text form.
func ParseChangeID(v string) (ChangeID, error) {
	site, seq, ok := strings.Cut(v, ":")
	if !ok {
		return ChangeID{}, fmt.Errorf("%q is not a change id (<site>:<seq>)", Clip(v))
	}
	s, err := ParseSiteID(site)
	if err != nil {
		return ChangeID{}, err
	}
	n, err := strconv.ParseInt(seq, 10, 64)
	if err != nil || n < 1 || n >= 1<<40 {
		return ChangeID{}, fmt.Errorf("%q is not a change id (<site>:<seq>)", Clip(v))
	}
	return ChangeID{s, n}, nil
}

// Change is one saved record's changed fields: the unit of the log, of
// sync and of audit. Merging stays per field: Parents says, per field,
// which earlier changes this one supersedes.
type Change struct {
	ID      ChangeID
	HLC     HLC
	Table   string
	RowID   string
	Fields  map[string]json.RawMessage
	Parents map[string][]ChangeID
	Schema  int
}

// DeletedField is the pseudo-field a delete sets to true.
const DeletedField = "_deleted"

// fieldsJSON is the canonical encoding of Fields (keys sorted, compact).
func (c *Change) FieldsJSON() ([]byte, error) { return json.Marshal(c.Fields) }

// parentsJSON is the canonical encoding of Parents, nil when there are none.
func (c *Change) ParentsJSON() ([]byte, error) {
	if len(c.Parents) == 0 {
		return nil, nil
	}
	m := make(map[string][]string, len(c.Parents))
	for f, ids := range c.Parents {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = id.String()
		}
		m[f] = s
	}
	return json.Marshal(m)
}

func DecodeParents(b []byte) (map[string][]ChangeID, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var m map[string][]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	out := make(map[string][]ChangeID, len(m))
	for f, ids := range m {
		for _, s := range ids {
			id, err := ParseChangeID(s)
			if err != nil {
				return nil, err
			}
			out[f] = append(out[f], id)
		}
	}
	return out, nil
}

// Hash is the SHA-256 over the change's canonical form; a commit's
// signature covers the hashes of its changes.
func (c *Change) Hash(fields, parents []byte) [32]byte {
	h := sha256.New()
	var n [8]byte
	h.Write([]byte("liaisondesk-change-v1\x00"))
	h.Write(c.ID.Site[:])
	binary.BigEndian.PutUint64(n[:], uint64(c.ID.Seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(c.HLC))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(c.Schema))
	h.Write(n[:])
	for _, part := range [][]byte{[]byte(c.Table), []byte(c.RowID), fields, parents} {
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// commitMessage is what a commit's signature signs.
func CommitMessage(site SiteID, firstSeq, lastSeq int64, hashes []byte) []byte {
	msg := make([]byte, 0, 64+len(hashes))
	msg = append(msg, "liaisondesk-commit-v1\x00"...)
	msg = append(msg, site[:]...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(firstSeq))
	msg = binary.BigEndian.AppendUint64(msg, uint64(lastSeq))
	return append(msg, hashes...)
}
