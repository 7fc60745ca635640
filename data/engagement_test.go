package data

import (
	"encoding/json"
	"testing"
)

// A peer or an import file sends objectives and commitments as whole
// lists: they are held to what the form accepts.
func TestObjectListsArrivingBySyncAreHeldToTheFormsRules(t *testing.T) {
	for _, tc := range []struct {
		field, raw string
		ok         bool
	}{
		{"objectives", `[{"text":"Agree the schedule","priority":"HQ-P1","result":"met","note":"done"}]`, true},
		{"objectives", `["Agree the schedule"]`, false},
		{"objectives", `[{"text":""}]`, false},
		{"objectives", `[{"text":"x","result":"won"}]`, false},
		{"commitments", `[{"side":"them","text":"Share the list","owner":"Lt Cdr Smith"}]`, true},
		{"commitments", `[{"side":"both","text":"x"}]`, false},
		{"commitments", `[{"side":"us","text":"x","action_id":"not-a-uuid"}]`, false},
		{"commitments", `[{"id":"0190f5a2-7c1e-7d3a-9b4c-2f1e0d9c8b7a","side":"us","text":"x","due_on":"2026-12-01"}]`, true},
		{"commitments", `[{"id":"commitment-1","side":"us","text":"x"}]`, false},
		{"commitments", `[{"side":"us","text":"x","due_on":"next week"}]`, false},
		// Two commitments with one id would become one action between them.
		{"commitments", `[{"id":"0190f5a2-7c1e-7d3a-9b4c-2f1e0d9c8b7a","side":"us","text":"a"},{"id":"0190f5a2-7c1e-7d3a-9b4c-2f1e0d9c8b7a","side":"us","text":"b"}]`, false},
	} {
		err := CheckImportedField(tc.field, ListField, json.RawMessage(tc.raw))
		if (err == nil) != tc.ok {
			t.Errorf("%s %s: got %v, want ok=%v", tc.field, tc.raw, err, tc.ok)
		}
	}
}

// Laptops holding the same debrief derive the same commitment ids and so
// the same action ids; a commitment that has an id keeps it when reworded.
func TestCommitmentIDsAndTheirActionsAreTheSameOnEveryLaptop(t *testing.T) {
	debrief := func() *Exchange {
		return &Exchange{ID: "0190f5a2-7c1e-7d3a-9b4c-2f1e0d9c8b7a", Commitments: []Commitment{
			{Side: SideUs, Text: "Send the calendar"}, {Side: SideUs, Text: "Send the calendar"}}}
	}
	a, b := debrief(), debrief()
	a.StableCommitmentIDs()
	b.StableCommitmentIDs()
	if a.Commitments[0].ID != b.Commitments[0].ID || a.Commitments[0].ID == a.Commitments[1].ID {
		t.Fatalf("commitment ids %+v and %+v", a.Commitments, b.Commitments)
	}
	if err := CheckID("id", a.Commitments[0].ID, true); err != nil {
		t.Fatal(err)
	}
	id := a.Commitments[0].ID
	a.Commitments[0].Text = "Send the drill calendar"
	a.StableCommitmentIDs()
	if a.Commitments[0].ID != id {
		t.Errorf("rewording changed the commitment's id")
	}
	if CommitmentActionID(a.ID, id) != CommitmentActionID(b.ID, id) || CommitmentActionID(a.ID, id) == CommitmentActionID(a.ID, a.Commitments[1].ID) {
		t.Errorf("action ids are not one per commitment")
	}
}
