package store

// The organisation and its roster (docs/ARCHITECTURE.md §4.4, migration
// 015): HQ's store holds the organisation's key and issues certificates
// and revocations; every store that trusts the organisation keeps the
// entries it has seen, checks each against the organisation's key, and
// carries them all in every bundle and hub sync.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaisondesk/data"
)

// loadOrg reads the organisation this store trusts (nil: none) and, when
// this store holds its key, the key as kept: sealed under the store key
// (a store with a passphrase), or the plain seed (one without). orgKey
// opens it.
func loadOrg(ctx context.Context, q querier) (*data.Org, []byte, error) {
	var o data.Org
	var pub, held []byte
	err := q.QueryRowContext(ctx, `SELECT name, public_key, private_key FROM org`).Scan(&o.Name, &pub, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	o.PublicKey = pub
	if len(held) == 0 {
		held = nil
	}
	return &o, held, nil
}

// orgKeyLabel names the organisation key's use of the store key.
const orgKeyLabel = "organisation signing key"

// keepOrgKey is the organisation key as the store keeps it: sealed under
// the store key when the store has a passphrase (docs/SECURITY.md), so
// a lost HQ laptop does not give away the organisation.
func (s *Store) keepOrgKey(key ed25519.PrivateKey) ([]byte, error) {
	if key == nil {
		return nil, nil
	}
	if !s.HasPassphrase() {
		return key.Seed(), nil
	}
	return s.SealSecret(orgKeyLabel, key.Seed())
}

// issuer is what enrolling or revoking needs, read inside its
// transaction: the organisation, its opened key and the roster. Only HQ's
// store holds the key; verb names what the officer tried, for the message.
func (s *Store) issuer(ctx context.Context, tx *sql.Tx, verb string) (*data.Org, ed25519.PrivateKey, data.Roster, error) {
	org, held, err := loadOrg(ctx, tx)
	if err != nil {
		return nil, nil, data.Roster{}, err
	}
	if held == nil {
		return nil, nil, data.Roster{}, data.InvalidBecause(data.ErrNoOrgKey, "organisation",
			"this store does not hold the organisation's key: %s at HQ's store", verb)
	}
	key, err := s.orgKey(held)
	if err != nil {
		return nil, nil, data.Roster{}, err
	}
	entries, err := rosterEntries(ctx, tx)
	if err != nil {
		return nil, nil, data.Roster{}, err
	}
	return org, key, data.RosterOf(entries), nil
}

// orgKey opens the organisation key as loadOrg read it; it needs the
// store unlocked when the key is sealed.
func (s *Store) orgKey(held []byte) (ed25519.PrivateKey, error) {
	seed := held
	if len(held) != ed25519.SeedSize {
		var err error
		if seed, err = s.OpenSecret(orgKeyLabel, held); err != nil {
			return nil, fmt.Errorf("open the organisation's key: %w", err)
		}
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("the organisation's key in this store is damaged")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// Org returns the organisation this store trusts (nil: none), and whether
// this store holds its key (it is HQ's).
func (s *Store) Org(ctx context.Context) (*data.Org, bool, error) {
	o, key, err := loadOrg(ctx, s.rdb)
	if err != nil {
		return nil, false, fmt.Errorf("org: %w", err)
	}
	return o, key != nil, nil
}

// HQRosterName is the roster name org init gives HQ's own device.
const HQRosterName = "hq"

// InitOrg creates an organisation signing key in this store and certifies
// this store's own device, as staff, under the name HQRosterName.
func (s *Store) InitOrg(ctx context.Context, name string) (data.Org, data.RosterEntry, error) {
	if err := data.CheckLine("name", name, true); err != nil {
		return data.Org{}, data.RosterEntry{}, fmt.Errorf("org init: %w", err)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return data.Org{}, data.RosterEntry{}, err
	}
	org := data.Org{Name: name, PublicKey: pub}
	if err := s.setOrg(ctx, org, key); err != nil {
		return data.Org{}, data.RosterEntry{}, fmt.Errorf("org init: %w", err)
	}
	id, err := s.Identity(ctx)
	if err != nil {
		return data.Org{}, data.RosterEntry{}, fmt.Errorf("org init: %w", err)
	}
	e, _, err := s.Enrol(ctx, id.String(), HQRosterName, data.RoleStaff, "")
	if err != nil {
		return data.Org{}, data.RosterEntry{}, fmt.Errorf("org init: %w", err)
	}
	return org, e, nil
}

// setOrg records the organisation (with its key, or nil). A store trusts
// one organisation: another is refused; the same one again is a no-op,
// except that its key may be added.
func (s *Store) setOrg(ctx context.Context, org data.Org, key ed25519.PrivateKey) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, oldKey, err := loadOrg(ctx, tx)
		if err != nil {
			return err
		}
		seed, err := s.keepOrgKey(key)
		if err != nil {
			return err
		}
		switch {
		case old == nil:
			_, err := tx.ExecContext(ctx, `INSERT INTO org (one, name, public_key, private_key, trusted_at) VALUES (1, ?, ?, ?, ?)`,
				org.Name, []byte(org.PublicKey), seed, s.Now().UTC().Format(time.RFC3339))
			return err
		case !bytes.Equal(old.PublicKey, org.PublicKey):
			return data.Invalid("organisation", "this store already trusts organisation %s (fingerprint %s); a store trusts one organisation", old.Name, old.Fingerprint())
		case key != nil && oldKey == nil:
			_, err := tx.ExecContext(ctx, `UPDATE org SET private_key = ?`, seed)
			return err
		case key != nil:
			return data.Invalid("organisation", "this store already holds the key of organisation %s", old.Name)
		}
		return nil
	})
}

