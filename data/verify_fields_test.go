package data

import (
	"encoding/json"
	"testing"
)

// The fields check an import makes of every change accepts exactly what
// decoding them into a map with a member did: a JSON object, not empty.
func TestTheFieldsCheckAcceptsWhatDecodingDid(t *testing.T) {
	for _, f := range []string{`{"title":"x"}`, ` {"a":1,"a":2} `, "{\n\"a\":null}", `{}`, ` { } `, `[]`, `null`, `"x"`, ``, `{"a":1`, `{"a":1}x`, `{"a":1}{}`, `{a:1}`, `{"a":"\xff"}`} {
		var fields map[string]json.RawMessage
		want := json.Unmarshal([]byte(f), &fields) == nil && len(fields) > 0
		if got := nonEmptyObject([]byte(f)); got != want {
			t.Errorf("%q: accepted %v, decoding accepted %v", f, got, want)
		}
	}
}
