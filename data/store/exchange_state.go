package store

import (
	"liaisondesk/data"
)

// addExchange creates an exchange in one of the states a new one may start
// in (draft, planned, final).
func (w *writer) addExchange(e *data.Exchange, r *refs) (string, error) {
	if err := data.CheckExchangeInitial(e.State); err != nil {
		return "", err
	}
	id, err := w.addSimple(exchangesTable, &e.ID, e, r)
	return id, err
}

// exchangeMoved checks an edit that changes an exchange's state against the
// workflow (data/exchange_workflow.go).
func (w *writer) exchangeMoved(cur, e *data.Exchange) error {
	if cur.State == e.State {
		return nil
	}
	return data.CheckExchangeTransition(cur.State, e.State)
}
