package report

import (
	"context"
	"strings"
	"testing"

	"liaisondesk/data"
)

func TestEngagementBriefShowsObjectivesAndCounterpartHistory(t *testing.T) {
	s, ids := markedStore(t)
	rec, err := s.Get(context.Background(), "exchange", ids["CONFXMARK"])
	if err != nil {
		t.Fatal(err)
	}
	walker := rec.(*data.Exchange).Counterparts[0]
	planned := add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Planned call on CTF 151", State: data.StatePlanned,
		OccurredAt: "2026-12-10T06:00:00Z", Counterparts: []string{walker},
		Objectives:    []data.Objective{{Text: "Secure berth slots", Priority: "P1"}, {Text: "Agree fuel arrangement", Priority: "P2"}},
		TalkingPoints: "Thank them for the escort", Asks: "Two berth slots in January", RedLines: "No basing commitment",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})[0]

	b, sum := write(t, s, Options{Kind: "engagement", ID: planned, Ceiling: "CONFIDENTIAL"}, PDF)
	pages := pdfPages(t, b)
	if len(pages) > 2 {
		t.Errorf("the brief runs to %d pages, want one or two", len(pages))
	}
	text := flat(strings.Join(pages, "\n"))
	for _, want := range []string{"Engagement brief", "Secure berth slots", "P1", "Agree fuel arrangement", "Thank them for the escort",
		"Two berth slots in January", "No basing commitment", "CDR Laura Walker", "CDR, Deputy N3, CTF 151", "13 Nov 2026",
		"NOFORNXMARK exchange", "CONFXMARK exchange", "RESTRICTEDXMARK exchange", "CONFXMARK action"} {
		if !strings.Contains(text, want) {
			t.Errorf("brief lacks %q", want)
		}
	}
	// Only the last three contacts; the secret one is above the ceiling and counted as left out.
	// UNCLASSXMARK is the fourth contact: it shows only as the source of its open action.
	if n := strings.Count(text, "UNCLASSXMARK exchange"); n != 1 {
		t.Errorf("the fourth-last contact shows %d times, want once (its action's source)", n)
	}
	for _, absent := range []string{"SECRETXMARK", "request action"} {
		if strings.Contains(text, absent) {
			t.Errorf("brief shows %q", absent)
		}
	}
	if sum.LeftOut == 0 {
		t.Errorf("nothing counted as left out above the ceiling")
	}
	if sum.Banner.Classification.ID != "CONFIDENTIAL" {
		t.Errorf("banner %s, want the highest kept marking", sum.Banner)
	}
	nt := strings.Index(text, "NOFORNXMARK exchange")
	if ct := strings.Index(text, "CONFXMARK exchange"); nt < 0 || ct < nt {
		t.Errorf("last contacts not newest first")
	}
}

func TestEngagementBriefAboveTheCeilingIsRefused(t *testing.T) {
	s, ids := markedStore(t)
	_, err := Write(context.Background(), s, Options{Kind: "engagement", ID: ids["SECRETXMARK"], Ceiling: "CONFIDENTIAL"}, PDF, &strings.Builder{})
	if data.FieldOf(err) != "ceiling" {
		t.Errorf("brief of a secret exchange under a confidential ceiling: %v, want a ceiling refusal", err)
	}
	if _, err := Write(context.Background(), s, Options{Kind: "engagement"}, PDF, &strings.Builder{}); data.FieldOf(err) != "id" {
		t.Errorf("brief without an id: %v", err)
	}
}
