package data

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// QuarantineEntry is what is held for review from one author: changes a
// trusted sender relayed but that an unknown or revoked device made.
type QuarantineEntry struct {
	Author     string `json:"author"` // site id: the ID to release or discard
	Device     string `json:"device"`
	Officer    string `json:"officer"`
	Reason     string `json:"reason"` // unknown | revoked
	Changes    int    `json:"changes"`
	Records    int    `json:"records"`
	Sender     string `json:"sender"` // the peer that relayed them
	ReceivedAt string `json:"received_at"`
	KeyKnown   bool   `json:"key_known"` // the sender vouched for the author's key
}

// Quarantine lists what is held for review, one entry per author.
func (s *Store) Quarantine(ctx context.Context) ([]QuarantineEntry, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT q.author, max(q.author_officer), max(q.reason), count(*),
			count(DISTINCT q.tbl || ' ' || q.row_id), coalesce(p.name, lower(hex(max(q.sender)))), max(q.received_at),
			max(q.author_key IS NOT NULL)
		FROM quarantine q LEFT JOIN peers p ON p.site_id = q.sender
		GROUP BY q.author ORDER BY max(q.received_at) DESC`)
	if err != nil {
		return nil, fmt.Errorf("quarantine: %w", err)
	}
	defer rows.Close()
	out := []QuarantineEntry{}
	for rows.Next() {
		var e QuarantineEntry
		var author []byte
		if err := rows.Scan(&author, &e.Officer, &e.Reason, &e.Changes, &e.Records, &e.Sender, &e.ReceivedAt, &e.KeyKnown); err != nil {
			return nil, err
		}
		var site SiteID
		copy(site[:], author)
		e.Author, e.Device = site.String(), site.ShortCode()
		out = append(out, e)
	}
	return out, rows.Err()
}

// quarantinedAuthor resolves an ID as typed (a site id, or a unique prefix
// of at least four hex digits) to an author in quarantine.
func (s *Store) quarantinedAuthor(ctx context.Context, q querier, id string) (SiteID, error) {
	var site SiteID
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 4 || len(id) > 32 {
		return site, invalid("id", "%q is not an author id from 'liaisondesk quarantine list' (4 to 32 hex digits)", clip(id))
	}
	if _, err := hex.DecodeString(id[:len(id)&^1]); err != nil {
		return site, invalid("id", "%q is not an author id from 'liaisondesk quarantine list' (hex digits)", clip(id))
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT author FROM quarantine WHERE lower(hex(author)) LIKE ? || '%'`, id)
	if err != nil {
		return site, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return site, err
		}
		copy(site[:], b)
		n++
	}
	if err := rows.Err(); err != nil {
		return site, err
	}
	switch n {
	case 0:
		return site, fmt.Errorf("nothing held from %s: %w", id, ErrNotFound)
	case 1:
		return site, nil
	}
	return site, invalid("id", "%q matches %d authors: give more digits", id, n)
}

// ReleaseQuarantine applies what is held from one author, as if it had
// come from a trusted device: the signatures are checked with the
// author's enrolled key, or else the key the sender vouched for.
func (s *Store) ReleaseQuarantine(ctx context.Context, id string) (ImportResult, error) {
	var res ImportResult
	dev, err := s.Device()
	if err != nil {
		return res, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		author, err := s.quarantinedAuthor(ctx, tx, id)
		if err != nil {
			return err
		}
		tr, err := s.loadTrust(ctx, tx)
		if err != nil {
			return err
		}
		plan, err := s.quarantinePlan(ctx, tx, author, tr)
		if err != nil {
			return err
		}
		if err := s.writeTx(ctx, tx, dev, func(w *writer) error { return w.apply(plan, SiteID{}, &res) }); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM quarantine WHERE author = ?`, author[:])
		return err
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("quarantine release: %w", err)
	}
	return res, nil
}

// quarantinePlan rebuilds the held commits of an author, verified.
func (s *Store) quarantinePlan(ctx context.Context, q querier, author SiteID, tr *trust) ([]*plannedCommit, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, hlc, tbl, row_id, fields, parents, schema, commit_first, commit_last,
		commit_hashes, commit_sig, author_key, author_officer FROM quarantine WHERE author = ? ORDER BY seq`, author[:])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []*plannedCommit
	byFirst := map[int64]*plannedCommit{}
	for rows.Next() {
		c := &RawChange{ID: ChangeID{Site: author}}
		var hlc int64
		var parents sql.NullString
		var first, last int64
		var hashes, sig, key []byte
		var officer string
		if err := rows.Scan(&c.ID.Seq, &hlc, &c.Table, &c.RowID, &c.Fields, &parents, &c.Schema, &first, &last,
			&hashes, &sig, &key, &officer); err != nil {
			return nil, err
		}
		c.HLC = HLC(hlc)
		c.Parents = []byte(parents.String)
		pc := byFirst[first]
		if pc == nil {
			if k := tr.keys[author]; k != nil {
				key, officer = k, tr.officer[author]
			} else if k := tr.revoked[author]; k != nil {
				key, officer = k, tr.officer[author] // the key it had, not the one a sender vouched for
			}
			if len(key) == 0 {
				return nil, invalid("id", "the key of device %s is not known, so its changes cannot be checked: enrol it with 'liaisondesk peers add' first", author.ShortCode())
			}
			pc = &plannedCommit{Commit: Commit{Site: author, FirstSeq: first, LastSeq: last, Hashes: hashes, Signature: sig},
				author: Author{Site: author, PublicKey: key, Officer: officer}}
			if !pc.Verify(key) {
				return nil, refused("commit %s:%d-%d held from %s does not verify with its key", author, first, last, author.ShortCode())
			}
			byFirst[first] = pc
			plan = append(plan, pc)
		}
		h := c.Hash()
		at := 32 * (c.ID.Seq - first)
		if at < 0 || int(at)+32 > len(pc.Hashes) || string(h[:]) != string(pc.Hashes[at:at+32]) {
			return nil, refused("change %s held for review does not match its signed hash", c.ID)
		}
		pc.changes = append(pc.changes, c)
	}
	return plan, rows.Err()
}

// DiscardQuarantine drops what is held from one author, and remembers it
// so the same changes relayed again are not held again; it returns how
// many changes were dropped.
func (s *Store) DiscardQuarantine(ctx context.Context, id string) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		author, err := s.quarantinedAuthor(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO quarantine_discarded (author, seq, discarded_at)
			SELECT author, seq, ? FROM quarantine WHERE author = ?`, s.Now().UTC().Format(time.RFC3339), author[:]); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM quarantine WHERE author = ?`, author[:])
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("quarantine discard: %w", err)
	}
	return int(n), nil
}