// TrustOrg makes this store trust an organisation's key: from now on it
// applies changes from any device the organisation certifies.
func (s *Store) TrustOrg(ctx context.Context, line string) (data.Org, error) {
	org, err := data.ParseOrg(line)
	if err != nil {
		return data.Org{}, fmt.Errorf("org trust: %w", err)
	}
	if err := s.setOrg(ctx, org, nil); err != nil {
		return data.Org{}, fmt.Errorf("org trust: %w", err)
	}
	return org, nil
}

// OrgKey returns the organisation and its key, for moving it to another
// machine (org export).
func (s *Store) OrgKey(ctx context.Context) (data.Org, ed25519.PrivateKey, error) {
	o, held, err := loadOrg(ctx, s.rdb)
	if err != nil {
		return data.Org{}, nil, err
	}
	if held == nil {
		return data.Org{}, nil, data.InvalidBecause(data.ErrNoOrgKey, "organisation", "this store does not hold an organisation's key (only HQ's does)")
	}
	key, err := s.orgKey(held)
	if err != nil {
		return data.Org{}, nil, err
	}
	return *o, key, nil
}

// ImportOrgKey takes an organisation's key moved from another machine.
func (s *Store) ImportOrgKey(ctx context.Context, org data.Org, key ed25519.PrivateKey) error {
	if len(key) != ed25519.PrivateKeySize || !bytes.Equal(key.Public().(ed25519.PublicKey), org.PublicKey) {
		return fmt.Errorf("org import: %w", data.Invalid("key", "the key does not match the organisation's public key"))
	}
	if err := s.setOrg(ctx, org, key); err != nil {
		return fmt.Errorf("org import: %w", err)
	}
	return nil
}

