package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"liaisondesk/data"
)

// Classifications lists the classification levels, lowest first, in the
// order OrderedLevels gives them.
func (s *Store) Classifications(ctx context.Context) ([]data.Classification, error) {
	return readLevels(ctx, s.rdb)
}

// LeftOffLevels lists the added levels that have no place in the order
// (see LeftOffLevel), lowest rank first, so Settings and `classification
// list` can say why their records count as unknown.
func (s *Store) LeftOffLevels(ctx context.Context) ([]data.LeftOffLevel, error) {
	stored, err := storedLevels(ctx, s.rdb)
	if err != nil {
		return nil, err
	}
	_, left := data.PlaceLevels(stored)
	return left, nil
}

func readLevels(ctx context.Context, q querier) ([]data.Classification, error) {
	stored, err := storedLevels(ctx, q)
	if err != nil {
		return nil, err
	}
	return data.OrderedLevels(stored), nil
}

// storedLevels reads every level the store holds, each added level at the
// rank its creating change gave it. The table's rank is the change log's
// last word, which a later change (crafted, released from review, or
// relayed with the creation) could set; but added levels never move, so
// the log's earliest rank for the row (by clock, then author and seq, the
// same on every replica) is the one that counts, and a level the log gives
// two ranks is marked to be left off the order, as unknown.
func storedLevels(ctx context.Context, q querier) ([]data.Classification, error) {
	created, err := createdRanks(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, rank, colour FROM classifications`)
	if err != nil {
		return nil, fmt.Errorf("classifications: %w", err)
	}
	defer rows.Close()
	var stored []data.Classification
	for rows.Next() {
		var c data.Classification
		if err := rows.Scan(&c.ID, &c.Rank, &c.Colour); err != nil {
			return nil, fmt.Errorf("classifications: %w", err)
		}
		if cr, ok := created[c.ID]; ok && !c.BuiltIn() {
			c.Rank = cr.rank
			if len(cr.later) > 0 {
				c.Unplaced = fmt.Sprintf("was created at rank %d and later given rank %s (levels never move)",
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
func (s *Store) AddClassification(ctx context.Context, id, after, colour string) (data.Classification, error) {
	c := data.Classification{ID: strings.TrimSpace(id), Colour: strings.TrimSpace(colour)}
	if c.Colour == "" {
		c.Colour = data.AddedColour
	}
	if err := c.Validate(); err != nil {
		return c, data.Op("classification", "", err)
	}
	after = strings.TrimSpace(after)
	if after == "" {
		return c, data.Op("classification", "", data.Invalid("after", "is required: the level the new one goes after, e.g. CONFIDENTIAL"))
	}
	err := s.write(ctx, func(w *writer) error {
		stored, err := storedLevels(w.ctx, w)
		if err != nil {
			return err
		}
		// A level left off the order is on the list all the same: its
		// name is taken, and so is its rank.
		if slices.ContainsFunc(stored, func(l data.Classification) bool { return l.ID == c.ID }) {
			return data.Invalid("id", "%s is already on the classification list", c.ID)
		}
		levels, leftOff := data.PlaceLevels(stored)
		if c.Rank, err = data.RankAfter(levels, after, leftOff...); err != nil {
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
		return c, data.Op("classification", "", err)
	}
	return c, nil
}

// SetClassificationColour changes a level's banner colour, the one thing
// about a level that may change (its rank never does).
func (s *Store) SetClassificationColour(ctx context.Context, id, colour string) error {
	if err := data.CheckColour("colour", colour); err != nil {
		return data.Op("classification", "", err)
	}
	err := s.write(ctx, func(w *writer) error {
		levels, err := readLevels(w.ctx, w)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(levels, func(l data.Classification) bool { return l.ID == id })
		if i < 0 {
			return data.Invalid("id", "%q is not on the classification list", data.Clip(id))
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
		return data.Op("classification", "", err)
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
			if !slices.ContainsFunc(stored, func(l data.Classification) bool { return l.ID == c.ID }) {
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
func (b *importBatch) createdLevels() []data.Classification {
	type setting struct {
		c    *data.RawChange
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
	out := make([]data.Classification, 0, len(first))
	for id, f := range first {
		out = append(out, data.Classification{ID: id, Rank: f.rank})
	}
	return out
}

// earlierChange orders changes as the log is read for levels' ranks.
func earlierChange(a, b *data.RawChange) bool {
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

func (brokenLevelRule) Is(target error) bool { return target == data.ErrInvalid }

// checkClassificationChange says why a synced change to the classifications table must be
// held for review instead of applied, or returns nil. current is every level as the import
// builds them (added levels at the rank they were created with, placed in the order or not).
func checkClassificationChange(current []data.Classification, rowID, field string, value json.RawMessage) error {
	if problem := data.LevelNameProblem(rowID); problem != "" {
		return fmt.Errorf("classification %q: not a level name: %s", data.Clip(rowID), problem)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("classification %s: %s", rowID, fmt.Sprintf(format, args...))
	}
	builtin, isBuiltin := data.BuiltinRank(rowID)
	var existing *data.Classification
	for i := range current {
		if current[i].ID == rowID {
			existing = &current[i]
		}
	}
	switch field {
	case "colour":
		var c string
		if json.Unmarshal(value, &c) != nil || data.CheckColour("colour", c) != nil {
			return bad("colour %s is not in #RRGGBB form", data.Clip(string(value)))
		}
		return nil
	case data.DeletedField:
		var del bool
		if json.Unmarshal(value, &del) != nil {
			return bad("%s %s is not true or false", data.DeletedField, data.Clip(string(value)))
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
		return bad("unknown field %q", data.Clip(field))
	}
	rank, err := strconv.Atoi(strings.TrimSpace(string(value)))
	if err != nil || !json.Valid(value) || rank < 0 || rank > data.MaxLevelRank {
		return bad("rank %s is not a whole number from 0 to %d", data.Clip(string(value)), data.MaxLevelRank)
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
	for _, b := range data.DefaultClassifications() {
		if b.Rank == rank {
			return bad("rank %d is already %s's", rank, b.ID)
		}
	}
	if existing != nil && rank != existing.Rank {
		return bad("rank cannot change (levels never move): it is %d, the change says %d", existing.Rank, rank)
	}
	return nil
}
