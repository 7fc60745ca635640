package store

import (
	"context"
	"errors"
	"testing"

	"liaisondesk/data"
)

// At the end of a tour the predecessor's open and in-progress actions move
// to the successor in one commit; done and cancelled ones, and other
// owners', stay as they were.
func TestReassignActionsMovesTheOpenActionsOfOneOwnerInOneCommit(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	open := addOne(t, s, &data.Action{Title: "Send the drill schedule", Owner: "Cdr Rao", Status: data.ActionOpen})
	going := addOne(t, s, &data.Action{Title: "Chase the fuel request", Owner: "Cdr Rao", Status: data.ActionInProgress})
	done := addOne(t, s, &data.Action{Title: "Book the port visit", Owner: "Cdr Rao", Status: data.ActionDone})
	other := addOne(t, s, &data.Action{Title: "Brief the attaché", Owner: "Lt Iyer", Status: data.ActionOpen})
	owners, err := s.ActionOwners(ctx)
	if err != nil || len(owners) != 2 || owners[0] != (OwnerCount{"Cdr Rao", 2}) {
		t.Fatalf("owners before: %+v, %v", owners, err)
	}
	commitsBefore := countRows(t, s, "commits")

	n, err := s.ReassignActions(ctx, "Cdr Rao", "Cdr Menon")
	if err != nil || n != 2 {
		t.Fatalf("moved %d, %v; want 2", n, err)
	}
	if got := countRows(t, s, "commits") - commitsBefore; got != 1 {
		t.Fatalf("the hand-over made %d commits, want 1", got)
	}
	for id, want := range map[string]string{open: "Cdr Menon", going: "Cdr Menon", done: "Cdr Rao", other: "Lt Iyer"} {
		rec, err := s.Get(ctx, data.KindAction, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := rec.(*data.Action).Owner; got != want {
			t.Fatalf("action %s is owned by %s, want %s", id, got, want)
		}
	}
	h, err := s.History(ctx, data.KindAction, open)
	if err != nil || len(h) == 0 || h[len(h)-1].Field != "owner" || string(h[len(h)-1].Old) != `"Cdr Rao"` || string(h[len(h)-1].New) != `"Cdr Menon"` {
		t.Fatalf("history of a moved action: %+v, %v; want the hand-over last, as a change of owner", h, err)
	}
	if r, err := s.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %+v, %v", r, err)
	}
	if n, err := s.ReassignActions(ctx, "Cdr Rao", "Cdr Menon"); err != nil || n != 0 {
		t.Fatalf("a second hand-over moved %d, %v; want 0", n, err)
	}
}

func TestReassignActionsRefusesTheSameOwnerAndABlankOneAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	addOne(t, s, &data.Action{Title: "Send the drill schedule", Owner: "Cdr Rao"})
	before := countRows(t, s, "changes")
	for _, to := range []string{"Cdr Rao", ""} {
		if _, err := s.ReassignActions(ctx, "Cdr Rao", to); !errors.Is(err, data.ErrInvalid) {
			t.Fatalf("to %q: %v, want invalid", to, err)
		}
	}
	if countRows(t, s, "changes") != before {
		t.Fatal("a refused hand-over wrote changes")
	}
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.rdb.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
