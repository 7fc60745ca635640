package pgstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

var peerNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// AddPeer trusts a device under a name, with the same refusals as the
// SQLite store's (data/store/peer.go): a bad name, the hub itself, a
// device code already taken, a name or device already trusted.
func (s *Store) AddPeer(ctx context.Context, name, identityLine string) (data.Peer, error) {
	if !peerNameRE.MatchString(name) {
		return data.Peer{}, data.Op("peers", "add", data.Invalid("name", "%q is not a peer name (letters, digits, . _ -; up to 40)", data.Clip(name)))
	}
	id, err := data.ParseIdentity(identityLine)
	if err != nil {
		return data.Peer{}, data.Op("peers", "add", err)
	}
	dev, err := s.Device()
	if err != nil {
		return data.Peer{}, err
	}
	if id.Site == dev.Site {
		return data.Peer{}, data.Op("peers", "add", data.Invalid("identity", "is this device's own identity"))
	}
	if id.Site.ShortCode() == dev.Site.ShortCode() {
		return data.Peer{}, data.Op("peers", "add", data.InvalidBecause(data.ErrSameDeviceCode, "identity", "device %s has the same device code (%s) as this one, so their request refs would collide: one of the two must start a new store", id.Site, id.Site.ShortCode()))
	}
	p := data.Peer{Name: name, Identity: id, AddedAt: s.Now().UTC().Format(time.RFC3339)}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		// One enrolment at a time across hub processes: the checks below
		// read what another might be writing.
		if _, err := tx.Exec(ctx, `LOCK TABLE peers IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM peers WHERE (name = $1 OR site_id = $2) AND revoked_at <> ''`, name, id.Site[:]); err != nil {
			return err
		}
		var clash string
		err := tx.QueryRow(ctx, `SELECT name FROM peers WHERE revoked_at = '' AND site_id <> $1 AND upper(encode(substr(site_id, 1, 2), 'hex')) = $2`,
			id.Site[:], id.Site.ShortCode()).Scan(&clash)
		if err == nil {
			return data.Invalid("identity", "device %s has the same device code (%s) as peer %s, so their request refs would collide: one of the two must start a new store", id.Site, id.Site.ShortCode(), clash)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var other string
		err = tx.QueryRow(ctx, `SELECT name FROM peers WHERE name = $1 OR site_id = $2`, name, id.Site[:]).Scan(&other)
		if err == nil {
			if other == name {
				return data.Invalid("name", "a peer called %s is already trusted (revoke it first to replace it)", name)
			}
			return data.Invalid("identity", "this device is already a peer, called %s", other)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO peers (name, site_id, public_key, age_recipient, officer, added_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			name, id.Site[:], []byte(id.PublicKey), id.AgeRecipient, id.Officer, p.AddedAt)
		if err != nil {
			return err
		}
		// What the hub took on a relaying peer's word is judged by the
		// enrolled key (enrol.go).
		return s.enrolHeld(ctx, tx, id.Site, id.PublicKey)
	})
	if err != nil {
		return data.Peer{}, data.Op("peers", "add", err)
	}
	return p, nil
}

// Peers lists the trusted and the revoked peers, by name.
func (s *Store) Peers(ctx context.Context) ([]data.Peer, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, site_id, public_key, age_recipient, officer, added_at, revoked_at FROM peers ORDER BY name`)
	if err != nil {
		return nil, data.Op("peers", "", err)
	}
	defer rows.Close()
	var out []data.Peer
	for rows.Next() {
		var p data.Peer
		var site, key []byte
		if err := rows.Scan(&p.Name, &site, &key, &p.Identity.AgeRecipient, &p.Identity.Officer, &p.AddedAt, &p.RevokedAt); err != nil {
			return nil, err
		}
		p.Identity.Site = siteOf(site)
		p.Identity.PublicKey = key
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return s.rosterPeers(ctx, out) // and the organisation's certified devices (org.go)
}

// RevokePeer stops trusting a peer, from the next request in every hub
// process: its requests are refused, and its changes relayed by others
// are held for review.
func (s *Store) RevokePeer(ctx context.Context, name string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE peers SET revoked_at = $1 WHERE name = $2 AND revoked_at = ''`,
		s.Now().UTC().Format(time.RFC3339), name)
	if err != nil {
		return data.Op("peers", "revoke", err)
	}
	if tag.RowsAffected() == 0 {
		var revoked string
		if err := s.pool.QueryRow(ctx, `SELECT revoked_at FROM peers WHERE name = $1`, name).Scan(&revoked); err == nil {
			return data.Op("peers", "revoke", data.Invalid("name", "%s was already revoked on %s", name, revoked))
		}
		return data.Op("peers", fmt.Sprintf("revoke %s", data.Clip(name)), data.ErrNotFound)
	}
	return nil
}

// SenderKey returns a trusted peer's signing key.
func (s *Store) SenderKey(ctx context.Context, sender data.SiteID) ([]byte, error) {
	t, err := s.loadTrust(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	return t.SenderKey(sender)
}
