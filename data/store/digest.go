package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"liaisondesk/data"
)

// Digest is an order-independent fingerprint of the merged state: the
// SHA-256 over every change held, as (site, seq, change hash) in site and
// seq order. The merged records are a function of the changes held, so two
// replicas have the same records, conflicts included, exactly when their
// digests are equal, however the changes reached them.
func (s *Store) Digest(ctx context.Context) (string, error) {
	h := sha256.New()
	h.Write([]byte("liaisondesk-digest-v1\x00"))
	err := s.readTx(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT st.site_id, c.site, c.first_seq, c.last_seq, c.hashes
			FROM commits c JOIN sites st ON st.no = c.site ORDER BY st.site_id, c.first_seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var n [8]byte
		for rows.Next() {
			var site, hashes []byte
			var no, first, last int64
			if err := rows.Scan(&site, &no, &first, &last, &hashes); err != nil {
				return err
			}
			h.Write(site)
			binary.BigEndian.PutUint64(n[:], uint64(first))
			h.Write(n[:])
			binary.BigEndian.PutUint64(n[:], uint64(last))
			h.Write(n[:])
			h.Write(hashes)
		}
		return rows.Err()
	})
	if err != nil {
		return "", data.Op("digest", "", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
