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
	} {
		err := CheckImportedField(tc.field, ListField, json.RawMessage(tc.raw))
		if (err == nil) != tc.ok {
			t.Errorf("%s %s: got %v, want ok=%v", tc.field, tc.raw, err, tc.ok)
		}
	}
}
