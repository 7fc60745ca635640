package data

import (
	"slices"
	"strings"
)

// The states of a planned engagement (issue 14): it is planned before the
// meeting, held once it took place (the draft debrief), then final;
// postponed to a new date or cancelled before it is held.
const (
	StatePlanned   ExchangeState = "planned"
	StateHeld      ExchangeState = "held"
	StatePostponed ExchangeState = "postponed"
	StateCancelled ExchangeState = "cancelled"
)

// exchangeWorkflow lists the allowed moves from each state. An exchange
// recorded after the fact stays draft → final; a planned one walks
// planned → held → final. A postponed engagement keeps its plan at the new
// date: it may be held, postponed again or cancelled. final and cancelled
// are ends (a final exchange changes only by amendment).
var exchangeWorkflow = map[ExchangeState][]ExchangeState{
	StateDraft:     {StateFinal},
	StatePlanned:   {StateHeld, StatePostponed, StateCancelled},
	StatePostponed: {StateHeld, StatePostponed, StateCancelled},
	StateHeld:      {StateFinal},
	StateFinal:     nil,
	StateCancelled: nil,
}

// exchangeInitial are the states a new exchange may be created in.
var exchangeInitial = []ExchangeState{StateDraft, StatePlanned, StateFinal}

// NextExchangeStates lists the states an exchange may move to from its
// current one, in the table's order.
func NextExchangeStates(from ExchangeState) []ExchangeState {
	return slices.Clone(exchangeWorkflow[from])
}

// IsPlanning reports whether an exchange has not taken place yet: its
// objectives carry no results.
func (s ExchangeState) IsPlanning() bool {
	return s == StatePlanned || s == StatePostponed || s == StateCancelled
}

func joinExchangeStates(ss []ExchangeState) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

// CheckExchangeTransition refuses a change of state the workflow does not
// allow, naming the states that are allowed.
func CheckExchangeTransition(from, to ExchangeState) error {
	if _, ok := exchangeWorkflow[to]; !ok {
		return Invalid("state", "%q is not a state of an exchange (one of %s)", Clip(string(to)), strings.Join(ExchangeStates, ", "))
	}
	next := exchangeWorkflow[from]
	if !slices.Contains(next, to) {
		if len(next) == 0 {
			return Invalid("state", "%s is final: no change of state is allowed", from)
		}
		return Invalid("state", "cannot go from %s to %s (allowed: %s)", from, to, joinExchangeStates(next))
	}
	return nil
}

// CheckExchangeInitial refuses a new exchange in a state reached only by a
// transition (held, postponed, cancelled).
func CheckExchangeInitial(s ExchangeState) error {
	if !slices.Contains(exchangeInitial, s) {
		return Invalid("state", "a new exchange starts as %s, not %s", joinExchangeStates(exchangeInitial), s)
	}
	return nil
}
