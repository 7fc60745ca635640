package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"filippo.io/age"

	"liaisondesk/data"
)

// Identity returns this device's public identity, creating its age key on
// first use (stores made before sync existed have none).
func (s *Store) Identity(ctx context.Context) (data.Identity, error) {
	dev, err := s.Device()
	if err != nil {
		return data.Identity{}, err
	}
	recipient, err := s.ageRecipient(ctx)
	if err != nil {
		return data.Identity{}, fmt.Errorf("identity: %w", err)
	}
	return data.Identity{Site: dev.Site, Officer: dev.Officer, PublicKey: dev.PublicKey(),
		AgeRecipient: recipient}, nil
}

// AgeIdentity is this device's age key, which opens bundles sent to it.
func (s *Store) AgeIdentity(ctx context.Context) (*age.X25519Identity, error) {
	return s.ageIdentity(ctx)
}

// ageIdentity is this device's age X25519 key, to which peers encrypt
// bundles; made once and kept in the device row.
func (s *Store) ageIdentity(ctx context.Context) (*age.X25519Identity, error) {
	if id, sealed, err := s.sealedAgeIdentity(); sealed {
		return id, err
	}
	var text string
	if err := s.db.QueryRowContext(ctx, `SELECT age_identity FROM device`).Scan(&text); err != nil {
		return nil, err
	}
	if text != "" {
		return age.ParseX25519Identity(text)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	// Only when still empty, so two first uses agree on one key.
	if _, err := s.db.ExecContext(ctx, `UPDATE device SET age_identity = ? WHERE age_identity = ''`, id.String()); err != nil {
		return nil, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT age_identity FROM device`).Scan(&text); err != nil {
		return nil, err
	}
	return age.ParseX25519Identity(text)
}

// AddPeer trusts a device or hub under a name. The same site under another
// name, or a name already taken, is refused; so is this device itself.
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
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// A revoked entry under this name or for this device gives way to
		// the new one; a trusted one does not.
		if _, err := tx.ExecContext(ctx, `DELETE FROM peers WHERE (name = ? OR site_id = ?) AND revoked_at <> ''`, name, id.Site[:]); err != nil {
			return err
		}
		var clash string
		err := tx.QueryRowContext(ctx, `SELECT name FROM peers WHERE revoked_at = '' AND site_id <> ? AND upper(hex(substr(site_id, 1, 2))) = ?`,
			id.Site[:], id.Site.ShortCode()).Scan(&clash)
		if err == nil {
			return data.Invalid("identity", "device %s has the same device code (%s) as peer %s, so their request refs would collide: one of the two must start a new store", id.Site, id.Site.ShortCode(), clash)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT name FROM peers WHERE name = ? OR site_id = ?`, name, id.Site[:]).Scan(&other)
		if err == nil {
			if other == name {
				return data.Invalid("name", "a peer called %s is already trusted (revoke it first to replace it)", name)
			}
			return data.Invalid("identity", "this device is already a peer, called %s", other)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO peers (name, site_id, public_key, age_recipient, officer, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
			name, id.Site[:], []byte(id.PublicKey), id.AgeRecipient, id.Officer, p.AddedAt); err != nil {
			return err
		}
		// What this store took on a relaying peer's word about the device
		// gives way to its enrolled key: a key pinned by a release from
		// review that differs from it is dropped, with the commits checked
		// against it, and what is held in its name unsigned by it is forged.
		return s.enrolHeld(ctx, tx, dev, id.Site, id.PublicKey)
	})
	if err != nil {
		return data.Peer{}, data.Op("peers", "add", err)
	}
	return p, nil
}

// Peers lists the trusted peers and the revoked ones, by name.
func (s *Store) Peers(ctx context.Context) ([]data.Peer, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT name, site_id, public_key, age_recipient, officer, added_at, revoked_at FROM peers ORDER BY name`)
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
		copy(p.Identity.Site[:], site)
		p.Identity.PublicKey = key
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return s.rosterPeers(ctx, out) // and the organisation's certified devices (org.go)
}

// RevokePeer stops trusting a peer: its bundles and requests are refused
// from now on, and changes it authored that arrive relayed are held for
// review. The record stays, so what it sent before remains attributable.
func (s *Store) RevokePeer(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE peers SET revoked_at = ? WHERE name = ? AND revoked_at = ''`,
		s.Now().UTC().Format(time.RFC3339), name)
	if err != nil {
		return data.Op("peers", "revoke", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var revoked string
		if err := s.db.QueryRowContext(ctx, `SELECT revoked_at FROM peers WHERE name = ?`, name).Scan(&revoked); err == nil {
			return data.Op("peers", "revoke", data.Invalid("name", "%s was already revoked on %s", name, revoked))
		}
		return data.Op("peers", fmt.Sprintf("revoke %s", data.Clip(name)), data.ErrNotFound)
	}
	return nil
}

var peerNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)
