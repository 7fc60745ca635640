package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"liaisondesk/data"
)

// clockOrg is HQ's store with an organisation, and two laptops it
// enrolled that trust it.
func clockOrg(t *testing.T) (hq, lima, romeo *Store) {
	t.Helper()
	ctx := context.Background()
	hq = openStoreAt(t, "Brig HQ", "IHQ")
	org, _, err := hq.InitOrg(ctx, "Liaison Officers")
	if err != nil {
		t.Fatal(err)
	}
	lima, romeo = openTestStore(t), openTestStore(t)
	for name, s := range map[string]*Store{"lima": lima, "romeo": romeo} {
		if _, _, err := hq.Enrol(ctx, mustIdentityOf(t, s).String(), name, data.RoleLaptop, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TrustOrg(ctx, org.String()); err != nil {
			t.Fatal(err)
		}
	}
	return hq, lima, romeo
}

// clockDays is the working days s applies to a clock, and whether HQ set it.
func clockDays(t *testing.T, s *Store, name string) (int, bool) {
	t.Helper()
	all, err := s.DPASClocks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Name == name {
			return c.WorkingDays, c.SetByHQ
		}
	}
	t.Fatalf("no clock %s in %+v", name, all)
	return 0, false
}

// doOrder adds a DO rated order received on day.
func doOrder(t *testing.T, s *Store, day string) string {
	t.Helper()
	r := sampleRequest()
	r.Rating, r.OrderReceivedOn = "DO-A1", day
	return addOne(t, s, r)
}

func digestOf(t *testing.T, s *Store) string {
	t.Helper()
	d, err := s.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A laptop's store is not HQ's: it refuses to set a clock, says why, and
// changes nothing. HQ's refuses a value out of range, or without a
// source, naming the field, and changes nothing either.
func TestOnlyHQSetsADPASClockAndBadValuesChangeNothing(t *testing.T) {
	ctx := context.Background()
	hq, lima, _ := clockOrg(t)
	_, err := lima.SetDPASClock(ctx, data.RuleAcceptanceDO, 20, "eCFR §700.13(d)(1), read 2026-12-01")
	if !errors.Is(err, data.ErrNotHQ) || !strings.Contains(err.Error(), "only HQ sets the DPAS clocks") {
		t.Fatalf("a laptop setting a clock: %v", err)
	}
	if d, set := clockDays(t, lima, data.RuleAcceptanceDO); d != 15 || set {
		t.Errorf("after the refusal the laptop applies %d days (set by HQ %v), want the table's 15", d, set)
	}
	if sets, err := lima.SetsDPASClocks(ctx); err != nil || sets {
		t.Errorf("the laptop says it sets the clocks: %v %v", sets, err)
	}
	before := digestOf(t, hq)
	for _, c := range []struct {
		name   string
		days   int
		source string
		field  string
	}{
		{data.RuleAcceptanceDO, 0, "eCFR", "working_days"},
		{data.RuleAcceptanceDO, 61, "eCFR", "working_days"},
		{data.RuleAcceptanceDX, -3, "eCFR", "working_days"},
		{data.RuleDelayConfirm, 1, "  ", "source"},
		{data.RuleEarliestDate, 5, "eCFR", "name"}, // a rule, not a clock
		{data.RuleUpgrade, 5, "eCFR", "name"},      // confirmed: not HQ's to set
		{"acceptance_dz", 5, "eCFR", "name"},
	} {
		_, err := hq.SetDPASClock(ctx, c.name, c.days, c.source)
		var fe *data.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s = %d (%q): %v, want a problem with %s", c.name, c.days, c.source, err, c.field)
		}
	}
	if digestOf(t, hq) != before {
		t.Error("a refused value changed HQ's store")
	}
	got, err := hq.SetDPASClock(ctx, data.RuleAcceptanceDO, 20, "eCFR §700.13(d)(1), read 2026-12-01")
	if err != nil || got.WorkingDays != 20 || !got.SetByHQ || got.TableDays != 15 || got.Section != "15 CFR 700.13(d)(1)" {
		t.Fatalf("HQ setting acceptance_do: %+v %v", got, err)
	}
}

