package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liaisondesk/data"
)

// Vector returns what this replica holds.
func (s *Store) Vector(ctx context.Context) (data.Vector, error) {
	return s.vector(ctx, s.rdb)
}

func (s *Store) vector(ctx context.Context, q querier) (data.Vector, error) {
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	v := data.Vector{}
	rows, err := q.QueryContext(ctx, `SELECT site_id, held FROM sites WHERE held > 0`)
	if err != nil {
		return nil, fmt.Errorf("vector: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var site []byte
		var held int64
		if err := rows.Scan(&site, &held); err != nil {
			return nil, err
		}
		var id data.SiteID
		copy(id[:], site)
		v[id] = held
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// This device's own changes are always contiguous: its last seq.
	var last sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(id) FROM changes WHERE id > ? AND id < ?`,
		packID(dev.SiteNo, 0), packID(dev.SiteNo+1, 0)).Scan(&last); err != nil {
		return nil, fmt.Errorf("vector: %w", err)
	}
	if last.Valid {
		_, v[dev.Site] = unpackID(last.Int64)
	} else {
		delete(v, dev.Site)
	}
	return v, nil
}

// PeerHolds returns what a peer last told us it holds (empty when it never
// did).
func (s *Store) PeerHolds(ctx context.Context, peer data.SiteID) (data.Vector, error) {
	return s.peerHolds(ctx, s.rdb, peer)
}

func (s *Store) peerHolds(ctx context.Context, q querier, peer data.SiteID) (data.Vector, error) {
	rows, err := q.QueryContext(ctx, `SELECT site, seq FROM peer_holds WHERE peer = ?`, peer[:])
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
		var id data.SiteID
		copy(id[:], site)
		v[id] = seq
	}
	return v, rows.Err()
}

// RecordAck notes that a peer holds at least v (from a receipt or a hub's
// reply), so the next bundle to it leaves that out.
func (s *Store) RecordAck(ctx context.Context, peer data.SiteID, v data.Vector) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.recordAck(ctx, tx, peer, v) })
}

func (s *Store) recordAck(ctx context.Context, tx *sql.Tx, peer data.SiteID, v data.Vector) error {
	dev, err := s.Device()
	if err != nil {
		return err
	}
	if claimed := v[dev.Site]; claimed > 0 {
		// Taken as it is, this would stop our own later changes from ever
		// going to the peer, which would believe it has them.
		mine, err := s.vector(ctx, tx)
		if err != nil {
			return err
		}
		if claimed > mine[dev.Site] {
			return data.RefusedBecause(data.ErrCloned, "%s holds changes %d-%d of this device (%s), which it never made: this device's identity is in use on another laptop too (its store was copied, or put back from a backup file by hand). "+
				"Nothing was recorded; one of the two must be restored as a new device", peer.ShortCode(), mine[dev.Site]+1, claimed, dev.Site.ShortCode())
		}
	}
	for _, site := range v.Sites() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO peer_holds (peer, site, seq) VALUES (?, ?, ?)
			ON CONFLICT (peer, site) DO UPDATE SET seq = max(seq, excluded.seq)`, peer[:], site[:], v[site]); err != nil {
			return fmt.Errorf("record what %s holds: %w", peer.ShortCode(), err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO peer_sync (peer, acked_at) VALUES (?, ?)
		ON CONFLICT (peer) DO UPDATE SET acked_at = excluded.acked_at`, peer[:], s.Now().UTC().Format(time.RFC3339))
	return err
}

// ResetAck notes that a peer holds exactly v, as it has just signed:
// what was recorded higher than v is lowered, so the next bundle to it
// carries those changes again. A peer that holds less than it once
// acknowledged lost them (a hub put back from an older copy of its store).
func (s *Store) ResetAck(ctx context.Context, peer data.SiteID, v data.Vector) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		recorded, err := s.peerHolds(ctx, tx, peer)
		if err != nil {
			return err
		}
		for site, seq := range recorded {
			if v[site] >= seq {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE peer_holds SET seq = ? WHERE peer = ? AND site = ?`, v[site], peer[:], site[:]); err != nil {
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
	err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM bundles_seen WHERE sender = ? AND bundle_id = ?`, sender[:], bundle).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("bundles seen: %w", err)
	}
	return n > 0, nil
}

// RememberBundle notes a bundle answered without being imported (a hub's
// refusal of a push it could not take), so a replay of it is known as one.
func (s *Store) RememberBundle(ctx context.Context, sender data.SiteID, bundle string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO bundles_seen (sender, bundle_id, imported_at, applied) VALUES (?, ?, ?, 0)`,
		sender[:], bundle, s.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("remember bundle %s: %w", bundle, err)
	}
	return nil
}

// RecordSent notes when a bundle or a sync last went to a peer.
func (s *Store) RecordSent(ctx context.Context, peer data.SiteID) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO peer_sync (peer, sent_at) VALUES (?, ?)
		ON CONFLICT (peer) DO UPDATE SET sent_at = excluded.sent_at`, peer[:], s.Now().UTC().Format(time.RFC3339))
	return err
}

// Outgoing collects every change this replica holds that a replica
// holding `have` lacks, with their commits and authors, in site and seq
// order, in one batch (tests and small transfers; sync pages through
// OutgoingPage).
func (s *Store) Outgoing(ctx context.Context, have data.Vector) (*data.Batch, error) {
	return s.OutgoingPage(ctx, have, 0)
}

// OutgoingPage is the first page of what a replica holding `have` lacks:
// at most limit changes (0: no bound), in site order and, within a site,
// in seq order, each site's starting just after have[site] and running
// without a gap; every commit that covers one of them, whole (a commit
// cut by the page's end comes again with the next page); the author of
// each site in the page. Merging the page's highest seq per site into
// have gives the next page; an empty page is the end. Each page is read
// in one read transaction.
func (s *Store) OutgoingPage(ctx context.Context, have data.Vector, limit int) (*data.Batch, error) {
	b := &data.Batch{}
	err := s.readTx(ctx, func(q querier) error {
		mine, err := s.vector(ctx, q)
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
			if err := s.outgoingOf(ctx, q, site, from, mine[site], left, b); err != nil {
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

// outgoingOf adds site's changes after seq `from` up to `to`, at most
// limit of them (0: all), and the commits covering them.
func (s *Store) outgoingOf(ctx context.Context, q querier, site data.SiteID, from, to int64, limit int, b *data.Batch) error {
	var no int64
	var pub []byte
	var officer string
	if err := q.QueryRowContext(ctx, `SELECT no, public_key, officer FROM sites WHERE site_id = ?`, site[:]).Scan(&no, &pub, &officer); err != nil {
		return err
	}
	if err := latestKey(ctx, q, site, &pub); err != nil {
		return err
	}
	b.Authors = append(b.Authors, data.Author{Site: site, PublicKey: pub, Officer: officer})
	// The changes first, by id (discarded seqs leave gaps), then the
	// commits covering them.
	lim := -1
	if limit > 0 {
		lim = limit
	}
	rows, err := q.QueryContext(ctx, `SELECT id, hlc, tbl, row_id, fields, parents, schema FROM changes
		WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, packID(no, from), packID(no, to), lim)
	if err != nil {
		return err
	}
	first := len(b.Changes)
	for rows.Next() {
		var id, hlc int64
		c := data.RawChange{}
		if err := rows.Scan(&id, &hlc, &c.Table, &c.RowID, &c.Fields, &c.Parents, &c.Schema); err != nil {
			rows.Close()
			return err
		}
		_, seq := unpackID(id)
		c.ID, c.HLC = data.ChangeID{Site: site, Seq: seq}, data.HLC(hlc)
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
	rows, err = q.QueryContext(ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits
		WHERE site = ? AND last_seq > ? AND first_seq <= ? ORDER BY first_seq`, no, from, to)
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

// readTx runs fn in one read transaction, so what it reads is one
// consistent state of the store.
func (s *Store) readTx(ctx context.Context, fn func(q querier) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// PeerStatuses lists every peer with what it last acknowledged and how
// many of our changes it lacks.
func (s *Store) PeerStatuses(ctx context.Context) ([]data.PeerStatus, error) {
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	mine, err := s.Vector(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]data.PeerStatus, 0, len(peers))
	for _, p := range peers {
		ps := data.PeerStatus{Peer: p}
		if ps.Holds, err = s.PeerHolds(ctx, p.Identity.Site); err != nil {
			return nil, err
		}
		err := s.rdb.QueryRowContext(ctx, `SELECT acked_at, sent_at FROM peer_sync WHERE peer = ?`, p.Identity.Site[:]).Scan(&ps.AckedAt, &ps.SentAt)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		ps.Unsent = mine.Lacks(ps.Holds)
		out = append(out, ps)
	}
	return out, nil
}

// OneWriter says the store applies one import at a time (SQLite has one
// writer): a hub on it lets only a few syncs in at once (data/replication).
func (s *Store) OneWriter() bool { return true }
