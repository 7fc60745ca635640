package replication

import (
	"context"
	"testing"

	"liaisondesk/data"
)

// A transfer larger than a page, in a commit the page's end cuts, is
// collected and imported a page at a time and arrives whole: every
// record, the cut commit once (twice would be refused as overlapping),
// and a second bundle carries nothing new.
func TestABundleOfManyPagesArrivesWhole(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b) // at a, b is peerb
	var recs []data.Record
	for i := range pageSize + pageSize/2 { // one commit, cut by the first page's end
		recs = append(recs, benchExchange(i))
	}
	if _, err := a.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	addExchange(t, a, "After the big commit")
	bd := bundle(t, a, "peerb")
	res := importOK(t, b, bd)
	if res.Applied < len(recs)+1 {
		t.Fatalf("applied %d of at least %d", res.Applied, len(recs)+1)
	}
	if got := countExchanges(t, b); got != len(recs)+1 {
		t.Fatalf("%d exchanges arrived of %d", got, len(recs)+1)
	}
	checkClean(t, b)
	again := importOK(t, b, bundle(t, a, "peerb"))
	if again.Applied != 0 {
		t.Fatalf("a second bundle applied %d", again.Applied)
	}
}
