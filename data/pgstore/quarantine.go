package pgstore

import (
	"context"
	"strings"

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
