package data

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Vector says what a replica holds: per site, the highest seq such that
// every lower seq of that site is held too (docs/ARCHITECTURE.md §4.1), or was
// discarded here from review as the author's only version of it
// (DiscardQuarantine): such a gap never fills. A site it has nothing of
// is absent.
type Vector map[SiteID]int64

// Covers reports whether v holds everything o holds.
func (v Vector) Covers(o Vector) bool {
	for site, seq := range o {
		if v[site] < seq {
			return false
		}
	}
	return true
}

// Merge raises v to hold at least what o holds.
func (v Vector) Merge(o Vector) {
	for site, seq := range o {
		if seq > v[site] {
			v[site] = seq
		}
	}
}

// Lacks counts the changes v holds that o does not.
func (v Vector) Lacks(o Vector) int64 {
	var n int64
	for site, seq := range v {
		if d := seq - o[site]; d > 0 {
			n += d
		}
	}
	return n
}

// Sites lists the vector's sites in byte order, so encodings are stable.
func (v Vector) Sites() []SiteID {
	out := slices.Collect(maps.Keys(v))
	slices.SortFunc(out, func(a, b SiteID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

func (v Vector) String() string {
	var b strings.Builder
	for i, s := range v.Sites() {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s:%d", s.ShortCode(), v[s])
	}
	return b.String()
}

// RawChange is a change as stored and carried: fields and parents in the
// exact bytes that were hashed and signed, so it can be verified anywhere
// and relayed byte for byte.
type RawChange struct {
	ID      ChangeID
	HLC     HLC
	Table   string
	RowID   string
	Fields  []byte // canonical JSON object
	Parents []byte // canonical JSON object, or empty
	Schema  int
}

// Hash is the change's SHA-256, as its commit signs it.
func (c *RawChange) Hash() [32]byte {
	ch := Change{ID: c.ID, HLC: c.HLC, Table: c.Table, RowID: c.RowID, Schema: c.Schema}
	return ch.Hash(c.Fields, c.Parents)
}

// Commit is a signed group of one site's consecutive changes (one save or
// one batch): the signature covers the hash of each change in seq order.
type Commit struct {
	Site      SiteID
	FirstSeq  int64
	LastSeq   int64
	Hashes    []byte // 32 bytes per change, FirstSeq..LastSeq
	Signature []byte
}

// verifySignature is ed25519.Verify that reports a key of the wrong size
// as a failure instead of panicking.
func verifySignature(pub, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}

// Verify checks the commit's signature with its author's key.
func (c *Commit) Verify(pub []byte) bool {
	if len(pub) != 32 || len(c.Signature) != 64 || int64(len(c.Hashes)) != 32*(c.LastSeq-c.FirstSeq+1) {
		return false
	}
	return verifySignature(pub, commitMessage(c.Site, c.FirstSeq, c.LastSeq, c.Hashes), c.Signature)
}

// Author is what a sender knows of a site whose changes it relays: its key
// and officer, so a change held for review can still be checked.
type Author struct {
	Site      SiteID
	PublicKey []byte
	Officer   string
}

// Batch is what travels: commits and the changes of them the recipient
// lacks (the tail of a commit whose head it already holds), and the keys
// of their authors as the sender knows them.
type Batch struct {
	Commits []Commit
	Changes []RawChange
	Authors []Author
}

// Vector returns what this replica holds.
func (s *Store) Vector(ctx context.Context) (Vector, error) {
	return s.vector(ctx, s.rdb)
}

func (s *Store) vector(ctx context.Context, q querier) (Vector, error) {
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	v := Vector{}
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
		var id SiteID
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
func (s *Store) PeerHolds(ctx context.Context, peer SiteID) (Vector, error) {
	return s.peerHolds(ctx, s.rdb, peer)
}

func (s *Store) peerHolds(ctx context.Context, q querier, peer SiteID) (Vector, error) {
	rows, err := q.QueryContext(ctx, `SELECT site, seq FROM peer_holds WHERE peer = ?`, peer[:])
	if err != nil {
		return nil, fmt.Errorf("peer vector: %w", err)
	}
	defer rows.Close()
	v := Vector{}
	for rows.Next() {
		var site []byte
		var seq int64
		if err := rows.Scan(&site, &seq); err != nil {
			return nil, err
		}
		var id SiteID
		copy(id[:], site)
		v[id] = seq
	}
	return v, rows.Err()
}

// RecordAck notes that a peer holds at least v (from a receipt or a hub's
// reply), so the next bundle to it leaves that out.
func (s *Store) RecordAck(ctx context.Context, peer SiteID, v Vector) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.recordAck(ctx, tx, peer, v) })
}

func (s *Store) recordAck(ctx context.Context, tx *sql.Tx, peer SiteID, v Vector) error {
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
			return refused("%s holds changes %d-%d of this device (%s), which it never made: this device's identity is in use on another laptop too (its store was copied, or put back from a backup file by hand). "+
				"Nothing was recorded; one of the two must be restored as a new device ('liaisondesk restore' gives it a new identity)", peer.ShortCode(), mine[dev.Site]+1, claimed, dev.Site.ShortCode())
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
func (s *Store) ResetAck(ctx context.Context, peer SiteID, v Vector) error {
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
func (s *Store) BundleSeen(ctx context.Context, sender SiteID, bundle string) (bool, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM bundles_seen WHERE sender = ? AND bundle_id = ?`, sender[:], bundle).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("bundles seen: %w", err)
	}
	return n > 0, nil
}

// RememberBundle notes a bundle answered without being imported (a hub's
// refusal of a push it could not take), so a replay of it is known as one.
func (s *Store) RememberBundle(ctx context.Context, sender SiteID, bundle string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO bundles_seen (sender, bundle_id, imported_at, applied) VALUES (?, ?, ?, 0)`,
		sender[:], bundle, s.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("remember bundle %s: %w", bundle, err)
	}
	return nil
}

// RecordSent notes when a bundle or a sync last went to a peer.
func (s *Store) RecordSent(ctx context.Context, peer SiteID) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO peer_sync (peer, sent_at) VALUES (?, ?)
		ON CONFLICT (peer) DO UPDATE SET sent_at = excluded.sent_at`, peer[:], s.Now().UTC().Format(time.RFC3339))
	return err
}

// Outgoing collects every change this replica holds that a replica
// holding `have` lacks, with their commits and authors, in site and seq
// order.
func (s *Store) Outgoing(ctx context.Context, have Vector) (*Batch, error) {
	b := &Batch{}
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
			if err := s.outgoingOf(ctx, q, site, from, mine[site], b); err != nil {
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

// outgoingOf adds site's changes after seq `from` up to `to`.
func (s *Store) outgoingOf(ctx context.Context, q querier, site SiteID, from, to int64, b *Batch) error {
	var no int64
	var pub []byte
	var officer string
	if err := q.QueryRowContext(ctx, `SELECT no, public_key, officer FROM sites WHERE site_id = ?`, site[:]).Scan(&no, &pub, &officer); err != nil {
		return err
	}
	b.Authors = append(b.Authors, Author{Site: site, PublicKey: pub, Officer: officer})
	rows, err := q.QueryContext(ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits
		WHERE site = ? AND last_seq > ? AND first_seq <= ? ORDER BY first_seq`, no, from, to)
	if err != nil {
		return err
	}
	for rows.Next() {
		c := Commit{Site: site}
		if err := rows.Scan(&c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			rows.Close()
			return err
		}
		b.Commits = append(b.Commits, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, hlc, tbl, row_id, fields, parents, schema FROM changes
		WHERE id > ? AND id <= ? ORDER BY id`, packID(no, from), packID(no, to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, hlc int64
		c := RawChange{}
		if err := rows.Scan(&id, &hlc, &c.Table, &c.RowID, &c.Fields, &c.Parents, &c.Schema); err != nil {
			return err
		}
		_, seq := unpackID(id)
		c.ID, c.HLC = ChangeID{site, seq}, HLC(hlc)
		b.Changes = append(b.Changes, c)
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

// PeerStatus is what the Sync screen shows of a peer.
type PeerStatus struct {
	Peer
	Holds   Vector `json:"-"`
	AckedAt string `json:"acked_at,omitempty"`
	SentAt  string `json:"sent_at,omitempty"`
	Unsent  int64  `json:"unsent"` // changes we hold that it has not acknowledged
}

// PeerStatuses lists every peer with what it last acknowledged and how
// many of our changes it lacks.
func (s *Store) PeerStatuses(ctx context.Context) ([]PeerStatus, error) {
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	mine, err := s.Vector(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PeerStatus, 0, len(peers))
	for _, p := range peers {
		ps := PeerStatus{Peer: p}
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
