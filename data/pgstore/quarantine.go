package pgstore

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// Quarantine lists what the hub holds for review, one entry per author,
// reason, claimed key and relaying peer, as the SQLite store lists it; an
// entry is a conflict when another version of some of its seqs is held
// or in the log.
func (s *Store) Quarantine(ctx context.Context) ([]data.QuarantineEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT h.author, coalesce(a.officer, max(h.author_officer)), a.site_id IS NULL, h.reason, h.detail,
			min(h.first_seq), max(h.last_seq), count(*), count(DISTINCT c.tbl || ' ' || c.row_id),
			coalesce(p.name, encode(h.sender, 'hex')), max(h.received_at), h.author_key IS NOT NULL,
			bool_or(EXISTS (SELECT 1 FROM held_commits o WHERE o.author = h.author AND o.id <> h.id AND o.first_seq <= h.last_seq AND o.last_seq >= h.first_seq
				AND (o.hashes <> h.hashes OR o.signature <> h.signature))
				OR EXISTS (SELECT 1 FROM commits k WHERE k.site_id = h.author AND k.first_seq <= h.last_seq AND k.last_seq >= h.first_seq AND k.hashes <> h.hashes))
		FROM held_commits h JOIN held_changes c ON c.held = h.id
		LEFT JOIN peers p ON p.site_id = h.sender LEFT JOIN peers a ON a.site_id = h.author
		GROUP BY h.author, a.officer, a.site_id, h.reason, h.detail, h.sender, p.name, h.author_key
		ORDER BY max(h.received_at) DESC, h.author, min(h.first_seq)`)
	if err != nil {
		return nil, data.Op("quarantine", "", err)
	}
	defer rows.Close()
	out := []data.QuarantineEntry{}
	for rows.Next() {
		var e data.QuarantineEntry
		var author []byte
		var changes, records int64
		if err := rows.Scan(&author, &e.Officer, &e.Claimed, &e.Reason, &e.Detail, &e.FirstSeq, &e.LastSeq, &changes, &records,
			&e.Sender, &e.ReceivedAt, &e.KeyKnown, &e.Conflict); err != nil {
			return nil, data.Op("quarantine", "", err)
		}
		e.Changes, e.Records = int(changes), int(records)
		site := siteOf(author)
		e.Author, e.Device = site.String(), site.ShortCode()
		if strings.TrimSpace(e.Detail) == "" {
			e.Detail = e.Reason
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// quarantinedAuthor resolves an id as typed (a site id, or a unique prefix
// of at least four hex digits) to an author held for review, as the SQLite
// store does.
func quarantinedAuthor(ctx context.Context, q querier, id string) (data.SiteID, error) {
	var site data.SiteID
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 4 || len(id) > 32 {
		return site, data.InvalidBecause(data.ErrNotAuthorID, "id", "%q is not an author id (4 to 32 hex digits)", data.Clip(id))
	}
	if strings.Trim(id, "0123456789abcdef") != "" {
		return site, data.InvalidBecause(data.ErrNotAuthorID, "id", "%q is not an author id (hex digits)", data.Clip(id))
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT author FROM held_commits WHERE encode(author, 'hex') LIKE $1 || '%'`, id)
	if err != nil {
		return site, err
	}
	authors, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return site, err
	}
	switch len(authors) {
	case 0:
		return site, fmt.Errorf("nothing held from %s: %w", id, data.ErrNotFound)
	case 1:
		return siteOf(authors[0]), nil
	}
	return site, data.Invalid("id", "%q matches %d authors: give more digits", id, len(authors))
}

// heldCommit is a held commit read back, with what the relaying peer said
// of its author.
type heldCommit struct {
	id      int64
	pc      *planned
	key     []byte
	officer string
	changes int
}

