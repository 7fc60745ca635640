package store

import (
	"context"
	"fmt"
	"strings"

	"liaisondesk/data"
)

// unsentFrom is the first seq of this device's changes no peer has
// acknowledged yet (1 when none has acknowledged anything).
func (s *Store) unsentFrom(ctx context.Context) (int64, error) {
	dev, err := s.Device()
	if err != nil {
		return 0, err
	}
	var acked int64
	err = s.rdb.QueryRowContext(ctx, `SELECT coalesce(max(h.seq), 0) FROM peer_holds h
		JOIN peers p ON p.site_id = h.peer AND p.revoked_at = '' WHERE h.site = ?`, dev.Site[:]).Scan(&acked)
	return acked + 1, err
}

// UnsentChanges counts this device's changes no peer has acknowledged:
// its seqs are dense, so the count is what it wrote less the acknowledged.
func (s *Store) UnsentChanges(ctx context.Context) (int64, error) {
	from, err := s.unsentFrom(ctx)
	if err != nil {
		return 0, err
	}
	dev, _ := s.Device()
	authored, err := s.authoredChanges(ctx, dev.SiteNo)
	if err != nil {
		return 0, fmt.Errorf("unsent changes: %w", err)
	}
	return max(0, authored-from+1), nil
}

// RowMarks returns the marks of the given records of a kind; records with
// neither mark are left out.
func (s *Store) RowMarks(ctx context.Context, kind data.Kind, ids []string) (map[string]data.RowMark, error) {
	out := map[string]data.RowMark{}
	if len(ids) == 0 {
		return out, nil
	}
	t, err := tableForKind(kind)
	if err != nil {
		return nil, err
	}
	dev, err := s.Device()
	if err != nil {
		return nil, err
	}
	from, err := s.unsentFrom(ctx)
	if err != nil {
		return nil, err
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, 0, len(ids)+3)
	args = append(args, t.name)
	for _, id := range ids {
		args = append(args, id)
	}
	unsent, err := readColumn[string](ctx, s.rdb, `SELECT DISTINCT row_id FROM changes WHERE tbl = ? AND row_id IN (`+in+`) AND id >= ? AND id < ?`,
		append(args, packID(dev.SiteNo, from), packID(dev.SiteNo+1, 0))...)
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	for _, id := range unsent {
		out[id] = data.RowMark{Unsent: true}
	}
	conflicted, err := readColumn[string](ctx, s.rdb, `SELECT DISTINCT row_id FROM conflicts WHERE tbl = ? AND row_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	for _, id := range conflicted {
		m := out[id]
		m.Conflict = true
		out[id] = m
	}
	return out, nil
}
