package store

// Key rotation (docs/ARCHITECTURE.md §4.4, migration 018): this device
// replaces its keys with a statement signed by the old one; a receiver
// that holds the old key takes the statement from any bundle or hub sync
// and from then on verifies the site's commits with the key valid at each
// commit's first seq.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"filippo.io/age"

	"liaisondesk/data"
)

// loadKeyHistories reads every site's rotations.
func loadKeyHistories(ctx context.Context, q querier) (map[data.SiteID]data.KeyHistory, error) {
	rows, err := q.QueryContext(ctx, `SELECT site_id, from_seq, old_key, new_key, age FROM site_keys ORDER BY site_id, from_seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[data.SiteID]data.KeyHistory{}
	for rows.Next() {
		var site, old, new []byte
		var from int64
		var ageRecipient string
		if err := rows.Scan(&site, &from, &old, &new, &ageRecipient); err != nil {
			return nil, err
		}
		var id data.SiteID
		copy(id[:], site)
		h := out[id]
		h.Add(old, new, from, ageRecipient)
		out[id] = h
	}
	return out, rows.Err()
}

// RotateResult is what identity rotate did.
type RotateResult struct {
	Statement data.RotationStatement
	Identity  data.Identity // the new identity line, for HQ to certify again
}

// Rotate gives this device a new signing key and age key. The site id
// stays, so its seqs continue; the statement, signed by the old key,
// travels in every bundle and hub sync from now on. Changes signed before
// stay valid: they verify with the old key.
func (s *Store) Rotate(ctx context.Context) (RotateResult, error) {
	dev, err := s.Device()
	if err != nil {
		return RotateResult{}, err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return RotateResult{}, err
	}
	ageID, err := age.GenerateX25519Identity()
	if err != nil {
		return RotateResult{}, err
	}
	// A store with a passphrase keeps the new keys sealed like the old
	// (docs/ARCHITECTURE.md §11): it must be unlocked to rotate.
	var sealedKeys, storeKey []byte
	if s.HasPassphrase() {
		key, err := s.storeKey()
		if err != nil {
			return RotateResult{}, fmt.Errorf("identity rotate: %w", err)
		}
		storeKey = bytes.Clone(key)
		if sealedKeys, err = sealDeviceKeys(storeKey, priv, ageID); err != nil {
			return RotateResult{}, fmt.Errorf("identity rotate: %w", err)
		}
	}
	var st data.RotationStatement
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM changes WHERE id > ? AND id < ?`,
			packID(dev.SiteNo, 0), packID(dev.SiteNo+1, 0)).Scan(&last); err != nil {
			return err
		}
		_, seq := unpackID(last)
		if last == 0 {
			seq = 0
		}
		r := data.Rotation{Site: dev.Site.String(), OldKey: fmt.Sprintf("%x", []byte(dev.PublicKey())), NewKey: fmt.Sprintf("%x", []byte(pub)),
			Age: ageID.Recipient().String(), FromSeq: seq + 1, Issued: s.Now().UTC().Format(time.RFC3339Nano)}
		if st, err = data.SignRotation(dev.PrivateKey, r); err != nil {
			return err
		}
		if err := insertRotation(ctx, tx, &st, s.Now()); err != nil {
			return err
		}
		if sealedKeys != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE device SET sealed_keys = ?, age_recipient = ?`, sealedKeys, ageID.Recipient().String()); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE device SET private_key = ?, age_identity = ?`, priv.Seed(), ageID.String()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE sites SET public_key = ? WHERE no = ?`, []byte(pub), dev.SiteNo)
		return err
	})
	if err != nil {
		return RotateResult{}, fmt.Errorf("identity rotate: %w", err)
	}
	if sealedKeys != nil {
		s.setKeys(&keyring{storeKey: storeKey, sign: priv, age: ageID})
	}
	if err := s.loadDevice(ctx); err != nil {
		return RotateResult{}, fmt.Errorf("identity rotate: %w", err)
	}
	id, err := s.Identity(ctx)
	if err != nil {
		return RotateResult{}, fmt.Errorf("identity rotate: %w", err)
	}
	return RotateResult{Statement: st, Identity: id}, nil
}

func insertRotation(ctx context.Context, q querier, st *data.RotationStatement, now time.Time) error {
	site := st.SiteID()
	old, new := st.Keys()
	_, err := q.ExecContext(ctx, `INSERT INTO site_keys (site_id, from_seq, old_key, new_key, age, line, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		site[:], st.R.FromSeq, []byte(old), []byte(new), st.R.Age, st.String(), st.Hash(), now.UTC().Format(time.RFC3339))
	return err
}

// RotationLines returns every rotation statement this store holds, its
// own and other devices': what its bundles carry, so a rotation travels
// through any number of hops.
func (s *Store) RotationLines(ctx context.Context) ([]string, error) {
	return readColumn[string](ctx, s.rdb, `SELECT line FROM site_keys ORDER BY site_id, from_seq`)
}

// RotatedKey follows the rotation statements a sender carried from key,
// the key this store holds for it: the key its header is signed with
// now (data.FollowRotations).
func (s *Store) RotatedKey(ctx context.Context, sender data.SiteID, key []byte, lines []string) []byte {
	return data.FollowRotations(sender, key, lines)
}

