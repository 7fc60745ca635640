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
}

// plan verifies a batch before anything is written, as the SQLite
// store's plan does: the batch's shape and hashes (data.GroupBatch), then
// each commit's signature by what the hub knows of its author.
func (t *trust) plan(b *data.Batch) ([]*planned, error) {
	groups, err := data.GroupBatch(b)
	if err != nil {
		return nil, err
	}
	out := make([]*planned, len(groups))
	for i, g := range groups {
		pc := &planned{CommitChanges: g}
		for _, c := range g.Changes {
			if pc.suspect == "" {
				pc.suspect = data.Suspect(c, t.Self, 0, t.Now) // a hub makes no changes
			}
		}
		out[i] = pc
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
		case t.Keys[site] != nil:
			key, err := t.enrolledKey(pc) // rotation.go: the key held at the commit's seqs
			if err != nil {
				return nil, err
			}
			pc.Author.PublicKey = key // the enrolled key, whatever the sender said
			pc.Author.Officer = t.Officer[site]
			if why := t.pastCut(pc); why != "" {
				pc.quarantine, pc.detail = "revoked", why
			}
		default:
			pc.quarantine, pc.detail, pc.claimed = "unknown", "its author is not an enrolled peer", true
			if data.CheckLine("officer", pc.Author.Officer, false) != nil {
				pc.Author.Officer = ""
			}
			if key := t.Revoked[site]; key != nil {
				pc.quarantine, pc.detail, pc.claimed = "revoked", "its author's device was revoked", false
				key, _ = t.keyAt(pc, key)
				pc.Author.PublicKey, pc.Author.Officer = key, t.Officer[site]
			} else if key, _ := t.keyAt(pc, t.Pinned[site]); key != nil && !pc.Verify(key) {
				pc.quarantine = "forged"
				pc.detail = "it does not verify with the key this store already checked the device's changes with"
			}
			if key := t.claimedKey(pc); len(key) > 0 && !pc.Verify(key) {
				return nil, data.Refused("commit %s:%d-%d does not verify with its author's key (forged or altered)", site, pc.FirstSeq, pc.LastSeq)
			}
		}
	}
	return out, nil
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
	if in.Pages != nil {
		b, err := gatherPages(in)
		if err != nil {
			return data.ImportResult{Bundle: in.BundleID}, err
		}
		in.Batch, in.Pages = b, nil
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
			res.Replay, res.AlreadyHad = true, len(in.Batch.Changes)
			return nil
		}
		if !noRows(err) {
			return err
		}
	}
	if err := tr.loadPinned(ctx, tx, sites); err != nil {
		return err
	}
	plan, err := tr.plan(in.Batch)
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
// the laptops' to judge when the changes reach them.
func holdSuspects(ctx context.Context, tx pgx.Tx, plan []*planned) error {
	bySite := map[data.SiteID][]*planned{}
	for _, pc := range plan {
		if pc.quarantine == "" {
			bySite[pc.Site] = append(bySite[pc.Site], pc)
		}
	}
	for site, cs := range bySite {
		slices.SortFunc(cs, func(a, b *planned) int { return int(a.FirstSeq - b.FirstSeq) })
		var first, last int64
		err := tx.QueryRow(ctx, `SELECT first_seq, last_seq FROM held_commits WHERE author = $1 AND reason IN ('invalid', 'waits')
			ORDER BY first_seq LIMIT 1`, site[:]).Scan(&first, &last)
		if err != nil && !noRows(err) {
			return err
		}
		blocked := err == nil
		for _, pc := range cs {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM changes WHERE site_id = $1 AND seq BETWEEN $2 AND $3`,
				site[:], pc.FirstSeq, pc.LastSeq).Scan(&n); err != nil {
				return err
			}
			if n == pc.LastSeq-pc.FirstSeq+1 {
				continue // held already: had, not judged again
			}
			if blocked && pc.FirstSeq > first {
				pc.quarantine, pc.detail = "waits", fmt.Sprintf("waits behind a held commit (%s:%d-%d)", site.ShortCode(), first, last)
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
					first, last, blocked = pc.FirstSeq, pc.LastSeq, true
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
// commits and changes into the log, then each written site's held seq
// moves over what is now contiguous.
func (w *importer) apply(ctx context.Context, plan []*planned) error {
	total := 0
	for _, pc := range plan {
		total += len(pc.Changes)
	}
	bySite := map[data.SiteID][]*planned{}
	var order []data.SiteID
	for _, pc := range plan {
		if pc.quarantine != "" {
			if err := w.hold(ctx, pc); err != nil {
				return err
			}
			continue
		}
		if bySite[pc.Site] == nil {
			order = append(order, pc.Site)
		}
		bySite[pc.Site] = append(bySite[pc.Site], pc)
	}
	rows := map[string]bool{}
	for _, site := range order {
		cs := bySite[site]
		if err := w.applySite(ctx, site, cs, rows); err != nil {
			return err
		}
		if w.progress != nil {
			w.progress(w.res.Applied+w.res.AlreadyHad, total)
		}
	}
	w.res.Records = len(rows)
	return nil
}

// applySite writes one author's verified commits and their changes.
func (w *importer) applySite(ctx context.Context, site data.SiteID, cs []*planned, touched map[string]bool) error {
	tx := w.tx
	a := cs[0].Author
	if _, err := tx.Exec(ctx, `INSERT INTO sites (site_id, public_key, officer) VALUES ($1, $2, $3)
		ON CONFLICT (site_id) DO UPDATE SET public_key = coalesce(sites.public_key, excluded.public_key),
		officer = CASE WHEN sites.officer = '' THEN excluded.officer ELSE sites.officer END`,
		site[:], nilIfEmpty(a.PublicKey), a.Officer); err != nil {
		return err
	}
	if err := w.checkOneHistory(ctx, site, cs); err != nil {
		return err
	}
	var firsts, lasts []int64
	var hashes, sigs [][]byte
	var seqs, hlcs []int64
	var tbls, rowIDs []string
	var fields, parents [][]byte
	var schemas []int32
	var contents []*string
	for _, pc := range cs {
		firsts, lasts = append(firsts, pc.FirstSeq), append(lasts, pc.LastSeq)
		hashes, sigs = append(hashes, pc.Hashes), append(sigs, pc.Signature)
		for _, c := range pc.Changes {
			seqs, hlcs = append(seqs, c.ID.Seq), append(hlcs, int64(c.HLC))
			tbls, rowIDs = append(tbls, c.Table), append(rowIDs, c.RowID)
			fields, parents = append(fields, c.Fields), append(parents, nilIfEmpty(c.Parents))
			schemas = append(schemas, int32(c.Schema))
			contents = append(contents, contentOf(c))
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO commits (site_id, first_seq, last_seq, hashes, signature)
		SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bytea[], $5::bytea[]) ON CONFLICT DO NOTHING`,
		site[:], firsts, lasts, hashes, sigs); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `INSERT INTO changes (site_id, seq, hlc, tbl, row_id, fields, parents, schema, content)
		SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::bytea[], $8::int[], $9::text[])
		ON CONFLICT DO NOTHING RETURNING seq`, site[:], seqs, hlcs, tbls, rowIDs, fields, parents, schemas, contents)
	if err != nil {
		return err
	}
	fresh := map[int64]bool{}
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return err
		}
		fresh[seq] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, seq := range seqs {
		if !fresh[seq] {
			w.res.AlreadyHad++
			continue
		}
		w.res.Applied++
		touched[tbls[i]+"\x00"+rowIDs[i]] = true
		if !knownTable(tbls[i]) {
			w.res.NoteUnknownKind(tbls[i])
		}
	}
	for _, pc := range cs {
		if err := w.checkComplete(ctx, pc); err != nil {
			return err
		}
		if err := w.settleHeld(ctx, pc); err != nil {
			return err
		}
	}
	return advanceHeld(ctx, tx, site)
}

