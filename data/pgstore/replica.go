package pgstore

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Vector returns what the hub holds: per site, the highest seq below
// which it holds every seq. The hub authors no changes.
func (s *Store) Vector(ctx context.Context) (data.Vector, error) {
	return vector(ctx, s.pool)
}

func vector(ctx context.Context, q querier) (data.Vector, error) {
	rows, err := q.Query(ctx, `SELECT site_id, held FROM sites WHERE held > 0`)
	if err != nil {
		return nil, fmt.Errorf("vector: %w", err)
	}
	defer rows.Close()
	v := data.Vector{}
	for rows.Next() {
		var site []byte
		var held int64
		if err := rows.Scan(&site, &held); err != nil {
			return nil, err
		}
		v[siteOf(site)] = held
	}
	return v, rows.Err()
}

// PeerHolds returns what a peer last told the hub it holds.
func (s *Store) PeerHolds(ctx context.Context, peer data.SiteID) (data.Vector, error) {
	return peerHolds(ctx, s.pool, peer)
}

func peerHolds(ctx context.Context, q querier, peer data.SiteID) (data.Vector, error) {
	rows, err := q.Query(ctx, `SELECT site, seq FROM peer_holds WHERE peer = $1`, peer[:])
	if err != nil {
		return nil, fmt.Errorf("peer vector: %w", err)
	}
	defer rows.Close()
	v := data.Vector{}
	for rows.Next() {
		var site []byte
		var seq int64
		if err := rows.Scan(&site, &seq); err != nil {
			return nil, err
		}
		v[siteOf(site)] = seq
	}
	return v, rows.Err()
}

// RecordAck notes that a peer holds at least v.
func (s *Store) RecordAck(ctx context.Context, peer data.SiteID, v data.Vector) error {
	return s.tx(ctx, func(tx pgx.Tx) error { return s.recordAck(ctx, tx, peer, v) })
}

func (s *Store) recordAck(ctx context.Context, tx pgx.Tx, peer data.SiteID, v data.Vector) error {
	dev, err := s.Device()
	if err != nil {
		return err
	}
	if claimed := v[dev.Site]; claimed > 0 {
		// The hub authors no changes: a peer claiming some of them holds
		// another history of this identity.
		return data.RefusedBecause(data.ErrCloned, "%s holds changes %d-%d of this device (%s), which it never made: this device's identity is in use on another laptop too (its store was copied, or put back from a backup file by hand). "+
			"Nothing was recorded; one of the two must be restored as a new device", peer.ShortCode(), 1, claimed, dev.Site.ShortCode())
	}
	// One statement for the whole vector: a device's vector names every
	// site it has heard of, hundreds in a large organisation.
	sites, seqs := make([][]byte, 0, len(v)), make([]int64, 0, len(v))
	for _, site := range v.Sites() {
		sites, seqs = append(sites, site[:]), append(seqs, v[site])
	}
	if _, err := tx.Exec(ctx, `INSERT INTO peer_holds (peer, site, seq) SELECT $1, * FROM unnest($2::bytea[], $3::bigint[])
		ON CONFLICT (peer, site) DO UPDATE SET seq = greatest(peer_holds.seq, excluded.seq)`, peer[:], sites, seqs); err != nil {
		return fmt.Errorf("record what %s holds: %w", peer.ShortCode(), err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO peer_sync (peer, acked_at) VALUES ($1, $2)
		ON CONFLICT (peer) DO UPDATE SET acked_at = excluded.acked_at`, peer[:], s.Now().UTC().Format(time.RFC3339))
	return err
}

// ResetAck notes that a peer holds exactly v, as it has just signed.
func (s *Store) ResetAck(ctx context.Context, peer data.SiteID, v data.Vector) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		recorded, err := peerHolds(ctx, tx, peer)
		if err != nil {
			return err
		}
		for site, seq := range recorded {
			if v[site] >= seq {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE peer_holds SET seq = $1 WHERE peer = $2 AND site = $3`, v[site], peer[:], site[:]); err != nil {
				return fmt.Errorf("record what %s holds: %w", peer.ShortCode(), err)
			}
		}
		return s.recordAck(ctx, tx, peer, v)
	})
}

// BundleSeen reports whether a bundle of sender's was imported or
// answered here before.
func (s *Store) BundleSeen(ctx context.Context, sender data.SiteID, bundle string) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM bundles_seen WHERE sender = $1 AND bundle_id = $2`, sender[:], bundle).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("bundles seen: %w", err)
	}
	return n > 0, nil
}

// RememberBundle notes a bundle answered without being imported.
func (s *Store) RememberBundle(ctx context.Context, sender data.SiteID, bundle string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO bundles_seen (sender, bundle_id, imported_at, applied) VALUES ($1, $2, $3, 0)
		ON CONFLICT DO NOTHING`, sender[:], bundle, s.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("remember bundle %s: %w", bundle, err)
	}
	return nil
}

