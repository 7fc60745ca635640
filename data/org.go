package data

// The organisation (docs/ARCHITECTURE.md §4.4): one signing key, held by
// HQ's security officer, certifies devices and revokes them. Certificates
// and revocations are self-authenticating lines that any replica may carry:
// a device that trusts the organisation's key checks them itself, so the
// roster travels with every bundle and hub sync, through any number of
// hops, and no device enrols another pairwise.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Org is an organisation's public side: its name and signing key.
type Org struct {
	Name      string
	PublicKey ed25519.PublicKey
}

// orgPrefix starts the one-line form of an organisation.
const orgPrefix = "liaisondesk-org-v1"

// String is the organisation's public line: prefix, name (URL-escaped),
// signing key in hex.
func (o Org) String() string {
	return strings.Join([]string{orgPrefix, url.QueryEscape(o.Name), hex.EncodeToString(o.PublicKey)}, " ")
}

// ID is the organisation's key in hex, as certificates name it.
func (o Org) ID() string { return hex.EncodeToString(o.PublicKey) }

// ParseOrg reads an organisation's public line, naming what is wrong.
func ParseOrg(line string) (Org, error) {
	parts := strings.Fields(strings.TrimSpace(line))
	if len(parts) != 3 || parts[0] != orgPrefix {
		return Org{}, InvalidBecause(ErrNotOrgLine, "organisation", "is not a Liaison Desk organisation line: one starts with %q and has 3 parts separated by spaces", orgPrefix)
	}
	name, err := url.QueryUnescape(parts[1])
	if err != nil || CheckLine("name", name, true) != nil {
		return Org{}, Invalid("organisation", "the organisation's name is not readable")
	}
	key, err := hex.DecodeString(parts[2])
	if err != nil || len(key) != ed25519.PublicKeySize {
		return Org{}, Invalid("organisation", "the signing key is not an ed25519 public key (64 hex digits)")
	}
	return Org{Name: name, PublicKey: key}, nil
}

// Fingerprint is what two people compare by phone before one trusts the
// organisation: twelve groups of five digits drawn from a hash of its key
// (as Signal's safety numbers are). The name is not part of it: the key is
// what is trusted.
func (o Org) Fingerprint() string {
	sum := sha512.Sum512(append([]byte("liaisondesk-org-fingerprint-v1\x00"), o.PublicKey...))
	groups := make([]string, 0, 12)
	for i := 0; i < 12; i++ {
		var b [8]byte
		copy(b[3:], sum[5*i:5*i+5])
		groups = append(groups, fmt.Sprintf("%05d", binary.BigEndian.Uint64(b[:])%100000))
	}
	return strings.Join(groups, " ")
}

// Role is what a certified device is for.
type Role string

const (
	RoleLaptop Role = "laptop" // a liaison officer's laptop
	RoleStaff  Role = "staff"  // HQ staff
	RoleHub    Role = "hub"    // a hub laptops sync with
)

// ParseRole reads a role, naming the ones there are.
func ParseRole(v string) (Role, error) {
	switch r := Role(v); r {
	case RoleLaptop, RoleStaff, RoleHub:
		return r, nil
	}
	return "", Invalid("role", "%q is not a role (laptop, staff or hub)", Clip(v))
}

// Certificate binds a device's identity, its name on the roster, its
// officer and role to the organisation, until a date.
type Certificate struct {
	Org     string `json:"org"`  // the organisation's key, hex
	Site    string `json:"site"` // the device's site id
	Key     string `json:"key"`  // the device's ed25519 key, hex
	Age     string `json:"age"`  // the device's age recipient
	Name    string `json:"name"` // its name on the roster (bundle create --to NAME)
	Officer string `json:"officer"`
	Role    Role   `json:"role"`
	Until   string `json:"until,omitempty"` // last day it is valid (YYYY-MM-DD, UTC); "" for no end
	Issued  string `json:"issued"`          // RFC 3339
}

// Identity is the device identity the certificate binds.
func (c *Certificate) Identity() (Identity, error) {
	site, err := ParseSiteID(c.Site)
	if err != nil {
		return Identity{}, Invalid("certificate", "site id: %v", err)
	}
	key, err := hex.DecodeString(c.Key)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return Identity{}, Invalid("certificate", "the device key is not an ed25519 public key")
	}
	return Identity{Site: site, Officer: c.Officer, PublicKey: key, AgeRecipient: c.Age}, nil
}

