package report

import (
	"context"
	"strings"
	"testing"

	"liaisondesk/data"
)

// TestEngagementBriefListsCommitmentsStillOutstandingBothWays: ours whose
// action is open and theirs are listed; one whose action is done is not.
func TestEngagementBriefListsCommitmentsStillOutstandingBothWays(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	walker := add(t, s, &data.Contact{Name: "Laura Walker", Rank: "CDR", Organisation: "CTF 151"})[0]
	unclass := data.Marking{Classification: "UNCLASSIFIED"}
	past := add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Escort debrief with N3", OccurredAt: "2026-11-05T06:00:00Z",
		State: data.StateFinal, Counterparts: []string{walker}, Marking: unclass, Commitments: []data.Commitment{
			{Side: data.SideUs, Text: "Send the drill calendar", Owner: "Cdr. Rao", DueOn: "2026-12-01"},
			{Side: data.SideUs, Text: "Return the charts", Owner: "Cdr. Rao"},
			{Side: data.SideThem, Text: "Share the contact list"}}})[0]
	var done *data.Action
	err := s.List(ctx, data.KindAction, data.ListFilter{ExchangeID: past}, func(r data.Record) error {
		if a := r.(*data.Action); a.Title == "Return the charts" {
			done = a
		}
		return nil
	})
	if err != nil || done == nil {
		t.Fatalf("the commitment's action: %v", err)
	}
	done.Status, done.DoneAt = data.ActionDone, "2026-11-20T10:00:00Z"
	if err := s.Save(ctx, done); err != nil {
		t.Fatal(err)
	}
	planned := add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Call on CTF 151", OccurredAt: "2026-12-10T06:00:00Z",
		State: data.StatePlanned, Counterparts: []string{walker}, Objectives: []data.Objective{{Text: "Berths"}}, Marking: unclass})[0]

	b, _ := write(t, s, Options{Kind: "engagement", ID: planned}, PDF)
	text := flat(strings.Join(pdfPages(t, b), "\n"))
	for _, want := range []string{"Commitments with CDR Laura Walker", "Us Send the drill calendar Cdr. Rao 1 Dec 2026", "Them Share the contact list"} {
		if !strings.Contains(text, want) {
			t.Errorf("the brief lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Return the charts") {
		t.Errorf("a commitment whose action is done is listed as outstanding")
	}
}
