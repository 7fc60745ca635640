package data

import "testing"

// A DO order received on a given day is due for acceptance HQ's number of
// working days later; a value HQ may not set, or out of range, leaves the
// table's.
func TestDeriveWithHQsValues(t *testing.T) {
	for _, c := range []struct {
		name     string
		values   ClockValues
		rating   string
		received string
		due      string
	}{
		{"the table", nil, "DO-A1", "2026-11-20", "2026-12-14"},
		{"HQ's 20 days across Thanksgiving", ClockValues{RuleAcceptanceDO: 20}, "DO-A1", "2026-11-20", "2026-12-21"},
		{"HQ's DO value leaves DX alone", ClockValues{RuleAcceptanceDO: 20}, "DX-A1", "2026-11-20", "2026-12-07"},
		{"HQ's DX value", ClockValues{RuleAcceptanceDX: 5}, "DX-A1", "2026-11-20", "2026-11-30"},
		{"out of range counts as unset", ClockValues{RuleAcceptanceDO: 0}, "DO-A1", "2026-11-20", "2026-12-14"},
		{"a rule HQ may not set", ClockValues{RuleUpgrade: 3}, "DO-A1", "2026-11-20", "2026-12-14"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Request{Rating: c.rating, OrderReceivedOn: c.received}
			r.DeriveWith(c.values)
			if r.AcceptanceDue != c.due {
				t.Errorf("acceptance_due %s, want %s", r.AcceptanceDue, c.due)
			}
		})
	}
	if DPASFingerprint(ClockValues{RuleDelayConfirm: 5}) == DPASFingerprint(nil) {
		t.Error("HQ's value does not change the fingerprint stores recompute on")
	}
}
