package sync

import (
	"context"
	"testing"
	"time"
)

func TestHistorySaysWhatEachAuthorActuallyReplaced(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day.Add(time.Minute))
	enrol(t, a, b)
	id := addExchange(t, a, "Original")
	importOK(t, b, bundle(t, a, "peerb"))
	a.Update(ctx, "exchange", id, []byte(`{"title":"A second"}`))
	b.Update(ctx, "exchange", id, []byte(`{"title":"B third"}`)) // B never saw "A second"
	importOK(t, b, bundle(t, a, "peerb"))
	cs, _ := b.Conflicts(ctx)
	if err := b.Resolve(ctx, "exchange", id, "title", []byte(`"Agreed"`), ""); err != nil || len(cs) != 1 {
		t.Fatalf("resolve: %v (%d conflicts)", err, len(cs))
	}
	h, err := b.History(ctx, "exchange", id)
	if err != nil {
		t.Fatal(err)
	}
	olds := map[string]string{}
	for _, e := range h {
		if e.Field == "title" {
			olds[string(e.New)] = string(e.Old)
		}
	}
	if olds[`"B third"`] != `"Original"` || olds[`"A second"`] != `"Original"` {
		t.Fatalf("concurrent edits should each replace the original: %v", olds)
	}
	if got := olds[`"Agreed"`]; got != `["A second","B third"]` && got != `["B third","A second"]` {
		t.Fatalf("the resolution should name both values it settled: %s", got)
	}
}
