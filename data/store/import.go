package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"liaisondesk/data"
)

// trust is what an import knows of who may author changes here: the
// decisions are data.Trust's, shared with the PostgreSQL hub.
type trust struct {
	*data.Trust
	selfSeq int64 // the last seq this device has made
}

func (s *Store) loadTrust(ctx context.Context, q querier) (*trust, error) {
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	t := &trust{Trust: data.NewTrust(dev.Site, dev.PublicKey(), s.Now())}
	// Pinned: the key this store already checked a site's commits with
	// (released from review), for sites not enrolled.
	if err := loadPinned(ctx, q, t.Pinned); err != nil {
		return nil, err
	}
	var last int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM changes WHERE id > ? AND id < ?`,
		packID(dev.SiteNo, 0), packID(dev.SiteNo+1, 0)).Scan(&last); err != nil {
		return nil, err
	}
	if last > 0 {
		_, t.selfSeq = unpackID(last)
	}
	rows, err := q.QueryContext(ctx, `SELECT name, site_id, public_key, revoked_at, officer FROM peers`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, revoked, officer string
		var site, key []byte
		if err := rows.Scan(&name, &site, &key, &revoked, &officer); err != nil {
			return nil, err
		}
		var id data.SiteID
		copy(id[:], site)
		t.AddPeer(id, name, officer, key, revoked != "")
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := t.loadRoster(ctx, q); err != nil {
		return nil, err
	}
	hist, err := loadKeyHistories(ctx, q) // rotate.go
	if err != nil {
		return nil, err
	}
	t.AddHistory(hist) // a rotated device signs with its new key
	return t, nil
}

func loadPinned(ctx context.Context, q querier, pinned map[data.SiteID][]byte) error {
	rows, err := q.QueryContext(ctx, `SELECT site_id, public_key FROM sites WHERE length(public_key) = 32`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var site, key []byte
		if err := rows.Scan(&site, &key); err != nil {
			return err
		}
		var id data.SiteID
		copy(id[:], site)
		pinned[id] = key
	}
	return rows.Err()
}

// CheckSender refuses a sender that is not a trusted peer.
func (s *Store) CheckSender(ctx context.Context, sender data.SiteID) error {
	t, err := s.loadTrust(ctx, s.rdb)
	if err != nil {
		return err
	}
	return t.CheckSender(sender)
}

// SenderKey returns a trusted peer's signing key.
func (s *Store) SenderKey(ctx context.Context, sender data.SiteID) ([]byte, error) {
	t, err := s.loadTrust(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	return t.SenderKey(sender)
}

// plannedCommit is a commit of the batch with the changes it carries and
// what the import does with them.
type plannedCommit struct {
	data.Commit
	changes    []*data.RawChange
	quarantine string      // "", or held for review: "unknown", "revoked", "invalid", "waits" or "forged"
	detail     string      // why it is held, in words
	claimed    bool        // the author's key and name are the sender's word only
	author     data.Author // as the sender vouched for it
	// suspect names the first of its changes that no honest writer makes
	// (parents it cannot have seen, a stamp far ahead), "" for none: the
	// commit is held for review as invalid (brokenRule), and the rest of
	// the batch applies.
	suspect string

	// A paged batch's changes wait in spool (changes is nil), at refs
	// (levelRefs: those of classifications), carried in all.
	spool     *importSpool
	refs      []spoolRef
	levelRefs []spoolRef
	carried   int
	applied   []uint64 // a bit per seq: this import wrote it to the log, of a known kind
}

// setBit and bit read and write bitsets indexed by seq - FirstSeq.
func (pc *plannedCommit) setBit(bits *[]uint64, seq int64) {
	if *bits == nil {
		*bits = make([]uint64, (pc.LastSeq-pc.FirstSeq)/64+1)
	}
	i := seq - pc.FirstSeq
	(*bits)[i/64] |= 1 << (i % 64)
}

func bitAt(bits []uint64, i int64) bool {
	return bits != nil && bits[i/64]&(1<<(i%64)) != 0
}

// load gives the commit's changes, from the spool for a paged batch.
func (pc *plannedCommit) load() ([]*data.RawChange, error) {
	if pc.spool == nil {
		return pc.changes, nil
	}
	return pc.spool.read(pc.Site, pc.refs)
}

// count is the number of changes the batch carried for the commit.
func (pc *plannedCommit) count() int {
	if pc.spool == nil {
		return len(pc.changes)
	}
	return pc.carried
}

// planner verifies a batch's changes one at a time against its commits
// (data.BatchCheck, the checks every store makes in the same words).
type planner struct {
	t     *trust
	check *data.BatchCheck
	out   []*plannedCommit // in the batch's order, as check names them
	spool *importSpool     // nil: the changes stay where the batch holds them
}

// plan verifies a batch against the trust before anything is written:
// every change covered by a commit and matching its signed hash, every
// commit of a trusted author signed by that author's enrolled key, and
// every field well formed. It names the first problem it finds. A change
// that is well formed but suspect is not refused (an honest relayer
// cannot tell, and refusing would block all its later work): its commit
// is marked, to be held for review. With pages set, the changes are read
// from them, a page at a time, into spool.
func (t *trust) plan(b *data.Batch, pages func(func([]data.RawChange) error) error, spool *importSpool) ([]*plannedCommit, error) {
	p, err := t.planCommits(b)
	if err != nil {
		return nil, err
	}
	p.spool = spool
	if pages != nil {
		err = pages(func(page []data.RawChange) error {
			for i := range page {
				if err := p.take(&page[i]); err != nil {
					return err
				}
			}
			return nil
		})
	} else {
		for i := range b.Changes {
			if err = p.take(&b.Changes[i]); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if err := t.checkSignatures(p.out); err != nil {
		return nil, err
	}
	return p.out, nil
}

// planCommits checks the batch's commits for shape and overlap.
func (t *trust) planCommits(b *data.Batch) (*planner, error) {
	check, err := data.NewBatchCheck(b.Commits)
	if err != nil {
		return nil, err
	}
	authors := map[data.SiteID]data.Author{}
	for _, a := range b.Authors {
		authors[a.Site] = a
	}
	p := &planner{t: t, check: check, out: make([]*plannedCommit, len(b.Commits))}
	for i, c := range b.Commits {
		p.out[i] = &plannedCommit{Commit: c, author: authors[c.Site]}
	}
	return p, nil
}

// take verifies one change against its commit and keeps it with it.
func (p *planner) take(c *data.RawChange) error {
	n, err := p.check.Take(c)
	if err != nil {
		return err
	}
	pc := p.out[n]
	if pc.suspect == "" {
		pc.suspect = p.t.suspect(c)
	}
	pc.carried++
	if p.spool == nil {
		pc.changes = append(pc.changes, c)
		return nil
	}
	ref, err := p.spool.add(c)
	if err != nil {
		return err
	}
	pc.spool = p.spool
	pc.refs = appendRef(pc.refs, ref)
	if c.Table == "classifications" {
		pc.levelRefs = appendRef(pc.levelRefs, ref)
	}
	return nil
}

// checkSignatures checks each commit's signature against the key this
// store trusts for its author, and marks those held for review.
func (t *trust) checkSignatures(out []*plannedCommit) error {
	for _, pc := range out {
		site := pc.Site
		switch {
		case site == t.Self:
			// Our own changes coming back: apply checks we hold them.
			if key, ok := t.KeyAt(&pc.Commit, t.SelfKey); !ok || !pc.Verify(key) {
				return data.Refused("commit %s:%d-%d is not signed by this device's key (forged or altered)", site, pc.FirstSeq, pc.LastSeq)
			}
		default:
			v, err := t.Judge(&pc.Commit, pc.author) // data/trust.go
			if err != nil {
				return err
			}
			pc.author, pc.quarantine, pc.detail, pc.claimed = v.Author, v.Quarantine, v.Detail, v.Claimed
		}
	}
	return nil
}

// suspect says why no honest writer makes change c, or "" (data.Suspect).
func (t *trust) suspect(c *data.RawChange) string {
	return data.Suspect(c, t.Self, t.selfSeq, t.Now)
}

// Import verifies an incoming batch and applies it in one transaction:
// all of it or, when anything is wrong, none of it. A bundle imported
// before is a no-op that says so.
func (s *Store) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	res := data.ImportResult{Bundle: in.BundleID}
	dev, err := s.Device()
	if err != nil {
		return res, err
	}
	batch := in.Batch
	if batch == nil {
		batch = &data.Batch{}
	}
	var spool *importSpool
	if in.Pages != nil {
		// Verified a page at a time into a file, then judged and applied
		// a commit at a time: memory does not grow with the batch.
		if spool, err = newImportSpool(); err != nil {
			return res, data.Op("import", "", err)
		}
		defer spool.close()
	}
	// The hub imports here: it waits out another process's write.
	err = s.txWaiting(ctx, importWait, func(tx *sql.Tx) error {
		// The roster the sender carried first: it says who may author.
		revoked, err := s.takeRoster(ctx, tx, in.Roster)
		if err != nil {
			return err
		}
		if err := s.takeRotations(ctx, tx, in.Rotations); err != nil {
			return err
		}
		tr, err := s.loadTrust(ctx, tx)
		if err != nil {
			return err
		}
		if err := tr.CheckSender(in.Sender); err != nil {
			return err
		}
		tr.ClaimRotations(in.Rotations)
		if in.BundleID != "" {
			var applied int
			err := tx.QueryRowContext(ctx, `SELECT applied FROM bundles_seen WHERE sender = ? AND bundle_id = ?`, in.Sender[:], in.BundleID).Scan(&applied)
			if err == nil {
				res.Replay = true
				res.AlreadyHad, err = carried(in)
				return err
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		plan, err := tr.plan(batch, in.Pages, spool)
		if err != nil {
			return err
		}
		if err := checkRules(ctx, tx, tr.Self, plan, s.IsHub()); err != nil {
			return err
		}
		apply := func(w *writer) error {
			for _, site := range revoked { // what arrived before its revocation did
				if err := w.unapplyRevoked(site, tr.Org.Cut[site], tr.Names[site]); err != nil {
					return err
				}
			}
			w.progress = in.Progress
			return w.apply(plan, in.Sender, &res)
		}
		if err := s.writeTx(ctx, tx, dev, apply); err != nil {
			return err
		}
		if err := settleRotatedKeys(ctx, tx); err != nil {
			return err
		}
		if err := s.takeContent(ctx, tx, in); err != nil {
			return err
		}
		if err := s.recordAck(ctx, tx, in.Sender, in.SenderHolds); err != nil {
			return err
		}
		if in.BundleID != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO bundles_seen (bundle_id, sender, imported_at, applied) VALUES (?, ?, ?, ?)`,
				in.BundleID, in.Sender[:], s.Now().UTC().Format(time.RFC3339), res.Applied); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, data.ErrRefused) {
			return data.ImportResult{Bundle: in.BundleID}, err // it says what was refused
		}
		return data.ImportResult{Bundle: in.BundleID}, data.Op("import", "", err)
	}
	return res, nil
}

