package pgstore

import (
	"bytes"
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"liaisondesk/data"
)

// enrolHeld settles, inside the enrolment of site with key, what the hub
// took on a relaying peer's word before, as the SQLite store does
// (data/store/quarantine.go enrolHeld): commits released from review
// under another key go back to review as forgeries (their changes leave
// the log, and the vector drops below them), the enrolled key replaces
// the pinned one, and what is held in the device's name is judged by its
// key.
func (s *Store) enrolHeld(ctx context.Context, tx pgx.Tx, site data.SiteID, key []byte) error {
	// Imports of the site's changes wait: the log below is rewritten.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, siteLock(site)); err != nil {
		return err
	}
	var pinned []byte
	err := tx.QueryRow(ctx, `SELECT public_key FROM sites WHERE site_id = $1`, site[:]).Scan(&pinned)
	if err != nil && !noRows(err) {
		return err
	}
	if len(pinned) > 0 && !bytes.Equal(pinned, key) {
		if err := s.unapplyForged(ctx, tx, site, pinned, key); err != nil {
			return err
		}
	}
	return judgeHeld(ctx, tx, site, key)
}

// unapplyForged takes the commits of a site that do not verify with its
// enrolled key out of the log and back into review, as forgeries.
func (s *Store) unapplyForged(ctx context.Context, tx pgx.Tx, site data.SiteID, pinned, key []byte) error {
	rows, err := tx.Query(ctx, `SELECT first_seq, last_seq, hashes, signature FROM commits WHERE site_id = $1 ORDER BY first_seq`, site[:])
	if err != nil {
		return err
	}
	var forged []data.Commit
	for rows.Next() {
		c := data.Commit{Site: site}
		if err := rows.Scan(&c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature); err != nil {
			rows.Close()
			return err
		}
		if !c.Verify(key) {
			forged = append(forged, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE sites SET public_key = $1 WHERE site_id = $2`, key, site[:]); err != nil {
		return err
	}
	if len(forged) == 0 {
		return nil
	}
	w := &importer{s: s, tx: tx, res: &data.ImportResult{}, now: s.Now().UTC().Format(time.RFC3339)}
	for _, c := range forged {
		changes, err := changesOf(ctx, tx, site, c.FirstSeq, c.LastSeq)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM changes WHERE site_id = $1 AND seq BETWEEN $2 AND $3`, site[:], c.FirstSeq, c.LastSeq); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM commits WHERE site_id = $1 AND first_seq = $2`, site[:], c.FirstSeq); err != nil {
			return err
		}
		pc := &planned{CommitChanges: &data.CommitChanges{Commit: c, Changes: changes, Author: data.Author{Site: site, PublicKey: pinned}},
			quarantine: "forged", detail: "it was released from review with a key that is not the device's enrolled one"}
		if err := w.hold(ctx, pc); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `UPDATE sites SET held = least(held, $1) WHERE site_id = $2`, forged[0].FirstSeq-1, site[:])
	return err
}

// judgeHeld marks what is held in a newly enrolled device's name that its
// key did not sign as forged, and what was marked forged that it did sign
// as no longer: it stays held until it arrives again, verified, or the
// operator releases it.
func judgeHeld(ctx context.Context, tx pgx.Tx, site data.SiteID, key []byte) error {
	rows, err := tx.Query(ctx, `SELECT id, first_seq, last_seq, hashes, signature, reason FROM held_commits WHERE author = $1`, site[:])
	if err != nil {
		return err
	}
	var forged, genuine []int64
	for rows.Next() {
		var id int64
		var reason string
		c := data.Commit{Site: site}
		if err := rows.Scan(&id, &c.FirstSeq, &c.LastSeq, &c.Hashes, &c.Signature, &reason); err != nil {
			rows.Close()
			return err
		}
		switch {
		case !c.Verify(key):
			forged = append(forged, id)
		case reason == "forged":
			genuine = append(genuine, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE held_commits SET reason = 'forged', detail = 'it is not signed by the key the device was enrolled with' WHERE id = ANY($1)`, forged); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE held_commits SET reason = 'unknown', detail = $1 WHERE id = ANY($2)`,
		"its author was not enrolled when it arrived; it verifies with the key enrolled since", genuine)
	return err
}