// checkOneHistory refuses commits giving a seq the hub holds a different
// change for: one site with two histories (a store copied by hand).
func (w *importer) checkOneHistory(ctx context.Context, site data.SiteID, cs []*planned) error {
	lo, hi := cs[0].FirstSeq, cs[len(cs)-1].LastSeq
	rows, err := w.tx.Query(ctx, `SELECT first_seq, last_seq, hashes FROM commits WHERE site_id = $1 AND first_seq <= $2 AND last_seq >= $3`,
		site[:], hi, lo)
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
		for _, pc := range cs {
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
	if int64(len(pc.Changes)) == pc.LastSeq-pc.FirstSeq+1 {
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

// settleHeld, once a verified commit is applied, drops the held copies of
// the same version and marks any other held version of its seqs forged.
func (w *importer) settleHeld(ctx context.Context, pc *planned) error {
	if _, err := w.tx.Exec(ctx, `DELETE FROM held_commits WHERE author = $1 AND first_seq = $2 AND version = $3`,
		pc.Site[:], pc.FirstSeq, versionOf(&pc.Commit)); err != nil {
		return err
	}
	_, err := w.tx.Exec(ctx, `UPDATE held_commits SET reason = 'forged', detail = 'it differs from the version the device''s key signed'
		WHERE author = $1 AND first_seq <= $2 AND last_seq >= $3`, pc.Site[:], pc.LastSeq, pc.FirstSeq)
	return err
}

// hold keeps, for review, the changes of a held commit the hub does not
// hold as they are: once per version of the commit.
func (w *importer) hold(ctx context.Context, pc *planned) error {
	applied := map[int64][]byte{}
	rows, err := w.tx.Query(ctx, `SELECT first_seq, last_seq, hashes FROM commits WHERE site_id = $1 AND first_seq <= $2 AND last_seq >= $3`,
		pc.Site[:], pc.LastSeq, pc.FirstSeq)
	if err != nil {
		return err
	}
	for rows.Next() {
		var first, last int64
		var hashes []byte
		if err := rows.Scan(&first, &last, &hashes); err != nil {
			rows.Close()
			return err
		}
		for seq := max(first, pc.FirstSeq); seq <= min(last, pc.LastSeq); seq++ {
			applied[seq] = hashes[32*(seq-first) : 32*(seq-first+1)]
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var fresh []*data.RawChange
	for _, c := range pc.Changes {
		at := 32 * (c.ID.Seq - pc.FirstSeq)
		if h, ok := applied[c.ID.Seq]; ok && bytes.Equal(h, pc.Hashes[at:at+32]) {
			w.res.AlreadyHad++
			continue
		}
		fresh = append(fresh, c)
	}
	if len(fresh) == 0 {
		return nil
	}
	if gone, err := w.discarded(ctx, pc, len(fresh)); err != nil || gone { // quarantine.go: not held again
		return err
	}
	var id int64
	err = w.tx.QueryRow(ctx, `INSERT INTO held_commits (author, first_seq, last_seq, hashes, signature, author_key, author_officer, claimed, sender, reason, detail, received_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (author, first_seq, version) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,
			author_key = coalesce(held_commits.author_key, excluded.author_key), received_at = excluded.received_at
		RETURNING id`,
		pc.Site[:], pc.FirstSeq, pc.LastSeq, pc.Hashes, pc.Signature, nilIfEmpty(pc.Author.PublicKey), pc.Author.Officer, pc.claimed,
		w.sender[:], pc.quarantine, pc.detail, w.now, versionOf(&pc.Commit)).Scan(&id)
	if err != nil {
		return err
	}
	held := 0
	for _, c := range fresh {
		tag, err := w.tx.Exec(ctx, `INSERT INTO held_changes (held, seq, hlc, tbl, row_id, fields, parents, schema) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT DO NOTHING`, id, c.ID.Seq, int64(c.HLC), c.Table, c.RowID, c.Fields, nilIfEmpty(c.Parents), c.Schema)
		if err != nil {
			return fmt.Errorf("hold %s: %w", c.ID, err)
		}
		if tag.RowsAffected() > 0 {
			held++
		} else {
			w.res.AlreadyHad++
		}
	}
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

// advanceHeld moves a site's held seq over the commits now contiguous.
func advanceHeld(ctx context.Context, tx pgx.Tx, site data.SiteID) error {
	var held int64
	if err := tx.QueryRow(ctx, `SELECT held FROM sites WHERE site_id = $1`, site[:]).Scan(&held); err != nil {
		return err
	}
	start := held
	for {
		var last *int64
		// Over the seqs the operator discarded too (quarantine.go DiscardQuarantine).
		if err := tx.QueryRow(ctx, `SELECT max(last_seq) FROM (SELECT last_seq FROM commits WHERE site_id = $1 AND first_seq <= $2 AND last_seq > $3
			UNION ALL SELECT last_seq FROM discarded_seqs WHERE author = $1 AND first_seq <= $2 AND last_seq > $3) s`,
			site[:], held+1, held).Scan(&last); err != nil {
			return err
		}
		if last == nil {
			break
		}
		held = *last
	}
	if held == start {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE sites SET held = $1 WHERE site_id = $2`, held, site[:])
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

// gatherPages reads a paged batch whole, copying each page (its bytes are
// the reader's until the page returns), as the SQLite store does.
func gatherPages(in data.Incoming) (*data.Batch, error) {
	b := &data.Batch{}
	if in.Batch != nil {
		b.Authors, b.Commits = in.Batch.Authors, in.Batch.Commits
	}
	err := in.Pages(func(page []data.RawChange) error {
		for _, c := range page {
			c.Table, c.RowID = strings.Clone(c.Table), strings.Clone(c.RowID)
			c.Fields, c.Parents = bytes.Clone(c.Fields), bytes.Clone(c.Parents)
			b.Changes = append(b.Changes, c)
		}
		return nil
	})
	return b, err
}

// versionOf tells versions of a commit apart: sha256(hashes || signature).
func versionOf(c *data.Commit) []byte {
	h := sha256.New()
	h.Write(c.Hashes)
	h.Write(c.Signature)
	return h.Sum(nil)
}
