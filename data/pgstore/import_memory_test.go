package pgstore

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/replication/replicatest"
)

// The hub holds a page of a paged batch, not the batch: what it keeps
// alive while the pages stream in (measured after a collection at each
// page's end) stays far below the batch's size, which the import used to
// gather whole before it began.
func TestAPagedImportAtThePostgreSQLHubHoldsAPageNotTheBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 40,000 changes")
	}
	ctx := context.Background()
	h, _ := openHub(t, replicatest.Day)
	l := laptopStore(t, "Cdr A")
	id, _ := l.Identity(ctx)
	dev, _ := l.Device()
	if _, err := h.AddPeer(ctx, "deva", id.String()); err != nil {
		t.Fatal(err)
	}
	const n, perCommit, pageSize = 40_000, 100, 2000
	summary := strings.Repeat("Boarding drills and the exercise plan. ", 10) // ~400 bytes a change
	change := func(seq int64) data.RawChange {
		return data.RawChange{ID: data.ChangeID{Site: dev.Site, Seq: seq}, HLC: data.HLC(uint64(replicatest.Day.UnixMilli())<<16 + uint64(seq)),
			Table: "exchanges", RowID: fmt.Sprintf("memory-%06d", seq), Fields: fmt.Appendf(nil, `{"summary":%q}`, summary), Schema: data.SchemaVersion}
	}
	var commits []data.Commit
	batchBytes := 0
	for first := int64(1); first <= n; first += perCommit {
		c := data.Commit{Site: dev.Site, FirstSeq: first, LastSeq: first + perCommit - 1}
		for seq := first; seq <= c.LastSeq; seq++ {
			ch := change(seq)
			h := ch.Hash()
			c.Hashes = append(c.Hashes, h[:]...)
			batchBytes += len(ch.Fields) + len(ch.RowID) + len(ch.Table)
		}
		sig, err := dev.Sign(data.CommitMessage(c.Site, c.FirstSeq, c.LastSeq, c.Hashes))
		if err != nil {
			t.Fatal(err)
		}
		c.Signature = sig
		commits = append(commits, c)
	}
	live := func() int {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int(m.HeapAlloc)
	}
	base, peak := live(), 0
	pages := func(page func([]data.RawChange) error) error {
		p := make([]data.RawChange, 0, pageSize) // made afresh each page, as a reader does
		for seq := int64(1); seq <= n; seq++ {
			p = append(p, change(seq))
			if len(p) == pageSize {
				if err := page(p); err != nil {
					return err
				}
				p = make([]data.RawChange, 0, pageSize)
				peak = max(peak, live()-base)
			}
		}
		return nil
	}
	res, err := h.Import(ctx, data.Incoming{Sender: id.Site, Batch: &data.Batch{Commits: commits}, Pages: pages})
	if err != nil || res.Applied != n || res.Records != n {
		t.Fatalf("the paged batch: %+v %v", res, err)
	}
	if peak > batchBytes/4 {
		t.Fatalf("the hub kept %d KB alive importing a batch of %d KB of changes", peak>>10, batchBytes>>10)
	}
	t.Logf("kept %d KB alive at most for a batch of %d KB", peak>>10, batchBytes>>10)
}
