package data

import (
	"errors"
	"testing"
	"time"
)

// TestGiftDepositDeadlineFollowsTheRecipientsRule: each case cites the
// rule of the table (giftRules) that decides it.
func TestGiftDepositDeadlineFollowsTheRecipientsRule(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		g          Gift
		want       string
	}{
		{"an Indian officer's gift above Rs 5,000 is deposited within 30 days", "india_toshakhana",
			Gift{GivenOn: "2026-11-10", RecipientNation: "IND", ValueINR: 25000}, "2026-12-10"},
		{"one worth exactly Rs 5,000 is returned to the recipient: no deadline", "india_toshakhana",
			Gift{GivenOn: "2026-11-10", RecipientNation: "IND", ValueINR: 5000}, ""},
		{"a value not yet known is assessed by the Toshakhana: deadline", "india_toshakhana",
			Gift{GivenOn: "2026-11-10", RecipientNation: "IND", ValueUSD: 40}, "2026-12-10"},
		{"a month's end rolls over by calendar days", "india_toshakhana",
			Gift{GivenOn: "2027-01-31", RecipientNation: "IND", ValueINR: 9000}, "2027-03-02"},
		{"a US recipient reports a gift above the minimal value within 60 days", "us_minimal_value",
			Gift{GivenOn: "2026-11-10", RecipientNation: "USA", ValueUSD: 650, ValueINR: 100}, "2027-01-09"},
		{"a US gift at the minimal value ($480) is kept: no deadline", "us_minimal_value",
			Gift{GivenOn: "2026-11-10", RecipientNation: "USA", ValueUSD: 480}, ""},
		{"a recipient of a nation with no rule in the table: no deadline", "",
			Gift{GivenOn: "2026-11-10", RecipientNation: "FRA", ValueUSD: 5000}, ""},
		{"no nation: no deadline", "", Gift{GivenOn: "2026-11-10", ValueINR: 50000}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.rule != "" {
				r, ok := GiftRuleFor(tc.g.RecipientNation)
				if !ok || r.Name != tc.rule {
					t.Fatalf("rule for %s is %q, want %s", tc.g.RecipientNation, r.Name, tc.rule)
				}
			}
			tc.g.Derive()
			if tc.g.DepositDue != tc.want {
				t.Fatalf("deposit_due = %q, want %q", tc.g.DepositDue, tc.want)
			}
		})
	}
}

func TestEveryGiftRuleCitesItsSource(t *testing.T) {
	for _, r := range GiftRules() {
		if r.Authority == "" || r.Source == "" || r.Rule == "" || r.Days <= 0 || r.Threshold <= 0 {
			t.Errorf("%s: incomplete: %+v", r.Name, r)
		}
		if r.Currency != "USD" && r.Currency != "INR" {
			t.Errorf("%s: currency %q", r.Name, r.Currency)
		}
	}
	if GiftFingerprint() != GiftFingerprint() || len(GiftFingerprint()) != 16 {
		t.Fatal("the fingerprint is not stable")
	}
}

func TestGiftValidationNamesTheField(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		field string
		g     Gift
	}{
		{"given_on", Gift{Giver: "RADM X", Recipient: "Cdr Y", Item: "Plaque"}},
		{"item", Gift{GivenOn: "2026-11-10", Giver: "RADM X", Recipient: "Cdr Y"}},
		{"value_usd", Gift{GivenOn: "2026-11-10", Giver: "RADM X", Recipient: "Cdr Y", Item: "Watch", ValueUSD: -1}},
		{"recipient_nation", Gift{GivenOn: "2026-11-10", Giver: "RADM X", Recipient: "Cdr Y", Item: "Watch", RecipientNation: "India"}},
		{"disposition", Gift{GivenOn: "2026-11-10", Giver: "RADM X", Recipient: "Cdr Y", Item: "Watch", Disposition: "sold"}},
	} {
		err := tc.g.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: got %v", tc.field, err)
		}
	}
	g := Gift{GivenOn: "2026-11-27", Giver: "RADM X", Recipient: "Cdr Y", Item: "Watch"}
	var fe *FieldError
	if err := g.CheckDates(now); !errors.As(err, &fe) || fe.Field != "given_on" {
		t.Fatalf("a gift two days ahead: %v", err)
	}
	g.GivenOn = "2026-11-26" // at 11:00 UTC it is already the 26th in Kiribati (UTC+14)
	if err := g.CheckDates(now.Add(2 * time.Hour)); err != nil {
		t.Fatalf("tomorrow in UTC is today in Kiribati: %v", err)
	}
}