// rosterEntries reads the roster entries this store holds.
func rosterEntries(ctx context.Context, q querier) ([]data.RosterEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT line FROM org_roster ORDER BY hash`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.RosterEntry
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		e, err := data.ParseRosterEntry(line)
		if err != nil {
			return nil, fmt.Errorf("roster: a stored entry is damaged: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RosterLines returns every roster entry this store holds, as lines, and
// this device's own certificate ("" for none): what its bundles carry.
func (s *Store) RosterLines(ctx context.Context) (all []string, own string, err error) {
	entries, err := rosterEntries(ctx, s.rdb)
	if err != nil {
		return nil, "", err
	}
	dev, err := s.Device()
	if err != nil {
		return nil, "", err
	}
	for _, e := range entries {
		all = append(all, e.String())
	}
	if c, ok := data.RosterOf(entries).Certs[dev.Site]; ok {
		for _, e := range entries {
			if got, err := e.Certificate(); err == nil && got == c {
				own = e.String()
			}
		}
	}
	return all, own, nil
}

// Roster returns the organisation's roster as this store holds it.
func (s *Store) Roster(ctx context.Context) (data.Roster, error) {
	entries, err := rosterEntries(ctx, s.rdb)
	if err != nil {
		return data.Roster{}, err
	}
	return data.RosterOf(entries), nil
}

// RosterRows lists the roster, by name (data.RosterRowsOf).
func (s *Store) RosterRows(ctx context.Context) ([]data.RosterRow, error) {
	entries, err := rosterEntries(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	return data.RosterRowsOf(entries, s.Now()), nil
}

// Enrol issues a certificate for a device's identity line under a roster
// name. It needs the organisation's key. A device code already on the
// roster under another device is refused: request refs carry that code,
// so two devices sharing it would make colliding refs. The same device
// enrolled again, under the same name, renews its certificate.
func (s *Store) Enrol(ctx context.Context, identityLine, name string, role data.Role, until string) (data.RosterEntry, data.Certificate, error) {
	fail := func(err error) (data.RosterEntry, data.Certificate, error) {
		return data.RosterEntry{}, data.Certificate{}, fmt.Errorf("org enrol: %w", err)
	}
	if !peerNameRE.MatchString(name) {
		return fail(data.Invalid("name", "%q is not a roster name (letters, digits, . _ -; up to 40)", data.Clip(name)))
	}
	if _, err := data.ParseRole(string(role)); err != nil {
		return fail(err)
	}
	if until != "" {
		d, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return fail(data.Invalid("until", "%q is not a date (YYYY-MM-DD)", data.Clip(until)))
		}
		if d.Format(time.DateOnly) < s.Now().UTC().Format(time.DateOnly) {
			return fail(data.Invalid("until", "%s is in the past", until))
		}
	}
	id, err := data.ParseIdentity(identityLine)
	if err != nil {
		return fail(err)
	}
	var entry data.RosterEntry
	var cert data.Certificate
	err = s.tx(ctx, func(tx *sql.Tx) error {
		org, key, r, err := s.issuer(ctx, tx, "enrol")
		if err != nil {
			return err
		}
		hist, err := loadKeyHistories(ctx, tx)
		if err != nil {
			return err
		}
		for site, c := range r.Certs {
			switch {
			case site == id.Site && c.Name != name:
				return data.Invalid("identity", "device %s is already on the roster as %s", site.ShortCode(), c.Name)
			case site == id.Site && r.Revoked[site].Site != "":
				return data.Invalid("identity", "device %s (%s) was revoked: a revoked device is not enrolled again (it starts a new store, which gets a new identity)", site.ShortCode(), c.Name)
			case site == id.Site && c.Key != fmt.Sprintf("%x", []byte(id.PublicKey)) && !rotatedTo(hist[site], c, id):
				return data.InvalidBecause(data.ErrNoRotation, "identity", "device %s is on the roster with another key, and this store holds no rotation statement of that key leading to the new one", site.ShortCode())
			case site != id.Site && site.ShortCode() == id.Site.ShortCode():
				return data.InvalidBecause(data.ErrDeviceCodeTaken, "identity", "device code %s is already on the roster (%s): request refs carry that code, so the two devices' refs would collide. The new device must start a new store and send its new identity line", site.ShortCode(), c.Name)
			case site != id.Site && c.Name == name:
				return data.Invalid("name", "%s is already on the roster (device %s)", name, site.ShortCode())
			}
		}
		cert = data.Certificate{Org: org.ID(), Site: id.Site.String(), Key: fmt.Sprintf("%x", []byte(id.PublicKey)), Age: id.AgeRecipient,
			Name: name, Officer: id.Officer, Role: role, Until: until, Issued: s.Now().UTC().Format(time.RFC3339Nano)}
		if entry, err = data.SignCertificate(key, cert); err != nil {
			return err
		}
		return insertEntry(ctx, tx, entry, id.Site, s.Now())
	})
	if err != nil {
		return fail(err)
	}
	return entry, cert, nil
}

// Revoke ends a device's certificate at the last of its changes this store
// holds without a gap: those stay valid, every later one is held for
// review wherever the revocation reaches. who is a roster name, a site id
// or a device code.
func (s *Store) Revoke(ctx context.Context, who, reason string) (data.Revocation, error) {
	if err := data.CheckLine("reason", reason, false); err != nil {
		return data.Revocation{}, fmt.Errorf("org revoke: %w", err)
	}
	dev, err := s.Device()
	if err != nil {
		return data.Revocation{}, err
	}
	var rev data.Revocation
	err = s.tx(ctx, func(tx *sql.Tx) error {
		org, key, r, err := s.issuer(ctx, tx, "revoke")
		if err != nil {
			return err
		}
		var site data.SiteID
		found := false
		for s, c := range r.Certs {
			if c.Name == who || strings.EqualFold(s.String(), who) || strings.EqualFold(s.ShortCode(), who) {
				site, found = s, true
			}
		}
		if !found {
			return fmt.Errorf("%s is not on the roster: %w", data.Clip(who), data.ErrNotFound)
		}
		c := r.Certs[site]
		if v, ok := r.Revoked[site]; ok {
			return data.Invalid("name", "%s was already revoked on %s, after its change %d", c.Name, v.Issued, v.LastSeq)
		}
		if site == dev.Site {
			return data.Invalid("name", "%s is this device, which holds the organisation's key", c.Name)
		}
		var held int64
		err = tx.QueryRowContext(ctx, `SELECT held FROM sites WHERE site_id = ?`, site[:]).Scan(&held)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		rev = data.Revocation{Org: org.ID(), Site: site.String(), Key: c.Key, Name: c.Name, LastSeq: held, Reason: reason,
			Issued: s.Now().UTC().Format(time.RFC3339Nano)}
		e, err := data.SignRevocation(key, rev)
		if err != nil {
			return err
		}
		if err := insertEntry(ctx, tx, e, site, s.Now()); err != nil {
			return err
		}
		// What this store holds beyond a gap is past the cut too.
		return s.writeTx(ctx, tx, dev, func(w *writer) error { return w.unapplyRevoked(site, held, c.Name) })
	})
	if err != nil {
		return data.Revocation{}, fmt.Errorf("org revoke: %w", err)
	}
	return rev, nil
}

// insertEntry stores a verified roster entry once.
func insertEntry(ctx context.Context, q querier, e data.RosterEntry, site data.SiteID, now time.Time) error {
	kind := "certificate"
	if e.IsRevocation() {
		kind = "revocation"
	}
	_, err := q.ExecContext(ctx, `INSERT OR IGNORE INTO org_roster (hash, kind, site_id, line, received_at) VALUES (?, ?, ?, ?, ?)`,
		e.Hash(), kind, site[:], e.String(), now.UTC().Format(time.RFC3339))
	return err
}

// takeRoster stores the roster entries a sender carried, inside its
// import, before anything is judged: each must be signed by the
// organisation this store trusts, or nothing is imported. A store that
// trusts no organisation ignores them. It returns the devices whose
// revocation is new here.
func (s *Store) takeRoster(ctx context.Context, tx *sql.Tx, lines []string) ([]data.SiteID, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	org, _, err := loadOrg(ctx, tx)
	if err != nil || org == nil {
		return nil, err
	}
	var revoked []data.SiteID
	for _, line := range lines {
		e, err := data.ParseRosterEntry(line)
		if err != nil {
			return nil, data.Refused("the sender's roster holds a damaged entry: %v", err)
		}
		var held int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM org_roster WHERE hash = ?`, e.Hash()).Scan(&held); err != nil {
			return nil, err
		}
		if held > 0 {
			continue // verified when it first came: every sync carries the whole roster
		}
		if err := e.Verify(*org); err != nil {
			return nil, data.Refused("the sender's roster: %v; nothing was imported", err)
		}
		site := entrySite(&e)
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO org_roster (hash, kind, site_id, line, received_at) VALUES (?, ?, ?, ?, ?)`,
			e.Hash(), e.Word(), site[:], e.String(), s.Now().UTC().Format(time.RFC3339))
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n > 0 && e.IsRevocation() {
			revoked = append(revoked, site)
		}
	}
	return revoked, nil
}

// entrySite is the device a verified entry names.
func entrySite(e *data.RosterEntry) data.SiteID {
	var site string
	if e.IsRevocation() {
		v, _ := e.Revocation()
		site = v.Site
	} else {
		c, _ := e.Certificate()
		site = c.Site
	}
	id, _ := data.ParseSiteID(site)
	return id
}

// loadRoster adds the certified devices to t (data.Trust.AddRoster):
// their keys verify their commits, and a revoked one's changes past its
// cut are held.
func (t *trust) loadRoster(ctx context.Context, q querier) error {
	org, _, err := loadOrg(ctx, q)
	if err != nil || org == nil {
		return err
	}
	entries, err := rosterEntries(ctx, q)
	if err != nil {
		return err
	}
	t.AddRoster(org, data.RosterOf(entries))
	return nil
}

// SenderKeyFor returns the key of a sender that is a trusted peer, or,
// at first contact, one that presents a certificate of the organisation
// this store trusts, not revoked here and not expired. It is checked
// before any of the sender's body is read.
func (s *Store) SenderKeyFor(ctx context.Context, sender data.SiteID, certLine string) ([]byte, error) {
	t, err := s.loadTrust(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	return t.SenderKeyFor(sender, certLine)
}

// AcceptCertificate checks a certificate a hub presents with its identity
// answer (first contact: this store may know no roster yet) and keeps
// it: it must be of the organisation trusted here, for that device, of
// role want, not expired and not revoked here.
func (s *Store) AcceptCertificate(ctx context.Context, line string, site data.SiteID, want data.Role) (data.Peer, error) {
	org, _, err := loadOrg(ctx, s.rdb)
	if err != nil {
		return data.Peer{}, err
	}
	if org == nil {
		return data.Peer{}, fmt.Errorf("%w: device %s presents an organisation's certificate, but this store trusts no organisation (%w)", data.ErrUntrusted, site.ShortCode(), data.ErrNoOrgTrusted)
	}
	c, err := data.VerifyCertificate(org, line, site)
	if err != nil {
		return data.Peer{}, err
	}
	if c.Role != want {
		return data.Peer{}, fmt.Errorf("%w: %w: device %s (%s) is certified as %s, not as a %s", data.ErrRefused, data.ErrUntrusted, site.ShortCode(), c.Name, c.Role, want)
	}
	r, err := s.Roster(ctx)
	if err != nil {
		return data.Peer{}, err
	}
	r.Certs[site] = c
	if err := r.Check(site, s.Now()); err != nil {
		return data.Peer{}, err
	}
	e, _ := data.ParseRosterEntry(line)
	if err := s.tx(ctx, func(tx *sql.Tx) error { return insertEntry(ctx, tx, e, site, s.Now()) }); err != nil {
		return data.Peer{}, err
	}
	id, _ := c.Identity()
	return data.Peer{Name: c.Name, Identity: id, AddedAt: c.Issued, Role: string(c.Role)}, nil
}

// rosterPeers adds the certified devices to the peers enrolled by hand,
// under their roster names: a bundle goes to a roster name like to a
// peer's, and a hub finds the device it syncs with.
func (s *Store) rosterPeers(ctx context.Context, peers []data.Peer) ([]data.Peer, error) {
	org, _, err := loadOrg(ctx, s.rdb)
	if err != nil || org == nil {
		return peers, err
	}
	r, err := s.Roster(ctx)
	if err != nil {
		return nil, err
	}
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	hist, err := loadKeyHistories(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	var extra []data.Peer
	for site, c := range r.Certs {
		if site == dev.Site || slices.ContainsFunc(peers, func(p data.Peer) bool { return p.Identity.Site == site || p.Name == c.Name }) {
			continue
		}
		id, _ := c.Identity()
		id = rotatedIdentity(hist, id) // a rotated device is reached at its new keys
		p := data.Peer{Name: c.Name, Identity: id, AddedAt: c.Issued, Role: string(c.Role)}
		if v, ok := r.Revoked[site]; ok {
			p.RevokedAt = v.Issued
		} else if c.Expired(now) {
			p.RevokedAt = c.Until + " (expired)"
		}
		extra = append(extra, p)
	}
	out := append(peers, extra...)
	slices.SortFunc(out, func(a, b data.Peer) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// unapplyRevoked takes a revoked device's changes past its cut out of the
// log and into review, and rebuilds the records they touched: they may
// have arrived here before the revocation did.
func (w *writer) unapplyRevoked(site data.SiteID, cut int64, name string) error {
	var no int64
	err := w.QueryRowContext(w.ctx, `SELECT no FROM sites WHERE site_id = ?`, site[:]).Scan(&no)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	rows, err := w.QueryContext(w.ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits WHERE site = ? AND last_seq > ? ORDER BY first_seq`, no, cut)
	if err != nil {
		return err
	}
	var past []*plannedCommit
	for rows.Next() {
		pc := &plannedCommit{Commit: data.Commit{Site: site}}
		if err := rows.Scan(&pc.FirstSeq, &pc.LastSeq, &pc.Hashes, &pc.Signature); err != nil {
			rows.Close()
			return err
		}
		past = append(past, pc)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(past) == 0 {
		return err
	}
	var key []byte
	var officer string
	if err := w.QueryRowContext(w.ctx, `SELECT public_key, officer FROM sites WHERE no = ?`, no).Scan(&key, &officer); err != nil {
		return err
	}
	return w.takeBack(no, site, past, func(pc *plannedCommit) {
		pc.quarantine = "revoked"
		pc.detail = fmt.Sprintf("its author's device (%s) was revoked by the organisation after its change %d", name, cut)
		pc.author = data.Author{Site: site, PublicKey: key, Officer: officer}
	})
}