// rowKey names one record of one table.
type rowKey struct {
	t  *table
	id string
}

// apply writes the verified plan: new changes and their commits into the
// log, the unknown authors' into quarantine, then re-materialises each
// record touched once.
func (w *writer) apply(plan []*plannedCommit, sender data.SiteID, res *data.ImportResult) error {
	advance := map[int64]bool{}
	now := w.now()
	a := &arrivals{tables: map[*table]bool{}, future: futureStamps{wall: w.s.Now()}}
	for _, pc := range plan {
		switch {
		case pc.Site == w.dev.Site:
			if err := w.ownCommitBack(pc, res); err != nil {
				return err
			}
		case pc.quarantine != "":
			if err := w.hold(pc, sender, now, res); err != nil {
				return err
			}
		default:
			no, err := w.applyCommit(pc, plan, a, res)
			if err != nil {
				return err
			}
			advance[no] = true
		}
	}
	for no := range advance {
		if err := w.advanceHeld(no); err != nil {
			return err
		}
	}
	if err := w.buildArrived(plan, a, res); err != nil {
		return err
	}
	a.future.report(res)
	w.hlc = data.Observe(w.hlc, a.maxHLC, w.s.Now())
	return nil
}

// buildArrived writes the records the batch touched and counts them, and
// the conflicts among them.
func (w *writer) buildArrived(plan []*plannedCommit, a *arrivals, res *data.ImportResult) error {
	fresh, merged, err := w.mergeArrived(plan, a)
	if err != nil {
		return err
	}
	for k := range merged { // a fresh row has one change: nothing to conflict with
		var n int
		if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM conflicts WHERE tbl = ? AND row_id = ?`, k.t.name, k.id).Scan(&n); err != nil {
			return err
		}
		res.Conflicts += n
	}
	res.Records = fresh + len(merged)
	return nil
}

// arrivals is what a batch's applied changes touched, for the merge that
// follows them.
type arrivals struct {
	tables  map[*table]bool // the tables of the changes applied
	applied int             // the changes applied, of kinds known here
	maxHLC  data.HLC
	future  futureStamps
}

// note records a change just written to the log.
func (a *arrivals) note(pc *plannedCommit, c *data.RawChange, officer string) {
	if c.HLC > a.maxHLC {
		a.maxHLC = c.HLC
	}
	a.future.note(c.ID.Site, officer, c.HLC)
	t, ok := tableByName(c.Table)
	if !ok {
		return // a kind this version does not know: no row to write
	}
	// The rows are found again from the commits when merged: not held
	// here, where they would grow with the batch.
	a.tables[t] = true
	a.applied++
	pc.setBit(&pc.applied, c.ID.Seq)
}

// ownCommitBack takes this device's own changes coming back: the same
// ones it made, or this identity is in use on another laptop too.
func (w *writer) ownCommitBack(pc *plannedCommit, res *data.ImportResult) error {
	if pc.LastSeq > w.seq {
		return data.RefusedBecause(data.ErrCloned, "this device's identity (%s) has two different histories (changes %d-%d were made under it elsewhere): its store was copied onto another laptop. "+
			"Nothing was imported; the copy must be restored as a new device", pc.Site.ShortCode(), max(pc.FirstSeq, w.seq+1), pc.LastSeq)
	}
	if err := w.checkOneHistory(w.dev.SiteNo, pc); err != nil {
		return err
	}
	res.AlreadyHad += pc.count()
	return nil
}

// applyCommit writes a peer's commit and its changes to the log, noting
// in a the rows they touch, and returns the author's site number.
func (w *writer) applyCommit(pc *plannedCommit, plan []*plannedCommit, a *arrivals, res *data.ImportResult) (int64, error) {
	no, err := w.s.siteNo(w.ctx, w.tx, pc.Site)
	if err != nil {
		return 0, err
	}
	if _, err := w.ExecContext(w.ctx, `UPDATE sites SET public_key = coalesce(public_key, ?),
		officer = CASE WHEN officer = '' THEN ? ELSE officer END WHERE no = ?`,
		[]byte(pc.author.PublicKey), pc.author.Officer, no); err != nil {
		return 0, err
	}
	if err := w.checkOneHistory(no, pc); err != nil {
		return 0, err
	}
	if _, err := w.ExecContext(w.ctx, `INSERT OR IGNORE INTO commits (site, first_seq, last_seq, hashes, signature) VALUES (?, ?, ?, ?, ?)`,
		no, pc.FirstSeq, pc.LastSeq, pc.Hashes, pc.Signature); err != nil {
		return 0, err
	}
	cs, err := pc.load()
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		var parents any
		if len(c.Parents) > 0 {
			parents = string(c.Parents)
		}
		r, err := w.ExecContext(w.ctx, `INSERT OR IGNORE INTO changes (id, hlc, tbl, row_id, fields, parents, schema) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			packID(no, c.ID.Seq), int64(c.HLC), c.Table, c.RowID, string(c.Fields), parents, c.Schema)
		if err != nil {
			return 0, fmt.Errorf("change %s: %w", c.ID, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			res.AlreadyHad++
			continue
		}
		res.Applied++
		if w.progress != nil && res.Applied%1000 == 0 {
			w.progress(res.Applied, 2*countChanges(plan))
		}
		if _, ok := tableByName(c.Table); !ok {
			// A kind a newer version added: kept in the log, relayed as
			// it came, never materialised here.
			res.NoteUnknownKind(c.Table)
		}
		a.note(pc, c, pc.author.Officer)
	}
	if err := w.checkComplete(no, pc); err != nil {
		return 0, err
	}
	if err := w.settleHeld(pc); err != nil {
		return 0, err
	}
	return no, nil
}

