package data

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Classification is one level of the ordered classification list. Its id
// is the level's name, so seeds from two laptops never duplicate.
//
// The built-in levels (UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET)
// have ranks fixed in code: OrderedLevels gives them those ranks whatever
// the stored rows say, so no synced or crafted change can re-rank them.
// Levels added later take a rank strictly between two existing ones and
// never move.
type Classification struct {
	ID     string `json:"id"`     // e.g. "CONFIDENTIAL"
	Rank   int    `json:"rank"`   // higher is more sensitive
	Colour string `json:"colour"` // banner colour, #RRGGBB
}

// maxLevelName is the longest level name: long enough for any real
// marking, short enough for a banner.
const maxLevelName = 40

// maxLevelRank is the highest rank a level may take.
const maxLevelRank = 1000

// addedColour is the banner colour of an added level given none: a
// neutral dark grey that reads with white text.
const addedColour = "#616161"

func (c *Classification) Validate() error {
	if problem := levelNameProblem(c.ID); problem != "" {
		return invalid("id", "%s", problem)
	}
	if c.Rank < 0 || c.Rank > maxLevelRank {
		return invalid("rank", "must be between 0 and %d", maxLevelRank)
	}
	return checkColour("colour", c.Colour)
}

// BuiltIn reports whether the level is one of the four whose rank is
// fixed in code.
func (c Classification) BuiltIn() bool {
	_, ok := builtinRank(c.ID)
	return ok
}

// levelNameProblem says what is wrong with a level's name, or "".
func levelNameProblem(id string) string {
	switch {
	case strings.TrimSpace(id) == "":
		return "is required"
	case id != strings.ToUpper(id):
		return "must be upper case, e.g. TOP SECRET"
	case strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -") != "":
		return "may hold only upper-case letters, digits, spaces and hyphens"
	case id != strings.TrimSpace(id) || strings.Contains(id, "  "):
		return "must not start or end with a space, nor hold two in a row"
	case len(id) > maxLevelName:
		return fmt.Sprintf("is longer than %d characters", maxLevelName)
	}
	return ""
}

func checkColour(field, v string) error {
	if len(v) != 7 || v[0] != '#' || strings.Trim(strings.ToLower(v[1:]), "0123456789abcdef") != "" {
		return invalid(field, "%q is not a colour in #RRGGBB form", clip(v))
	}
	return nil
}

// DefaultClassifications is the built-in list a new store is seeded with,
// at the ranks fixed in code. Colours follow the usual convention: green,
// purple (restricted), blue, red.
func DefaultClassifications() []Classification {
	return []Classification{
		{ID: "UNCLASSIFIED", Rank: 0, Colour: "#007A33"},
		{ID: "RESTRICTED", Rank: 10, Colour: "#6A1B9A"},
		{ID: "CONFIDENTIAL", Rank: 20, Colour: "#0033A0"},
		{ID: "SECRET", Rank: 30, Colour: "#C8102E"},
	}
}

// builtinRank is a built-in level's rank as fixed in code.
func builtinRank(id string) (int, bool) {
	for _, b := range DefaultClassifications() {
		if b.ID == id {
			return b.Rank, true
		}
	}
	return 0, false
}

