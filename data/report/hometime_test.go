package report

import (
	"context"
	"strings"
	"testing"

	"liaisondesk/data"
)

// HQ in New Delhi reads the memorandum and the weekly report: each time
// is printed at the posting and at home.
func TestMemorandumAndWeeklyPrintTheHomeTimeToo(t *testing.T) {
	s := openStore(t)
	ids := add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 150 boarding drills",
		OccurredAt: "2026-11-24T11:00:00Z", TimeZone: "Asia/Bahrain", Summary: "Boarding drills.",
		Marking: data.Marking{Classification: "UNCLASSIFIED"}},
		&data.Exchange{Posting: "INDOPACOM", Kind: "vtc", Title: "Malabar planning VTC",
			OccurredAt: "2026-11-24T04:00:00Z", TimeZone: "Pacific/Honolulu", Summary: "Planning.",
			Marking: data.Marking{Classification: "UNCLASSIFIED"}})

	t.Run("the memorandum, home by default New Delhi", func(t *testing.T) {
		b, _ := write(t, s, Options{Kind: "exchange", ID: ids[0]}, PDF)
		text := flat(strings.Join(pdfPages(t, b), " "))
		if !strings.Contains(text, "14:00 Bahrain · 16:30 New Delhi") {
			t.Errorf("the memorandum does not print both times:\n%s", text)
		}
	})
	t.Run("a Hawaii evening is the next morning at home", func(t *testing.T) {
		b, _ := write(t, s, Options{Kind: "exchange", ID: ids[1]}, PDF)
		text := flat(strings.Join(pdfPages(t, b), " "))
		if !strings.Contains(text, "18:00 Mon 23 Nov Honolulu · 09:30 Tue 24 Nov New Delhi") {
			t.Errorf("the memorandum does not print both dated times:\n%s", text)
		}
	})
	t.Run("the memorandum, another home zone", func(t *testing.T) {
		b, _ := write(t, s, Options{Kind: "exchange", ID: ids[0], HomeZone: "Europe/London"}, PDF)
		if text := flat(strings.Join(pdfPages(t, b), " ")); !strings.Contains(text, "14:00 Bahrain · 11:00 London") {
			t.Errorf("home zone London ignored:\n%s", text)
		}
	})
	t.Run("the weekly report has a column of home times", func(t *testing.T) {
		o := Options{Kind: "weekly", From: "2026-11-23", To: "2026-11-29"}
		b, _ := write(t, s, o, PDF)
		text := flat(strings.Join(pdfPages(t, b), " "))
		for _, want := range []string{"When (New Delhi)", "24 Nov 2026 16:30", "24 Nov 2026 09:30"} {
			if !strings.Contains(text, want) {
				t.Errorf("weekly PDF lacks %q:\n%s", want, text)
			}
		}
		j, _ := write(t, s, o, JSON)
		if !strings.Contains(string(j), "2026-11-24T16:30:00+05:30") {
			t.Errorf("weekly JSON lacks the home time:\n%s", j)
		}
	})
	t.Run("an unknown home zone is refused and nothing is written", func(t *testing.T) {
		var w strings.Builder
		_, err := Write(context.Background(), s, Options{Kind: "weekly", From: "2026-11-23", To: "2026-11-29", HomeZone: "Asia/Atlantis", Now: testNow}, PDF, &w)
		if data.FieldOf(err) != "home_tz" || w.Len() != 0 {
			t.Errorf("err %v, %d bytes written", err, w.Len())
		}
	})
}
