package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Gift dispositions: what became of a gift or hospitality.
const (
	GiftPending   = "pending"   // not yet reported, deposited or settled
	GiftRetained  = "retained"  // kept: below the threshold, or allowed
	GiftDeposited = "deposited" // handed in: the Toshakhana, or the employing agency
	GiftPurchased = "purchased" // bought by the recipient at the assessed value
	GiftReturned  = "returned"  // given back to the giver
)

// GiftDispositions are the values a gift's disposition takes.
var GiftDispositions = []string{GiftPending, GiftRetained, GiftDeposited, GiftPurchased, GiftReturned}

// GiftRule is the rule that binds a recipient of one nation: above a
// value, the gift is reported or deposited within a number of days of its
// receipt. Confirmed is false where the current text could not be read;
// the value is then the best reading of the sources named, and
// docs/DOMAIN.md says so.
type GiftRule struct {
	Name      string  // the key the code looks the rule up by
	Nation    string  // the recipient's nation the rule binds (ISO 3166 alpha-3)
	Authority string  // the rules, with their sections
	Rule      string  // what it requires, in a sentence
	Currency  string  // USD or INR: the value the threshold is compared with
	Threshold float64 // a gift worth more must be deposited or reported
	Days      int     // calendar days from receipt to the deadline
	Confirmed bool    // the current text was read
	Source    string  // where the text was read
}

// giftRules is the one table of gift deadlines. A change here changes
// every gift's derived deadline: stores recompute them when they next open
// (GiftFingerprint).
var giftRules = []GiftRule{
	{Name: "india_toshakhana", Nation: "IND",
		Authority: "Foreign Contribution (Acceptance or Retention of Gifts or Presentations) Rules, 2012, r. 3(1), (2), (7); CCS (Conduct) Rules, 1964, r. 13(4) as amended by G.S.R. 531(E) of 29 July 2019; Toshakhana Rules, 2024 (MEA, 26 March 2024)",
		Rule:      "a gift from a foreign source is reported, and deposited for the Toshakhana, within 30 days of its receipt (or of return to India); one assessed at no more than Rs 5,000 is returned to the recipient",
		Currency:  "INR", Threshold: 5000, Days: 30, Confirmed: false,
		Source: "the 2012 rules as quoted by taxmanagementindia.com; the 2019 amendment in DoPT O.M. 11013/02/2019-Estt.A-III (referencer.in); the Toshakhana Rules 2024 only in SCC Online's summary: their own period and threshold could not be read"},
	{Name: "us_minimal_value", Nation: "USA",
		Authority: "5 U.S.C. 7342; 41 CFR 102-42.10 (minimal value), 102-42.20(a)(1)",
		Rule:      "a US employee reports a foreign gift above the minimal value to the employing agency within 60 days of accepting it; the agency keeps, returns or passes it to GSA",
		Currency:  "USD", Threshold: 480, Days: 60, Confirmed: false,
		Source: "60 days: 41 CFR 102-42.20(a)(1) (law.counselstack.com, 2026); $480: set in 2023, per the note to 5 CFR 2634.304(a) (OGE, eCFR copy), which says it is redefined in 2026; the GSA bulletin and the 2026 figure were not found"},
}

// GiftRules lists the table, in its order.
func GiftRules() []GiftRule { return slices.Clone(giftRules) }

// GiftRuleFor returns the rule binding a recipient of nation, if any.
func GiftRuleFor(nation string) (GiftRule, bool) {
	for _, r := range giftRules {
		if r.Nation == nation {
			return r, true
		}
	}
	return GiftRule{}, false
}

// GiftFingerprint changes whenever the table's figures do: a store that
// materialised deadlines under other figures recomputes them.
func GiftFingerprint() string {
	var b strings.Builder
	for _, r := range giftRules {
		fmt.Fprintf(&b, "%s=%s:%s:%g:%d;", r.Name, r.Nation, r.Currency, r.Threshold, r.Days)
	}
	b.WriteString("derive=1") // bump when DepositDue changes
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// Gift is a gift or hospitality given or received (docs/DOMAIN.md).
type Gift struct {
	ID              string  `json:"id"`
	GivenOn         string  `json:"given_on"` // YYYY-MM-DD
	Giver           string  `json:"giver"`
	Recipient       string  `json:"recipient"`
	RecipientNation string  `json:"recipient_nation"` // whose rule binds the recipient
	Item            string  `json:"item"`
	ValueUSD        float64 `json:"value_usd"`
	ValueINR        float64 `json:"value_inr"`
	Occasion        string  `json:"occasion"`
	Disposition     string  `json:"disposition"`
	Notes           string  `json:"notes"`

	// DepositDue is derived from the fields above (Derive), never synced.
	DepositDue string `json:"deposit_due"`
}

func (g *Gift) RecordKind() Kind      { return KindGift }
func (g *Gift) RecordID() string      { return g.ID }
func (g *Gift) SetRecordID(id string) { g.ID = id }

// Validate checks the gift and derives its deadline.
func (g *Gift) Validate() error {
	if err := CheckID("id", g.ID, false); err != nil {
		return err
	}
	if err := CheckDate("given_on", g.GivenOn, true); err != nil {
		return err
	}
	if err := CheckLine("giver", g.Giver, true); err != nil {
		return err
	}
	if err := CheckLine("recipient", g.Recipient, true); err != nil {
		return err
	}
	if err := checkNation("recipient_nation", g.RecipientNation, false); err != nil {
		return err
	}
	if err := CheckLine("item", g.Item, true); err != nil {
		return err
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"value_usd", g.ValueUSD}, {"value_inr", g.ValueINR}} {
		if v.v < 0 || v.v > 1e12 || v.v != v.v {
			return Invalid(v.name, "must be a sum from 0 to 1,000,000,000,000")
		}
	}
	if err := CheckLine("occasion", g.Occasion, false); err != nil {
		return err
	}
	if g.Disposition == "" {
		g.Disposition = GiftPending
	}
	if err := CheckEnum("disposition", g.Disposition, GiftDispositions, true); err != nil {
		return err
	}
	if err := CheckText("notes", g.Notes, MaxText); err != nil {
		return err
	}
	g.Derive()
	return nil
}

// CheckDates refuses a gift dated after today anywhere on Earth.
func (g *Gift) CheckDates(now time.Time) error {
	if g.GivenOn > LatestToday(now) {
		return Invalid("given_on", "%s is in the future", g.GivenOn)
	}
	return nil
}

// Derive computes the deposit deadline from the synced fields and the
// rule table, so every store computes the same date: the recipient's
// nation's rule, when the value in its currency exceeds the threshold or
// is not known (0: the Toshakhana or the agency assesses it). No rule, a
// value at or under the threshold, or no date: no deadline.
func (g *Gift) Derive() {
	g.DepositDue = ""
	r, ok := GiftRuleFor(g.RecipientNation)
	if !ok {
		return
	}
	day, err := time.Parse(DateLayout, g.GivenOn)
	if err != nil {
		return
	}
	v := g.ValueUSD
	if r.Currency == "INR" {
		v = g.ValueINR
	}
	if v != 0 && v <= r.Threshold {
		return
	}
	g.DepositDue = day.AddDate(0, 0, r.Days).Format(DateLayout)
}

// Settled reports whether nothing more is owed: the reminder stops.
func (g *Gift) Settled() bool { return g.Disposition != "" && g.Disposition != GiftPending }