// mergeArrived writes the rows the batch touched: parents before children,
// contacts before the exchanges that name them, each table's in order of
// arrival. The rows are read back from the commits, a table at a time.
// It returns how many rows it made fresh from their one change, without
// a merge, and the rows it merged.
func (w *writer) mergeArrived(plan []*plannedCommit, a *arrivals) (int, map[rowKey]bool, error) {
	fresh, i := 0, 0
	// A row merged already is not merged again for a later change of the
	// batch (a fresh row has only the one).
	merged := map[rowKey]bool{}
	for _, t := range allTables {
		if !a.tables[t] || !w.s.builds(t) { // a hub's store builds few (hub.go)
			continue
		}
		for _, pc := range plan {
			if pc.applied == nil {
				continue
			}
			cs, err := pc.load()
			if err != nil {
				return 0, nil, err
			}
			for _, c := range cs {
				if c.Table != t.name || !bitAt(pc.applied, c.ID.Seq-pc.FirstSeq) {
					continue
				}
				k := rowKey{t, c.RowID}
				if merged[k] {
					continue
				}
				if w.progress != nil && i%500 == 0 {
					// The merge is the second half of the work, whatever
					// the number of records.
					total := 2 * countChanges(plan)
					w.progress(total/2+i*(total/2)/max(a.applied, 1), total)
				}
				i++
				created, err := w.createArrived(k, c)
				if err != nil {
					return 0, nil, err
				}
				if created {
					fresh++
					continue
				}
				merged[k] = true
				if err := w.materialise(k.t, k.id); err != nil {
					return 0, nil, err
				}
			}
		}
	}
	return fresh, merged, nil
}