// Expired says whether the certificate's last day is before now's (UTC).
func (c *Certificate) Expired(now time.Time) bool {
	return c.Until != "" && now.UTC().Format(time.DateOnly) > c.Until
}

// Revocation ends a device's certificate at a change: its changes up to
// LastSeq (as HQ held them when it revoked) stay valid, every later one
// is held for review on every replica. A seq, not a time, so a revoked
// device with a wrong clock cannot slip back-dated changes in.
type Revocation struct {
	Org     string `json:"org"`
	Site    string `json:"site"`
	Key     string `json:"key"` // the certified key it revokes, hex
	Name    string `json:"name"`
	LastSeq int64  `json:"last_seq"`
	Reason  string `json:"reason,omitempty"`
	Issued  string `json:"issued"`
}

// Kinds of roster entry, as the first word of their line.
const (
	certPrefix       = "liaisondesk-certificate-v1"
	revocationPrefix = "liaisondesk-revocation-v1"
)

// RosterEntry is a certificate or a revocation as it travels: its JSON
// body and the organisation's signature over it. The body is kept as
// signed, never re-encoded.
type RosterEntry struct {
	Kind string // certPrefix or revocationPrefix
	Body []byte
	Sig  []byte
}

// signed is what the organisation's signature covers: the kind, then the
// body, so a certificate's bytes never verify as a revocation.
func (e *RosterEntry) signed() []byte {
	return append([]byte(e.Kind+"\x00"), e.Body...)
}

// String is the entry's one-line form: kind, body and signature in
// unpadded base64url.
func (e RosterEntry) String() string {
	return e.Kind + " " + base64.RawURLEncoding.EncodeToString(e.Body) + " " + base64.RawURLEncoding.EncodeToString(e.Sig)
}

// Hash identifies an entry: the same entry carried twice is stored once.
func (e *RosterEntry) Hash() []byte {
	sum := sha256.Sum256([]byte(e.String()))
	return sum[:]
}

// IsRevocation says whether the entry is a revocation.
func (e *RosterEntry) IsRevocation() bool { return e.Kind == revocationPrefix }

// ParseRosterEntry reads a certificate or revocation line (its form only:
// Verify checks who signed it).
func ParseRosterEntry(line string) (RosterEntry, error) {
	parts := strings.Fields(strings.TrimSpace(line))
	if len(parts) != 3 || (parts[0] != certPrefix && parts[0] != revocationPrefix) {
		return RosterEntry{}, Invalid("certificate", "is not a Liaison Desk certificate or revocation line (one starts with %q or %q)", certPrefix, revocationPrefix)
	}
	body, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize || len(body) > 4096 {
		return RosterEntry{}, Invalid("certificate", "the %s line is damaged", kindWord(parts[0]))
	}
	return RosterEntry{Kind: parts[0], Body: body, Sig: sig}, nil
}

func kindWord(kind string) string {
	if kind == revocationPrefix {
		return "revocation"
	}
	return "certificate"
}

// Word is "certificate" or "revocation".
func (e *RosterEntry) Word() string { return kindWord(e.Kind) }

// ErrNotSigned is an entry that the organisation's key does not verify, or
// that names another organisation.
type ErrNotSigned struct {
	What   string // "certificate of device 1A2B", "revocation of device 1A2B"
	Org    Org    // the organisation trusted here
	Other  bool   // it names another organisation
	Detail string
}

func (e *ErrNotSigned) Error() string {
	if e.Other {
		return fmt.Sprintf("the %s is issued by another organisation (%s), not by %s, the one trusted here", e.What, e.Detail, e.Org.Name)
	}
	return fmt.Sprintf("the %s is not signed by organisation %s (forged or altered)", e.What, e.Org.Name)
}

// Is makes every ErrNotSigned a refusal.
func (e *ErrNotSigned) Is(target error) bool { return target == ErrRefused || target == ErrUntrusted }

