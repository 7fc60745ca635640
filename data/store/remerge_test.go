package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"liaisondesk/data"
)

// A store upgraded from a version that let any parent supersede holds
// rows merged under the old rule: those with a change naming a parent
// stamped at or after itself (made when a peer's clock ran more than an
// hour ahead). Opening it merges them again, so the tables match the log.
func TestOpeningAnUpgradedStoreMergesAgainRowsWithParentsStampedLater(t *testing.T) {
	ctx := context.Background()
	x, p, r := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "p": p, "r": r})
	fastClock(x, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)) // X's clock three days fast
	id := addOne(t, x, sampleExchange())
	plain := addOne(t, x, sampleExchange())
	sendAll(t, x, p)
	sendAll(t, x, r)
	// P's edit, as the old version stamped it: at P's own clock, below the
	// create it supersedes.
	xdev, _ := x.Device()
	h, _ := r.History(ctx, "exchange", id)
	create, _ := data.ParseChangeID(h[0].Change)
	if create.Site != xdev.Site {
		t.Fatalf("history %+v", h)
	}
	edit := craft(t, p, nextSeq(t, p), data.MakeHLC(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).UnixMilli(), 0), "exchange", id,
		map[string]any{"time_zone": "Asia/Kolkata"}, map[string][]data.ChangeID{"time_zone": {create}})
	pdev, _ := p.Device()
	if _, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: edit}); err != nil {
		t.Fatal(err)
	}
	// As the old version left it: merged as if the edit superseded the
	// create, and migration 013 not yet run.
	if _, err := r.db.ExecContext(ctx, `UPDATE exchanges SET time_zone = 'Asia/Kolkata' WHERE id = ?;
		DELETE FROM conflicts WHERE row_id = ?;
		DROP TABLE remerge; DELETE FROM schema_migrations WHERE name = '013_remerge.sql'`, id, id); err != nil {
		t.Fatal(err)
	}
	if rep := mustCheck(t, r); len(rep.Problems) == 0 {
		t.Fatalf("the old merge went unnoticed by check")
	}
	path := r.Path()
	r.Close()
	r2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if rep := mustCheck(t, r2); !(len(rep.Problems) == 0) {
		t.Fatalf("after reopening: %v", rep.Problems)
	}
	if cs := conflictFields(t, r2, id); !slices.Equal(cs, []string{"time_zone"}) {
		t.Errorf("conflicts %v: want the two time zones kept as a conflict", cs)
	}
	if cs := conflictFields(t, r2, plain); len(cs) != 0 {
		t.Errorf("an untouched record got conflicts %v", cs)
	}
	var left int
	if err := r2.rdb.QueryRowContext(ctx, `SELECT count(*) FROM remerge`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows left to merge again (%v)", left, err)
	}
}

func mustCheck(t *testing.T, s *Store) *CheckReport {
	t.Helper()
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
