package data

import (
	"strings"
	"testing"
)

// dpasRequest is a valid in_to_us request with a DO order received on
// Monday 2 November 2026 (Veterans Day, Wednesday 11 November, is a holiday).
func dpasRequest() *Request {
	return &Request{Direction: InToUS, Posting: "CMF", Program: "P-8I", EndUser: "INAS 312",
		Justification: "Aircraft on ground.", RequiredBy: "2027-01-15", Rating: "DO-A1", OrderReceivedOn: "2026-11-02",
		Lines:   []Line{{Description: "Hydraulic pump", Quantity: 2}},
		Marking: Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}}
}

func TestEveryDPASRuleCitesItsSection(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range DPASRules() {
		if !strings.HasPrefix(r.Section, "15 CFR 700.") || r.Rule == "" || r.Source == "" {
			t.Errorf("rule %s does not cite its section, say what it requires and where it was read: %+v", r.Name, r)
		}
		if seen[r.Name] {
			t.Errorf("rule %s is listed twice", r.Name)
		}
		seen[r.Name] = true
	}
}

// TestDPASClocks is one case per clock, citing the rule it checks.
func TestDPASClocks(t *testing.T) {
	cases := []struct {
		section, name        string
		change               func(r *Request)
		wantAccept, wantConf string
	}{
		{"700.13(d)(1)", "a DO order is accepted or rejected within 15 working days, Veterans Day skipped",
			func(r *Request) {}, "2026-11-24", ""},
		{"700.13(d)(1)", "a DX order within 10 working days",
			func(r *Request) { r.Rating = "DX-A1" }, "2026-11-17", ""},
		{"700.13(d)(1)", "an unrated order has no acceptance clock",
			func(r *Request) { r.Rating = "" }, "", ""},
		{"700.13(d)(2)", "a verbal delay reported on the Friday before Labor Day is confirmed by the Tuesday",
			func(r *Request) { r.Delayed, r.DelayReportedOn, r.DelayNotice = true, "2026-09-04", DelayVerbal }, "2026-11-24", "2026-09-08"},
		{"700.13(d)(2)", "a verbal delay reported on the Thursday before Independence Day (observed Friday 3 July) is confirmed by the Monday",
			func(r *Request) { r.Delayed, r.DelayReportedOn, r.DelayNotice = true, "2026-07-02", DelayVerbal }, "2026-11-24", "2026-07-06"},
		{"700.13(d)(2)", "a written delay notice needs no confirmation",
			func(r *Request) { r.Delayed, r.DelayReportedOn, r.DelayNotice = true, "2026-09-04", DelayWritten }, "2026-11-24", ""},
		{"700.13(d)(2)", "a delay whose notice form was not recorded is treated as verbal, so its deadline shows",
			func(r *Request) { r.Delayed, r.DelayReportedOn = true, "2026-11-25" }, "2026-11-24", "2026-11-27"},
		{"700.16(b)", "a DO→DX upgrade received two days after the order runs the DX clock from its receipt",
			func(r *Request) { r.Rating, r.RatingChangedOn = "DX-A1", "2026-11-04" }, "2026-11-19", ""},
		{"700.16(b)", "a late DO→DX upgrade does not extend the DO clock already running",
			func(r *Request) { r.Rating, r.RatingChangedOn = "DX-A1", "2026-11-20" }, "2026-11-24", ""},
		{"700.16(c)", "an amendment that significantly alters the schedule starts a new acceptance clock",
			func(r *Request) { r.AmendmentReceivedOn, r.AmendmentSignificant = "2026-11-20", true }, "2026-12-14", ""},
		{"700.16(d)", "an amendment that does not alter the schedule leaves the clock alone",
			func(r *Request) { r.AmendmentReceivedOn = "2026-11-20" }, "2026-11-24", ""},
		{"700.16(b), (c)", "a DX upgrade after a significant amendment runs against the amended order's clock",
			func(r *Request) {
				r.AmendmentReceivedOn, r.AmendmentSignificant = "2026-11-04", true
				r.Rating, r.RatingChangedOn = "DX-A1", "2026-11-20"
			}, "2026-11-27", ""}, // DO 15 wd from 4 Nov, Thanksgiving skipped; DX from 20 Nov is later
	}
	for _, c := range cases {
		t.Run("§"+c.section+": "+c.name, func(t *testing.T) {
			r := dpasRequest()
			c.change(r)
			if err := r.Validate(); err != nil {
				t.Fatalf("valid request refused: %v", err)
			}
			if r.AcceptanceDue != c.wantAccept || r.DelayConfirmDue != c.wantConf {
				t.Errorf("acceptance_due %q, delay_confirm_due %q; want %q, %q", r.AcceptanceDue, r.DelayConfirmDue, c.wantAccept, c.wantConf)
			}
		})
	}
}