// A laptop that forges a change to a clock sends it to HQ: the commit is
// held for review, as a forged move of a classification level is, and
// HQ's deadlines stay where they were. Released by an officer who
// misjudges it, it still moves nothing: only HQ's changes count.
func TestALaptopsForgedClockChangeIsHeldAndMovesNoDeadline(t *testing.T) {
	ctx := context.Background()
	hq, lima, _ := clockOrg(t)
	id := doOrder(t, lima, "2026-11-20")
	if err := lima.CraftChange(ctx, "dpas_clocks", data.RuleAcceptanceDO, map[string]json.RawMessage{
		"working_days": json.RawMessage("3"), "source": json.RawMessage(`"a forged reading"`)}); err != nil {
		t.Fatal(err)
	}
	if got := getRequest(t, lima, id).AcceptanceDue; got != "2026-12-14" {
		t.Errorf("the forger's own store moved the deadline to %s, want 2026-12-14 (15 working days)", got)
	}
	res := sendWithRoster(t, lima, hq)
	if len(res.Held) == 0 || !strings.Contains(res.Held[0].Detail, "only HQ sets the DPAS clocks") {
		t.Fatalf("the forged clock change was not held for review: %+v", res)
	}
	if d, set := clockDays(t, hq, data.RuleAcceptanceDO); d != 15 || set {
		t.Errorf("HQ applies %d days (set by HQ %v) after the forgery, want the table's 15", d, set)
	}
	if _, err := hq.ReleaseQuarantine(ctx, res.Held[0].Author); err != nil {
		t.Fatal(err)
	}
	if d, _ := clockDays(t, hq, data.RuleAcceptanceDO); d != 15 {
		t.Errorf("released, the forged change set acceptance_do to %d days at HQ", d)
	}
	if got := getRequest(t, hq, id).AcceptanceDue; got != "2026-12-14" {
		t.Errorf("released, the forged change moved HQ's deadline to %s", got)
	}
}

// HQ's value crosses by bundle: both stores then hold the same changes
// (equal digests) and compute the same acceptance_due, recomputed at HQ
// in the transaction that saved the value. A laptop that relays HQ's
// changes with a change of its own to the clock cannot alter HQ's value.
func TestHQsClockCrossesByBundleAndARelayerCannotAlterIt(t *testing.T) {
	ctx := context.Background()
	hq, lima, romeo := clockOrg(t)
	id := doOrder(t, lima, "2026-11-20")
	sendWithRoster(t, lima, hq)
	if _, err := hq.SetDPASClock(ctx, data.RuleAcceptanceDO, 20, "eCFR §700.13(d)(1), read 2026-12-01"); err != nil {
		t.Fatal(err)
	}
	// 2026-11-20 is a Friday; Thanksgiving (26 November) is no working day.
	const want = "2026-12-21"
	if got := getRequest(t, hq, id).AcceptanceDue; got != want {
		t.Fatalf("HQ's acceptance_due after setting 20 days: %s, want %s", got, want)
	}
	sendWithRoster(t, hq, lima)
	if got := getRequest(t, lima, id).AcceptanceDue; got != want {
		t.Errorf("the laptop's acceptance_due after HQ's bundle: %s, want %s", got, want)
	}
	if d, set := clockDays(t, lima, data.RuleAcceptanceDO); d != 20 || !set {
		t.Errorf("the laptop applies %d days (set by HQ %v), want HQ's 20", d, set)
	}
	if digestOf(t, hq) != digestOf(t, lima) {
		t.Error("HQ and the laptop hold different changes")
	}

	// Lima relays HQ's changes to Romeo with its own change of the clock.
	if err := lima.CraftChange(ctx, "dpas_clocks", data.RuleAcceptanceDO, map[string]json.RawMessage{
		"working_days": json.RawMessage("3")}); err != nil {
		t.Fatal(err)
	}
	if d, _ := clockDays(t, lima, data.RuleAcceptanceDO); d != 20 {
		t.Errorf("the relayer's own change moved its clock to %d days", d)
	}
	res := sendWithRoster(t, lima, romeo)
	if len(res.Held) == 0 {
		t.Errorf("the relayer's change to the clock was not held: %+v", res)
	}
	if d, set := clockDays(t, romeo, data.RuleAcceptanceDO); d != 20 || !set {
		t.Errorf("Romeo applies %d days (set by HQ %v), want HQ's 20", d, set)
	}
	if got := getRequest(t, romeo, id).AcceptanceDue; got != want {
		t.Errorf("Romeo's acceptance_due: %s, want HQ's %s", got, want)
	}
}

// A DO order received on a given day is due for acceptance the HQ value's
// number of working days later; DX and the delay confirmation keep the
// table's values until HQ sets them.
func TestADOOrderGetsTheDeadlineOfHQsValue(t *testing.T) {
	ctx := context.Background()
	hq, _, _ := clockOrg(t)
	for _, c := range []struct {
		days          int
		received, due string
	}{
		{20, "2026-11-20", "2026-12-21"}, // Friday; across Thanksgiving
		{15, "2026-11-20", "2026-12-14"}, // HQ confirming the table's value
		{1, "2026-12-24", "2026-12-28"},  // Christmas Eve: Christmas and the weekend are no working days
		{10, "2026-12-28", "2027-01-12"}, // across New Year's Day
		{60, "2026-06-01", "2026-08-26"}, // the longest: Juneteenth and Independence Day (observed 3 July)
	} {
		if _, err := hq.SetDPASClock(ctx, data.RuleAcceptanceDO, c.days, "test"); err != nil {
			t.Fatal(err)
		}
		id := doOrder(t, hq, c.received)
		if got := getRequest(t, hq, id).AcceptanceDue; got != c.due {
			t.Errorf("DO order received %s under %d days: due %s, want %s", c.received, c.days, got, c.due)
		}
	}
}
