package data

import (
	"fmt"
	"slices"
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

	// Unplaced, when set, says why the change log leaves this level no
	// place in the order (storedLevels); placeLevels reports it.
	Unplaced string `json:"-"`
}

// maxLevelName is the longest level name: long enough for any real
// marking, short enough for a banner.
const maxLevelName = 40

// MaxLevelRank is the highest rank a level may take.
const MaxLevelRank = 1000

// AddedColour is the banner colour of an added level given none: a
// neutral dark grey that reads with white text.
const AddedColour = "#616161"

func (c *Classification) Validate() error {
	if problem := LevelNameProblem(c.ID); problem != "" {
		return Invalid("id", "%s", problem)
	}
	if c.Rank < 0 || c.Rank > MaxLevelRank {
		return Invalid("rank", "must be between 0 and %d", MaxLevelRank)
	}
	return CheckColour("colour", c.Colour)
}

// BuiltIn reports whether the level is one of the four whose rank is
// fixed in code.
func (c Classification) BuiltIn() bool {
	_, ok := BuiltinRank(c.ID)
	return ok
}

// levelNameProblem says what is wrong with a level's name, or "".
func LevelNameProblem(id string) string {
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

func CheckColour(field, v string) error {
	if len(v) != 7 || v[0] != '#' || strings.Trim(strings.ToLower(v[1:]), "0123456789abcdef") != "" {
		return Invalid(field, "%q is not a colour in #RRGGBB form", Clip(v))
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
func BuiltinRank(id string) (int, bool) {
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
// counts once. An added level with no place of its own (see LeftOffLevel)
// is left off: records marked with it then count as an unknown level,
// above every ceiling and at the top of every banner.
func OrderedLevels(stored []Classification) []Classification {
	out, _ := PlaceLevels(stored)
	return out
}

// LeftOffLevel is an added level that has no place in the order, and why.
// Records marked with it count as an unknown level: left out of every
// ceiling, at the top of every banner.
type LeftOffLevel struct {
	Classification
	Why string // e.g. "shares rank 40 with COSMIC"
}

// placeLevels orders the levels as OrderedLevels says, and lists the added
// levels it leaves off: out of range, given two ranks by the change log,
// or sharing a rank with another level (two officers adding a level at
// the same place before syncing; no single save makes it).
func PlaceLevels(stored []Classification) ([]Classification, []LeftOffLevel) {
	out := make([]Classification, 0, len(stored)+4)
	seen := map[string]bool{}
	holders := map[int][]string{} // rank → levels holding it
	for _, b := range DefaultClassifications() {
		holders[b.Rank] = append(holders[b.Rank], b.ID)
	}
	for _, c := range stored {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		if r, ok := BuiltinRank(c.ID); ok {
			c.Rank = r
		} else if c.Unplaced == "" {
			holders[c.Rank] = append(holders[c.Rank], c.ID)
		}
		out = append(out, c)
	}
	var left []LeftOffLevel
	out = slices.DeleteFunc(out, func(c Classification) bool {
		why := c.Unplaced
		switch {
		case c.BuiltIn() || why != "":
		case c.Rank < 0 || c.Rank > MaxLevelRank:
			why = fmt.Sprintf("its rank %d is outside 0 to %d", c.Rank, MaxLevelRank)
		case len(holders[c.Rank]) > 1:
			others := slices.DeleteFunc(slices.Clone(holders[c.Rank]), func(id string) bool { return id == c.ID })
			slices.Sort(others)
			why = fmt.Sprintf("shares rank %d with %s", c.Rank, strings.Join(others, " and "))
		}
		if why != "" {
			c.Unplaced = ""
			left = append(left, LeftOffLevel{Classification: c, Why: why})
		}
		return why != ""
	})
	for _, b := range DefaultClassifications() {
		if !seen[b.ID] {
			out = append(out, b)
		}
	}
	byRank := func(a, b Classification) int {
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortStableFunc(out, byRank)
	slices.SortStableFunc(left, func(a, b LeftOffLevel) int { return byRank(a.Classification, b.Classification) })
	return out, left
}

// RankAfter is the rank a level added right after the level named after
// takes in levels (lowest first): halfway to the next level, or 10 above
// the top, or the nearest rank to that which no level left off the order
// holds (a new level must not join a tie). It names the problem when
// there is no room.
func RankAfter(levels []Classification, after string, leftOff ...LeftOffLevel) (int, error) {
	i := slices.IndexFunc(levels, func(l Classification) bool { return l.ID == after })
	if i < 0 {
		ids := make([]string, len(levels))
		for k, l := range levels {
			ids[k] = l.ID
		}
		return 0, Invalid("after", "%q is not on the classification list (%s)", Clip(after), strings.Join(ids, ", "))
	}
	taken := map[int]bool{}
	for _, l := range leftOff {
		taken[l.Rank] = true
	}
	lo := levels[i]
	if i == len(levels)-1 {
		r, ok := freeRank(lo.Rank, MaxLevelRank+1, min(lo.Rank+10, MaxLevelRank), taken)
		if !ok {
			return 0, Invalid("after", "no rank left above %s (%d): ranks go up to %d", lo.ID, lo.Rank, MaxLevelRank)
		}
		return r, nil
	}
	hi := levels[i+1]
	r, ok := freeRank(lo.Rank, hi.Rank, lo.Rank+(hi.Rank-lo.Rank)/2, taken)
	if !ok {
		return 0, Invalid("after", "no rank left between %s (%d) and %s (%d): levels never move, so add it after another level",
			lo.ID, lo.Rank, hi.ID, hi.Rank)
	}
	return r, nil
}

// freeRank is the rank strictly between lo and hi nearest to want that is
// not taken.
func freeRank(lo, hi, want int, taken map[int]bool) (int, bool) {
	for d := 0; want-d > lo || want+d < hi; d++ {
		for _, r := range []int{want - d, want + d} {
			if r > lo && r < hi && !taken[r] {
				return r, true
			}
		}
	}
	return 0, false
}
