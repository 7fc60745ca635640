package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"liaisondesk/data"
)

// Init creates this store's device identity (site id and ed25519 key pair)
// and seeds the default postings and classification list under their fixed
// ids. A second init is refused.
func (s *Store) Init(ctx context.Context, o data.Officer) error {
	if s.Initialised() {
		return data.Op("init", "", data.Invalid("store", "%s is already initialised (officer %s); a store has one identity", s.path, s.dev.Officer))
	}
	if err := s.CheckWorking(); err != nil {
		return data.Op("init", "", data.InvalidBecause(err, "store", "%v", err))
	}
	if err := o.Validate(s.knownPostings(ctx)); err != nil {
		return data.Op("init", "", err)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		dev, err := s.newIdentity(ctx, tx, o)
		if err != nil {
			return err
		}
		return s.writeTx(ctx, tx, dev, seed)
	})
	if err != nil {
		return data.Op("init", "", err)
	}
	if err := s.loadDevice(ctx); err != nil {
		return data.Op("init", "", err)
	}
	return nil
}

// knownPostings are the defaults plus any already in the store. Best
// effort by design: a store it cannot read still knows the defaults.
func (s *Store) knownPostings(ctx context.Context) []data.Posting {
	out := data.BuiltinPostings()
	ids, err := readColumn[string](ctx, s.db, `SELECT id FROM postings`)
	if err != nil {
		return out
	}
	for _, id := range ids {
		out = append(out, data.Posting{ID: id})
	}
	return out
}

// newIdentity writes a fresh site id and key pair as this device.
func (s *Store) newIdentity(ctx context.Context, tx *sql.Tx, o data.Officer) (*data.Device, error) {
	var site data.SiteID
	if _, err := rand.Read(site[:]); err != nil {
		return nil, err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sites (site_id, public_key, officer) VALUES (?, ?, ?)`, site[:], []byte(pub), o.Name)
	if err != nil {
		return nil, err
	}
	no, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	// The clock carries on from the highest reading in the log, so a
	// restored store never issues a reading older than what it holds.
	var MaxHLC sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(hlc) FROM changes`).Scan(&MaxHLC); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM device`); err != nil {
		return nil, err
	}
	dev := &data.Device{SiteNo: no, Site: site, PrivateKey: priv, Officer: o.Name, Rank: o.Rank, Posting: o.Posting,
		CreatedAt: s.Now().UTC().Format(time.RFC3339)}
	_, err = tx.ExecContext(ctx, `INSERT INTO device (one, site_no, private_key, officer, rank, posting, hlc, created_at)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?)`, no, priv.Seed(), o.Name, o.Rank, o.Posting, MaxHLC.Int64, dev.CreatedAt)
	return dev, err
}

// seed adds the default postings and classifications that are missing.
func seed(w *writer) error {
	{
		r, err := w.refs()
		if err != nil {
			return err
		}
		postings := data.DefaultPostings()
		if w.dev.Posting == data.HQPostingID {
			postings = append(postings, data.HQPosting())
		}
		for _, p := range postings {
			if !r.postings[p.ID] {
				if _, err := w.add(&p, r); err != nil {
					return err
				}
			}
		}
		for _, c := range data.DefaultClassifications() {
			if !r.levels[c.ID] {
				if _, err := w.add(&c, r); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// Postings lists the postings, by code.
func (s *Store) Postings(ctx context.Context) ([]data.Posting, error) {
	var out []data.Posting
	err := s.each(ctx, postingsTable, "ORDER BY id", nil, func(b []byte) error {
		var p data.Posting
		err := json.Unmarshal(b, &p)
		out = append(out, p)
		return err
	})
	return out, err
}

// UpdateOfficer changes this device's officer profile (name, rank,
// posting). It is local to the device, not a synced record; changes made
// from now on carry the new name.
func (s *Store) UpdateOfficer(ctx context.Context, o data.Officer) error {
	postings, err := s.Postings(ctx)
	if err != nil {
		return err
	}
	if err := o.Validate(postings); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	dev, err := s.Device()
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE device SET officer = ?, rank = ?, posting = ?`, o.Name, o.Rank, o.Posting); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE sites SET officer = ? WHERE no = ?`, o.Name, dev.SiteNo)
		return err
	})
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return s.loadDevice(ctx)
}
