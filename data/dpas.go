package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DPASRule is one clock or rule of 15 CFR Part 700 the request tracker
// applies. Each cites its section and paragraph, and says where its text
// was checked: Confirmed is false where the current eCFR text could not be
// read, and the value is then the best reading of the sources named
// (docs/DOMAIN.md §4.4 lists them).
type DPASRule struct {
	Name        string // the key the code looks the rule up by
	Section     string // 15 CFR section and paragraph
	Rule        string // what it requires, in a sentence
	WorkingDays int    // the clock in US working days; 0 for a rule that is not a clock
	Confirmed   bool   // the current text was read in an eCFR copy
	Source      string // where the text was read
}

// The names of the rules Derive and Validate read.
const (
	RuleAcceptanceDO     = "acceptance_do"
	RuleAcceptanceDX     = "acceptance_dx"
	RuleRejectionReasons = "rejection_reasons"
	RuleEarliestDate     = "earliest_date"
	RuleDelayNotice      = "delay_notice"
	RuleDelayConfirm     = "delay_confirm"
	RuleUpgrade          = "upgrade_effective"
	RuleAmendment        = "amendment_new_order"
	RuleExtension        = "extension"
	RuleSPABeforeOrder   = "spa_before_order"
	RuleSPACriteria      = "spa_criteria"
	RuleSOSASteps        = "sosa_steps"
)

// dpasRules is the one table of DPAS clocks and rules. A change of a
// clock changes every request's derived dates: stores recompute them when
// they next open (DPASFingerprint). HQ may set the clocks not confirmed
// (data/dpas_clock.go).
var dpasRules = []DPASRule{
	{RuleAcceptanceDO, "15 CFR 700.13(d)(1)", "a supplier accepts or rejects a DO rated order in writing or electronically within 15 working days of receipt",
		15, false, "clause copies of §700.13(d)(1) (markettransfer.info); the current eCFR text was not reachable"},
	{RuleAcceptanceDX, "15 CFR 700.13(d)(1)", "a supplier accepts or rejects a DX rated order within 10 working days of receipt",
		10, false, "as acceptance_do"},
	{RuleRejectionReasons, "15 CFR 700.13(b), (c)", "a rejection gives its reasons in writing (§700.13(d)(1)): mandatory (§700.13(b)) or optional (§700.13(c))",
		0, false, "§700.13(b)(1)-(3) read in self-law.org's copy; the list of §700.13(c) from older copies"},
	{RuleEarliestDate, "15 CFR 700.13(b)(1)-(3)", "a supplier that cannot meet the date, or would conflict with earlier rated orders, offers the earliest date it can",
		0, true, "self-law.org/code/us/cfr/t15/s§ 700.13; GPO CFR 2007 §700.13"},
	{RuleDelayNotice, "15 CFR 700.13(d)(2)", "a supplier that finds an accepted order will be late notifies the customer immediately, with reasons and a new date",
		0, false, "clause copies of §700.13(d)(2)"},
	{RuleDelayConfirm, "15 CFR 700.13(d)(2)", "a delay notified verbally is confirmed in writing or electronically within one working day",
		1, false, "79 FR 47565 (2014) as quoted in issue 14; the parallel current §700.35(c) (eCFR, 79 FR 47567) says one working day; older clause copies say five"},
	{RuleUpgrade, "15 CFR 700.16(b)", "a DO rating changed to DX gets DX treatment as of the date the supplier receives the change",
		0, true, "lexbuild.dev eCFR copy of §700.16 (currency 2026-04-05)"},
	{RuleAmendment, "15 CFR 700.16(c), (d)", "an amendment that significantly alters the schedule is a new rated order as of its receipt, to be accepted or rejected under §700.13; a change of destination, a reduction, a negligible increase, a minor variation or an agreed change is not",
		0, true, "lexbuild.dev eCFR copy of §700.16 (currency 2026-04-05)"},
	{RuleExtension, "15 CFR 700.15(a), (b)", "a supplier extends the customer's rating to its own suppliers, with every element of §700.12",
		0, true, "ecfr.gov §700.15 (up to date as of 2026-06-15; (c) added by 89 FR 58972)"},
	{RuleSPABeforeOrder, "15 CFR 700.51, 700.52(a)", "special priorities assistance may be asked before a rated order exists: for rating authority (§700.51) or for an unrated order (§700.52(a)(3))",
		0, true, "law.lawstack.com §700.52 (verified against eCFR 2026-06-20); law.cornell.edu §700.51"},
	{RuleSPACriteria, "15 CFR 700.53", "a request for special priorities assistance establishes an urgent need and a reasonable effort already made",
		0, false, "the same criteria in 49 CFR 33.43, 45 CFR 101.43 and 44 CFR 333.23; the text of §700.53 was not reachable"},
	{RuleSOSASteps, "15 CFR 700.57", "a foreign nation's request is sponsored by its government, endorsed by the Department of Defense and forwarded to Commerce",
		0, false, "issue 14; the text of §700.57 was not reachable"},
}

// DPASRules lists the table, in its order.
func DPASRules() []DPASRule { return slices.Clone(dpasRules) }