// header reads the fields every entry has, to name it in a refusal.
func (e *RosterEntry) header() (org, site string) {
	var h struct {
		Org  string `json:"org"`
		Site string `json:"site"`
	}
	_ = json.Unmarshal(e.Body, &h)
	return h.Org, h.Site
}

// What names the entry in a message: "certificate of device 1A2B".
func (e *RosterEntry) What() string {
	_, site := e.header()
	if id, err := ParseSiteID(site); err == nil {
		return e.Word() + " of device " + id.ShortCode()
	}
	return e.Word()
}

// Verify checks the entry names org and is signed by its key, and that its
// body reads as its kind.
func (e *RosterEntry) Verify(org Org) error {
	orgID, _ := e.header()
	if orgID != org.ID() {
		detail := "key " + Clip(orgID)
		if len(orgID) > 16 {
			detail = "key " + orgID[:16] + "…"
		}
		return &ErrNotSigned{What: e.What(), Org: org, Other: true, Detail: detail}
	}
	if !ed25519.Verify(org.PublicKey, e.signed(), e.Sig) {
		return &ErrNotSigned{What: e.What(), Org: org}
	}
	if e.IsRevocation() {
		_, err := e.Revocation()
		return err
	}
	_, err := e.Certificate()
	return err
}

// Certificate decodes a certificate entry's body.
func (e *RosterEntry) Certificate() (Certificate, error) {
	var c Certificate
	if e.Kind != certPrefix {
		return c, Invalid("certificate", "is a revocation, not a certificate")
	}
	if err := json.Unmarshal(e.Body, &c); err != nil {
		return c, Invalid("certificate", "its body is malformed")
	}
	if _, err := c.Identity(); err != nil {
		return c, err
	}
	if _, err := ParseRole(string(c.Role)); err != nil {
		return c, err
	}
	return c, nil
}

// Revocation decodes a revocation entry's body.
func (e *RosterEntry) Revocation() (Revocation, error) {
	var r Revocation
	if e.Kind != revocationPrefix {
		return r, Invalid("revocation", "is a certificate, not a revocation")
	}
	if err := json.Unmarshal(e.Body, &r); err != nil {
		return r, Invalid("revocation", "its body is malformed")
	}
	if _, err := ParseSiteID(r.Site); err != nil || r.LastSeq < 0 {
		return r, Invalid("revocation", "names no valid device or change")
	}
	return r, nil
}

// SignCertificate issues a certificate with the organisation's key.
func SignCertificate(key ed25519.PrivateKey, c Certificate) (RosterEntry, error) {
	return signEntry(key, certPrefix, c)
}

// SignRevocation issues a revocation with the organisation's key.
func SignRevocation(key ed25519.PrivateKey, r Revocation) (RosterEntry, error) {
	return signEntry(key, revocationPrefix, r)
}

func signEntry(key ed25519.PrivateKey, kind string, v any) (RosterEntry, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return RosterEntry{}, err
	}
	e := RosterEntry{Kind: kind, Body: body}
	e.Sig = ed25519.Sign(key, e.signed())
	return e, nil
}

// Roster is what a set of verified entries says: per device, its
// certificate and, when revoked, the revocation. Any replica holding the
// same entries, in any order, has the same roster.
type Roster struct {
	Certs   map[SiteID]Certificate
	Revoked map[SiteID]Revocation
}

// RosterOf folds verified entries into a roster. A device certified twice
// (renewed) has its latest certificate; revoked twice, the lowest cut.
// Entries for other organisations were refused before they got here.
func RosterOf(entries []RosterEntry) Roster {
	r := Roster{Certs: map[SiteID]Certificate{}, Revoked: map[SiteID]Revocation{}}
	sorted := slices.Clone(entries)
	// One order whatever the arrival order, so ties settle alike.
	slices.SortFunc(sorted, func(a, b RosterEntry) int { return bytes.Compare(a.Hash(), b.Hash()) })
	for _, e := range sorted {
		if e.IsRevocation() {
			v, err := e.Revocation()
			if err != nil {
				continue
			}
			site, _ := ParseSiteID(v.Site)
			if old, ok := r.Revoked[site]; !ok || v.LastSeq < old.LastSeq {
				r.Revoked[site] = v
			}
			continue
		}
		c, err := e.Certificate()
		if err != nil {
			continue
		}
		site, _ := ParseSiteID(c.Site)
		if old, ok := r.Certs[site]; !ok || c.Issued > old.Issued {
			r.Certs[site] = c
		}
	}
	return r
}

