package data

import (
	"strings"
	"testing"
)

func TestExchangeWorkflowAllowsEachTransitionOfTheTable(t *testing.T) {
	for _, tc := range []struct{ from, to ExchangeState }{
		{StateDraft, StateFinal},
		{StatePlanned, StateHeld},
		{StatePlanned, StatePostponed},
		{StatePlanned, StateCancelled},
		{StatePostponed, StateHeld},
		{StatePostponed, StatePostponed},
		{StatePostponed, StateCancelled},
		{StateHeld, StateFinal},
	} {
		if err := CheckExchangeTransition(tc.from, tc.to); err != nil {
			t.Errorf("%s → %s refused: %v", tc.from, tc.to, err)
		}
	}
}

func TestExchangeWorkflowRefusesOtherMovesNamingTheAllowedOnes(t *testing.T) {
	for _, tc := range []struct {
		from, to ExchangeState
		want     string
	}{
		{StatePlanned, StateFinal, "allowed: held, postponed, cancelled"},
		{StateDraft, StateHeld, "allowed: final"},
		{StateHeld, StatePlanned, "allowed: final"},
		{StateCancelled, StatePlanned, "cancelled is final"},
		{StateFinal, StateDraft, "final is final"},
		{StatePlanned, "done", `"done" is not a state of an exchange`},
	} {
		err := CheckExchangeTransition(tc.from, tc.to)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s: got %v, want %q", tc.from, tc.to, err, tc.want)
		}
	}
}

func TestANewExchangeStartsDraftPlannedOrFinal(t *testing.T) {
	for _, s := range []ExchangeState{StateDraft, StatePlanned, StateFinal} {
		if err := CheckExchangeInitial(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []ExchangeState{StateHeld, StatePostponed, StateCancelled} {
		if err := CheckExchangeInitial(s); err == nil {
			t.Errorf("a new exchange was allowed to start %s", s)
		}
	}
}
