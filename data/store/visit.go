package store

import (
	"context"
	"encoding/json"
	"fmt"

	"liaisondesk/data"
)

var visitsTable = mustTable(data.KindVisit)

// addVisit creates a visit request, drafted, at the officer's posting when
// it names none (its lead time is that posting's).
func (w *writer) addVisit(v *data.Visit, r *refs) (string, error) {
	if v.Status != data.VisitDrafted {
		return "", data.Invalid("status", "a new visit request starts as %s; it moves by status changes", data.VisitDrafted)
	}
	if v.StatusNotes != "" {
		return "", data.Invalid("status_notes", "are written by status changes, not given on create")
	}
	if v.Posting == "" {
		v.Posting = w.dev.Posting
	}
	if err := w.checkPosting(r, "posting", v.Posting); err != nil {
		return "", err
	}
	return w.addSimple(visitsTable, &v.ID, v, r)
}

// visitEdited refuses an edit that changes a visit's status or its notes:
// only SetVisitStatus moves it. A changed posting must be one the store has.
func (w *writer) visitEdited(r *refs, cur, v *data.Visit) error {
	if v.Status != cur.Status {
		return data.Invalid("status", "cannot be changed by editing: use a status change (the workflow decides)")
	}
	if v.StatusNotes != cur.StatusNotes {
		return data.Invalid("status_notes", "are written by status changes")
	}
	if v.Posting != cur.Posting {
		return w.checkPosting(r, "posting", v.Posting)
	}
	return nil
}

// SetVisitStatus moves a visit request along its workflow (data/visit.go),
// as SetExchangeState moves an exchange: the change and its note are
// appended to status_notes.
func (s *Store) SetVisitStatus(ctx context.Context, id string, to data.VisitStatus, note string) error {
	op := func(err error) error { return data.Op("status", fmt.Sprintf("of visit %s", data.Clip(id)), err) }
	if err := data.CheckText("note", note, data.MaxText); err != nil {
		return op(err)
	}
	err := s.write(ctx, func(w *writer) error {
		var cur data.Visit
		if err := s.getInto(w.ctx, w, visitsTable, id, &cur); err != nil {
			return err
		}
		if err := data.CheckVisitTransition(cur.Status, to); err != nil {
			return err
		}
		v := cur
		line := fmt.Sprintf("%s %s: %s → %s", w.now(), w.dev.Officer, cur.Status, to)
		if note != "" {
			line += ": " + note
		}
		if v.StatusNotes != "" {
			v.StatusNotes += "\n"
		}
		v.StatusNotes += line
		v.Status = to
		if err := v.Validate(); err != nil {
			return err
		}
		changed, err := diffFields(visitsTable, &cur, &v)
		if err != nil {
			return err
		}
		return w.change(visitsTable, id, changed)
	})
	if err != nil {
		return op(err)
	}
	return nil
}

// VisitLeadTimeWarning says whether a visit starts inside its posting's lead
// time, counted from the store's today; "" when it does not.
func (s *Store) VisitLeadTimeWarning(ctx context.Context, v *data.Visit) (string, error) {
	postings, err := s.Postings(ctx)
	if err != nil {
		return "", err
	}
	lead := data.DefaultVisitLeadDays
	for i := range postings {
		if postings[i].ID == v.Posting {
			lead = postings[i].LeadDays()
		}
	}
	return v.LeadTimeWarning(lead, s.Now().UTC().Format(data.DateLayout)), nil
}

// checkVisitImport holds a peer's change that gives a visit a status or a
// type the workflow does not know, or a date that is no date: a patched or
// hostile peer's work, which would leave the visit impossible to edit or
// move. (Moves along the workflow are not judged here: a change carries
// one field, and the order of moves is the author's word, as for requests.)
func checkVisitImport(_ context.Context, _ querier, _ *importBatch, _, field string, value json.RawMessage) error {
	var v string
	switch field {
	case "status", "visit_type", "starts_on", "ends_on":
		if err := json.Unmarshal(value, &v); err != nil {
			return data.Invalid(field, "is not text")
		}
	}
	switch field {
	case "status":
		return data.CheckEnum(field, v, data.VisitStatuses, true)
	case "visit_type":
		return data.CheckEnum(field, v, data.VisitTypes, true)
	case "starts_on", "ends_on":
		return data.CheckDate(field, v, true)
	}
	return nil
}
