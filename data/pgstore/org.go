package pgstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// The organisation (docs/ARCHITECTURE.md §4.4), as the SQLite store keeps
// it (data/store/org.go): the hub trusts one organisation's key, keeps
// every roster entry it has seen, verified, and trusts the devices the
// roster certifies, read per request so an enrolment or a revocation
// reaching any hub process counts in all of them.

func loadOrg(ctx context.Context, q querier) (*data.Org, error) {
	var o data.Org
	var pub []byte
	err := q.QueryRow(ctx, `SELECT name, public_key FROM org`).Scan(&o.Name, &pub)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o.PublicKey = pub
	return &o, nil
}

// TrustOrg makes the hub trust an organisation's key. A hub trusts one
// organisation: another is refused; the same one again is a no-op.
func (s *Store) TrustOrg(ctx context.Context, line string) (data.Org, error) {
	org, err := data.ParseOrg(line)
	if err != nil {
		return data.Org{}, fmt.Errorf("org trust: %w", err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE org IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		old, err := loadOrg(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case old == nil:
			_, err := tx.Exec(ctx, `INSERT INTO org (one, name, public_key, trusted_at) VALUES (1, $1, $2, $3)`,
				org.Name, []byte(org.PublicKey), s.Now().UTC().Format(time.RFC3339))
			return err
		case !bytes.Equal(old.PublicKey, org.PublicKey):
			return data.Invalid("organisation", "this store already trusts organisation %s (fingerprint %s); a store trusts one organisation", old.Name, old.Fingerprint())
		}
		return nil
	})
	if err != nil {
		return data.Org{}, fmt.Errorf("org trust: %w", err)
	}
	return org, nil
}

// Org returns the organisation the hub trusts (nil: none).
func (s *Store) Org(ctx context.Context) (*data.Org, error) {
	o, err := loadOrg(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("org: %w", err)
	}
	return o, nil
}