// OrderedLevels is the one place the order of levels comes from; the
// banner and every report's ceiling use it. It gives the built-in levels
// their ranks fixed in code whatever the stored rows say, adds any
// built-in missing from them, and sorts the list lowest first (by rank,
// then name). Added levels keep their stored rank; a level named twice
// counts once. An added level whose rank is out of range or shared with
// another level (which no save makes, only a crafted change) has no place
// in the order and is left off: records marked with it then count as an
// unknown level, above every ceiling and at the top of every banner.
func OrderedLevels(stored []Classification) []Classification {
	out := make([]Classification, 0, len(stored)+4)
	seen := map[string]bool{}
	holders := map[int]int{} // rank → levels holding it
	for _, b := range DefaultClassifications() {
		holders[b.Rank]++
	}
	for _, c := range stored {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		if r, ok := builtinRank(c.ID); ok {
			c.Rank = r
		} else {
			holders[c.Rank]++
		}
		out = append(out, c)
	}
	out = slices.DeleteFunc(out, func(c Classification) bool {
		return !c.BuiltIn() && (c.Rank < 0 || c.Rank > maxLevelRank || holders[c.Rank] > 1)
	})
	for _, b := range DefaultClassifications() {
		if !seen[b.ID] {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b Classification) int {
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Classifications lists the classification levels, lowest first, in the
// order OrderedLevels gives them.
func (s *Store) Classifications(ctx context.Context) ([]Classification, error) {
	return readLevels(ctx, s.rdb)
}

func readLevels(ctx context.Context, q querier) ([]Classification, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, rank, colour FROM classifications`)
	if err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	defer rows.Close()
	var stored []Classification
	for rows.Next() {
		var c Classification
		if err := rows.Scan(&c.ID, &c.Rank, &c.Colour); err != nil {
			return nil, fmt.Errorf("classifications: %w", err)
		}
		stored = append(stored, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	return OrderedLevels(stored), nil
}

// AddClassification adds a level right after another one: its rank is
// strictly between that level's and the next one's (above the top when
// after the top), and it never moves afterwards. colour "" gives a
// neutral grey. The list is a synced table, so every laptop gets it.
func (s *Store) AddClassification(ctx context.Context, id, after, colour string) (Classification, error) {
	c := Classification{ID: strings.TrimSpace(id), Colour: strings.TrimSpace(colour)}
	if c.Colour == "" {
		c.Colour = addedColour
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("classification: %w", err)
	}
	after = strings.TrimSpace(after)
	if after == "" {
		return c, fmt.Errorf("classification: %w", invalid("after", "is required: the level the new one goes after, e.g. CONFIDENTIAL"))
	}
	err := s.write(ctx, func(w *writer) error {
		levels, err := readLevels(w.ctx, w)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(levels, func(l Classification) bool { return l.ID == c.ID }) {
			return invalid("id", "%s is already on the classification list", c.ID)
		}
		if c.Rank, err = RankAfter(levels, after); err != nil {
			return err
		}
		r, err := w.refs()
		if err != nil {
			return err
		}
		_, err = w.add(&c, r)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("classification: %w", err)
	}
	return c, nil
}

// RankAfter is the rank a level added right after the level named after
// takes in levels (lowest first): halfway to the next level, or 10 above
// the top. It names the problem when there is no room.
func RankAfter(levels []Classification, after string) (int, error) {
	i := slices.IndexFunc(levels, func(l Classification) bool { return l.ID == after })
	if i < 0 {
		ids := make([]string, len(levels))
		for k, l := range levels {
			ids[k] = l.ID
		}
		return 0, invalid("after", "%q is not on the classification list (%s)", clip(after), strings.Join(ids, ", "))
	}
	lo := levels[i]
	if i == len(levels)-1 {
		r := min(lo.Rank+10, maxLevelRank)
		if r <= lo.Rank {
			return 0, invalid("after", "no rank left above %s (%d): ranks go up to %d", lo.ID, lo.Rank, maxLevelRank)
		}
		return r, nil
	}
	hi := levels[i+1]
	if hi.Rank-lo.Rank < 2 {
		return 0, invalid("after", "no rank left between %s (%d) and %s (%d): levels never move, so add it after another level",
			lo.ID, lo.Rank, hi.ID, hi.Rank)
	}
	return lo.Rank + (hi.Rank-lo.Rank)/2, nil
}

// SetClassificationColour changes a level's banner colour, the one thing
// about a level that may change (its rank never does).
func (s *Store) SetClassificationColour(ctx context.Context, id, colour string) error {
	if err := checkColour("colour", colour); err != nil {
		return fmt.Errorf("classification: %w", err)
	}
	err := s.write(ctx, func(w *writer) error {
		levels, err := readLevels(w.ctx, w)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(levels, func(l Classification) bool { return l.ID == id })
		if i < 0 {
			return invalid("id", "%q is not on the classification list", clip(id))
		}
		if levels[i].Colour == colour {
			return nil
		}
		ok, err := w.exists(nil, classificationsTable, id)
		if err != nil {
			return err
		}
		if !ok { // a built-in missing from the store (a crafted delete): put it back
			r, err := w.refs()
			if err != nil {
				return err
			}
			l := levels[i]
			l.Colour = colour
			_, err = w.add(&l, r)
			return err
		}
		return w.change(classificationsTable, id, map[string]json.RawMessage{"colour": mustJSON(colour)})
	})
	if err != nil {
		return fmt.Errorf("classification: %w", err)
	}
	return nil
}

// checkClassificationImport is the classifications table's import rule: a
// synced change that would re-rank, delete or misplace a level is held for
// review (a wrong order would spill records past every report's ceiling).
func checkClassificationImport(ctx context.Context, q querier, rowID, field string, value json.RawMessage) error {
	current, err := readLevels(ctx, q)
	if err != nil {
		return err
	}
	if err := checkClassificationChange(current, rowID, field, value); err != nil {
		return brokenLevelRule{err}
	}
	return nil
}

// brokenLevelRule is a classification rule a synced change broke: it
// counts as invalid (so the commit is held) and reads as its own message.
type brokenLevelRule struct{ error }

func (brokenLevelRule) Is(target error) bool { return target == ErrInvalid }

// checkClassificationChange says why a synced change to the classifications table must be
// held for review instead of applied, or returns nil. current is the levels this store holds now.
func checkClassificationChange(current []Classification, rowID, field string, value json.RawMessage) error {
	if problem := levelNameProblem(rowID); problem != "" {
		return fmt.Errorf("classification %q: not a level name: %s", clip(rowID), problem)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("classification %s: %s", rowID, fmt.Sprintf(format, args...))
	}
	builtin, isBuiltin := builtinRank(rowID)
	var existing *Classification
	for i := range current {
		if current[i].ID == rowID {
			existing = &current[i]
		}
	}
	switch field {
	case "colour":
		var c string
		if json.Unmarshal(value, &c) != nil || checkColour("colour", c) != nil {
			return bad("colour %s is not in #RRGGBB form", clip(string(value)))
		}
		return nil
	case DeletedField:
		var del bool
		if json.Unmarshal(value, &del) != nil {
			return bad("%s %s is not true or false", DeletedField, clip(string(value)))
		}
		switch {
		case !del:
			return nil
		case isBuiltin:
			return bad("a built-in level cannot be deleted")
		}
		return bad("levels cannot be deleted (records and reports rely on the list and its order)")
	case "rank":
	default:
		return bad("unknown field %q", clip(field))
	}
	rank, err := strconv.Atoi(strings.TrimSpace(string(value)))
	if err != nil || !json.Valid(value) || rank < 0 || rank > maxLevelRank {
		return bad("rank %s is not a whole number from 0 to %d", clip(string(value)), maxLevelRank)
	}
	switch {
	case isBuiltin:
		if rank != builtin {
			return bad("rank of a built-in level cannot change")
		}
		return nil
	case existing != nil:
		if rank != existing.Rank {
			return bad("rank cannot change (levels never move): it is %d, the change says %d", existing.Rank, rank)
		}
		return nil
	}
	// A new level: its rank must be its own, so it sits strictly between
	// two others. The built-ins are judged by their code ranks.
	for _, b := range DefaultClassifications() {
		if b.Rank == rank {
			return bad("rank %d is already %s's", rank, b.ID)
		}
	}
	for _, l := range current {
		if _, ok := builtinRank(l.ID); !ok && l.Rank == rank {
			return bad("rank %d is already %s's", rank, l.ID)
		}
	}
	return nil
}
