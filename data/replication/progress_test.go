package replication

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"liaisondesk/data"
)

func TestAnImportTellsHowFarItIs(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	var recs []data.Record
	for i := range 2500 {
		e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: fmt.Sprintf("Meeting %d", i),
			OccurredAt: "2026-11-20T06:00:00Z", TimeZone: "Asia/Bahrain",
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}
		recs = append(recs, e)
	}
	if _, err := a.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	var seen [][2]int
	_, _, err := ImportBundleProgress(ctx, b, bytes.NewReader(bundle(t, a, "peerb")), func(done, total int) {
		seen = append(seen, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 4 {
		t.Fatalf("progress told only %d times", len(seen))
	}
	for i, p := range seen {
		if p[0] > p[1] || (i > 0 && (p[0] < seen[i-1][0] || p[1] != seen[0][1])) {
			t.Fatalf("progress went %v", seen)
		}
	}
	if last := seen[len(seen)-1]; last[0] < last[1]/2 {
		t.Fatalf("progress never reached the merge: %v", seen)
	}
}