// createArrived writes a record whose only change in the whole log is the
// one that just arrived, a create, as a new row, without merging (most of
// a large import is such rows). It reports false when the row needs a
// merge. Contacts always merge: exchanges that arrived earlier may name
// them and need their names.
func (w *writer) createArrived(k rowKey, c *data.RawChange) (bool, error) {
	if k.t == contactsTable || len(c.Parents) > 0 {
		return false, nil
	}
	// c is a change this batch wrote to the log: the row's only one if
	// the log holds one.
	var n int
	if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM changes WHERE tbl = ? AND row_id = ?`, k.t.name, k.id).Scan(&n); err != nil || n != 1 {
		return false, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(c.Fields, &fields); err != nil {
		return false, err
	}
	if _, ok := fields[data.DeletedField]; ok {
		return false, nil
	}
	return true, w.writeRow(k.t, k.id, fields, c.HLC, c.HLC, nil, true)
}

// checkOneHistory refuses a commit that gives a seq this store already
// holds a different change for: one site with two histories, which is a
// store copied by hand onto a second laptop. Taking either would silently
// drop the other's edits.
func (w *writer) checkOneHistory(no int64, pc *plannedCommit) error {
	rows, err := w.QueryContext(w.ctx, `SELECT first_seq, last_seq, hashes FROM commits WHERE site = ? AND first_seq <= ? AND last_seq >= ?`,
		no, pc.LastSeq, pc.FirstSeq)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var first, last int64
		var hashes []byte
		if err := rows.Scan(&first, &last, &hashes); err != nil {
			return err
		}
		from, to := max(first, pc.FirstSeq), min(last, pc.LastSeq)
		if !bytes.Equal(hashes[32*(from-first):32*(to-first+1)], pc.Hashes[32*(from-pc.FirstSeq):32*(to-pc.FirstSeq+1)]) {
			return data.RefusedBecause(data.ErrCloned, "device %s has two different histories (changes %d-%d differ from the ones held here): its store was copied onto another laptop. "+
				"Nothing was imported; the copy must be restored as a new device", pc.Site.ShortCode(), from, to)
		}
	}
	return rows.Err()
}

// checkComplete refuses a commit carried without changes this store does
// not already hold: a replica holds whole commits, or its vector would
// claim what it lacks.
func (w *writer) checkComplete(no int64, pc *plannedCommit) error {
	if int64(pc.count()) == pc.LastSeq-pc.FirstSeq+1 {
		return nil
	}
	var n int64
	if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM changes WHERE id BETWEEN ? AND ?`,
		packID(no, pc.FirstSeq), packID(no, pc.LastSeq)).Scan(&n); err != nil {
		return err
	}
	if n != pc.LastSeq-pc.FirstSeq+1 {
		return data.Refused("commit %s:%d-%d arrived without %d of its changes (truncated?)", pc.Site, pc.FirstSeq, pc.LastSeq, pc.LastSeq-pc.FirstSeq+1-n)
	}
	return nil
}

