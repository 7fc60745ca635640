package data

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// NoteUnknownKind counts one change of a table this version does not know.
func (r *ImportResult) NoteUnknownKind(table string) {
	if r.UnknownKinds == nil {
		r.UnknownKinds = map[string]int{}
	}
	r.UnknownKinds[table]++
}

// UnknownKindsWarning says, in one sentence, that an import met changes of
// kinds this version does not know, and that they were kept: "" when it
// met none. Laptops upgrade at different times across air gaps, so a newer
// kind is no error (docs/ARCHITECTURE.md §4).
func (r ImportResult) UnknownKindsWarning() string {
	return UnknownKindsWarning(r.UnknownKinds)
}

// UnknownKindsWarning is the warning for changes of unknown kinds counted
// per table, summed over one or several imports.
func UnknownKindsWarning(counts map[string]int) string {
	n := 0
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return ""
	}
	tables := slices.Sorted(maps.Keys(counts))
	for i, t := range tables {
		tables[i] = Clip(t)
	}
	if len(tables) > 5 { // a hostile peer may name many
		tables = append(tables[:5], fmt.Sprintf("and %d more", len(tables)-5))
	}
	what := "changes"
	if n == 1 {
		what = "change"
	}
	return fmt.Sprintf("%d %s of a kind this version does not know (%s): upgrade Liaison Desk to see them; they are kept and passed on",
		n, what, strings.Join(tables, ", "))
}

// WellFormedTable says whether a change's table name could be a kind's
// table, known here or added by a newer version: lower-case letters,
// digits and underscores, starting with a letter, at most 64 bytes. A
// change naming anything else is malformed, not merely new.
func WellFormedTable(name string) bool {
	if name == "" || len(name) > 64 || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