// loadHeld reads the commits held from author, in seq order, with their
// changes, each checked against its commit's hash list.
func loadHeld(ctx context.Context, q querier, author data.SiteID) ([]*heldCommit, error) {
	rows, err := q.Query(ctx, `SELECT id, first_seq, last_seq, hashes, signature, author_key, author_officer
		FROM held_commits WHERE author = $1 ORDER BY first_seq, id`, author[:])
	if err != nil {
		return nil, err
	}
	var out []*heldCommit
	for rows.Next() {
		h := &heldCommit{pc: &planned{CommitChanges: &data.CommitChanges{Commit: data.Commit{Site: author}}}}
		c := &h.pc.Commit
		if err := rows.Scan(&h.id, &c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature, &h.key, &h.officer); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, h := range out {
		if err := h.loadChanges(ctx, q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (h *heldCommit) loadChanges(ctx context.Context, q querier) error {
	rows, err := q.Query(ctx, `SELECT seq, hlc, tbl, row_id, fields, parents, schema FROM held_changes WHERE held = $1 ORDER BY seq`, h.id)
	if err != nil {
		return err
	}
	defer rows.Close()
	pc := h.pc
	for rows.Next() {
		c := &data.RawChange{ID: data.ChangeID{Site: pc.Site}}
		var hlc int64
		var schema int32
		if err := rows.Scan(&c.ID.Seq, &hlc, &c.Table, &c.RowID, &c.Fields, &c.Parents, &schema); err != nil {
			return err
		}
		c.HLC, c.Schema = data.HLC(hlc), int(schema)
		hash := c.Hash()
		at := 32 * (c.ID.Seq - pc.FirstSeq)
		if at < 0 || int(at)+32 > len(pc.Hashes) || !bytes.Equal(hash[:], pc.Hashes[at:at+32]) {
			return data.Refused("change %s held for review does not match its signed hash", c.ID)
		}
		pc.Changes = append(pc.Changes, c)
	}
	h.changes = len(pc.Changes)
	return rows.Err()
}

// ReleaseQuarantine applies what the hub holds from one author, as if it
// had come from a trusted device, whatever made it held (the operator has
// reviewed it), with the SQLite store's checks (data/store/quarantine.go):
// the signatures are checked with the author's enrolled key, else the key
// it had when revoked, else the key the hub already checked its changes
// with, else the key the relaying peers vouched for, when they agree on
// one key and one version of each change. A rotated author's commits are
// checked with the key it held at each. Commits that do not verify stay
// held, as forgeries. What is released is served to laptops from then on.
func (s *Store) ReleaseQuarantine(ctx context.Context, id string) (data.ImportResult, error) {
	var res data.ImportResult
	err := s.tx(ctx, func(tx pgx.Tx) error {
		res = data.ImportResult{}
		author, err := quarantinedAuthor(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, siteLock(author)); err != nil {
			return err
		}
		tr, err := s.loadTrust(ctx, tx)
		if err != nil {
			return err
		}
		if err := tr.loadPinned(ctx, tx, [][]byte{author[:]}); err != nil {
			return err
		}
		held, err := loadHeld(ctx, tx, author)
		if err != nil {
			return err
		}
		key, officer := tr.Keys[author], tr.Officer[author]
		switch {
		case key != nil:
		case tr.Revoked[author] != nil:
			key = tr.Revoked[author] // the key it had, not the one a sender vouched for
		case tr.Pinned[author] != nil:
			key = tr.Pinned[author]
		default:
			if key, officer, err = claimedKey(author, held); err != nil {
				return err
			}
		}
		var plan []*planned
		for _, h := range held {
			k, ok := tr.KeyAt(&h.pc.Commit, key)
			if !ok || !h.pc.Verify(k) {
				if _, err := tx.Exec(ctx, `UPDATE held_commits SET reason = 'forged', detail = 'it does not verify with the device''s key' WHERE id = $1`, h.id); err != nil {
					return err
				}
				continue
			}
			h.pc.Author = data.Author{Site: author, PublicKey: k, Officer: officer}
			plan = append(plan, h.pc)
		}
		if len(plan) == 0 {
			return data.Refused("the changes held from %s do not verify with its key (forged or altered): they stay held", author.ShortCode())
		}
		w := &importer{s: s, tx: tx, res: &res, now: s.Now().UTC().Format(time.RFC3339)}
		if err := w.apply(ctx, plan); err != nil { // import.go: the log, then the held copies dropped
			return err
		}
		return settleRotatedKeys(ctx, tx)
	})
	if err != nil {
		return data.ImportResult{}, data.Op("quarantine", "release", err)
	}
	return res, nil
}

// claimedKey is the one key the relaying peers vouched for an author
// whose key is known nowhere else (data.VouchedKey).
func claimedKey(author data.SiteID, held []*heldCommit) ([]byte, string, error) {
	vouches := make([]data.Vouch, len(held))
	for i, h := range held {
		vouches[i] = data.Vouch{FirstSeq: h.pc.FirstSeq, LastSeq: h.pc.LastSeq, Key: h.key, Officer: h.officer}
	}
	return data.VouchedKey(author, vouches)
}

// DiscardQuarantine drops what the hub holds from one author, and
// remembers each version so the same changes relayed again are not held
// again (another version of them still is); it returns how many changes
// were dropped. As in the SQLite store: a version that verifies with the
// author's enrolled key is the only one those seqs will ever have, so the
// vector counts them as held (advanceHeld moves over them) and the
// author's later work is relayed; laptops never get the discarded seqs.
// Versions of an author not enrolled here are not counted: a forgery may
// stand in for the genuine changes, which may still come.
func (s *Store) DiscardQuarantine(ctx context.Context, id string) (int, error) {
	var n int
	err := s.tx(ctx, func(tx pgx.Tx) error {
		n = 0
		author, err := quarantinedAuthor(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, siteLock(author)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, first_seq, last_seq, hashes, signature, (SELECT count(*) FROM held_changes WHERE held = id)
			FROM held_commits WHERE author = $1`, author[:])
		if err != nil {
			return err
		}
		type version struct {
			id      int64
			c       data.Commit
			changes int64
		}
		var vs []version
		for rows.Next() {
			v := version{c: data.Commit{Site: author}}
			if err := rows.Scan(&v.id, &v.c.FirstSeq, &v.c.LastSeq, &v.c.Hashes, &v.c.Signature, &v.changes); err != nil {
				rows.Close()
				return err
			}
			vs = append(vs, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		tr, err := s.loadTrust(ctx, tx)
		if err != nil {
			return err
		}
		enrolled := tr.Keys[author] // enrolled or certified, not revoked
		now := s.Now().UTC().Format(time.RFC3339)
		passed := false
		for _, v := range vs {
			key, ok := tr.KeyAt(&v.c, enrolled)
			inVector := enrolled != nil && ok && v.c.Verify(key)
			if _, err := tx.Exec(ctx, `INSERT INTO held_discarded (author, first_seq, last_seq, version, discarded_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT DO NOTHING`, author[:], v.c.FirstSeq, v.c.LastSeq, versionOf(&v.c), now); err != nil {
				return err
			}
			if inVector {
				if _, err := tx.Exec(ctx, `INSERT INTO discarded_seqs (author, first_seq, last_seq) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
					author[:], v.c.FirstSeq, v.c.LastSeq); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `DELETE FROM held_commits WHERE id = $1`, v.id); err != nil { // its changes with it
				return err
			}
			n += int(v.changes)
			passed = passed || inVector
		}
		if !passed {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sites (site_id) VALUES ($1) ON CONFLICT DO NOTHING`, author[:]); err != nil {
			return err
		}
		return advanceHeld(ctx, tx, author)
	})
	if err != nil {
		return 0, data.Op("quarantine", "discard", err)
	}
	return n, nil
}

// discardedVersion says whether the operator discarded this version of a
// commit: relayed again, it is not held again, and, held as invalid, it
// does not hold back what follows it.
func discardedVersion(ctx context.Context, q querier, c *data.Commit) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM held_discarded WHERE author = $1 AND first_seq = $2 AND version = $3`,
		c.Site[:], c.FirstSeq, versionOf(c)).Scan(&n)
	return n > 0, err
}

// discarded, for a held commit relayed again, counts its changes as had
// when the operator discarded this version.
func (w *importer) discarded(ctx context.Context, pc *planned, fresh int) (bool, error) {
	gone, err := discardedVersion(ctx, w.tx, &pc.Commit)
	if gone {
		w.res.AlreadyHad += fresh
	}
	return gone, err
}