// advanceHeld moves a site's held seq over the commits now contiguous.
func (w *writer) advanceHeld(no int64) error { return advanceHeld(w.ctx, w, no) }

// advanceHeld moves a site's held seq (its entry in the vector) over the
// commits now contiguous, and over the seqs the officer discarded from
// review that count as held (DiscardQuarantine): a gap they leave never
// fills, and would stop this store relaying the author's later work.
func advanceHeld(ctx context.Context, q querier, no int64) error {
	var held int64
	var site []byte
	if err := q.QueryRowContext(ctx, `SELECT held, site_id FROM sites WHERE no = ?`, no).Scan(&held, &site); err != nil {
		return err
	}
	start := held
	for {
		var last sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT max(last_seq) FROM (
			SELECT last_seq FROM commits WHERE site = ?1 AND first_seq <= ?2 AND last_seq > ?3
			UNION ALL
			SELECT last_seq FROM discarded_seqs WHERE author = ?4 AND first_seq <= ?2 AND last_seq > ?3)`,
			no, held+1, held, site).Scan(&last)
		if err != nil {
			return err
		}
		if !last.Valid {
			break
		}
		held = last.Int64
	}
	if held == start {
		return nil
	}
	_, err := q.ExecContext(ctx, `UPDATE sites SET held = ? WHERE no = ?`, held, no)
	return err
}

// countChanges is the number of changes a plan carries.
func countChanges(plan []*plannedCommit) int {
	n := 0
	for _, pc := range plan {
		n += pc.count()
	}
	return n
}

// tableIndex orders tables so referenced rows materialise first.
func tableIndex(t *table) int { return slices.Index(allTables, t) }

// carried counts the changes a batch carries.
func carried(in data.Incoming) (int, error) {
	if in.Pages == nil {
		if in.Batch == nil {
			return 0, nil
		}
		return len(in.Batch.Changes), nil
	}
	n := 0
	err := in.Pages(func(page []data.RawChange) error {
		n += len(page)
		return nil
	})
	return n, err
}
