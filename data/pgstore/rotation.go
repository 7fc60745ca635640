package pgstore

// Key rotation (docs/ARCHITECTURE.md §4.4), as the SQLite store follows it
// (data/store/rotate.go): the hub takes the signed statements every sync
// carries, each checked against the site's key history, keeps them and
// carries them all on in its replies, and verifies each commit with the
// key its author held at the commit's first seq.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// loadKeyHistories reads every site's rotations.
func loadKeyHistories(ctx context.Context, q querier) (map[data.SiteID]data.KeyHistory, error) {
	rows, err := q.Query(ctx, `SELECT site_id, from_seq, old_key, new_key, age FROM site_keys ORDER BY site_id, from_seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[data.SiteID]data.KeyHistory{}
	for rows.Next() {
		var site, old, new []byte
		var from int64
		var age string
		if err := rows.Scan(&site, &from, &old, &new, &age); err != nil {
			return nil, err
		}
		id := siteOf(site)
		h := out[id]
		h.Add(old, new, from, age)
		out[id] = h
	}
	return out, rows.Err()
}

// loadHistory adds the rotated sites' key histories to t
// (data.Trust.AddHistory).
func (t *trust) loadHistory(ctx context.Context, q querier) error {
	hist, err := loadKeyHistories(ctx, q)
	if err != nil {
		return err
	}
	t.AddHistory(hist)
	return nil
}

// takeRotations stores the rotation statements a sender carried, inside
// its import, before anything is judged, as the SQLite store does: each
// must continue the key history held for its site, signed by the site's
// current key and newer than the last rotation known, or nothing is
// imported. A statement for a site whose key the hub does not know cannot
// be checked: it is left, and comes again with the next sync.
func (s *Store) takeRotations(ctx context.Context, tx pgx.Tx, lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	sts, err := data.ParseRotations(lines)
	if err != nil {
		return err
	}
	hashes := make([][]byte, len(sts))
	for i := range sts {
		hashes[i] = sts[i].Hash()
	}
	// Which the hub holds, in one query: every sync carries them all.
	held, err := heldHashes(ctx, tx, `SELECT hash FROM site_keys WHERE hash = ANY($1)`, hashes)
	if err != nil {
		return err
	}
	for i := range sts {
		st := &sts[i]
		if held[string(hashes[i])] {
			continue
		}
		site := st.SiteID()
		// One rotation of a site at a time across hub processes: the
		// checks below read what another might be writing.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, siteLock(site)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM site_keys WHERE hash = $1`, hashes[i]).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue // taken meanwhile by another process
		}
		hist, err := loadKeyHistories(ctx, tx)
		if err != nil {
			return err
		}
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
			continue // a device the hub cannot check yet
		}
		if err := checkNothingAfter(ctx, tx, site, st); err != nil {
			return err
		}
		old, new := st.Keys()
		if _, err := tx.Exec(ctx, `INSERT INTO site_keys (site_id, from_seq, old_key, new_key, age, line, hash, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			site[:], st.R.FromSeq, []byte(old), []byte(new), st.R.Age, st.String(), hashes[i], s.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE peers SET public_key = $1, age_recipient = $2 WHERE site_id = $3`, []byte(new), st.R.Age, site[:]); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE sites SET public_key = $1 WHERE site_id = $2 AND public_key IS NOT NULL`, []byte(new), site[:]); err != nil {
			return err
		}
	}
	return nil
}

// heldHashes is the set of the given hashes a query finds.
func heldHashes(ctx context.Context, q querier, sql string, hashes [][]byte) (map[string]bool, error) {
	rows, err := q.Query(ctx, sql, hashes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out[string(h)] = true
	}
	return out, rows.Err()
}

// knownKeys are the keys the hub holds for a site with no rotation yet:
// its enrolment, the key its commits were checked with, and every key the
// organisation certified for it.
func knownKeys(ctx context.Context, q querier, site data.SiteID) ([][]byte, error) {
	var out [][]byte
	for _, query := range []string{`SELECT public_key FROM peers WHERE site_id = $1`, `SELECT public_key FROM sites WHERE site_id = $1 AND length(public_key) = 32`} {
		var key []byte
		err := q.QueryRow(ctx, query, site[:]).Scan(&key)
		if err != nil && !noRows(err) {
			return nil, err
		}
		if len(key) == 32 {
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

// checkNothingAfter refuses a rotation from a seq the hub already holds
// changes at or past: those were signed by the old key after it was
// handed over, which an honest device never does.
func checkNothingAfter(ctx context.Context, q querier, site data.SiteID, st *data.RotationStatement) error {
	var held int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM changes WHERE site_id = $1 AND seq >= $2`, site[:], st.R.FromSeq).Scan(&held); err != nil {
		return err
	}
	if held > 0 {
		return data.RotationRefusal(st, "comes after changes this store already holds from that device signed with the old key")
	}
	return nil
}

// settleRotatedKeys makes each rotated site's key in sites its current
// one: a site first met in the same import as its rotation was written
// with the key of its first commit. It is the key relayed authors are
// named with.
func settleRotatedKeys(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE sites SET public_key = k.new_key
		FROM (SELECT DISTINCT ON (site_id) site_id, new_key FROM site_keys ORDER BY site_id, from_seq DESC) k
		WHERE k.site_id = sites.site_id AND length(sites.public_key) = 32 AND sites.public_key <> k.new_key`)
	return err
}

// RotationLines returns every rotation statement the hub holds: what its
// replies carry, so a rotation travels through any number of hops.
func (s *Store) RotationLines(ctx context.Context) ([]string, error) {
	lines, err := readStrings(ctx, s.pool, `SELECT line FROM site_keys ORDER BY site_id, from_seq`)
	if err != nil {
		return nil, fmt.Errorf("rotations: %w", err)
	}
	return lines, nil
}

// RotatedKey follows the rotation statements a sender carried from key,
// the key the hub holds for it: the key its header is signed with now.
func (s *Store) RotatedKey(ctx context.Context, sender data.SiteID, key []byte, lines []string) []byte {
	return data.FollowRotations(sender, key, lines)
}

// rotatedIdentity is id with the keys a rotated device holds now, when its
// key history here continues from id's key.
func rotatedIdentity(hist map[data.SiteID]data.KeyHistory, id data.Identity) data.Identity {
	if h, ok := hist[id.Site]; ok && h.Holds(id.PublicKey) {
		id.PublicKey, id.AgeRecipient = h.Latest(), h.Age
	}
	return id
}