// Check says whether site may speak for itself now (a sender, a hub): it
// holds a certificate, not expired and not revoked.
func (r Roster) Check(site SiteID, now time.Time) error {
	c, ok := r.Certs[site]
	switch {
	case !ok:
		return fmt.Errorf("%w: %w: device %s holds no certificate of the organisation: HQ has not enrolled it", ErrRefused, ErrUntrusted, site.ShortCode())
	case r.Revoked[site].Site != "":
		v := r.Revoked[site]
		return fmt.Errorf("%w: %w: device %s (%s) was revoked by the organisation on %s, after its change %d", ErrRefused, ErrUntrusted, site.ShortCode(), c.Name, dateOf(v.Issued), v.LastSeq)
	case c.Expired(now):
		return fmt.Errorf("%w: %w: the certificate of device %s (%s) expired on %s: HQ renews it by enrolling it again", ErrRefused, ErrUntrusted, site.ShortCode(), c.Name, c.Until)
	}
	return nil
}

func dateOf(rfc3339 string) string {
	if len(rfc3339) >= 10 {
		return rfc3339[:10]
	}
	return rfc3339
}

// RosterRow is one device of the roster, for a list.
type RosterRow struct {
	Name      string `json:"name"`
	Device    string `json:"device"` // the device code
	Site      string `json:"site"`
	Officer   string `json:"officer"`
	Role      Role   `json:"role"`
	Until     string `json:"until,omitempty"`
	Issued    string `json:"issued"`
	Revoked   string `json:"revoked,omitempty"`  // when, RFC 3339
	LastSeq   *int64 `json:"last_seq,omitempty"` // the last change that stays valid
	Reason    string `json:"reason,omitempty"`
	Expired   bool   `json:"expired,omitempty"`
	Identity  string `json:"identity"`
	Certified string `json:"certificate"` // the certificate line
}

// VerifyCertificate checks a certificate line that site presents against
// the organisation: well formed, signed by its key, and naming site.
// Expiry and revocation are the roster's (Roster.Check).
func VerifyCertificate(org *Org, line string, site SiteID) (Certificate, error) {
	e, err := ParseRosterEntry(line)
	if err != nil {
		return Certificate{}, fmt.Errorf("%w: %w: device %s: %v", ErrRefused, ErrUntrusted, site.ShortCode(), err)
	}
	if err := e.Verify(*org); err != nil {
		return Certificate{}, fmt.Errorf("%w: %w: device %s presents a certificate that does not hold: %v", ErrRefused, ErrUntrusted, site.ShortCode(), err)
	}
	c, err := e.Certificate()
	if err != nil {
		return Certificate{}, fmt.Errorf("%w: %w: device %s: %v", ErrRefused, ErrUntrusted, site.ShortCode(), err)
	}
	if c.Site != site.String() {
		return Certificate{}, fmt.Errorf("%w: %w: device %s presents the certificate of another device (%s)", ErrRefused, ErrUntrusted, site.ShortCode(), c.Name)
	}
	return c, nil
}

// RosterRowsOf lists a roster's devices by name, as of now: what org
// roster shows.
func RosterRowsOf(entries []RosterEntry, now time.Time) []RosterRow {
	r := RosterOf(entries)
	lines := map[Certificate]string{}
	for _, e := range entries {
		if c, err := e.Certificate(); err == nil {
			lines[c] = e.String()
		}
	}
	out := []RosterRow{}
	for site, c := range r.Certs {
		id, _ := c.Identity()
		row := RosterRow{Name: c.Name, Device: site.ShortCode(), Site: site.String(), Officer: c.Officer, Role: c.Role,
			Until: c.Until, Issued: c.Issued, Expired: c.Expired(now), Identity: id.String(), Certified: lines[c]}
		if v, ok := r.Revoked[site]; ok {
			seq := v.LastSeq
			row.Revoked, row.LastSeq, row.Reason = v.Issued, &seq, v.Reason
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b RosterRow) int { return strings.Compare(a.Name, b.Name) })
	return out
}
