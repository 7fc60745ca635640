package main

import (
	"path/filepath"
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

// HQ certifies a rotated laptop's new key only once the rotation
// statement has reached it; before, it is refused with what to do, and the
// roster keeps the old key.
func TestOrgEnrolOfARotatedKeyWaitsForTheStatement(t *testing.T) {
	hq := filepath.Join(t.TempDir(), "hq.db")
	if r := liaisondesk(t, hq, "", "init", "--officer", "Brig HQ", "--rank", "Brigadier", "--posting", "IHQ"); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	liaisondesk(t, hq, "", "org", "init", "--name", "Indian Liaison Officers")
	laptop := newStore(t)
	old := strings.TrimSpace(liaisondesk(t, laptop, "", "identity").stdout)
	if r := liaisondesk(t, hq, "", "org", "enrol", old, "--name", "alpha"); r.code != 0 {
		t.Fatalf("enrol: %+v", r)
	}
	r := liaisondesk(t, laptop, "", "identity", "rotate")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	rotated := lines[len(lines)-1]
	if r.code != 0 || !strings.Contains(r.stdout, "org enrol") || rotated == old {
		t.Fatalf("identity rotate: %+v", r)
	}
	r = liaisondesk(t, hq, "", "org", "enrol", rotated, "--name", "alpha")
	if r.code != 1 || !strings.Contains(r.stderr, "no rotation statement") || !strings.Contains(r.stderr, "sync with the device first") {
		t.Fatalf("enrolling the new key before the statement reached HQ: %+v", r)
	}
	if roster := liaisondesk(t, hq, "", "org", "roster", "--json").stdout; !strings.Contains(roster, old) {
		t.Fatalf("the roster lost alpha's old key: %s", roster)
	}
}
