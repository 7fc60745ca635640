package store

import (
	"context"
	"fmt"
	"time"

	"liaisondesk/data"
)

// addExchange creates an exchange in one of the states a new one may start
// in (draft, planned, final). One created final turns its owned
// commitments into actions at once.
func (w *writer) addExchange(e *data.Exchange, r *refs) (string, error) {
	if err := data.CheckExchangeInitial(e.State); err != nil {
		return "", err
	}
	if e.ID == "" {
		e.ID = data.NewID()
	}
	var actions []data.Action
	if e.State == data.StateFinal {
		actions = commitmentActions(e)
	}
	id, err := w.addSimple(exchangesTable, &e.ID, e, r)
	if err != nil {
		return "", err
	}
	return id, w.addCommitmentActions(actions, r)
}

// exchangeMoved checks an edit that changes an exchange's state against the
// workflow (data/exchange_workflow.go); on the move to final, owned
// commitments become actions. An amendment is not a move along the
// workflow, but one that leaves the exchange final makes the actions of
// owned commitments it added, since the move to final is past.
func (w *writer) exchangeMoved(cur, e *data.Exchange, amend bool) error {
	if amend {
		if e.State == data.StateFinal {
			return w.addCommitmentActions(commitmentActions(e), nil)
		}
		return nil
	}
	if cur.State == e.State {
		return nil
	}
	if err := data.CheckExchangeTransition(cur.State, e.State); err != nil {
		return err
	}
	if e.State == data.StateFinal {
		return w.addCommitmentActions(commitmentActions(e), nil)
	}
	return nil
}

// commitmentActions makes an action of each owned commitment that has none
// yet, and records its id in the commitment, so a commitment becomes an
// action once however often the exchange is amended and finalised again.
// The action's id is derived from the exchange's and the commitment's, so
// two laptops finalising the same debrief before they sync make one
// action between them, not two.
func commitmentActions(e *data.Exchange) []data.Action {
	e.StableCommitmentIDs()
	var out []data.Action
	for i := range e.Commitments {
		c := &e.Commitments[i]
		if c.Owner == "" || c.ActionID != "" {
			continue
		}
		c.ActionID = data.CommitmentActionID(e.ID, c.ID)
		out = append(out, data.Action{ID: c.ActionID, ExchangeID: e.ID, Title: c.Text, Owner: c.Owner, DueOn: c.DueOn,
			Status: data.ActionOpen, Notes: fmt.Sprintf("Commitment by %s at %q", c.Side, e.Title)})
	}
	return out
}

// addCommitmentActions adds the actions of commitments; one already here
// (the same debrief finalised on another laptop and synced first) is left
// as it is: its id says it is the same action.
func (w *writer) addCommitmentActions(actions []data.Action, r *refs) error {
	for i := range actions {
		a := &actions[i]
		if err := a.Validate(); err != nil {
			return fmt.Errorf("the action of commitment %q: %w", data.Clip(a.Title), err)
		}
		var live int
		if err := w.QueryRowContext(w.ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE id = ?`, actionsTable.name), a.ID).Scan(&live); err != nil {
			return err
		}
		if live > 0 {
			continue
		}
		if _, err := w.addSimple(actionsTable, &a.ID, a, r); err != nil {
			return err
		}
	}
	return nil
}

// SetExchangeState moves an exchange along its workflow, as SetStatus moves
// a request: the change and its note are appended to state_notes. A
// postponement needs the new date (RFC 3339): occurred_at moves to it,
// ended_at with it, and the note says from when.
func (s *Store) SetExchangeState(ctx context.Context, id string, to data.ExchangeState, note, newDate string) error {
	op := func(err error) error { return data.Op("status", fmt.Sprintf("of exchange %s", data.Clip(id)), err) }
	if err := data.CheckText("note", note, data.MaxText); err != nil {
		return op(err)
	}
	if to == data.StatePostponed && newDate == "" {
		return op(data.Invalid("date", "a postponement needs the new date"))
	}
	if to != data.StatePostponed && newDate != "" {
		return op(data.Invalid("date", "is given only when postponing"))
	}
	err := s.write(ctx, func(w *writer) error {
		var e data.Exchange
		if err := s.getInto(w.ctx, w, exchangesTable, id, &e); err != nil {
			return err
		}
		line := fmt.Sprintf("%s %s: %s → %s", w.now(), w.dev.Officer, e.State, to)
		if newDate != "" {
			moved, err := time.Parse(time.RFC3339, newDate)
			if err != nil {
				return data.Invalid("date", "%q is not a time in RFC 3339 form (e.g. 2026-11-25T14:30:00Z)", data.Clip(newDate))
			}
			old, err := time.Parse(time.RFC3339, e.OccurredAt)
			if err != nil {
				return err
			}
			if e.EndedAt != "" {
				if end, err := time.Parse(time.RFC3339, e.EndedAt); err == nil {
					e.EndedAt = end.Add(moved.Sub(old)).UTC().Format(time.RFC3339)
				}
			}
			e.OccurredAt = moved.UTC().Format(time.RFC3339)
			line += fmt.Sprintf(", from %s to %s", old.UTC().Format(time.RFC3339), e.OccurredAt)
		}
		if note != "" {
			line += ": " + note
		}
		if e.StateNotes != "" {
			e.StateNotes += "\n"
		}
		e.StateNotes += line
		e.State = to
		return w.saveAs(exchangesTable, id, &e, false)
	})
	if err != nil {
		return op(err)
	}
	return nil
}
