package data

import (
	"strings"
	"testing"
)

func TestTheUnknownKindsWarningCountsAndNamesAFewTables(t *testing.T) {
	if w := UnknownKindsWarning(nil); w != "" {
		t.Errorf("no unknown kinds: %q", w)
	}
	w := UnknownKindsWarning(map[string]int{"b": 1, "a": 2, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1})
	if !strings.HasPrefix(w, "8 changes of a kind this version does not know (a, b, c, d, e, and 2 more): upgrade") {
		t.Errorf("warning %q", w)
	}
}