// TestDPASRulesRefuse is one case per rule a save can break: each names the
// field to fix.
func TestDPASRulesRefuse(t *testing.T) {
	placed := func(r *Request) { r.Status = StatusOrderPlaced }
	cases := []struct {
		section, name, field string
		change               func(r *Request)
	}{
		{"700.13(b), (c)", "a rejection reason not in the regulation", "rejection_reason",
			func(r *Request) { r.RejectionReason = "too_busy" }},
		{"700.13(b)", "an earliest offered date with no rejection reason", "rejection_reason",
			func(r *Request) { r.EarliestOfferedOn = "2027-02-01" }},
		{"700.13", "a rejection reason on a us_to_in request", "rejection_reason",
			func(r *Request) { r.Direction, r.Rating, r.RejectionReason = USToIN, "", "optional_own_use" }},
		{"700.13(d)(2)", "a delay notice that is neither verbal nor written", "delay_notice",
			func(r *Request) { r.Delayed, r.DelayReportedOn, r.DelayNotice = true, "2026-11-25", "fax" }},
		{"700.13(d)(2)", "a delay notice on a request not marked delayed", "delayed",
			func(r *Request) { r.DelayNotice = DelayVerbal }},
		{"700.13(d)(2)", "a delay learned of after it was reported", "delay_learned_on",
			func(r *Request) { r.Delayed, r.DelayReportedOn, r.DelayLearnedOn = true, "2026-11-25", "2026-11-26" }},
		{"700.16(c)", "a significant amendment without its date", "amendment_received_on",
			func(r *Request) { r.AmendmentSignificant = true }},
		{"700.16(c)", "an amendment received before the order", "amendment_received_on",
			func(r *Request) { r.AmendmentReceivedOn = "2026-10-01" }},
		{"700.16(b)", "an upgrade date on a DO rating", "rating_changed_on",
			func(r *Request) { r.RatingChangedOn = "2026-11-04" }},
		{"700.16(b)", "an upgrade received before the order", "rating_changed_on",
			func(r *Request) { r.Rating, r.RatingChangedOn = "DX-A1", "2026-10-30" }},
		{"700.51, 700.52(a)", "assistance before an order with no basis", "spa_case",
			func(r *Request) { r.SPACase = "BIS-999-2026-0042" }},
		{"700.52(a)(1)", "assistance against a rated order that is not placed", "spa_basis",
			func(r *Request) { r.SPABasis = SPARatedOrder }},
		{"700.52", "a basis the regulation does not name", "spa_basis",
			func(r *Request) { r.SPABasis = "goodwill" }},
		{"700.57", "DoD endorsement before GoI sponsorship", "spa_endorsed_on",
			func(r *Request) { placed(r); r.SPAEndorsedOn = "2026-11-10" }},
		{"700.57", "forwarding to Commerce before the DoD endorsement", "spa_forwarded_on",
			func(r *Request) {
				placed(r)
				r.SPASponsoredOn, r.SPAEndorsedOn, r.SPAForwardedOn = "2026-11-05", "2026-11-10", "2026-11-09"
			}},
		{"700.53", "forwarded to Commerce without the urgent need", "urgent_need",
			func(r *Request) {
				placed(r)
				r.SPASponsoredOn, r.SPAEndorsedOn, r.SPAForwardedOn, r.EffortMade = "2026-11-05", "2026-11-10", "2026-11-12", "Three suppliers asked."
			}},
		{"700.53", "forwarded to Commerce without the effort made", "effort_made",
			func(r *Request) {
				placed(r)
				r.SPASponsoredOn, r.SPAEndorsedOn, r.SPAForwardedOn, r.UrgentNeed = "2026-11-05", "2026-11-10", "2026-11-12", "Aircraft on ground."
			}},
	}
	for _, c := range cases {
		t.Run("§"+c.section+": "+c.name, func(t *testing.T) {
			r := dpasRequest()
			c.change(r)
			err := r.Validate()
			if err == nil {
				t.Fatalf("accepted; want it refused naming %s", c.field)
			}
			if got := FieldOf(err); got != c.field {
				t.Errorf("refusal names %q, want %q (%v)", got, c.field, err)
			}
		})
	}
}

// TestDPASRulesAllow is the other side: what the rules permit is saved.
func TestDPASRulesAllow(t *testing.T) {
	cases := []struct {
		section, name string
		change        func(r *Request)
	}{
		{"700.13(b)(1)", "a mandatory rejection with the earliest date offered",
			func(r *Request) { r.RejectionReason, r.EarliestOfferedOn = "mandatory_cannot_meet_date", "2027-03-01" }},
		{"700.13(c)", "an optional rejection", func(r *Request) { r.RejectionReason = "optional_terms_of_sale" }},
		{"700.51", "assistance for rating authority before any order", func(r *Request) {
			r.Rating, r.OrderReceivedOn, r.SPABasis, r.SPARequestedOn = "", "", SPARatingAuthority, "2026-10-20"
		}},
		{"700.52(a)(3)", "assistance for an unrated order", func(r *Request) {
			r.Rating, r.SPABasis, r.SPACase = "", SPAUnratedOrder, "BIS-999-2026-0042"
		}},
		{"700.52(a)(1)", "assistance against a placed rated order, basis left to the order", func(r *Request) {
			r.Status, r.SPACase = StatusOrderPlaced, "BIS-999-2026-0042"
		}},
		{"700.57, 700.53", "a SOSA request sponsored by GoI, endorsed by DoD and forwarded to Commerce", func(r *Request) {
			r.Rating, r.OrderReceivedOn, r.SPABasis = "", "", SPARatingAuthority
			r.SPASponsoredOn, r.SPAEndorsedOn, r.SPAForwardedOn = "2026-11-05", "2026-11-10", "2026-11-10"
			r.UrgentNeed, r.EffortMade = "Aircraft on ground.", "Three suppliers asked; none can deliver before May."
		}},
	}
	for _, c := range cases {
		t.Run("§"+c.section+": "+c.name, func(t *testing.T) {
			r := dpasRequest()
			c.change(r)
			if err := r.Validate(); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
}

// A change of a clock in the table changes the fingerprint stores compare
// on open, so they recompute the dates they hold.
func TestDPASFingerprintFollowsTheClocks(t *testing.T) {
	before := DPASFingerprint(nil)
	saved := dpasRules
	t.Cleanup(func() { dpasRules = saved })
	dpasRules = DPASRules()
	for i := range dpasRules {
		if dpasRules[i].Name == RuleDelayConfirm {
			dpasRules[i].WorkingDays = 5
		}
	}
	if DPASFingerprint(nil) == before {
		t.Error("the fingerprint did not change with the delay confirmation clock")
	}
}
