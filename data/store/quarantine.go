package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"liaisondesk/data"
)

// Held for review (docs/ARCHITECTURE.md §4.5): commits a trusted sender relayed that
// this store does not apply on its own: authored by an unknown or revoked
// device, breaking the forms' rules (and the same author's later commits,
// which wait behind such a one), or a version of an author's changes that
// differs from the one its key signed. Each held commit is stored once
// (held_commits) and its changes name it (held_changes). Two different
// versions of the same seqs are both kept: a conflict of histories, which
// enrolling the device settles.

// Quarantine lists what is held for review, one entry per author, reason,
// claimed key and relaying peer: two versions of one author's changes are
// two entries, both marked as a conflict.
func (s *Store) Quarantine(ctx context.Context) ([]data.QuarantineEntry, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT h.author, coalesce(a.officer, max(h.author_officer)), a.site_id IS NULL, h.reason, h.detail,
			min(h.first_seq), max(h.last_seq), count(*), count(DISTINCT c.tbl || ' ' || c.row_id),
			coalesce(p.name, lower(hex(h.sender))), max(h.received_at), h.author_key IS NOT NULL, h.sender, coalesce(h.author_key, x'')
		FROM held_commits h JOIN held_changes c ON c.held = h.id
		LEFT JOIN peers p ON p.site_id = h.sender LEFT JOIN peers a ON a.site_id = h.author
		GROUP BY h.author, h.reason, h.detail, h.sender, h.author_key ORDER BY max(h.received_at) DESC, h.author, min(h.first_seq)`)
	if err != nil {
		return nil, data.Op("quarantine", "", err)
	}
	defer rows.Close()
	out := []data.QuarantineEntry{}
	var groups []heldGroup
	for rows.Next() {
		var e data.QuarantineEntry
		var g heldGroup
		if err := rows.Scan(&g.author, &e.Officer, &e.Claimed, &e.Reason, &e.Detail, &e.FirstSeq, &e.LastSeq, &e.Changes, &e.Records,
			&e.Sender, &e.ReceivedAt, &e.KeyKnown, &g.sender, &g.key); err != nil {
			return nil, err
		}
		g.reason, g.detail = e.Reason, e.Detail
		var site data.SiteID
		copy(site[:], g.author)
		e.Author, e.Device = site.String(), site.ShortCode()
		if bytes.Equal(g.sender, make([]byte, len(data.SiteID{}))) {
			e.Sender = "(released here before)"
		}
		if e.Detail == "" {
			e.Detail = reasonText(e.Reason)
		}
		out = append(out, e)
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// Another version of some of an entry's seqs, held in another entry
	// or applied, is a conflict of histories.
	all, err := s.rdb.QueryContext(ctx, `SELECT author, reason, detail, sender, coalesce(author_key, x''), first_seq, last_seq FROM held_commits`)
	if err != nil {
		return nil, data.Op("quarantine", "", err)
	}
	defer all.Close()
	for all.Next() {
		var g heldGroup
		var first, last int64
		if err := all.Scan(&g.author, &g.reason, &g.detail, &g.sender, &g.key, &first, &last); err != nil {
			return nil, err
		}
		for i := range out {
			if bytes.Equal(groups[i].author, g.author) && !groups[i].same(g) && first <= out[i].LastSeq && last >= out[i].FirstSeq {
				out[i].Conflict = true
			}
		}
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Conflict {
			continue
		}
		site, _ := data.ParseSiteID(out[i].Author)
		if out[i].Conflict, err = s.differsFromApplied(ctx, site, out[i].FirstSeq, out[i].LastSeq); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// heldGroup is what one entry of the held list groups by.
type heldGroup struct {
	author, sender, key []byte
	reason, detail      string
}

func (g heldGroup) same(o heldGroup) bool {
	return bytes.Equal(g.author, o.author) && bytes.Equal(g.sender, o.sender) && bytes.Equal(g.key, o.key) &&
		g.reason == o.reason && g.detail == o.detail
}

// differsFromApplied reports whether some change held from site between
// first and last is in the log with other contents.
func (s *Store) differsFromApplied(ctx context.Context, site data.SiteID, first, last int64) (bool, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM held_commits h JOIN held_changes c ON c.held = h.id
		JOIN sites st ON st.site_id = h.author JOIN changes ch ON ch.id = (st.no << 40) | c.seq
		WHERE h.author = ? AND c.seq BETWEEN ? AND ?`, site[:], first, last).Scan(&n)
	return n > 0, err
}

