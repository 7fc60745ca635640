package pgstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// trust is what an import knows of who may author changes at the hub,
// read from the database inside the import's transaction: a peer added or
// revoked by any hub process counts from the next request. The decisions
// are data.Trust's, shared with the SQLite store.
type trust struct{ *data.Trust }

func (s *Store) loadTrust(ctx context.Context, q querier) (*trust, error) {
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	t := &trust{data.NewTrust(dev.Site, dev.PublicKey(), s.Now())}
	rows, err := q.Query(ctx, `SELECT name, site_id, public_key, revoked_at, officer FROM peers`)
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
		t.AddPeer(siteOf(site), name, officer, key, revoked != "")
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := t.loadRoster(ctx, q, &s.roster); err != nil {
		return nil, err
	}
	if err := t.loadHistory(ctx, q); err != nil { // rotation.go
		return nil, err
	}
	return t, nil
}

// loadPinned reads the keys the hub checked the given sites' commits with.
func (t *trust) loadPinned(ctx context.Context, q querier, sites [][]byte) error {
	rows, err := q.Query(ctx, `SELECT site_id, public_key FROM sites WHERE site_id = ANY($1) AND length(public_key) = 32`, sites)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var site, key []byte
		if err := rows.Scan(&site, &key); err != nil {
			return err
		}
		t.Pinned[siteOf(site)] = key
	}
	return rows.Err()
}

// planned is a commit of the batch and what the import does with it.
type planned struct {
	*data.CommitChanges
	quarantine string // "" to apply, or held: unknown, revoked, invalid, waits, forged
	detail     string
	claimed    bool
	suspect    string
	// A commit of a batch of more than a page: its changes, once
	// verified, wait in the import's staged table under its index no in
	// the batch (Changes is nil), and carried counts them. Otherwise (a
	// batch of one page, a commit taken back out of the log) Changes holds
	// them.
	staged  bool
	no      int
	carried int
}

// count is the number of the commit's changes the import has, staged or
// in hand.
func (pc *planned) count() int {
	if pc.staged {
		return pc.carried
	}
	return len(pc.Changes)
}

// createStaged is the table a batch's changes wait in once verified, in
// the import's transaction: the hub holds a page or two whatever the
// batch's size, and nothing reaches the log before every page is
// verified. A connection makes it at its first import of more than a
// page, and every commit empties it; a rolled back import's rows go with
// its transaction.
const createStaged = `CREATE TEMP TABLE IF NOT EXISTS staged (commit_no int NOT NULL, site_id bytea NOT NULL, seq bigint NOT NULL, hlc bigint NOT NULL,
	tbl text NOT NULL, row_id text NOT NULL, fields bytea NOT NULL, parents bytea, schema int NOT NULL, content text, hash bytea NOT NULL) ON COMMIT DELETE ROWS`

// stagedColumns are staged's columns, in the order a staged row gives
// them.
var stagedColumns = []string{"commit_no", "site_id", "seq", "hlc", "tbl", "row_id", "fields", "parents", "schema", "content", "hash"}

// stagedRow is a verified change of commit no, as a row of staged.
func stagedRow(no int, c *data.RawChange, hash []byte) []any {
	return []any{int32(no), c.ID.Site[:], c.ID.Seq, int64(c.HLC), c.Table, c.RowID, c.Fields, nilIfEmpty(c.Parents), int32(c.Schema), contentOf(c), hash}
}