// RecordSent notes when a sync last went to a peer.
func (s *Store) RecordSent(ctx context.Context, peer data.SiteID) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO peer_sync (peer, sent_at) VALUES ($1, $2)
		ON CONFLICT (peer) DO UPDATE SET sent_at = excluded.sent_at`, peer[:], s.Now().UTC().Format(time.RFC3339))
	return err
}

// Outgoing collects every change the hub holds that a replica holding
// have lacks (OutgoingPage without a bound).
func (s *Store) Outgoing(ctx context.Context, have data.Vector) (*data.Batch, error) {
	return s.OutgoingPage(ctx, have, 0)
}

// OutgoingPage is the first page of what a replica holding have lacks, as
// replication.Replica says: at most limit changes (0: no bound), in site
// and seq order, each site's from just after have[site]; every commit
// covering one of them, whole; the author of each site in the page. One
// snapshot per page, so pages read while other hub processes write are
// each consistent.
func (s *Store) OutgoingPage(ctx context.Context, have data.Vector, limit int) (*data.Batch, error) {
	b := &data.Batch{}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		mine, err := vector(ctx, tx)
		if err != nil {
			return err
		}
		for _, site := range mine.Sites() {
			from := have[site]
			if mine[site] <= from {
				continue
			}
			left := 0
			if limit > 0 {
				if left = limit - len(b.Changes); left <= 0 {
					break
				}
			}
			if err := outgoingOf(ctx, tx, site, from, mine[site], left, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("collect changes to send: %w", err)
	}
	return b, nil
}

// outgoingOf adds site's changes after seq from up to to, at most limit
// of them (0: all), and the commits covering them.
func outgoingOf(ctx context.Context, q querier, site data.SiteID, from, to int64, limit int, b *data.Batch) error {
	a := data.Author{Site: site}
	var pub []byte
	if err := q.QueryRow(ctx, `SELECT public_key, officer FROM sites WHERE site_id = $1`, site[:]).Scan(&pub, &a.Officer); err != nil {
		return err
	}
	a.PublicKey = pub
	b.Authors = append(b.Authors, a)
	var lim *int // NULL: LIMIT ALL
	if limit > 0 {
		lim = &limit
	}
	rows, err := q.Query(ctx, `SELECT seq, hlc, tbl, row_id, fields, parents, schema FROM changes
		WHERE site_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`, site[:], from, to, lim)
	if err != nil {
		return err
	}
	first := len(b.Changes)
	for rows.Next() {
		var seq, hlc int64
		var schema int32
		c := data.RawChange{}
		if err := rows.Scan(&seq, &hlc, &c.Table, &c.RowID, &c.Fields, &c.Parents, &schema); err != nil {
			rows.Close()
			return err
		}
		c.ID, c.HLC, c.Schema = data.ChangeID{Site: site, Seq: seq}, data.HLC(hlc), int(schema)
		b.Changes = append(b.Changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(b.Changes) == first {
		return nil
	}
	from, to = b.Changes[first].ID.Seq-1, b.Changes[len(b.Changes)-1].ID.Seq
	rows, err = q.Query(ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits
		WHERE site_id = $1 AND last_seq > $2 AND first_seq <= $3 ORDER BY first_seq`, site[:], from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := data.Commit{Site: site}
		if err := rows.Scan(&c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			return err
		}
		b.Commits = append(b.Commits, c)
	}
	return rows.Err()
}

// readTx runs fn in one read-only, repeatable-read transaction: one
// consistent snapshot while other hub processes write.
func (s *Store) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	return fn(tx)
}

// Digest is the SQLite store's digest (data/store/digest.go), byte for
// byte: SHA-256 over every commit held as (site, first, last, hashes) in
// site and seq order. Two replicas holding the same changes have equal
// digests whichever store keeps them.
func (s *Store) Digest(ctx context.Context) (string, error) {
	h := sha256.New()
	h.Write([]byte("liaisondesk-digest-v1\x00"))
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT site_id, first_seq, last_seq, hashes FROM commits ORDER BY site_id, first_seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var n [8]byte
		for rows.Next() {
			var site, hashes []byte
			var first, last int64
			if err := rows.Scan(&site, &first, &last, &hashes); err != nil {
				return err
			}
			h.Write(site)
			binary.BigEndian.PutUint64(n[:], uint64(first))
			h.Write(n[:])
			binary.BigEndian.PutUint64(n[:], uint64(last))
			h.Write(n[:])
			h.Write(hashes)
		}
		return rows.Err()
	})
	if err != nil {
		return "", data.Op("digest", "", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var errNoRows = pgx.ErrNoRows

func noRows(err error) bool { return errors.Is(err, errNoRows) }
