package replication

import (
	"context"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
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

func TestSettlingAStatusConflictIsRecordedInTheStatusHistory(t *testing.T) {
	ctx := context.Background()
	a, b := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day)
	enrol(t, a, b)
	r := &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", EndUser: "INAS 312",
		Justification: "Aircraft on ground.", RequiredBy: "2027-01-15",
		Lines:   []data.Line{{Description: "Hydraulic pump", NSN: "1650013456789", Quantity: 2, Unit: "EA"}},
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}}
	ids, err := a.Add(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	importOK(t, b, bundle(t, a, "peerb"))
	// Both move it from draft to different states of equal rank... or a
	// terminal one: cancelled on A, submitted on B.
	if err := a.SetStatus(ctx, id, "cancelled", "no longer needed"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetStatus(ctx, id, "submitted", "sent"); err != nil {
		t.Fatal(err)
	}
	importOK(t, b, bundle(t, a, "peerb"))
	cs, _ := b.Conflicts(ctx)
	if len(cs) != 1 || cs[0].Field != "status" {
		t.Fatalf("conflicts %+v", cs)
	}
	if err := b.Resolve(ctx, "request", id, "status", []byte(`"submitted"`), ""); err != nil {
		t.Fatal(err)
	}
	got, _ := b.Get(ctx, "request", id)
	hist := got.(*data.Request).History
	if last := hist[len(hist)-1]; last.To != "submitted" || !strings.Contains(last.Note, "conflict settled") {
		t.Fatalf("last status entry %+v", last)
	}
}