// reasonText says a held commit's reason in words, for rows held before
// the reasons were written down.
func reasonText(reason string) string {
	switch reason {
	case "unknown":
		return "its author is not an enrolled peer"
	case "revoked":
		return "its author's device was revoked"
	}
	return reason
}

// quarantinedAuthor resolves an ID as typed (a site id, or a unique prefix
// of at least four hex digits) to an author in quarantine.
func (s *Store) quarantinedAuthor(ctx context.Context, q querier, id string) (data.SiteID, error) {
	var site data.SiteID
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 4 || len(id) > 32 {
		return site, data.InvalidBecause(data.ErrNotAuthorID, "id", "%q is not an author id (4 to 32 hex digits)", data.Clip(id))
	}
	if _, err := hex.DecodeString(id[:len(id)&^1]); err != nil {
		return site, data.InvalidBecause(data.ErrNotAuthorID, "id", "%q is not an author id (hex digits)", data.Clip(id))
	}
	authors, err := readColumn[[]byte](ctx, q, `SELECT DISTINCT author FROM held_commits WHERE lower(hex(author)) LIKE ? || '%'`, id)
	if err != nil {
		return site, err
	}
	switch len(authors) {
	case 0:
		return site, fmt.Errorf("nothing held from %s: %w", id, data.ErrNotFound)
	case 1:
		copy(site[:], authors[0])
		return site, nil
	}
	return site, data.Invalid("id", "%q matches %d authors: give more digits", id, len(authors))
}

// heldCommit is a held commit read back, with what the relaying peer said
// of its author.
type heldCommit struct {
	id      int64
	pc      *plannedCommit
	key     []byte
	officer string
	reason  string
}

