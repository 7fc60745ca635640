package demo

import (
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// The demo reads as a desk on the day it was made: what happened fell in
// the past four weeks, what lies ahead is only planned, and the clocks
// fall due around today: some overdue, some due within the week.
func TestDemoIsDatedAroundToday(t *testing.T) {
	s := openStore(t)
	fill(t, s, Options{Seed: 3, Exchanges: 1500}) // enough requests for every clock
	today := testNow.Format(data.DateLayout)
	week := testNow.AddDate(0, 0, 7).Format(data.DateLayout)
	type clock struct{ overdue, soon int }
	clocks := map[string]*clock{"RFI due": {}, "action due": {}, "acceptance": {}, "delay confirmation": {}}
	count := func(name, due string) {
		switch c := clocks[name]; {
		case due == "":
		case due < today:
			c.overdue++
		case due <= week:
			c.soon++
		}
	}

	var past, planned int
	for _, e := range list[*data.Exchange](t, s, "exchange") {
		at, err := time.Parse(time.RFC3339, e.OccurredAt)
		if err != nil {
			t.Fatal(err)
		}
		if at.Before(testNow.AddDate(0, 0, -28)) || at.After(testNow.AddDate(0, 0, 7)) {
			t.Errorf("%q occurred at %s: not within the four weeks before %s or the week after", e.Title, e.OccurredAt, today)
		}
		if at.After(testNow) {
			planned++
			if (e.State != data.StateDraft && e.State != data.StatePlanned) || e.Outcome != "" || !strings.HasPrefix(e.Summary, "Planned") {
				t.Errorf("%q, ahead of today, reads as if it had happened: state %s, outcome %q, summary %q", e.Title, e.State, e.Outcome, e.Summary)
			}
		} else {
			past++
		}
		if e.IsRFI() && e.RFIStatus == data.RFIStatus("open") && len(e.RFIDue) >= 10 {
			count("RFI due", e.RFIDue[:10])
		}
	}
	for _, a := range list[*data.Action](t, s, "action") {
		if a.Status == "open" || a.Status == "in_progress" {
			count("action due", a.DueOn)
		}
	}
	for _, r := range list[*data.Request](t, s, "request") {
		if r.Status == "order_placed" {
			count("acceptance", r.AcceptanceDue)
		}
		if !data.IsTerminal(r.Direction, r.Status) && r.Status != "delivered" {
			count("delay confirmation", r.DelayConfirmDue)
		}
	}
	if past < 1000 || planned == 0 {
		t.Errorf("%d exchanges in the past, %d planned", past, planned)
	}
	for name, c := range clocks {
		t.Logf("%s: %d overdue, %d due within the week", name, c.overdue, c.soon)
		if c.overdue == 0 || c.soon == 0 {
			t.Errorf("%s: %d overdue, %d due within the week: want some of each", name, c.overdue, c.soon)
		}
	}
}