// plan verifies a batch before anything is written, as the SQLite
// store's plan does: the commits' shape, then each change as its page
// arrives (data.BatchCheck, and data.Suspect), then each commit's
// signature by what the hub knows of its author. Each page verified is
// copied and kept until the next arrives, which stages it in the
// database: a batch of one page (most pushes) is never staged.
func (t *trust) plan(ctx context.Context, tx pgx.Tx, in data.Incoming) ([]*planned, error) {
	check, err := data.NewBatchCheck(in.Batch.Commits)
	if err != nil {
		return nil, err
	}
	authors := map[data.SiteID]data.Author{}
	for _, a := range in.Batch.Authors {
		authors[a.Site] = a
	}
	out := make([]*planned, len(in.Batch.Commits))
	for i, c := range in.Batch.Commits {
		out[i] = &planned{CommitChanges: &data.CommitChanges{Commit: c, Author: authors[c.Site]}, no: i}
	}
	var kept []data.RawChange // the last page, copied
	var keptNos []int         // the index of each one's commit
	staged := false
	stage := func() error {
		if len(kept) == 0 {
			return nil
		}
		if !staged {
			if _, err := tx.Exec(ctx, createStaged); err != nil {
				return err
			}
			staged = true
		}
		rows := make([][]any, len(kept))
		for i := range kept {
			pc := out[keptNos[i]]
			at := 32 * (kept[i].ID.Seq - pc.FirstSeq)
			rows[i] = stagedRow(keptNos[i], &kept[i], pc.Hashes[at:at+32])
		}
		kept, keptNos = nil, nil
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"staged"}, stagedColumns, pgx.CopyFromRows(rows))
		return err
	}
	err = changePages(in)(func(page []data.RawChange) error {
		if err := stage(); err != nil {
			return err
		}
		kept, keptNos = make([]data.RawChange, 0, len(page)), make([]int, 0, len(page))
		for i := range page {
			c := &page[i]
			n, err := check.Take(c)
			if err != nil {
				return err
			}
			pc := out[n]
			pc.carried++
			if pc.suspect == "" {
				pc.suspect = data.Suspect(c, t.Self, 0, t.Now) // a hub makes no changes
			}
			k := *c // the page's bytes go when it returns
			k.Table, k.RowID = strings.Clone(c.Table), strings.Clone(c.RowID)
			k.Fields, k.Parents = bytes.Clone(c.Fields), bytes.Clone(c.Parents)
			kept, keptNos = append(kept, k), append(keptNos, n)
		}
		return nil
	})
	if err == nil && staged {
		err = stage()
	}
	if err != nil {
		return nil, err
	}
	for i := range kept { // one page: its changes stay in hand
		pc := out[keptNos[i]]
		pc.Changes = append(pc.Changes, &kept[i])
	}
	for _, pc := range out {
		pc.staged = staged
		site := pc.Site
		switch {
		case site == t.Self:
			if !pc.Verify(t.SelfKey) {
				return nil, data.Refused("commit %s:%d-%d is not signed by this device's key (forged or altered)", site, pc.FirstSeq, pc.LastSeq)
			}
			// Signed by the hub's key, which has signed nothing: another
			// copy of its identity.
			return nil, data.RefusedBecause(data.ErrCloned, "this device's identity (%s) has two different histories (changes %d-%d were made under it elsewhere): its store was copied onto another laptop. "+
				"Nothing was imported; the copy must be restored as a new device", site.ShortCode(), pc.FirstSeq, pc.LastSeq)
		default:
			v, err := t.Judge(&pc.Commit, pc.Author) // data/trust.go
			if err != nil {
				return nil, err
			}
			pc.Author, pc.quarantine, pc.detail, pc.claimed = v.Author, v.Quarantine, v.Detail, v.Claimed
		}
	}
	return out, nil
}

// changePages gives a batch's changes a page at a time: in.Pages, or a whole
// batch's cut into pages.
func changePages(in data.Incoming) func(func([]data.RawChange) error) error {
	if in.Pages != nil {
		return in.Pages
	}
	return func(page func([]data.RawChange) error) error {
		cs := in.Batch.Changes
		for at := 0; at < len(cs); at += importPage {
			if err := page(cs[at:min(at+importPage, len(cs))]); err != nil {
				return err
			}
		}
		return nil
	}
}

// importPage is how many changes of a whole batch are staged at a time.
const importPage = 2000

// carried counts the changes a batch carries.
func carried(in data.Incoming) (int, error) {
	n := 0
	err := changePages(in)(func(page []data.RawChange) error {
		n += len(page)
		return nil
	})
	return n, err
}

// siteLock is the advisory lock an import takes for each site it writes
// (and for its sender), so imports of one site's changes through any
// hub process apply one after another, in seq order, while other sites'
// apply at once.
func siteLock(site data.SiteID) int64 {
	return int64(binary.BigEndian.Uint64(site[:8]))
}

