package data

import (
	"testing"
	"time"
)

func TestDueWindowCountsWorkingDays(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		now         time.Time
		lead        int
		today, last string
		end         string // the horizon's end, UTC
	}{
		{"Friday before Martin Luther King Jr. Day, one day", time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC), 1, "2027-01-15", "2027-01-19", "2027-01-20T00:00:00Z"},
		{"the same Friday, no lead", time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC), 0, "2027-01-15", "2027-01-15", "2027-01-16T00:00:00Z"},
		{"a Saturday reaches Monday", time.Date(2027, 1, 9, 9, 0, 0, 0, time.UTC), 1, "2027-01-09", "2027-01-11", "2027-01-12T00:00:00Z"},
		{"Kolkata's day, not UTC's", time.Date(2027, 1, 15, 1, 0, 0, 0, kolkata), 1, "2027-01-15", "2027-01-19", "2027-01-19T18:30:00Z"},
		{"a lead past the limit is the limit", time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC), 99, "2027-01-15", "2027-02-01", "2027-02-02T00:00:00Z"},
		{"a negative lead is none", time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC), -3, "2027-01-15", "2027-01-15", "2027-01-16T00:00:00Z"},
	} {
		today, last, end := DueWindow(c.now, c.lead)
		if today != c.today || last != c.last || end.Format(time.RFC3339) != c.end {
			t.Errorf("%s: %s..%s ending %s, want %s..%s ending %s", c.name, today, last, end.Format(time.RFC3339), c.today, c.last, c.end)
		}
	}
}

func TestDueItemDiscreetAboveUnclassified(t *testing.T) {
	for level, want := range map[string]bool{"": false, "UNCLASSIFIED": false, "RESTRICTED": true, "SECRET": true, "NATO CONFIDENTIAL": true} {
		if got := (DueItem{Marking: Marking{Classification: level}}).Discreet(); got != want {
			t.Errorf("%q: discreet %v, want %v", level, got, want)
		}
	}
}

func TestRequestDueStatusesLeaveOutTheFinished(t *testing.T) {
	got := RequestDueStatuses()
	for _, s := range got {
		if s == StatusDelivered || s == StatusClosed || s == StatusCancelled {
			t.Errorf("%s needs no attention", s)
		}
	}
	for _, s := range []RequestStatus{StatusDraft, StatusOrderPlaced, StatusSupplierRejected, StatusInPerformance, StatusReceived, StatusFirmCannotSupport} {
		found := false
		for _, g := range got {
			found = found || g == s
		}
		if !found {
			t.Errorf("%s is missing", s)
		}
	}
}