func rosterEntries(ctx context.Context, q querier) ([]data.RosterEntry, error) {
	lines, err := readStrings(ctx, q, `SELECT line FROM org_roster ORDER BY hash`)
	if err != nil {
		return nil, err
	}
	out := make([]data.RosterEntry, 0, len(lines))
	for _, line := range lines {
		e, err := data.ParseRosterEntry(line)
		if err != nil {
			return nil, fmt.Errorf("roster: a stored entry is damaged: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

// Roster returns the organisation's roster as the hub holds it.
func (s *Store) Roster(ctx context.Context) (data.Roster, error) {
	entries, err := rosterEntries(ctx, s.pool)
	if err != nil {
		return data.Roster{}, err
	}
	return data.RosterOf(entries), nil
}

// RosterLines returns every roster entry the hub holds, and its own
// certificate ("" for none): what its replies carry.
func (s *Store) RosterLines(ctx context.Context) (all []string, own string, err error) {
	entries, err := rosterEntries(ctx, s.pool)
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

// takeRoster stores the roster entries a sender carried, each verified
// against the organisation's key when new here, or nothing is imported.
// A hub trusting no organisation ignores them. It returns the devices
// whose revocation is new here.
func (s *Store) takeRoster(ctx context.Context, tx pgx.Tx, lines []string) ([]data.SiteID, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	org, err := loadOrg(ctx, tx)
	if err != nil || org == nil {
		return nil, err
	}
	entries := make([]data.RosterEntry, len(lines))
	hashes := make([][]byte, len(lines))
	for i, line := range lines {
		e, err := data.ParseRosterEntry(line)
		if err != nil {
			return nil, data.Refused("the sender's roster holds a damaged entry: %v", err)
		}
		entries[i], hashes[i] = e, e.Hash()
	}
	// Which the hub holds, in one query: every sync carries the whole roster.
	heldRows, err := tx.Query(ctx, `SELECT hash FROM org_roster WHERE hash = ANY($1)`, hashes)
	if err != nil {
		return nil, err
	}
	held := map[string]bool{}
	for heldRows.Next() {
		var h []byte
		if err := heldRows.Scan(&h); err != nil {
			heldRows.Close()
			return nil, err
		}
		held[string(h)] = true
	}
	heldRows.Close()
	if err := heldRows.Err(); err != nil {
		return nil, err
	}
	var revoked []data.SiteID
	for i, e := range entries {
		if held[string(hashes[i])] {
			continue // verified when it first came
		}
		if err := e.Verify(*org); err != nil {
			return nil, data.Refused("the sender's roster: %v; nothing was imported", err)
		}
		site := entrySite(&e)
		tag, err := tx.Exec(ctx, `INSERT INTO org_roster (hash, kind, site_id, line, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			e.Hash(), e.Word(), site[:], e.String(), s.Now().UTC().Format(time.RFC3339))
		if err != nil {
			return nil, err
		}
		if tag.RowsAffected() > 0 && e.IsRevocation() {
			revoked = append(revoked, site)
		}
	}
	return revoked, nil
}

// loadRoster adds the certified devices to t (data.Trust.AddRoster), the
// roster read through the cache.
func (t *trust) loadRoster(ctx context.Context, q querier, cache *rosterCache) error {
	org, err := loadOrg(ctx, q)
	if err != nil || org == nil {
		return err
	}
	roster, err := cache.read(ctx, q)
	if err != nil {
		return err
	}
	t.AddRoster(org, roster) // shared: AddRoster only reads it
	return nil
}

// rosterCache is the roster as an import last read it, by a fingerprint
// of its entries' hashes. Entries are content-addressed, so an equal
// fingerprint is the same roster: every request still asks the database
// (a roster changed by any hub process counts from the next request), but
// only for 40 bytes, and the entries are parsed and sorted once per
// change rather than twice per sync. The roster it returns is shared:
// read it, never write to it.
type rosterCache struct {
	mu     sync.Mutex
	sum    []byte
	roster data.Roster
}

func (c *rosterCache) read(ctx context.Context, q querier) (data.Roster, error) {
	var n int64
	var sum []byte
	if err := q.QueryRow(ctx, `SELECT count(*), coalesce(sha256(string_agg(hash, ''::bytea ORDER BY hash)), ''::bytea) FROM org_roster`).Scan(&n, &sum); err != nil {
		return data.Roster{}, err
	}
	sum = binary.BigEndian.AppendUint64(sum, uint64(n))
	c.mu.Lock()
	if bytes.Equal(c.sum, sum) {
		defer c.mu.Unlock()
		return c.roster, nil
	}
	c.mu.Unlock()
	entries, err := rosterEntries(ctx, q)
	if err != nil {
		return data.Roster{}, err
	}
	roster := data.RosterOf(entries)
	if int64(len(entries)) != n { // changed between the two reads: not cached
		return roster, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sum, c.roster = sum, roster
	return roster, nil
}

// SenderKeyFor returns the key of a sender that is a trusted peer, or,
// at first contact, one that presents a certificate of the organisation
// the hub trusts, not revoked and not expired (data.Trust.SenderKeyFor).
func (s *Store) SenderKeyFor(ctx context.Context, sender data.SiteID, certLine string) ([]byte, error) {
	t, err := s.loadTrust(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	return t.SenderKeyFor(sender, certLine)
}

// AcceptCertificate checks and keeps a certificate another hub presents
// with its identity answer, as the SQLite store does.
func (s *Store) AcceptCertificate(ctx context.Context, line string, site data.SiteID, want data.Role) (data.Peer, error) {
	org, err := loadOrg(ctx, s.pool)
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
	if _, err := s.pool.Exec(ctx, `INSERT INTO org_roster (hash, kind, site_id, line, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		e.Hash(), e.Word(), site[:], e.String(), s.Now().UTC().Format(time.RFC3339)); err != nil {
		return data.Peer{}, err
	}
	id, _ := c.Identity()
	return data.Peer{Name: c.Name, Identity: id, AddedAt: c.Issued, Role: string(c.Role)}, nil
}

// rosterPeers adds the certified devices to the peers enrolled by hand,
// under their roster names.
func (s *Store) rosterPeers(ctx context.Context, peers []data.Peer) ([]data.Peer, error) {
	org, err := loadOrg(ctx, s.pool)
	if err != nil || org == nil {
		return peers, err
	}
	r, err := s.roster.read(ctx, s.pool) // shared: read only
	if err != nil {
		return nil, err
	}
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	hist, err := loadKeyHistories(ctx, s.pool)
	if err != nil {
		return nil, err
	}
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
		peers = append(peers, p)
	}
	slices.SortFunc(peers, func(a, b data.Peer) int { return strings.Compare(a.Name, b.Name) })
	return peers, nil
}

// unapplyRevoked takes a revoked device's commits past its cut out of the
// log and into review: they may have arrived before the revocation did.
func (w *importer) unapplyRevoked(ctx context.Context, site data.SiteID, cut int64, name string) error {
	rows, err := w.tx.Query(ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits WHERE site_id = $1 AND last_seq > $2 ORDER BY first_seq`, site[:], cut)
	if err != nil {
		return err
	}
	var past []data.Commit
	for rows.Next() {
		c := data.Commit{Site: site}
		if err := rows.Scan(&c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			rows.Close()
			return err
		}
		past = append(past, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(past) == 0 {
		return err
	}
	var a data.Author
	a.Site = site
	if err := w.tx.QueryRow(ctx, `SELECT public_key, officer FROM sites WHERE site_id = $1`, site[:]).Scan(&a.PublicKey, &a.Officer); err != nil {
		return err
	}
	for _, c := range past {
		changes, err := changesOf(ctx, w.tx, site, c.FirstSeq, c.LastSeq)
		if err != nil {
			return err
		}
		if _, err := w.tx.Exec(ctx, `DELETE FROM changes WHERE site_id = $1 AND seq BETWEEN $2 AND $3`, site[:], c.FirstSeq, c.LastSeq); err != nil {
			return err
		}
		if _, err := w.tx.Exec(ctx, `DELETE FROM commits WHERE site_id = $1 AND first_seq = $2`, site[:], c.FirstSeq); err != nil {
			return err
		}
		pc := &planned{CommitChanges: &data.CommitChanges{Commit: c, Changes: changes, Author: a}, quarantine: "revoked",
			detail: fmt.Sprintf("its author's device (%s) was revoked by the organisation after its change %d", name, cut)}
		if err := w.hold(ctx, pc); err != nil {
			return err
		}
	}
	_, err = w.tx.Exec(ctx, `UPDATE sites SET held = least(held, $1) WHERE site_id = $2`, past[0].FirstSeq-1, site[:])
	return err
}

// changesOf reads a site's changes first..last as carried.
func changesOf(ctx context.Context, q querier, site data.SiteID, first, last int64) ([]*data.RawChange, error) {
	rows, err := q.Query(ctx, `SELECT seq, hlc, tbl, row_id, fields, parents, schema FROM changes WHERE site_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`,
		site[:], first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*data.RawChange
	for rows.Next() {
		var seq, hlc int64
		var schema int32
		c := &data.RawChange{}
		if err := rows.Scan(&seq, &hlc, &c.Table, &c.RowID, &c.Fields, &c.Parents, &schema); err != nil {
			return nil, err
		}
		c.ID, c.HLC, c.Schema = data.ChangeID{Site: site, Seq: seq}, data.HLC(hlc), int(schema)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RosterRows lists the roster the hub holds, by name.
func (s *Store) RosterRows(ctx context.Context) ([]data.RosterRow, error) {
	entries, err := rosterEntries(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	return data.RosterRowsOf(entries, s.Now()), nil
}