// Import verifies an incoming batch and applies it in one transaction:
// all of it or none of it. A bundle imported before is a no-op that says
// so.
func (s *Store) Import(ctx context.Context, in data.Incoming) (data.ImportResult, error) {
	var res data.ImportResult
	if in.Batch == nil {
		in.Batch = &data.Batch{}
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		res = data.ImportResult{Bundle: in.BundleID}
		return s.importTx(ctx, tx, in, &res)
	})
	if err != nil {
		if errors.Is(err, data.ErrRefused) {
			return data.ImportResult{Bundle: in.BundleID}, err
		}
		return data.ImportResult{Bundle: in.BundleID}, data.Op("import", "", err)
	}
	return res, nil
}

func (s *Store) importTx(ctx context.Context, tx pgx.Tx, in data.Incoming, res *data.ImportResult) error {
	locks := []int64{siteLock(in.Sender)}
	sites := [][]byte{}
	for _, c := range in.Batch.Commits {
		locks = append(locks, siteLock(c.Site))
		sites = append(sites, c.Site[:])
	}
	slices.Sort(locks)
	for _, l := range slices.Compact(locks) { // in order: no deadlock between imports
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, l); err != nil {
			return err
		}
	}
	// The roster the sender carried first: it says who may author.
	revoked, err := s.takeRoster(ctx, tx, in.Roster)
	if err != nil {
		return err
	}
	if err := s.takeRotations(ctx, tx, in.Rotations); err != nil { // rotation.go
		return err
	}
	for _, site := range revoked { // its changes past the cut leave the log below
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, siteLock(site)); err != nil {
			return err
		}
	}
	tr, err := s.loadTrust(ctx, tx)
	if err != nil {
		return err
	}
	if err := tr.CheckSender(in.Sender); err != nil {
		return err
	}
	tr.ClaimRotations(in.Rotations) // the sender's word, for sites the hub cannot check
	if in.BundleID != "" {
		var applied int
		err := tx.QueryRow(ctx, `SELECT applied FROM bundles_seen WHERE sender = $1 AND bundle_id = $2`, in.Sender[:], in.BundleID).Scan(&applied)
		if err == nil {
			res.Replay = true
			res.AlreadyHad, err = carried(in)
			return err
		}
		if !noRows(err) {
			return err
		}
	}
	if err := tr.loadPinned(ctx, tx, sites); err != nil {
		return err
	}
	plan, err := tr.plan(ctx, tx, in)
	if err != nil {
		return err
	}
	if err := holdSuspects(ctx, tx, plan); err != nil {
		return err
	}
	w := &importer{s: s, tx: tx, res: res, sender: in.Sender, now: s.Now().UTC().Format(time.RFC3339), progress: in.Progress}
	for _, site := range revoked { // what arrived before its revocation did
		if err := w.unapplyRevoked(ctx, site, tr.Org.Cut[site], tr.Names[site]); err != nil {
			return err
		}
	}
	if err := w.apply(ctx, plan); err != nil {
		return err
	}
	if err := settleRotatedKeys(ctx, tx); err != nil { // rotation.go
		return err
	}
	if err := s.takeContent(ctx, tx, in); err != nil {
		return err
	}
	if err := s.recordAck(ctx, tx, in.Sender, in.SenderHolds); err != nil {
		return err
	}
	if in.BundleID != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO bundles_seen (sender, bundle_id, imported_at, applied) VALUES ($1, $2, $3, $4)`,
			in.Sender[:], in.BundleID, w.now, res.Applied); err != nil {
			return err
		}
	}
	return nil
}

// holdSuspects holds for review, as the SQLite store's checkRules does
// for its suspects, a commit with a change no honest writer makes, and
// its author's later commits, which wait behind it (in this batch or
// held before). A hub keeps no records, so the forms' rules on fields are
// the laptops' to judge when the changes reach them. It asks the
// database twice for the whole batch.
func holdSuspects(ctx context.Context, tx pgx.Tx, plan []*planned) error {
	bySite := map[data.SiteID][]*planned{}
	var sites, commitSites [][]byte
	var firsts, lasts []int64
	var cs []*planned
	for _, pc := range plan {
		if pc.quarantine != "" {
			continue
		}
		if bySite[pc.Site] == nil {
			sites = append(sites, pc.Site[:])
		}
		bySite[pc.Site] = append(bySite[pc.Site], pc)
		cs = append(cs, pc)
		commitSites, firsts, lasts = append(commitSites, pc.Site[:]), append(firsts, pc.FirstSeq), append(lasts, pc.LastSeq)
	}
	if len(cs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	// Each author's first commit held as invalid or waiting, if any.
	b.Queue(`SELECT DISTINCT ON (author) author, first_seq, last_seq FROM held_commits
		WHERE author = ANY($1) AND reason IN ('invalid', 'waits') ORDER BY author, first_seq`, sites)
	// The commits the log holds whole already.
	b.Queue(`SELECT r.i FROM unnest($1::bytea[], $2::bigint[], $3::bigint[]) WITH ORDINALITY r(site, first, last, i)
		WHERE (SELECT count(*) FROM changes c WHERE c.site_id = r.site AND c.seq BETWEEN r.first AND r.last) = r.last - r.first + 1`,
		commitSites, firsts, lasts)
	res := tx.SendBatch(ctx, b)
	defer res.Close()
	type run struct{ first, last int64 }
	blockedBy := map[data.SiteID]run{}
	rows, err := res.Query()
	if err != nil {
		return err
	}
	for rows.Next() {
		var site []byte
		var r run
		if err := rows.Scan(&site, &r.first, &r.last); err != nil {
			return err
		}
		blockedBy[siteOf(site)] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	had := map[*planned]bool{}
	rows, err = res.Query()
	if err != nil {
		return err
	}
	for rows.Next() {
		var i int64
		if err := rows.Scan(&i); err != nil {
			return err
		}
		had[cs[i-1]] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := res.Close(); err != nil {
		return err
	}
	for site, cs := range bySite {
		slices.SortFunc(cs, func(a, b *planned) int { return int(a.FirstSeq - b.FirstSeq) })
		r, blocked := blockedBy[site]
		for _, pc := range cs {
			if had[pc] {
				continue // held already: had, not judged again
			}
			if blocked && pc.FirstSeq > r.first {
				pc.quarantine, pc.detail = "waits", fmt.Sprintf("waits behind a held commit (%s:%d-%d)", site.ShortCode(), r.first, r.last)
				continue
			}
			if pc.suspect != "" {
				pc.quarantine, pc.detail = "invalid", pc.suspect
				// A version the operator discarded does not hold back what follows it (quarantine.go).
				gone, err := discardedVersion(ctx, tx, &pc.Commit)
				if err != nil {
					return err
				}
				if !gone {
					r, blocked = run{pc.FirstSeq, pc.LastSeq}, true
				}
			}
		}
	}
	return nil
}

// importer writes a verified plan inside the import's transaction.
type importer struct {
	s        *Store
	tx       pgx.Tx
	res      *data.ImportResult
	sender   data.SiteID
	now      string
	progress func(done, total int)
}

// apply writes the plan: held commits aside for review, the others'
// commits into the log and their staged changes after them, then each
// written site's held seq moves over what is now contiguous.
func (w *importer) apply(ctx context.Context, plan []*planned) error {
	total := 0
	for _, pc := range plan {
		total += pc.count()
	}
	bySite := map[data.SiteID][]*planned{}
	var order []data.SiteID
	var held []int32
	for _, pc := range plan {
		if pc.quarantine != "" {
			if len(held) == 0 && pc.staged {
				// Each held commit's changes are read out of staged.
				if _, err := w.tx.Exec(ctx, `CREATE INDEX IF NOT EXISTS staged_commit_no ON staged (commit_no)`); err != nil {
					return err
				}
			}
			if err := w.hold(ctx, pc); err != nil {
				return err
			}
			if pc.staged {
				held = append(held, int32(pc.no))
			}
			continue
		}
		if bySite[pc.Site] == nil {
			order = append(order, pc.Site)
		}
		bySite[pc.Site] = append(bySite[pc.Site], pc)
	}
	if len(held) > 0 { // what is staged now goes to the log
		if _, err := w.tx.Exec(ctx, `DELETE FROM staged WHERE commit_no = ANY($1)`, held); err != nil {
			return err
		}
	}
	if len(order) == 0 {
		return nil
	}
	var applied []*planned
	carried := 0
	for _, site := range order {
		for _, pc := range bySite[site] {
			applied = append(applied, pc)
			carried += pc.count()
		}
	}
	if err := w.applyCommits(ctx, order, bySite); err != nil {
		return err
	}
	if err := w.applyChanges(ctx, applied, carried); err != nil {
		return err
	}
	if w.progress != nil {
		w.progress(w.res.Applied+w.res.AlreadyHad, total)
	}
	for _, pc := range applied {
		if err := w.checkComplete(ctx, pc); err != nil {
			return err
		}
	}
	if err := w.settleHeld(ctx, applied...); err != nil {
		return err
	}
	return advanceHeld(ctx, w.tx, order...)
}

// applyCommits writes the authors' verified commits (their changes
// follow, applyChanges): each author's site and the commits the log holds
// over the same seqs in one round trip, then, once checkOneHistory has
// compared them, the commits.
func (w *importer) applyCommits(ctx context.Context, order []data.SiteID, bySite map[data.SiteID][]*planned) error {
	var sites, keys [][]byte
	var officers []string
	var los, his []int64
	for _, site := range order {
		cs := bySite[site]
		sites, keys, officers = append(sites, site[:]), append(keys, nilIfEmpty(cs[0].Author.PublicKey)), append(officers, cs[0].Author.Officer)
		lo, hi := cs[0].FirstSeq, cs[0].LastSeq
		for _, pc := range cs {
			lo, hi = min(lo, pc.FirstSeq), max(hi, pc.LastSeq)
		}
		los, his = append(los, lo), append(his, hi)
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO sites (site_id, public_key, officer) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::text[])
		ON CONFLICT (site_id) DO UPDATE SET public_key = coalesce(sites.public_key, excluded.public_key),
		officer = CASE WHEN sites.officer = '' THEN excluded.officer ELSE sites.officer END`, sites, keys, officers)
	b.Queue(`SELECT c.site_id, c.first_seq, c.last_seq, c.hashes FROM commits c
		JOIN unnest($1::bytea[], $2::bigint[], $3::bigint[]) r(site, lo, hi) ON c.site_id = r.site AND c.first_seq <= r.hi AND c.last_seq >= r.lo`,
		sites, los, his)
	res := w.tx.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return err
	}
	rows, err := res.Query()
	if err != nil {
		return err
	}
	if err := checkOneHistory(rows, bySite); err != nil {
		return err
	}
	if err := res.Close(); err != nil {
		return err
	}
	return w.insertCommits(ctx, order, bySite)
}

