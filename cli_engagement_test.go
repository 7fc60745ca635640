package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const plannedMeeting = `{"posting":"CMF","kind":"meeting","title":"Call on Commander CTF 150","occurred_at":"2099-03-01T06:00:00Z","classification":"RESTRICTED","releasability":["USA","IND"],"state":"planned","objectives":[{"text":"Agree the drill schedule","priority":"HQ-P1"},{"text":"Obtain the contact list"}],"talking_points":"Thanks for the last drill.","asks":"A seat at planning.","red_lines":"No ship numbers."}`

func TestStatusExchangeWalksAPlannedEngagementToFinal(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, plannedMeeting, "add", "exchange")
	if r.code != 0 {
		t.Fatalf("add planned (dated ahead): %d %s", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	if r := liaisondesk(t, db, "", "status", "exchange", id, "final"); r.code != 1 || !strings.Contains(r.stderr, "allowed: held, postponed, cancelled") {
		t.Fatalf("planned → final: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "exchange", id, "postponed"); r.code == 0 || !strings.Contains(r.stderr, "new date") {
		t.Fatalf("postponed without --date: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "exchange", id, "postponed", "--date", "2099-03-08T06:00:00Z", "--note", "commander at sea"); r.code != 0 || !strings.Contains(r.stdout, "is now postponed") {
		t.Fatalf("postpone: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "exchange", id, "held", "--note", "met at NSA Bahrain"); r.code != 0 {
		t.Fatalf("held: %d %s", r.code, r.stderr)
	}
	debrief := `{"objectives":[{"text":"Agree the drill schedule","priority":"HQ-P1","result":"met"},{"text":"Obtain the contact list","result":"not_met","note":"Next month"}],"atmospherics":"Cordial","commitments":[{"side":"us","text":"Send the calendar","owner":"Cdr. Rao"},{"side":"them","text":"Think about it"}]}`
	if r := liaisondesk(t, db, debrief, "update", "exchange", id); r.code != 0 {
		t.Fatalf("debrief: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "exchange", id, "final"); r.code != 0 {
		t.Fatalf("final: %d %s", r.code, r.stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(liaisondesk(t, db, "", "show", "exchange", id, "--json").stdout), &got); err != nil {
		t.Fatal(err)
	}
	notes, _ := got["state_notes"].(string)
	if got["state"] != "final" || got["occurred_at"] != "2099-03-08T06:00:00Z" ||
		!strings.Contains(notes, "from 2099-03-01T06:00:00Z to 2099-03-08T06:00:00Z: commander at sea") {
		t.Fatalf("after final: state %v at %v notes %q", got["state"], got["occurred_at"], notes)
	}
	if obj := got["objectives"].([]any); obj[0].(map[string]any)["result"] != "met" {
		t.Fatalf("objectives %v", obj)
	}
	if r := liaisondesk(t, db, "", "list", "action", "--json"); !strings.Contains(r.stdout, "Send the calendar") || strings.Contains(r.stdout, "Think about it") {
		t.Fatalf("actions from commitments: %s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "status", "exchange", id, "held", "--at", "2026-11-01"); r.code != 2 {
		t.Fatalf("--at on an exchange: %d %s", r.code, r.stderr)
	}
}
