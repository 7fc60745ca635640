package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"liaisondesk/data"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ranked is how many matches a table may have for them to be ranked by
// relevance; above it, the newest come first, because ranking would have
// to score every match and a word found in most records must stay fast.
const ranked = 2000

type searchSpec struct {
	t       *table
	title   string // SQL for the hit's title
	when    string // SQL for the hit's date
	posting string
	marking string // SQL for classification and releasability
}

var searchSpecs = []searchSpec{
	{exchangesTable, "c.title", "c.occurred_at", "c.posting", "c.classification, c.releasability"},
	{requestsTable, "c.ref || ' ' || c.program || ': ' || c.end_user", "c.required_by", "c.posting", "c.classification, c.releasability"},
	{actionsTable, "c.title", "c.due_on", "''", "'', '[]'"},
	{contactsTable, "c.name || CASE WHEN c.appointment <> '' THEN ', ' || c.appointment ELSE '' END", "''", "''", "'', '[]'"},
}

// Search finds records whose text matches the query, with snippets. Any
// query string is safe: in plain mode words are quoted, so punctuation
// means nothing; in raw mode a syntax error is reported as invalid input.
func (s *Store) Search(ctx context.Context, query string, o data.SearchOptions) ([]data.Hit, error) {
	if o.Limit <= 0 {
		o.Limit = 50
	}
	if o.Mark == [2]string{} {
		o.Mark = [2]string{"«", "»"}
	}
	if err := data.CheckText("query", query, 1000); err != nil {
		return nil, err
	}
	match := query
	if !o.Raw {
		match = plainQuery(query, o.Prefix)
	}
	if strings.TrimSpace(match) == "" {
		return nil, data.Invalid("query", "has no words to search for")
	}
	for _, k := range o.Kinds {
		if !slices.ContainsFunc(searchSpecs, func(sp searchSpec) bool { return sp.t.kind == k }) {
			return nil, data.Invalid("kind", "%q cannot be searched (one of exchange, request, action, contact)", data.Clip(k))
		}
	}
	var hits []data.Hit
	newestFirst := false
	for _, sp := range searchSpecs {
		if len(o.Kinds) > 0 && !slices.Contains(o.Kinds, sp.t.kind) {
			continue
		}
		h, byDate, err := s.searchTable(ctx, sp, match, o)
		if err != nil {
			return nil, err
		}
		newestFirst = newestFirst || byDate
		hits = append(hits, h...)
	}
	if newestFirst {
		slices.SortStableFunc(hits, func(a, b data.Hit) int { return strings.Compare(b.When, a.When) })
	} else {
		slices.SortStableFunc(hits, func(a, b data.Hit) int {
			switch {
			case a.Rank < b.Rank:
				return -1
			case a.Rank > b.Rank:
				return 1
			}
			return 0
		})
	}
	if len(hits) > o.Limit {
		hits = hits[:o.Limit]
	}
	return hits, nil
}

// phraseRE finds the phrases plainQuery writes.
var phraseRE = regexp.MustCompile(`"[^"]*"\*?`)

// rankProbe: a query with a phrase in more records than this is not ranked
// by bm25 (see searchTable).
const rankProbe = 50_000

func (s *Store) searchTable(ctx context.Context, sp searchSpec, match string, o data.SearchOptions) ([]data.Hit, bool, error) {
	fts := sp.t.name + "_fts"
	if o.Prefix {
		// Search as you type: one statement per keystroke, newest first.
		// A prefix is expanded over every word it starts, once per
		// statement, and ranking would count each word's whole doclist:
		// both too slow to repeat on every key.
		return s.searchRows(ctx, sp, match, o, true)
	}
	var n int
	err := s.rdb.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM (SELECT rowid FROM %[1]s WHERE %[1]s MATCH ? LIMIT %d)`, fts, ranked+1), match).Scan(&n)
	if err != nil {
		return nil, false, searchError(err)
	}
	if n == 0 {
		return nil, false, nil
	}
	byDate := n > ranked
	if !byDate && !o.Raw {
		// bm25 counts, on every search, all the records holding each
		// phrase: a phrase found in most records ("the", "indian") makes
		// that a walk over a million-entry doclist (~40 ms per 1M). Rank
		// only when every phrase is in at most rankProbe records (probing
		// costs at most that walk); otherwise newest first, as for many hits.
		if phrases := phraseRE.FindAllString(match, -1); len(phrases) > 1 {
			for _, ph := range phrases {
				var df int
				if err := s.rdb.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM (SELECT rowid FROM %[1]s WHERE %[1]s MATCH ? LIMIT %d)`,
					fts, rankProbe+1), ph).Scan(&df); err != nil {
					return nil, false, searchError(err)
				}
				if df > rankProbe {
					byDate = true
					break
				}
			}
		}
	}
	return s.searchRows(ctx, sp, match, o, byDate)
}