// commitChunk is how many bytes of hash lists one statement inserting
// commits carries: a million changes' are 32 MB, which encoded whole for
// one statement doubled the hub's memory.
const commitChunk = 4 << 20

// insertCommits writes the commits to the log, a chunk at a time.
func (w *importer) insertCommits(ctx context.Context, order []data.SiteID, bySite map[data.SiteID][]*planned) error {
	var sites, hashes, sigs [][]byte
	var firsts, lasts []int64
	size, limit := 0, w.s.commitChunk
	if limit == 0 {
		limit = commitChunk
	}
	flush := func() error {
		if len(sites) == 0 {
			return nil
		}
		_, err := w.tx.Exec(ctx, `INSERT INTO commits (site_id, first_seq, last_seq, hashes, signature)
			SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bytea[], $5::bytea[]) ON CONFLICT DO NOTHING`,
			sites, firsts, lasts, hashes, sigs)
		sites, hashes, sigs, firsts, lasts, size = sites[:0], hashes[:0], sigs[:0], firsts[:0], lasts[:0], 0
		return err
	}
	for _, site := range order {
		for _, pc := range bySite[site] {
			sites, firsts, lasts = append(sites, pc.Site[:]), append(firsts, pc.FirstSeq), append(lasts, pc.LastSeq)
			hashes, sigs = append(hashes, pc.Hashes), append(sigs, pc.Signature)
			if size += len(pc.Hashes); size >= limit {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// applyChanges writes the applied commits' changes to the log in one
// statement, which counts in the database, not in the hub's memory, the
// changes new here and the records they touch; carried is how many the
// commits carry. A staged batch's are all in staged (the held ones' are
// gone); a batch of one page's are in hand.
func (w *importer) applyChanges(ctx context.Context, cs []*planned, carried int) error {
	src := `SELECT site_id, seq, hlc, tbl, row_id, fields, parents, schema, content FROM staged`
	var args []any
	if !cs[0].staged {
		var sites, fields, parents [][]byte
		var seqs, hlcs []int64
		var tbls, rowIDs []string
		var schemas []int32
		var contents []*string
		for _, pc := range cs {
			for _, c := range pc.Changes {
				sites, fields, parents = append(sites, c.ID.Site[:]), append(fields, c.Fields), append(parents, nilIfEmpty(c.Parents))
				seqs, hlcs = append(seqs, c.ID.Seq), append(hlcs, int64(c.HLC))
				tbls, rowIDs = append(tbls, c.Table), append(rowIDs, c.RowID)
				schemas, contents = append(schemas, int32(c.Schema)), append(contents, contentOf(c))
			}
		}
		src = `SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::bytea[], $8::int[], $9::text[])`
		args = []any{sites, seqs, hlcs, tbls, rowIDs, fields, parents, schemas, contents}
	}
	rows, err := w.tx.Query(ctx, `WITH ins AS (
		INSERT INTO changes (site_id, seq, hlc, tbl, row_id, fields, parents, schema, content) `+src+`
		ON CONFLICT DO NOTHING RETURNING tbl, row_id)
		SELECT tbl, count(*), count(DISTINCT row_id) FROM ins GROUP BY tbl`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	applied := 0
	for rows.Next() {
		var tbl string
		var n, records int64
		if err := rows.Scan(&tbl, &n, &records); err != nil {
			return err
		}
		applied += int(n)
		w.res.Records += int(records)
		if !knownTable(tbl) {
			if w.res.UnknownKinds == nil {
				w.res.UnknownKinds = map[string]int{}
			}
			w.res.UnknownKinds[tbl] += int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.res.Applied += applied
	w.res.AlreadyHad += carried - applied
	return nil
}

// checkOneHistory refuses commits giving a seq the hub holds a different
// change for: one site with two histories (a store copied by hand). rows
// are the commits the log holds that overlap the batch's.
func checkOneHistory(rows pgx.Rows, bySite map[data.SiteID][]*planned) error {
	defer rows.Close()
	for rows.Next() {
		var site, hashes []byte
		var first, last int64
		if err := rows.Scan(&site, &first, &last, &hashes); err != nil {
			return err
		}
		for _, pc := range bySite[siteOf(site)] {
			from, to := max(first, pc.FirstSeq), min(last, pc.LastSeq)
			if from > to {
				continue
			}
			if !bytes.Equal(hashes[32*(from-first):32*(to-first+1)], pc.Hashes[32*(from-pc.FirstSeq):32*(to-pc.FirstSeq+1)]) {
				return data.RefusedBecause(data.ErrCloned, "device %s has two different histories (changes %d-%d differ from the ones held here): its store was copied onto another laptop. "+
					"Nothing was imported; the copy must be restored as a new device", pc.Site.ShortCode(), from, to)
			}
		}
	}
	return rows.Err()
}

// checkComplete refuses a commit carried without changes the hub does not
// already hold: a replica holds whole commits, or its vector would claim
// what it lacks.
func (w *importer) checkComplete(ctx context.Context, pc *planned) error {
	if int64(pc.count()) == pc.LastSeq-pc.FirstSeq+1 {
		return nil
	}
	var n int64
	if err := w.tx.QueryRow(ctx, `SELECT count(*) FROM changes WHERE site_id = $1 AND seq BETWEEN $2 AND $3`,
		pc.Site[:], pc.FirstSeq, pc.LastSeq).Scan(&n); err != nil {
		return err
	}
	if n != pc.LastSeq-pc.FirstSeq+1 {
		return data.Refused("commit %s:%d-%d arrived without %d of its changes (truncated?)", pc.Site, pc.FirstSeq, pc.LastSeq, pc.LastSeq-pc.FirstSeq+1-n)
	}
	return nil
}

// settleHeld, once verified commits are applied, drops the held copies
// of the same versions and marks any other held version of their seqs
// forged, in one round trip. (A batch's commits of a site do not overlap,
// so no commit's marking touches another's version.)
func (w *importer) settleHeld(ctx context.Context, cs ...*planned) error {
	var sites, versions [][]byte
	var firsts, lasts []int64
	for _, pc := range cs {
		sites, versions = append(sites, pc.Site[:]), append(versions, versionOf(&pc.Commit))
		firsts, lasts = append(firsts, pc.FirstSeq), append(lasts, pc.LastSeq)
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM held_commits h USING unnest($1::bytea[], $2::bigint[], $3::bytea[]) r(site, first, version)
		WHERE h.author = r.site AND h.first_seq = r.first AND h.version = r.version`, sites, firsts, versions)
	b.Queue(`UPDATE held_commits h SET reason = 'forged', detail = 'it differs from the version the device''s key signed'
		FROM unnest($1::bytea[], $2::bigint[], $3::bigint[]) r(site, first, last)
		WHERE h.author = r.site AND h.first_seq <= r.last AND h.last_seq >= r.first`, sites, firsts, lasts)
	return w.tx.SendBatch(ctx, b).Close()
}

// hold keeps, for review, the changes of a held commit the hub does not
// hold as they are: once per version of the commit. One statement reads
// them (from staged, or from pc.Changes), leaves out those the log holds
// with the same hash, and writes the rest under the commit's version.
func (w *importer) hold(ctx context.Context, pc *planned) error {
	if gone, err := w.discarded(ctx, pc, pc.count()); err != nil || gone { // quarantine.go: not held again
		return err
	}
	src, args := `SELECT seq, hlc, tbl, row_id, fields, parents, schema, hash FROM staged WHERE commit_no = $14`, []any{int32(pc.no)}
	if !pc.staged {
		var seqs, hlcs []int64
		var tbls, rowIDs []string
		var fields, parents, hashes [][]byte
		var schemas []int32
		for _, c := range pc.Changes {
			at := 32 * (c.ID.Seq - pc.FirstSeq)
			seqs, hlcs = append(seqs, c.ID.Seq), append(hlcs, int64(c.HLC))
			tbls, rowIDs = append(tbls, c.Table), append(rowIDs, c.RowID)
			fields, parents = append(fields, c.Fields), append(parents, nilIfEmpty(c.Parents))
			schemas, hashes = append(schemas, int32(c.Schema)), append(hashes, pc.Hashes[at:at+32])
		}
		src = `SELECT * FROM unnest($14::bigint[], $15::bigint[], $16::text[], $17::text[], $18::bytea[], $19::bytea[], $20::int[], $21::bytea[])`
		args = []any{seqs, hlcs, tbls, rowIDs, fields, parents, schemas, hashes}
	}
	args = append([]any{pc.Site[:], pc.FirstSeq, pc.LastSeq, pc.Hashes, pc.Signature, nilIfEmpty(pc.Author.PublicKey), pc.Author.Officer, pc.claimed,
		w.sender[:], pc.quarantine, pc.detail, w.now, versionOf(&pc.Commit)}, args...)
	var held int
	err := w.tx.QueryRow(ctx, `WITH src (seq, hlc, tbl, row_id, fields, parents, schema, hash) AS (`+src+`),
		fresh AS (SELECT s.* FROM src s WHERE NOT EXISTS (SELECT 1 FROM commits c
			WHERE c.site_id = $1::bytea AND c.first_seq <= s.seq AND c.last_seq >= s.seq
			AND substring(c.hashes FROM (32*(s.seq-c.first_seq)+1)::int FOR 32) = s.hash)),
		hc AS (INSERT INTO held_commits (author, first_seq, last_seq, hashes, signature, author_key, author_officer, claimed, sender, reason, detail, received_at, version)
			SELECT $1::bytea, $2::bigint, $3::bigint, $4::bytea, $5::bytea, $6::bytea, $7::text, $8::boolean, $9::bytea, $10::text, $11::text, $12::text, $13::bytea
			WHERE EXISTS (SELECT 1 FROM fresh)
			ON CONFLICT (author, first_seq, version) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,
				author_key = coalesce(held_commits.author_key, excluded.author_key), received_at = excluded.received_at
			RETURNING id),
		ins AS (INSERT INTO held_changes (held, seq, hlc, tbl, row_id, fields, parents, schema)
			SELECT hc.id, f.seq, f.hlc, f.tbl, f.row_id, f.fields, f.parents, f.schema FROM hc, fresh f
			ON CONFLICT DO NOTHING RETURNING 1)
		SELECT count(*) FROM ins`, args...).Scan(&held)
	if err != nil {
		return fmt.Errorf("hold %s:%d-%d: %w", pc.Site, pc.FirstSeq, pc.LastSeq, err)
	}
	w.res.AlreadyHad += pc.count() - held
	w.res.Quarantined += held
	if held > 0 {
		h := data.HeldCommit{Author: pc.Site.String(), Device: pc.Site.ShortCode(), Officer: pc.Author.Officer, Claimed: pc.claimed,
			FirstSeq: pc.FirstSeq, LastSeq: pc.LastSeq, Changes: held, Reason: pc.quarantine, Detail: pc.detail}
		if n := len(w.res.Held); n > 0 {
			p := &w.res.Held[n-1]
			if p.Author == h.Author && p.Reason == h.Reason && p.Reason != "invalid" && p.Claimed == h.Claimed && p.Officer == h.Officer && p.LastSeq < h.FirstSeq {
				p.LastSeq, p.Changes = h.LastSeq, p.Changes+h.Changes
				return nil
			}
		}
		w.res.Held = append(w.res.Held, h)
	}
	return nil
}

// advanceHeld moves each site's held seq over the commits now
// contiguous, and over the seqs the operator discarded (quarantine.go
// DiscardQuarantine), in one statement: from the held seq, the furthest
// commit or discarded run starting at or before the next seq, again until
// none does.
func advanceHeld(ctx context.Context, tx pgx.Tx, sites ...data.SiteID) error {
	ids := make([][]byte, len(sites))
	for i := range sites {
		ids[i] = sites[i][:]
	}
	_, err := tx.Exec(ctx, `WITH RECURSIVE run (site_id, seq) AS (
			SELECT site_id, held FROM sites WHERE site_id = ANY($1)
			UNION ALL
			SELECT run.site_id, (SELECT max(last_seq) FROM (
				SELECT c.last_seq FROM commits c WHERE c.site_id = run.site_id AND c.first_seq <= run.seq + 1 AND c.last_seq > run.seq
				UNION ALL
				SELECT d.last_seq FROM discarded_seqs d WHERE d.author = run.site_id AND d.first_seq <= run.seq + 1 AND d.last_seq > run.seq) n)
			FROM run WHERE run.seq IS NOT NULL)
		UPDATE sites s SET held = r.seq FROM (SELECT site_id, max(seq) AS seq FROM run GROUP BY site_id) r
		WHERE s.site_id = r.site_id AND s.held < r.seq`, ids)
	return err
}

// contentOf names the attachment content an attachment change refers to.
func contentOf(c *data.RawChange) *string {
	if c.Table != data.Describe(data.KindAttachment).Table {
		return nil
	}
	var f struct {
		SHA256 string `json:"sha256"`
	}
	if json.Unmarshal(c.Fields, &f) != nil || !data.IsSHA256(f.SHA256) {
		return nil
	}
	return &f.SHA256
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// knownTable reports a table of a kind this version knows: changes of
// another a newer version wrote, kept and relayed.
func knownTable(name string) bool {
	return slices.ContainsFunc(data.AllKinds(), func(k *data.KindInfo) bool { return k.Table == name })
}

// versionOf tells versions of a commit apart: sha256(hashes || signature).
func versionOf(c *data.Commit) []byte {
	h := sha256.New()
	h.Write(c.Hashes)
	h.Write(c.Signature)
	return h.Sum(nil)
}