// AcceptRotation takes one rotation statement given by hand (tests, and a
// statement carried outside a sync): the same checks as an import's.
func (s *Store) AcceptRotation(ctx context.Context, line string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.takeRotations(ctx, tx, []string{line}) })
}

// takeRotations stores the rotation statements a sender carried, inside
// its import, before anything is judged. Each must continue the key
// history held here for its site: signed by the site's current key and
// newer than the last rotation known. One that does not is refused, and
// nothing is imported. A statement for a site whose key this store does
// not know cannot be checked: it is left, and comes again with the next
// sync.
func (s *Store) takeRotations(ctx context.Context, tx *sql.Tx, lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	sts, err := data.ParseRotations(lines) // in seq order: a chain carried at once applies in turn
	if err != nil {
		return err
	}
	for i := range sts {
		st := &sts[i]
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM site_keys WHERE hash = ?`, st.Hash()).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue // held already: every sync carries them all
		}
		hist, err := loadKeyHistories(ctx, tx)
		if err != nil {
			return err
		}
		site := st.SiteID()
		_, new := st.Keys()
		var h *data.KeyHistory
		var known [][]byte
		if got, ok := hist[site]; ok {
			h = &got
		} else if known, err = knownKeys(ctx, tx, site); err != nil {
			return err
		}
		take, err := data.CheckRotation(st, h, known)
		if err != nil {
			return err
		}
		if !take {
			continue // a device this store cannot check yet
		}
		if err := checkNothingAfter(ctx, tx, site, st); err != nil {
			return err
		}
		if err := insertRotation(ctx, tx, st, s.Now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE peers SET public_key = ?, age_recipient = ? WHERE site_id = ?`, []byte(new), st.R.Age, site[:]); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET public_key = ? WHERE site_id = ? AND public_key IS NOT NULL`, []byte(new), site[:]); err != nil {
			return err
		}
	}
	return nil
}

// knownKeys are the keys this store holds for a site with no rotation yet:
// its enrolment, the key its commits were checked with, and every key the
// organisation certified for it.
func knownKeys(ctx context.Context, q querier, site data.SiteID) ([][]byte, error) {
	var out [][]byte
	for _, query := range []string{`SELECT public_key FROM peers WHERE site_id = ?`, `SELECT public_key FROM sites WHERE site_id = ? AND length(public_key) = 32`} {
		var key []byte
		err := q.QueryRowContext(ctx, query, site[:]).Scan(&key)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if len(key) == ed25519.PublicKeySize {
			out = append(out, key)
		}
	}
	entries, err := rosterEntries(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if c, err := e.Certificate(); err == nil && c.Site == site.String() {
			if id, err := c.Identity(); err == nil {
				out = append(out, id.PublicKey)
			}
		}
	}
	return out, nil
}

// checkNothingAfter refuses a rotation from a seq this store already holds
// changes at or past: those were signed by the old key after it was
// handed over, which an honest device never does.
func checkNothingAfter(ctx context.Context, q querier, site data.SiteID, st *data.RotationStatement) error {
	var no int64
	err := q.QueryRowContext(ctx, `SELECT no FROM sites WHERE site_id = ?`, site[:]).Scan(&no)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var held int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE id >= ? AND id < ?`, packID(no, st.R.FromSeq), packID(no+1, 0)).Scan(&held); err != nil {
		return err
	}
	if held > 0 {
		return data.RotationRefusal(st, "comes after changes this store already holds from that device signed with the old key")
	}
	return nil
}

// rotatedTo says whether a certified device rotated, by statements held
// here, from its certified key to id's: then HQ certifies the new key
// under the same name (org enrol), and the site and its refs stay.
func rotatedTo(h data.KeyHistory, c data.Certificate, id data.Identity) bool {
	if len(h.Spans) == 0 || !bytes.Equal(h.Latest(), id.PublicKey) {
		return false
	}
	certified, _ := c.Identity()
	return h.Holds(certified.PublicKey)
}

// rotatedIdentity is id with the keys a rotated device holds now, when its
// key history here continues from id's key.
func rotatedIdentity(hist map[data.SiteID]data.KeyHistory, id data.Identity) data.Identity {
	if h, ok := hist[id.Site]; ok && h.Holds(id.PublicKey) {
		id.PublicKey, id.AgeRecipient = h.Latest(), h.Age
	}
	return id
}

// latestKey sets *key to a rotated site's current key: the key a relayed
// author is named with, which its statements lead to.
func latestKey(ctx context.Context, q querier, site data.SiteID, key *[]byte) error {
	var k []byte
	err := q.QueryRowContext(ctx, `SELECT new_key FROM site_keys WHERE site_id = ? ORDER BY from_seq DESC LIMIT 1`, site[:]).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		*key = k
	}
	return err
}

// settleRotatedKeys makes each rotated site's key in sites its current
// one: a site first met in the same import as its rotation was written
// with the key of its first commit.
func settleRotatedKeys(ctx context.Context, q querier) error {
	_, err := q.ExecContext(ctx, `UPDATE sites SET public_key = (SELECT k.new_key FROM site_keys k WHERE k.site_id = sites.site_id ORDER BY k.from_seq DESC LIMIT 1)
		WHERE length(public_key) = 32 AND site_id IN (SELECT site_id FROM site_keys)`)
	return err
}