// dpasRule looks a rule up by name; the names are constants of this file.
func dpasRule(name string) DPASRule {
	for _, r := range dpasRules {
		if r.Name == name {
			return r
		}
	}
	panic("no DPAS rule " + name)
}

// DPASFingerprint changes whenever a clock applied does, from the table
// or from HQ's values: a store that materialised derived dates under
// other values recomputes them.
func DPASFingerprint(values ClockValues) string {
	var b strings.Builder
	for _, r := range dpasRules {
		if r.WorkingDays > 0 {
			fmt.Fprintf(&b, "%s=%d;", r.Name, values.Days(r.Name))
		}
	}
	// The shape of the computation counts too: bump when Derive changes.
	b.WriteString("derive=2")
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// Delay notice forms (§700.13(d)(2)).
const (
	DelayVerbal  = "verbal"
	DelayWritten = "written"
)

// DelayNotices are the forms a delay notice may take.
var DelayNotices = []string{DelayVerbal, DelayWritten}

// Rejection reasons: mandatory ones (§700.13(b)) bar acceptance, optional
// ones (§700.13(c)) allow a supplier to refuse.
var (
	MandatoryRejections = []string{"mandatory_cannot_meet_date", "mandatory_conflict_earlier_orders"}
	OptionalRejections  = []string{"optional_terms_of_sale", "optional_not_supplied", "optional_own_use",
		"optional_made_by_customer", "optional_legal_conflict"}
	RejectionReasons = slices.Concat(MandatoryRejections, OptionalRejections)
)

// SPA bases (§700.51, §700.52(a)): against a rated order, for rating
// authority before one exists, or for an unrated order.
const (
	SPARatedOrder      = "rated_order"
	SPARatingAuthority = "rating_authority"
	SPAUnratedOrder    = "unrated_order"
)

// SPABases are the grounds a Special Priorities Assistance request rests on.
var SPABases = []string{SPARatedOrder, SPARatingAuthority, SPAUnratedOrder}

// acceptanceDays is the acceptance clock of a rating, 0 for unrated.
func acceptanceDays(rating string, v ClockValues) int {
	switch RatingPriority(rating) {
	case 2:
		return v.Days(RuleAcceptanceDX)
	case 1:
		return v.Days(RuleAcceptanceDO)
	}
	return 0
}

// acceptanceDue computes the acceptance clock (§700.13(d)(1)). It runs
// from receipt of the order, or of an amendment that significantly alters
// the schedule, which is a new rated order (§700.16(c)). An upgrade from
// DO to DX takes effect on the day it is received (§700.16(b)): from then
// the DX clock runs, and the due date is whichever comes first of the DO
// clock already running and the DX one.
func (r *Request) acceptanceDue(v ClockValues) string {
	start, ok := parseDate(r.OrderReceivedOn)
	if !ok || acceptanceDays(r.Rating, v) == 0 {
		return ""
	}
	if a, ok := parseDate(r.AmendmentReceivedOn); ok && r.AmendmentSignificant && a.After(start) {
		start = a
	}
	if c, ok := parseDate(r.RatingChangedOn); ok && RatingPriority(r.Rating) == 2 && c.After(start) {
		do := AddWorkingDays(start, v.Days(RuleAcceptanceDO))
		dx := AddWorkingDays(c, v.Days(RuleAcceptanceDX))
		if do.Before(dx) {
			return do.Format(DateLayout)
		}
		return dx.Format(DateLayout)
	}
	return AddWorkingDays(start, acceptanceDays(r.Rating, v)).Format(DateLayout)
}

// delayConfirmDue is when a verbal delay notice must be confirmed in
// writing (§700.13(d)(2)). A written notice needs no confirmation; a
// notice whose form was not recorded (records made before the field) is
// treated as verbal, so its deadline is shown rather than hidden.
func (r *Request) delayConfirmDue(v ClockValues) string {
	d, ok := parseDate(r.DelayReportedOn)
	if !ok || !r.Delayed || r.DelayNotice == DelayWritten {
		return ""
	}
	return AddWorkingDays(d, v.Days(RuleDelayConfirm)).Format(DateLayout)
}

func parseDate(v string) (time.Time, bool) {
	d, err := time.Parse(DateLayout, v)
	return d, err == nil
}

// validateDPAS checks the fields of the DPAS rules above (dates are
// already checked as dates).
func (r *Request) validateDPAS() error {
	if err := CheckEnum("delay_notice", r.DelayNotice, DelayNotices, false); err != nil {
		return err
	}
	if (r.DelayNotice != "" || r.DelayLearnedOn != "") && !r.Delayed {
		return Invalid("delayed", "must be true when delay_notice or delay_learned_on is given")
	}
	if r.DelayLearnedOn != "" && r.DelayReportedOn != "" && r.DelayLearnedOn > r.DelayReportedOn {
		return Invalid("delay_learned_on", "%s is after delay_reported_on %s: the supplier cannot report a delay before learning of it", r.DelayLearnedOn, r.DelayReportedOn)
	}
	if err := CheckEnum("rejection_reason", r.RejectionReason, RejectionReasons, false); err != nil {
		return err
	}
	inToUSOnly := []struct{ name, v string }{{"rejection_reason", r.RejectionReason}, {"earliest_offered_on", r.EarliestOfferedOn},
		{"amendment_received_on", r.AmendmentReceivedOn}, {"rating_changed_on", r.RatingChangedOn}, {"spa_basis", r.SPABasis},
		{"spa_sponsored_on", r.SPASponsoredOn}, {"spa_endorsed_on", r.SPAEndorsedOn}, {"spa_forwarded_on", r.SPAForwardedOn}}
	for _, f := range inToUSOnly {
		if f.v != "" && r.Direction != InToUS {
			return Invalid(f.name, "applies only to in_to_us requests (DPAS, 15 CFR 700)")
		}
	}
	if r.EarliestOfferedOn != "" && r.RejectionReason == "" {
		return Invalid("rejection_reason", "is required with earliest_offered_on: the date a rejecting supplier offered (15 CFR 700.13(b))")
	}
	if r.AmendmentSignificant && r.AmendmentReceivedOn == "" {
		return Invalid("amendment_received_on", "is required when the amendment significantly alters the schedule: the new acceptance clock runs from it (15 CFR 700.16(c))")
	}
	if r.AmendmentReceivedOn != "" && r.OrderReceivedOn != "" && r.AmendmentReceivedOn < r.OrderReceivedOn {
		return Invalid("amendment_received_on", "%s is before order_received_on %s", r.AmendmentReceivedOn, r.OrderReceivedOn)
	}
	if r.RatingChangedOn != "" {
		if RatingPriority(r.Rating) != 2 {
			return Invalid("rating_changed_on", "records an upgrade from DO to DX (15 CFR 700.16(b)): the rating must be DX (got %q)", Clip(r.Rating))
		}
		if r.OrderReceivedOn == "" {
			return Invalid("order_received_on", "is required with rating_changed_on: an upgrade changes an order already received")
		}
		if r.RatingChangedOn < r.OrderReceivedOn {
			return Invalid("rating_changed_on", "%s is before order_received_on %s", r.RatingChangedOn, r.OrderReceivedOn)
		}
	}
	return r.validateSPA()
}

// validateSPA checks Special Priorities Assistance (Form BIS-999): before
// an order is placed it must say why (§700.51, §700.52(a)(3)); a SOSA
// request walks GoI sponsorship, DoD endorsement and forwarding to
// Commerce in that order (§700.57), and once forwarded states the urgent
// need and the effort made (§700.53).
func (r *Request) validateSPA() error {
	if err := CheckEnum("spa_basis", r.SPABasis, SPABases, false); err != nil {
		return err
	}
	if err := CheckText("urgent_need", r.UrgentNeed, MaxText); err != nil {
		return err
	}
	if err := CheckText("effort_made", r.EffortMade, MaxText); err != nil {
		return err
	}
	spa := r.SPACase != "" || r.SPARequestedOn != "" || r.SPABasis != "" || r.SPASponsoredOn != "" ||
		r.SPAEndorsedOn != "" || r.SPAForwardedOn != ""
	if !spa {
		return nil
	}
	if r.Direction != InToUS {
		return Invalid("spa_case", "Special Priorities Assistance applies only to in_to_us requests (15 CFR 700.50)")
	}
	switch {
	case r.SPABasis == SPARatedOrder && !r.orderPlaced():
		return Invalid("spa_basis", "rated_order needs a placed order (status order_placed or later); before one, use rating_authority or unrated_order (15 CFR 700.51, 700.52(a))")
	case r.SPABasis == "" && !r.orderPlaced():
		// Named for spa_case, as before the basis existed: the importer sets that field aside.
		return Invalid("spa_case", "before an order is placed, Special Priorities Assistance needs spa_basis rating_authority or unrated_order (15 CFR 700.51, 700.52(a))")
	}
	steps := []struct{ name, v string }{{"spa_sponsored_on", r.SPASponsoredOn}, {"spa_endorsed_on", r.SPAEndorsedOn}, {"spa_forwarded_on", r.SPAForwardedOn}}
	for i := 1; i < len(steps); i++ {
		prev, cur := steps[i-1], steps[i]
		if cur.v == "" {
			continue
		}
		if prev.v == "" {
			return Invalid(cur.name, "needs %s first: sponsored by the Government of India, endorsed by DoD, forwarded to Commerce (15 CFR 700.57)", prev.name)
		}
		if cur.v < prev.v {
			return Invalid(cur.name, "%s is before %s %s", cur.v, prev.name, prev.v)
		}
	}
	if r.SPAForwardedOn != "" {
		if strings.TrimSpace(r.UrgentNeed) == "" {
			return Invalid("urgent_need", "is required once the request is forwarded to Commerce: it must establish an urgent need (15 CFR 700.53)")
		}
		if strings.TrimSpace(r.EffortMade) == "" {
			return Invalid("effort_made", "is required once the request is forwarded to Commerce: it must show the effort already made (15 CFR 700.53)")
		}
	}
	return nil
}