// loadHeld reads the commits held from author, in seq order, with their
// changes, each checked against its commit's hash list.
func loadHeld(ctx context.Context, q querier, author data.SiteID) ([]*heldCommit, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, first_seq, last_seq, hashes, signature, author_key, author_officer, reason
		FROM held_commits WHERE author = ? ORDER BY first_seq, id`, author[:])
	if err != nil {
		return nil, err
	}
	var out []*heldCommit
	for rows.Next() {
		h := &heldCommit{pc: &plannedCommit{Commit: data.Commit{Site: author}}}
		if err := rows.Scan(&h.id, &h.pc.FirstSeq, &h.pc.LastSeq, &h.pc.Hashes, &h.pc.Signature, &h.key, &h.officer, &h.reason); err != nil {
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
	rows, err := q.QueryContext(ctx, `SELECT seq, hlc, tbl, row_id, fields, parents, schema FROM held_changes WHERE held = ? ORDER BY seq`, h.id)
	if err != nil {
		return err
	}
	defer rows.Close()
	pc := h.pc
	for rows.Next() {
		c := &data.RawChange{ID: data.ChangeID{Site: pc.Site}}
		var hlc int64
		var parents sql.NullString
		if err := rows.Scan(&c.ID.Seq, &hlc, &c.Table, &c.RowID, &c.Fields, &parents, &c.Schema); err != nil {
			return err
		}
		c.HLC = data.HLC(hlc)
		c.Parents = []byte(parents.String)
		hash := c.Hash()
		at := 32 * (c.ID.Seq - pc.FirstSeq)
		if at < 0 || int(at)+32 > len(pc.Hashes) || !bytes.Equal(hash[:], pc.Hashes[at:at+32]) {
			return data.Refused("change %s held for review does not match its signed hash", c.ID)
		}
		pc.changes = append(pc.changes, c)
	}
	return rows.Err()
}

// sameVersion reports whether two commits are the same version of the
// same seqs: the same hash list, signed the same.
func sameVersion(a, b *data.Commit) bool {
	return a.Site == b.Site && a.FirstSeq == b.FirstSeq && a.LastSeq == b.LastSeq &&
		bytes.Equal(a.Hashes, b.Hashes) && bytes.Equal(a.Signature, b.Signature)
}

// versionOf is a digest naming one version of a commit.
func versionOf(c *data.Commit) []byte {
	h := sha256.New()
	h.Write(c.Hashes)
	h.Write(c.Signature)
	return h.Sum(nil)
}

// ReleaseQuarantine applies what is held from one author, as if it had
// come from a trusted device, whatever rule it broke (the officer has
// reviewed it). The signatures are checked with the author's enrolled key,
// else the key it had when revoked, else the key this store already
// checked its changes with, else the key the relaying peer vouched for;
// the last only when the peers agree on one key and one version of each
// change (otherwise which one is genuine is for an enrolment to tell).
// Commits that do not verify stay held, as forgeries.
func (s *Store) ReleaseQuarantine(ctx context.Context, id string) (data.ImportResult, error) {
	var res data.ImportResult
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
		plan, err := verifyHeld(ctx, tx, held, tr.Trust, key, officer)
		if err != nil {
			return err
		}
		if len(plan) == 0 {
			return data.Refused("the changes held from %s do not verify with its key (forged or altered): they stay held", author.ShortCode())
		}
		return s.writeTx(ctx, tx, dev, func(w *writer) error { return w.apply(plan, data.SiteID{}, &res) })
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

// verifyHeld returns, as a plan to apply, the held commits that verify
// with key, and marks the others as forgeries, which stay held. With tr,
// a rotated author's commits verify with the key it held at each.
func verifyHeld(ctx context.Context, q querier, held []*heldCommit, tr *data.Trust, key []byte, officer string) ([]*plannedCommit, error) {
	var plan []*plannedCommit
	for _, h := range held {
		key, ok := key, true
		if tr != nil {
			key, ok = tr.KeyAt(&h.pc.Commit, key)
		}
		if !ok || !h.pc.Verify(key) {
			if _, err := q.ExecContext(ctx, `UPDATE held_commits SET reason = 'forged', detail = ? WHERE id = ?`,
				"it does not verify with the device's key", h.id); err != nil {
				return nil, err
			}
			continue
		}
		h.pc.author = data.Author{Site: h.pc.Site, PublicKey: key, Officer: officer}
		plan = append(plan, h.pc)
	}
	return plan, nil
}

// markForgedHeld, once a device is enrolled, marks what is held in its name
// that does not verify with its key as forged, and what does as no longer
// suspect. It stays held until it arrives again, verified, or the officer
// releases it.
func markForgedHeld(ctx context.Context, tx *sql.Tx, site data.SiteID, key []byte) error {
	held, err := loadHeld(ctx, tx, site)
	if err != nil {
		return err
	}
	for _, h := range held {
		if h.reason == "forged" && h.pc.Verify(key) {
			if _, err := tx.ExecContext(ctx, `UPDATE held_commits SET reason = 'unknown', detail = ? WHERE id = ?`,
				"its author was not enrolled when it arrived; it verifies with the key enrolled since", h.id); err != nil {
				return err
			}
		}
	}
	_, err = verifyHeld(ctx, tx, held, nil, key, "")
	return err
}

// DiscardQuarantine drops what is held from one author, and remembers each
// version so the same changes relayed again are not held again (another
// version of them still is); it returns how many changes were dropped.
//
// A version that verifies with the author's enrolled key is the only one
// those seqs will ever have (held for the forms' rules, or waiting behind
// such a commit): the vector counts its seqs as held and discarded, not
// as a gap (advanceHeld), so the author's later work applied here is
// relayed, and the author and relaying peers stop resending from the
// gap. Replicas downstream never get the discarded seqs: their vector
// stops below them, and they apply the author's later changes as they
// arrive (each exchange with this store carries those again, counted as
// already had: a cost, not a loop; nothing is retried because of it, since
// this store's vector does not go down). Versions of an author not enrolled here are not counted: a
// forgery may stand in for the genuine changes, which may still come
// (and apply, once the author is enrolled).
func (s *Store) DiscardQuarantine(ctx context.Context, id string) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		author, err := s.quarantinedAuthor(ctx, tx, id)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, first_seq, last_seq, hashes, signature,
			(SELECT count(*) FROM held_changes WHERE held = id) FROM held_commits WHERE author = ?`, author[:])
		if err != nil {
			return err
		}
		type version struct {
			id      int64
			c       data.Commit
			changes int
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
		key := tr.Keys[author] // enrolled, not revoked
		now := s.Now().UTC().Format(time.RFC3339)
		passed := false
		for _, v := range vs {
			inVector := key != nil && v.c.Verify(key)
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO held_discarded (author, first_seq, last_seq, version, discarded_at) VALUES (?, ?, ?, ?, ?)`,
				author[:], v.c.FirstSeq, v.c.LastSeq, versionOf(&v.c), now); err != nil {
				return err
			}
			if inVector {
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO discarded_seqs (author, first_seq, last_seq) VALUES (?, ?, ?)`,
					author[:], v.c.FirstSeq, v.c.LastSeq); err != nil {
					return err
				}
			}
			if err := dropHeld(ctx, tx, v.id); err != nil {
				return err
			}
			n += v.changes
			passed = passed || inVector
		}
		if !passed {
			return nil
		}
		no, err := s.siteNo(ctx, tx, author)
		if err != nil {
			return err
		}
		return advanceHeld(ctx, tx, no)
	})
	if err != nil {
		return 0, data.Op("quarantine", "discard", err)
	}
	return n, nil
}

