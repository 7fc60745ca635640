package store

// Hand-over at the end of a tour: the predecessor's open actions move to
// a new owner in one step, as ordinary changes of one commit, so every
// replica sees them move together and the history says who moved them.

import (
	"context"
	"encoding/json"
	"fmt"

	"liaisondesk/data"
)

// OwnerCount is an owner of open or in-progress actions, with how many.
type OwnerCount struct {
	Owner string `json:"owner"`
	Open  int    `json:"open"`
}

// openActionStates are the actions a hand-over moves: not done, not cancelled.
const openActionStates = `status IN ('open', 'in_progress')`

// ActionOwners lists the owners of open or in-progress actions, by name.
func (s *Store) ActionOwners(ctx context.Context) ([]OwnerCount, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT owner, count(*) FROM actions WHERE owner <> '' AND `+openActionStates+` GROUP BY owner ORDER BY owner`)
	if err != nil {
		return nil, fmt.Errorf("action owners: %w", err)
	}
	defer rows.Close()
	out := []OwnerCount{}
	for rows.Next() {
		var o OwnerCount
		if err := rows.Scan(&o.Owner, &o.Open); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ReassignActions moves every open or in-progress action of owner from to
// owner to, each as an ordinary change, all in one commit. It returns how
// many moved (none is not an error: the officer sees 0).
func (s *Store) ReassignActions(ctx context.Context, from, to string) (int, error) {
	fail := func(err error) (int, error) { return 0, fmt.Errorf("hand over actions: %w", err) }
	if err := data.CheckLine("from", from, true); err != nil {
		return fail(err)
	}
	if err := data.CheckLine("to", to, true); err != nil {
		return fail(err)
	}
	if from == to {
		return fail(data.Invalid("to", "the new owner is the old one (%s)", data.Clip(to)))
	}
	n := 0
	err := s.write(ctx, func(w *writer) error {
		t := actionsTable
		rows, err := w.QueryContext(w.ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE owner = ? AND %s ORDER BY due_on, id`, t.selectJSON(), t.name, openActionStates), from)
		if err != nil {
			return err
		}
		var moving []data.Action
		for rows.Next() {
			var b []byte
			var a data.Action
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal(b, &a); err != nil {
				rows.Close()
				return err
			}
			moving = append(moving, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range moving {
			moving[i].Owner = to
			if err := w.save(t, moving[i].ID, &moving[i]); err != nil {
				return fmt.Errorf("action %s: %w", moving[i].ID, err)
			}
		}
		n = len(moving)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return n, nil
}
