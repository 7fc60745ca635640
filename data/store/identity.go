package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"filippo.io/age"
	"liaisondesk/data"
)

// Init creates this store's device identity (site id and ed25519 key pair)
// and seeds the default postings and classification list under their fixed
// ids. A second init is refused.
func (s *Store) Init(ctx context.Context, o data.Officer) error {
	return s.initSealed(ctx, o, nil)
}

// initSealed is Init with the keys sealed by sl (nil: in the clear).
func (s *Store) initSealed(ctx context.Context, o data.Officer, sl *sealing) error {
	if s.Initialised() {
		return data.Op("init", "", data.Invalid("store", "%s is already initialised (officer %s); a store has one identity", s.path, s.dev.Officer))
	}
	if err := s.CheckWorking(); err != nil {
		return data.Op("init", "", data.InvalidBecause(err, "store", "%v", err))
	}
	if err := o.Validate(s.knownPostings(ctx)); err != nil {
		return data.Op("init", "", err)
	}
	var keys *keyring
	err := s.tx(ctx, func(tx *sql.Tx) error {
		dev, k, err := s.newIdentity(ctx, tx, o, sl)
		if err != nil {
			return err
		}
		keys = k
		return s.writeTx(ctx, tx, dev, seed)
	})
	if err != nil {
		return data.Op("init", "", err)
	}
	s.setKeys(keys)
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

// newIdentity writes a fresh site id and key pair as this device, sealed
// by sl (keys.go) when it is not nil: then it returns them unlocked.
func (s *Store) newIdentity(ctx context.Context, tx *sql.Tx, o data.Officer, sl *sealing) (*data.Device, *keyring, error) {
	var site data.SiteID
	if _, err := rand.Read(site[:]); err != nil {
		return nil, nil, err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sites (site_id, public_key, officer) VALUES (?, ?, ?)`, site[:], []byte(pub), o.Name)
	if err != nil {
		return nil, nil, err
	}
	no, err := res.LastInsertId()
	if err != nil {
		return nil, nil, err
	}
	// The clock carries on from the highest reading in the log, so a
	// restored store never issues a reading older than what it holds.
	var maxHLC sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(hlc) FROM changes`).Scan(&maxHLC); err != nil {
		return nil, nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM device`); err != nil {
		return nil, nil, err
	}
	dev := &data.Device{SiteNo: no, Site: site, PrivateKey: priv, Public: pub, Officer: o.Name, Rank: o.Rank, Posting: o.Posting,
		CreatedAt: s.Now().UTC().Format(time.RFC3339)}
	if sl == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO device (one, site_no, private_key, officer, rank, posting, hlc, created_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?)`, no, priv.Seed(), o.Name, o.Rank, o.Posting, maxHLC.Int64, dev.CreatedAt)
		return dev, nil, err
	}
	ageID, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, nil, err
	}
	sealed, err := sealDeviceKeys(sl.storeKey, priv, ageID)
	if err != nil {
		return nil, nil, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO device (one, site_no, private_key, officer, rank, posting, hlc, created_at,
		age_recipient, key_wrap, sealed_keys) VALUES (1, ?, X'', ?, ?, ?, ?, ?, ?, ?, ?)`,
		no, o.Name, o.Rank, o.Posting, maxHLC.Int64, dev.CreatedAt, ageID.Recipient().String(), sl.wrap, sealed)
	return dev, &keyring{storeKey: sl.storeKey, sign: priv, age: ageID}, err
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
