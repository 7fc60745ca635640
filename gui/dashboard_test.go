package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

func TestDashboardShowsTheStore(t *testing.T) {
	test.NewTempApp(t)
	s := openStore(t)
	ctx := context.Background()
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 152 Gulf security brief",
		OccurredAt: "2026-11-20T06:00:00Z", Marking: data.Marking{Classification: "UNCLASSIFIED"}}
	if _, err := s.Add(ctx, e); err != nil {
		t.Fatal(err)
	}
	d := newDashboard(s)
	w := test.NewWindow(d.build())
	defer w.Close()
	d.loaded.Wait()
	if !strings.Contains(d.counts.Text, "1 exchanges") {
		t.Fatalf("counts: %q", d.counts.Text)
	}
	if !strings.Contains(d.identity.Text, "Col. A. Sharma") {
		t.Fatalf("identity: %q", d.identity.Text)
	}
	if len(d.items) != 1 || d.items[0].Title != "CTF 152 Gulf security brief" {
		t.Fatalf("recent: %+v", d.items)
	}
}
