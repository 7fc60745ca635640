package pgstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/replication/replicatest"
)

// BenchmarkHubImportPushes is the hub's side of a fleet's pushes, one
// after another, without HTTP: 20 laptops of 200 exchanges each, each
// push given a page of 2000 at a time as the hub's reader gives it. It
// reports the changes the hub applies a second.
func BenchmarkHubImportPushes(b *testing.B) {
	ctx := context.Background()
	var ins []data.Incoming
	var ids []data.Identity
	total := 0
	for i := range 20 {
		l := laptopStore(b, fmt.Sprintf("Cdr %d", i))
		recs := make([]data.Record, 200)
		for j := range recs {
			recs[j] = &data.Exchange{Posting: "CMF", Kind: "meeting", Title: fmt.Sprintf("Exchange %d", j),
				OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain", Location: "NSA Bahrain",
				Summary: "Boarding drills.", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
		}
		if _, err := l.Add(ctx, recs...); err != nil {
			b.Fatal(err)
		}
		push, err := l.Outgoing(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		id, _ := l.Identity(ctx)
		ids = append(ids, id)
		ins = append(ins, paged(id.Site, push, pagesOf(push.Changes, 2000)))
		total += len(push.Changes)
	}
	b.ResetTimer()
	var took time.Duration
	for range b.N {
		b.StopTimer()
		h, _ := openHub(b, replicatest.Day)
		for i, id := range ids {
			if _, err := h.AddPeer(ctx, fmt.Sprintf("dev%d", i), id.String()); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		for _, in := range ins {
			if _, err := h.Import(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		took += time.Since(start)
	}
	b.ReportMetric(float64(total*b.N)/took.Seconds(), "changes/s")
}
