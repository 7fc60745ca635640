package data

import (
	"bytes"
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

	// unplaced, when set, says why the change log leaves this level no
	// place in the order (storedLevels); placeLevels reports it.
	unplaced string
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
// counts once. An added level with no place of its own (see LeftOffLevel)
// is left off: records marked with it then count as an unknown level,
// above every ceiling and at the top of every banner.
func OrderedLevels(stored []Classification) []Classification {
	out, _ := placeLevels(stored)
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
func placeLevels(stored []Classification) ([]Classification, []LeftOffLevel) {
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
		if r, ok := builtinRank(c.ID); ok {
			c.Rank = r
		} else if c.unplaced == "" {
			holders[c.Rank] = append(holders[c.Rank], c.ID)
		}
		out = append(out, c)
	}
	var left []LeftOffLevel
	out = slices.DeleteFunc(out, func(c Classification) bool {
		why := c.unplaced
		switch {
		case c.BuiltIn() || why != "":
		case c.Rank < 0 || c.Rank > maxLevelRank:
			why = fmt.Sprintf("its rank %d is outside 0 to %d", c.Rank, maxLevelRank)
		case len(holders[c.Rank]) > 1:
			others := slices.DeleteFunc(slices.Clone(holders[c.Rank]), func(id string) bool { return id == c.ID })
			slices.Sort(others)
			why = fmt.Sprintf("shares rank %d with %s", c.Rank, strings.Join(others, " and "))
		}
		if why != "" {
			c.unplaced = ""
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

// Classifications lists the classification levels, lowest first, in the
// order OrderedLevels gives them.
func (s *Store) Classifications(ctx context.Context) ([]Classification, error) {
	return readLevels(ctx, s.rdb)
}

// LeftOffLevels lists the added levels that have no place in the order
// (see LeftOffLevel), lowest rank first, so Settings and `classification
// list` can say why their records count as unknown.
func (s *Store) LeftOffLevels(ctx context.Context) ([]LeftOffLevel, error) {
	stored, err := storedLevels(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	_, left := placeLevels(stored)
	return left, nil
}

func readLevels(ctx context.Context, q querier) ([]Classification, error) {
	stored, err := storedLevels(ctx, q)
	if err != nil {
		return nil, err
	}
	return OrderedLevels(stored), nil
}

// storedLevels reads every level the store holds, each added level at the
// rank its creating change gave it. The table's rank is the change log's
// last word, which a later change (crafted, released from review, or
// relayed with the creation) could set; but added levels never move, so
// the log's earliest rank for the row (by clock, then author and seq, the
// same on every replica) is the one that counts, and a level the log gives
// two ranks is marked to be left off the order, as unknown.
func storedLevels(ctx context.Context, q querier) ([]Classification, error) {
	created, err := createdRanks(ctx, q)
	if err != nil {
		return nil, err
	}
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
		if cr, ok := created[c.ID]; ok && !c.BuiltIn() {
			c.Rank = cr.rank
			if len(cr.later) > 0 {
				c.unplaced = fmt.Sprintf("was created at rank %d and later given rank %s (levels never move)",
					cr.rank, strings.Join(cr.later, ", "))
			}
		}
		stored = append(stored, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	return stored, nil
}

// createdRank is the rank a level's creating change gave it, and the
// other ranks later changes in the log said.
type createdRank struct {
	rank  int
	later []string
}

// createdRanks reads, for each level the change log sets a rank for, the
// earliest rank set (by clock, then author and seq) and any later one
// that differs.
func createdRanks(ctx context.Context, q querier) (map[string]*createdRank, error) {
	// Import refuses malformed fields; the CASE keeps one that got in
	// anyway from failing every read of the list.
	rows, err := q.QueryContext(ctx, `SELECT c.row_id, json_extract(c.fields, '$.rank') FROM changes c
		JOIN sites s ON s.no = c.id >> 40
		WHERE c.tbl = 'classifications' AND CASE WHEN json_valid(c.fields) THEN json_type(c.fields, '$.rank') END = 'integer'
		ORDER BY c.hlc, s.site_id, c.id & 1099511627775`)
	if err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	defer rows.Close()
	out := map[string]*createdRank{}
	for rows.Next() {
		var id string
		var rank int
		if err := rows.Scan(&id, &rank); err != nil {
			return nil, fmt.Errorf("classifications: %w", err)
		}
		cr := out[id]
		switch {
		case cr == nil:
			out[id] = &createdRank{rank: rank}
		case rank != cr.rank && !slices.Contains(cr.later, strconv.Itoa(rank)):
			cr.later = append(cr.later, strconv.Itoa(rank))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	return out, nil
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
		stored, err := storedLevels(w.ctx, w)
		if err != nil {
			return err
		}
		// A level left off the order is on the list all the same: its
		// name is taken, and so is its rank.
		if slices.ContainsFunc(stored, func(l Classification) bool { return l.ID == c.ID }) {
			return invalid("id", "%s is already on the classification list", c.ID)
		}
		levels, leftOff := placeLevels(stored)
		if c.Rank, err = RankAfter(levels, after, leftOff...); err != nil {
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
		return 0, invalid("after", "%q is not on the classification list (%s)", clip(after), strings.Join(ids, ", "))
	}
	taken := map[int]bool{}
	for _, l := range leftOff {
		taken[l.Rank] = true
	}
	lo := levels[i]
	if i == len(levels)-1 {
		r, ok := freeRank(lo.Rank, maxLevelRank+1, min(lo.Rank+10, maxLevelRank), taken)
		if !ok {
			return 0, invalid("after", "no rank left above %s (%d): ranks go up to %d", lo.ID, lo.Rank, maxLevelRank)
		}
		return r, nil
	}
	hi := levels[i+1]
	r, ok := freeRank(lo.Rank, hi.Rank, lo.Rank+(hi.Rank-lo.Rank)/2, taken)
	if !ok {
		return 0, invalid("after", "no rank left between %s (%d) and %s (%d): levels never move, so add it after another level",
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
// A change is judged against the levels as the batch builds them: the
// store's, and those the batch itself creates, so a re-rank relayed in
// the same bundle as the level it moves is held too.
func checkClassificationImport(ctx context.Context, q querier, b *importBatch, rowID, field string, value json.RawMessage) error {
	if !b.levelsRead {
		stored, err := storedLevels(ctx, q)
		if err != nil {
			return err
		}
		b.levels, b.levelsRead = stored, true
		for _, c := range b.createdLevels() {
			if !slices.ContainsFunc(stored, func(l Classification) bool { return l.ID == c.ID }) {
				b.levels = append(b.levels, c)
			}
		}
	}
	if err := checkClassificationChange(b.levels, rowID, field, value); err != nil {
		return brokenLevelRule{err}
	}
	return nil
}

// createdLevels are the levels the batch's applicable changes give a rank,
// each at the rank of the earliest of them (by clock, then author and seq:
// the order storedLevels reads the log in), as it will stand once applied.
func (b *importBatch) createdLevels() []Classification {
	type setting struct {
		c    *RawChange
		rank int
	}
	first := map[string]setting{}
	for _, pc := range b.applicable {
		for _, c := range pc.changes {
			if c.Table != "classifications" {
				continue
			}
			var fields struct {
				Rank *json.RawMessage `json:"rank"`
			}
			if json.Unmarshal(c.Fields, &fields) != nil || fields.Rank == nil {
				continue
			}
			rank, err := strconv.Atoi(string(*fields.Rank))
			if err != nil {
				continue // not a whole number: its own check holds it
			}
			f, ok := first[c.RowID]
			if !ok || earlierChange(c, f.c) {
				first[c.RowID] = setting{c, rank}
			}
		}
	}
	out := make([]Classification, 0, len(first))
	for id, f := range first {
		out = append(out, Classification{ID: id, Rank: f.rank})
	}
	return out
}

// earlierChange orders changes as the log is read for levels' ranks.
func earlierChange(a, b *RawChange) bool {
	if a.HLC != b.HLC {
		return a.HLC < b.HLC
	}
	if n := bytes.Compare(a.ID.Site[:], b.ID.Site[:]); n != 0 {
		return n < 0
	}
	return a.ID.Seq < b.ID.Seq
}

// brokenLevelRule is a classification rule a synced change broke: it
// counts as invalid (so the commit is held) and reads as its own message.
type brokenLevelRule struct{ error }

func (brokenLevelRule) Is(target error) bool { return target == ErrInvalid }

// checkClassificationChange says why a synced change to the classifications table must be
// held for review instead of applied, or returns nil. current is every level as the import
// builds them (added levels at the rank they were created with, placed in the order or not).
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
	if isBuiltin {
		if rank != builtin {
			return bad("rank of a built-in level cannot change")
		}
		return nil
	}
	// An added level's rank must be its own among the built-ins, which are
	// judged by their code ranks. It may tie another added level (two
	// officers adding a level at the same place before syncing): both are
	// then left off the order, as unknown, which is safe, and each
	// officer's later work keeps flowing.
	for _, b := range DefaultClassifications() {
		if b.Rank == rank {
			return bad("rank %d is already %s's", rank, b.ID)
		}
	}
	if existing != nil && rank != existing.Rank {
		return bad("rank cannot change (levels never move): it is %d, the change says %d", existing.Rank, rank)
	}
	return nil
}