// searchRows reads the hits of one table, by relevance or newest first.
func (s *Store) searchRows(ctx context.Context, sp searchSpec, match string, o data.SearchOptions, byDate bool) ([]data.Hit, bool, error) {
	fts := sp.t.name + "_fts"
	order := fts + ".rank" // qualified: contacts have a rank column of their own
	if byDate {
		order = fts + ".rowid DESC"
	}
	q := fmt.Sprintf(`SELECT c.id, %s, %s, %s, %s, snippet(%s, -1, ?, ?, '…', 12), %s
		FROM %s JOIN %s c ON c.n = %s.rowid WHERE %s MATCH ? ORDER BY %s LIMIT ?`,
		sp.title, sp.when, sp.posting, sp.marking, fts, map[bool]string{true: "0", false: fts + ".rank"}[byDate],
		fts, sp.t.name, fts, fts, order)
	rows, err := s.rdb.QueryContext(ctx, q, o.Mark[0], o.Mark[1], match, o.Limit)
	if err != nil {
		return nil, false, searchError(err)
	}
	defer rows.Close()
	var hits []data.Hit
	for rows.Next() {
		h := data.Hit{Kind: sp.t.kind}
		var rel string
		if err := rows.Scan(&h.ID, &h.Title, &h.When, &h.Posting, &h.Classification, &rel, &h.Snippet, &h.Rank); err != nil {
			return nil, false, err
		}
		_ = json.Unmarshal([]byte(rel), &h.Releasability)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, false, searchError(err)
	}
	return hits, byDate, nil
}

// searchError tells a query FTS5 could not parse from a failed search.
// SQLite reports both with the generic SQLITE_ERROR code, so this is the
// one place that reads an error's message: only an SQLITE_ERROR's, and
// only to find the words FTS5 says about the query.
func searchError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_ERROR {
		return data.Op("search", "", err)
	}
	msg := strings.TrimSuffix(err.Error(), " (1)")
	if strings.Contains(msg, "fts5") || strings.Contains(msg, "syntax error") || strings.Contains(msg, "no such column") ||
		strings.Contains(msg, "unterminated string") || strings.Contains(msg, "SQL logic error") {
		msg = strings.TrimPrefix(msg, "SQL logic error: ")
		if i := strings.Index(msg, "fts5: "); i >= 0 {
			msg = msg[i+6:]
		}
		return data.Invalid("query", "is not valid search syntax: %s", strings.TrimSpace(msg))
	}
	return data.Op("search", "", err)
}

// plainQuery turns what a user typed into an FTS5 query: each typed word
// becomes a quoted phrase of its letters and digits ("P-8I" → "P 8I"), all
// of which must appear; a word ending in * is a prefix, and so is the last
// word when searching as you type.
func plainQuery(q string, prefix bool) string {
	var out []string
	words := strings.Fields(q)
	if len(words) > 32 {
		words = words[:32]
	}
	for i, w := range words {
		parts := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(parts) == 0 {
			continue
		}
		phrase := `"` + strings.Join(parts, " ") + `"`
		last := parts[len(parts)-1]
		typing := prefix && i == len(words)-1 && !strings.HasSuffix(q, " ")
		// As you type, a prefix of one or two letters would merge the
		// index entries of thousands of words: match it whole until a
		// third letter narrows it.
		if strings.HasSuffix(w, "*") || (typing && utf8.RuneCountInString(last) >= 3) {
			phrase += "*"
		}
		out = append(out, phrase)
	}
	return strings.Join(out, " ")
}