func dropHeld(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM held_changes WHERE held = ?`, id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `DELETE FROM held_commits WHERE id = ?`, id)
	return err
}

// checkRules holds the commits an import would apply to the forms' rules:
// a commit with a change that breaks one is held for review, with the
// rule as its reason, and so are its author's later commits, which wait
// behind it (in this batch, or held by an earlier import). What this
// device made itself, and what is held anyway, is not checked.
func checkRules(ctx context.Context, q querier, self data.SiteID, plan []*plannedCommit, hub bool) error {
	// A paged batch's commits hold only their levels while the rules
	// judge (the levels the batch creates are judged as one), and none
	// of their changes after.
	for _, pc := range plan {
		if pc.spool != nil && pc.quarantine == "" && len(pc.levelRefs) > 0 && !hub {
			cs, err := pc.spool.read(pc.Site, pc.levelRefs)
			if err != nil {
				return err
			}
			pc.changes = cs
		}
	}
	defer func() {
		for _, pc := range plan {
			if pc.spool != nil {
				pc.changes = nil
			}
		}
	}()
	batch := newImportBatch(plan)
	bySite := map[data.SiteID][]*plannedCommit{}
	for _, pc := range plan {
		if pc.quarantine == "" && pc.Site != self {
			bySite[pc.Site] = append(bySite[pc.Site], pc)
		}
	}
	for site, cs := range bySite {
		slices.SortFunc(cs, func(a, b *plannedCommit) int { return int(a.FirstSeq - b.FirstSeq) })
		var first, last int64
		err := q.QueryRowContext(ctx, `SELECT first_seq, last_seq FROM held_commits WHERE author = ? AND reason IN ('invalid', 'waits')
			ORDER BY first_seq LIMIT 1`, site[:]).Scan(&first, &last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		blocked := err == nil
		var no int64
		if err := q.QueryRowContext(ctx, `SELECT no FROM sites WHERE site_id = ?`, site[:]).Scan(&no); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		for _, pc := range cs {
			// A commit in the log already (released, or taken before these
			// rules) is had, not judged again.
			if no != 0 {
				var n int64
				if err := q.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE id BETWEEN ? AND ?`,
					packID(no, pc.FirstSeq), packID(no, pc.LastSeq)).Scan(&n); err != nil {
					return err
				}
				if n == pc.LastSeq-pc.FirstSeq+1 {
					continue
				}
			}
			if blocked && pc.FirstSeq > first {
				pc.quarantine, pc.detail = "waits", fmt.Sprintf("waits behind a held commit (%s:%d-%d)", site.ShortCode(), first, last)
				continue
			}
			why, err := brokenRule(ctx, q, batch, pc, hub)
			if err != nil {
				return err
			}
			if why == "" {
				continue
			}
			pc.quarantine, pc.detail = "invalid", why
			// A version the officer discarded stays out, and does not
			// hold back what follows it.
			var discarded int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM held_discarded WHERE author = ? AND first_seq = ? AND version = ?`,
				site[:], pc.FirstSeq, versionOf(&pc.Commit)).Scan(&discarded); err != nil {
				return err
			}
			if discarded == 0 {
				first, last, blocked = pc.FirstSeq, pc.LastSeq, true
			}
		}
	}
	return nil
}

// brokenRule names the first rule a commit's changes break, or "". A
// hub's store (hub.go) judges only the rules the log and the roster
// show, not the fields' rules, which read records it does not build.
func brokenRule(ctx context.Context, q querier, batch *importBatch, pc *plannedCommit, hub bool) (string, error) {
	if pc.suspect != "" {
		return pc.suspect, nil // found by plan: parents it cannot have seen, a stamp far ahead
	}
	batch.author = pc.Site
	cs, err := pc.load()
	if err != nil {
		return "", err
	}
	if why, err := hqAuthorRule(ctx, q, pc.Site, cs); why != "" || err != nil || hub {
		return why, err
	}
	for _, c := range cs {
		t, known := tableByName(c.Table)
		if !known {
			// A kind a newer version added: its rules are that version's
			// to judge; this one keeps the change and passes it on.
			continue
		}
		where := fmt.Sprintf("%s %s (change %d)", t.kind, data.Clip(c.RowID), c.ID.Seq)
		if !utf8.Valid(c.Fields) {
			return where + ": its fields are not valid UTF-8 text", nil
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(c.Fields, &fields); err != nil {
			return where + ": its fields are malformed", nil
		}
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		slices.Sort(names)
		for _, f := range names {
			err := t.checkImported(ctx, q, batch, c.RowID, f, fields[f])
			var fe *data.FieldError
			switch {
			case err == nil:
			case errors.As(err, &fe):
				return where + ": " + fe.Field + " " + fe.Problem, nil
			case errors.Is(err, data.ErrInvalid):
				return where + ": " + err.Error(), nil
			default:
				return "", err
			}
		}
	}
	return "", nil
}

// hold keeps, for review, the changes of a held commit that this store
// does not apply: once per version of the commit, its changes naming it.
func (w *writer) hold(pc *plannedCommit, sender data.SiteID, now string, res *data.ImportResult) error {
	fresh, err := w.notApplied(pc, res)
	if err != nil || len(fresh) == 0 {
		return err
	}
	var n int
	if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM held_discarded WHERE author = ? AND first_seq = ? AND version = ?`,
		pc.Site[:], pc.FirstSeq, versionOf(&pc.Commit)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		res.AlreadyHad += len(fresh) // the officer discarded this version: not held again
		return nil
	}
	id, err := w.heldCommitID(pc, sender, now)
	if err != nil {
		return err
	}
	held := 0
	for _, c := range fresh {
		var parents any
		if len(c.Parents) > 0 {
			parents = string(c.Parents)
		}
		r, err := w.ExecContext(w.ctx, `INSERT OR IGNORE INTO held_changes (held, seq, hlc, tbl, row_id, fields, parents, schema) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, c.ID.Seq, int64(c.HLC), c.Table, c.RowID, string(c.Fields), parents, c.Schema)
		if err != nil {
			return fmt.Errorf("hold %s: %w", c.ID, err)
		}
		if n, _ := r.RowsAffected(); n > 0 {
			held++
		} else {
			res.AlreadyHad++
		}
	}
	res.Quarantined += held
	if held > 0 {
		addHeld(res, data.HeldCommit{Author: pc.Site.String(), Device: pc.Site.ShortCode(), Officer: pc.author.Officer, Claimed: pc.claimed,
			FirstSeq: pc.FirstSeq, LastSeq: pc.LastSeq, Changes: held, Reason: pc.quarantine, Detail: pc.detail})
	}
	return nil
}

// addHeld lists a held commit, folding it into the previous entry when it
// continues the same author's run for the same reason.
func addHeld(r *data.ImportResult, h data.HeldCommit) {
	if n := len(r.Held); n > 0 {
		p := &r.Held[n-1]
		if p.Author == h.Author && p.Reason == h.Reason && p.Reason != "invalid" && p.Claimed == h.Claimed && p.Officer == h.Officer && p.LastSeq < h.FirstSeq {
			p.LastSeq, p.Changes = h.LastSeq, p.Changes+h.Changes
			return
		}
	}
	r.Held = append(r.Held, h)
}

// notApplied returns the changes of a held commit that are not in the log
// as they are: those missing, and those the log holds another version of
// (a conflict of histories, kept).
func (w *writer) notApplied(pc *plannedCommit, res *data.ImportResult) ([]*data.RawChange, error) {
	discarded := map[int64]bool{} // discarded before versions were told apart: not held again
	seqs, err := readColumn[int64](w.ctx, w, `SELECT seq FROM quarantine_discarded WHERE author = ? AND seq BETWEEN ? AND ?`, pc.Site[:], pc.FirstSeq, pc.LastSeq)
	if err != nil {
		return nil, err
	}
	for _, seq := range seqs {
		discarded[seq] = true
	}
	var no int64
	err = w.QueryRowContext(w.ctx, `SELECT no FROM sites WHERE site_id = ?`, pc.Site[:]).Scan(&no)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	applied := map[int64][]byte{} // seq → the hash the log's commit signed
	if no != 0 {
		rows, err := w.QueryContext(w.ctx, `SELECT first_seq, last_seq, hashes FROM commits WHERE site = ? AND first_seq <= ? AND last_seq >= ?`,
			no, pc.LastSeq, pc.FirstSeq)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var first, last int64
			var hashes []byte
			if err := rows.Scan(&first, &last, &hashes); err != nil {
				rows.Close()
				return nil, err
			}
			for seq := max(first, pc.FirstSeq); seq <= min(last, pc.LastSeq); seq++ {
				applied[seq] = hashes[32*(seq-first) : 32*(seq-first+1)]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	cs, err := pc.load()
	if err != nil {
		return nil, err
	}
	var fresh []*data.RawChange
	for _, c := range cs {
		at := 32 * (c.ID.Seq - pc.FirstSeq)
		if h, ok := applied[c.ID.Seq]; (ok && bytes.Equal(h, pc.Hashes[at:at+32])) || discarded[c.ID.Seq] {
			res.AlreadyHad++
			continue
		}
		fresh = append(fresh, c)
	}
	return fresh, nil
}

// heldCommitID finds the held version of a commit, or stores it, and
// returns its id. A version held before takes the latest reason.
func (w *writer) heldCommitID(pc *plannedCommit, sender data.SiteID, now string) (int64, error) {
	rows, err := w.QueryContext(w.ctx, `SELECT id, last_seq, hashes, signature FROM held_commits WHERE author = ? AND first_seq = ?`, pc.Site[:], pc.FirstSeq)
	if err != nil {
		return 0, err
	}
	var id int64
	for rows.Next() {
		c := data.Commit{Site: pc.Site, FirstSeq: pc.FirstSeq}
		var hid int64
		if err := rows.Scan(&hid, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			rows.Close()
			return 0, err
		}
		if sameVersion(&c, &pc.Commit) {
			id = hid
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var key any
	if len(pc.author.PublicKey) > 0 {
		key = []byte(pc.author.PublicKey)
	}
	if id != 0 {
		_, err := w.ExecContext(w.ctx, `UPDATE held_commits SET reason = ?, detail = ?, author_key = coalesce(author_key, ?),
			author_officer = CASE WHEN author_officer = '' THEN ? ELSE author_officer END, received_at = ? WHERE id = ?`,
			pc.quarantine, pc.detail, key, pc.author.Officer, now, id)
		return id, err
	}
	r, err := w.ExecContext(w.ctx, `INSERT INTO held_commits (author, first_seq, last_seq, hashes, signature, author_key, author_officer, sender, reason, detail, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		pc.Site[:], pc.FirstSeq, pc.LastSeq, pc.Hashes, pc.Signature, key, pc.author.Officer, sender[:], pc.quarantine, pc.detail, now)
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

// settleHeld, once a verified commit is applied, drops the held copies of
// the same version, and marks any other held version of its seqs as a
// forgery: it differs from what the author's key signed.
func (w *writer) settleHeld(pc *plannedCommit) error {
	rows, err := w.QueryContext(w.ctx, `SELECT id, first_seq, last_seq, hashes, signature FROM held_commits
		WHERE author = ? AND first_seq <= ? AND last_seq >= ?`, pc.Site[:], pc.LastSeq, pc.FirstSeq)
	if err != nil {
		return err
	}
	var same, other []int64
	for rows.Next() {
		var id int64
		c := data.Commit{Site: pc.Site}
		if err := rows.Scan(&id, &c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			rows.Close()
			return err
		}
		if sameVersion(&c, &pc.Commit) {
			same = append(same, id)
		} else {
			other = append(other, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range same {
		if err := dropHeld(w.ctx, w, id); err != nil {
			return err
		}
	}
	for _, id := range other {
		if _, err := w.ExecContext(w.ctx, `UPDATE held_commits SET reason = 'forged', detail = ? WHERE id = ?`,
			"it differs from the version the device's key signed", id); err != nil {
			return err
		}
	}
	return nil
}

// enrolHeld settles, inside the enrolment of site with key, what this
// store took on a relaying peer's word before: commits released from
// review under another key go back to review as forgeries (their changes
// leave the log and the records they touched are rebuilt without them),
// the enrolled key replaces the pinned one, and what is held in the
// device's name that its key did not sign is marked forged.
func (s *Store) enrolHeld(ctx context.Context, tx *sql.Tx, dev *data.Device, site data.SiteID, key []byte) error {
	var no int64
	var pinned []byte
	err := tx.QueryRowContext(ctx, `SELECT no, public_key FROM sites WHERE site_id = ?`, site[:]).Scan(&no, &pinned)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if no != 0 && len(pinned) > 0 && !bytes.Equal(pinned, key) {
		if err := s.writeTx(ctx, tx, dev, func(w *writer) error { return w.unapplyForged(no, site, pinned, key) }); err != nil {
			return err
		}
	}
	return markForgedHeld(ctx, tx, site, key)
}

// unapplyForged takes the commits of a site that do not verify with its
// enrolled key out of the log and back into review, as forgeries, and
// rebuilds the records they touched.
func (w *writer) unapplyForged(no int64, site data.SiteID, pinned, key []byte) error {
	rows, err := w.QueryContext(w.ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits WHERE site = ? ORDER BY first_seq`, no)
	if err != nil {
		return err
	}
	var forged []*plannedCommit
	for rows.Next() {
		pc := &plannedCommit{Commit: data.Commit{Site: site}}
		if err := rows.Scan(&pc.FirstSeq, &pc.LastSeq, &pc.Hashes, &pc.Signature); err != nil {
			rows.Close()
			return err
		}
		if !pc.Verify(key) {
			forged = append(forged, pc)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := w.ExecContext(w.ctx, `UPDATE sites SET public_key = ? WHERE no = ?`, key, no); err != nil {
		return err
	}
	if len(forged) == 0 {
		return nil
	}
	return w.takeBack(no, site, forged, func(pc *plannedCommit) {
		pc.quarantine, pc.detail = "forged", "it was released from review with a key that is not the device's enrolled one"
		pc.author = data.Author{Site: site, PublicKey: pinned}
	})
}

// changesOf reads a site's changes between two seqs from the log.
func (s *Store) changesOf(ctx context.Context, q querier, no int64, site data.SiteID, first, last int64) ([]*data.RawChange, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, hlc, tbl, row_id, fields, parents, schema FROM changes WHERE id BETWEEN ? AND ? ORDER BY id`,
		packID(no, first), packID(no, last))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*data.RawChange
	for rows.Next() {
		var id, hlc int64
		var parents sql.NullString
		c := &data.RawChange{}
		if err := rows.Scan(&id, &hlc, &c.Table, &c.RowID, &c.Fields, &parents, &c.Schema); err != nil {
			return nil, err
		}
		_, seq := unpackID(id)
		c.ID, c.HLC, c.Parents = data.ChangeID{Site: site, Seq: seq}, data.HLC(hlc), []byte(parents.String)
		out = append(out, c)
	}
	return out, rows.Err()
}

// takeBack moves applied commits of one site out of the log and back into
// review, each marked by mark (why it is held, under which author), and
// rebuilds the records they touched: for forgeries found after a release
// (unapplyForged) and for changes past a revocation's cut (unapplyRevoked).
// The site's vector drops to before the first of them.
func (w *writer) takeBack(no int64, site data.SiteID, commits []*plannedCommit, mark func(pc *plannedCommit)) error {
	touched := map[rowKey]bool{}
	var order []rowKey
	now := w.now()
	for _, pc := range commits {
		cs, err := w.s.changesOf(w.ctx, w, no, site, pc.FirstSeq, pc.LastSeq)
		if err != nil {
			return err
		}
		pc.changes = cs
		mark(pc)
		for _, c := range cs {
			t, ok := tableByName(c.Table)
			if k := (rowKey{t, c.RowID}); ok && !touched[k] {
				touched[k] = true
				order = append(order, k)
			}
		}
		if _, err := w.ExecContext(w.ctx, `DELETE FROM changes WHERE id BETWEEN ? AND ?`, packID(no, pc.FirstSeq), packID(no, pc.LastSeq)); err != nil {
			return err
		}
		if _, err := w.ExecContext(w.ctx, `DELETE FROM commits WHERE site = ? AND first_seq = ?`, no, pc.FirstSeq); err != nil {
			return err
		}
		var res data.ImportResult
		if err := w.hold(pc, data.SiteID{}, now, &res); err != nil {
			return err
		}
	}
	if _, err := w.ExecContext(w.ctx, `UPDATE sites SET held = min(held, ?) WHERE no = ?`, commits[0].FirstSeq-1, no); err != nil {
		return err
	}
	slices.SortStableFunc(order, func(a, b rowKey) int { return tableIndex(a.t) - tableIndex(b.t) })
	for _, k := range order {
		st, err := w.loadRow(k.t, k.id)
		if err != nil {
			return err
		}
		if st.empty() {
			if err := w.removeRow(k.t, k.id); err != nil {
				return err
			}
			continue
		}
		if err := w.materialise(k.t, k.id); err != nil {
			return err
		}
	}
	return nil
}
