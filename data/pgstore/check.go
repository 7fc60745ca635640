package pgstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// CheckReport is what Check found; the hub is sound when Problems is
// empty.
type CheckReport struct {
	Commits  int      `json:"commits_verified"`
	Changes  int      `json:"changes_verified"`
	Problems []string `json:"problems"`
}

const maxProblems = 50

func (r *CheckReport) problem(format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Check verifies the hub's log from one snapshot: every commit signed by
// its author's key, every change matching the hash its commit signed,
// every site's held seq covered by its commits, and every stored
// attachment content against its SHA-256.
func (s *Store) Check(ctx context.Context) (*CheckReport, error) {
	r := &CheckReport{Problems: []string{}}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		sites, err := tx.Query(ctx, `SELECT site_id, public_key, held FROM sites ORDER BY site_id`)
		if err != nil {
			return err
		}
		type siteRow struct {
			id   data.SiteID
			key  []byte
			held int64
		}
		var all []siteRow
		for sites.Next() {
			var sr siteRow
			var id []byte
			if err := sites.Scan(&id, &sr.key, &sr.held); err != nil {
				return err
			}
			sr.id = siteOf(id)
			all = append(all, sr)
		}
		if err := sites.Err(); err != nil {
			return err
		}
		hist, err := loadKeyHistories(ctx, tx)
		if err != nil {
			return err
		}
		for _, sr := range all {
			if err := checkSite(ctx, tx, sr.id, sr.key, hist[sr.id], sr.held, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, data.Op("check", "", err)
	}
	sums, err := readStrings(ctx, s.pool, `SELECT sha256 FROM content_blobs ORDER BY sha256`)
	if err != nil {
		return nil, data.Op("check", "", err)
	}
	for _, sum := range sums {
		if err := s.WriteContent(ctx, sum, discard{}); err != nil {
			r.problem("attachment content %s: %v", sum[:data.MinHashPrefix], err)
		}
	}
	return r, nil
}

// checkSite verifies one author's commits and changes.
// A rotated site's commits verify with the key it held at each (h).
func checkSite(ctx context.Context, tx pgx.Tx, site data.SiteID, key []byte, h data.KeyHistory, held int64, r *CheckReport) error {
	rows, err := tx.Query(ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits WHERE site_id = $1 ORDER BY first_seq`, site[:])
	if err != nil {
		return err
	}
	var commits []data.Commit
	for rows.Next() {
		c := data.Commit{Site: site}
		if err := rows.Scan(&c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			rows.Close()
			return err
		}
		commits = append(commits, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The seqs the operator discarded count as held (DiscardQuarantine).
	drows, err := tx.Query(ctx, `SELECT first_seq, last_seq FROM discarded_seqs WHERE author = $1`, site[:])
	if err != nil {
		return err
	}
	spans, err := pgx.CollectRows(drows, func(row pgx.CollectableRow) ([2]int64, error) {
		var sp [2]int64
		return sp, row.Scan(&sp[0], &sp[1])
	})
	if err != nil {
		return err
	}
	for _, c := range commits {
		spans = append(spans, [2]int64{c.FirstSeq, c.LastSeq})
	}
	slices.SortFunc(spans, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	covered := int64(0)
	for _, sp := range spans {
		if sp[0] <= covered+1 {
			covered = max(covered, sp[1])
		}
	}
	for _, c := range commits {
		r.Commits++
		key := key
		if len(h.Spans) > 0 {
			var ok bool
			if key, ok = h.At(c.FirstSeq, c.LastSeq); !ok {
				r.problem("commit %s:%d-%d reaches across a key rotation", site.ShortCode(), c.FirstSeq, c.LastSeq)
				continue
			}
		}
		if !c.Verify(key) {
			r.problem("commit %s:%d-%d does not verify with its author's key", site.ShortCode(), c.FirstSeq, c.LastSeq)
		}
	}
	if covered < held {
		r.problem("site %s is recorded as held to %d, but its commits reach %d", site.ShortCode(), held, covered)
	}
	crows, err := tx.Query(ctx, `SELECT seq, hlc, tbl, row_id, fields, parents, schema FROM changes WHERE site_id = $1 ORDER BY seq`, site[:])
	if err != nil {
		return err
	}
	defer crows.Close()
	k := 0
	for crows.Next() {
		var seq, hlc int64
		var schema int32
		c := data.RawChange{}
		if err := crows.Scan(&seq, &hlc, &c.Table, &c.RowID, &c.Fields, &c.Parents, &schema); err != nil {
			return err
		}
		c.ID, c.HLC, c.Schema = data.ChangeID{Site: site, Seq: seq}, data.HLC(hlc), int(schema)
		r.Changes++
		for k < len(commits) && commits[k].LastSeq < seq {
			k++
		}
		if k == len(commits) || commits[k].FirstSeq > seq {
			r.problem("change %s is in no commit", c.ID)
			continue
		}
		h := c.Hash()
		at := 32 * (seq - commits[k].FirstSeq)
		if string(h[:]) != string(commits[k].Hashes[at:at+32]) {
			r.problem("change %s does not match the hash its commit signed", c.ID)
		}
	}
	return crows.Err()
}

func readStrings(ctx context.Context, q querier, sql string) ([]string, error) {
	rows, err := q.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
