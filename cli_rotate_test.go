package main

import (
	"strings"
	"testing"
)

// The successor takes over the predecessor's open actions in one command;
// a done action stays with whoever did it.
func TestActionsHandoverMovesTheOpenActionsOfOneOwner(t *testing.T) {
	db := newStore(t)
	in := `{"title":"Send the drill schedule","owner":"Cdr Rao","status":"open"}
{"title":"Chase the fuel request","owner":"Cdr Rao","status":"in_progress"}
{"title":"Book the port visit","owner":"Cdr Rao","status":"done"}`
	if r := liaisondesk(t, db, in, "add", "action"); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	r := liaisondesk(t, db, "", "actions", "handover", "--from", "Cdr Rao", "--to", "Cdr Menon")
	if r.code != 0 || !strings.Contains(r.stdout, "moved 2 open or in-progress action(s) from Cdr Rao to Cdr Menon") {
		t.Fatalf("handover: %+v", r)
	}
	list := liaisondesk(t, db, "", "list", "action", "--json").stdout
	if strings.Count(list, `"owner":"Cdr Menon"`) != 2 || strings.Count(list, `"owner":"Cdr Rao"`) != 1 {
		t.Fatalf("after the handover: %s", list)
	}
	if r := liaisondesk(t, db, "", "actions", "handover", "--from", "Cdr Rao"); r.code != 2 || !strings.Contains(r.stderr, "--to NAME") {
		t.Fatalf("without --to: %+v", r)
	}
	if r := liaisondesk(t, db, "", "actions", "handover", "--from", "Cdr Rao", "--to", "Cdr Rao"); r.code != 1 || !strings.Contains(r.stderr, "the new owner is the old one") {
		t.Fatalf("to the same owner: %+v", r)
	}
}
