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
	searched := data.SearchKinds()
	for _, k := range o.Kinds {
		if !slices.Contains(searched, k) {
			return nil, data.Invalid("kind", "%q cannot be searched (one of %s)", data.Clip(string(k)), data.JoinKinds(searched))
		}
	}
	var hits []data.Hit
	newestFirst := false
	for _, k := range searched {
		if len(o.Kinds) > 0 && !slices.Contains(o.Kinds, k) {
			continue
		}
		h, byDate, err := s.searchTable(ctx, mustTable(k), match, o)
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
	if !o.Raw && len(hits) < o.Limit { // attachment names, after the text's hits
		more, err := s.searchAttachments(ctx, query, o, hits)
		if err != nil {
			return nil, err
		}
		hits = append(hits, more...)
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

func (s *Store) searchTable(ctx context.Context, t *table, match string, o data.SearchOptions) ([]data.Hit, bool, error) {
	fts := t.name + "_fts"
	if o.Prefix {
		// Search as you type: one statement per keystroke, newest first.
		// A prefix is expanded over every word it starts, once per
		// statement, and ranking would count each word's whole doclist:
		// both too slow to repeat on every key.
		return s.searchRows(ctx, t, match, o, true)
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
	return s.searchRows(ctx, t, match, o, byDate)
}

// searchRows reads the hits of one table, by relevance or newest first.
// What a hit shows is the kind's descriptor: its title fields, its date,
// and its posting and marking if it has them.
func (s *Store) searchRows(ctx context.Context, t *table, match string, o data.SearchOptions, byDate bool) ([]data.Hit, bool, error) {
	sp := t.info.Search
	fts := t.name + "_fts"
	order := fts + ".rank" // qualified: contacts have a rank column of their own
	if byDate {
		order = fts + ".rowid DESC"
	}
	var sel []string
	for _, f := range sp.TitleFields {
		sel = append(sel, "c."+quote(f))
	}
	when, posting, marking := "''", "''", "'', '[]'"
	if sp.When != "" {
		when = "c." + quote(sp.When)
	}
	if _, ok := t.field("posting"); ok {
		posting = "c.posting"
	}
	if t.info.Marked {
		marking = "c.classification, c.releasability"
	}
	q := fmt.Sprintf(`SELECT c.id, %s, %s, %s, %s, snippet(%s, -1, ?, ?, '…', 12), %s
		FROM %s JOIN %s c ON c.n = %s.rowid WHERE %s MATCH ? ORDER BY %s LIMIT ?`,
		strings.Join(sel, ", "), when, posting, marking, fts, map[bool]string{true: "0", false: fts + ".rank"}[byDate],
		fts, t.name, fts, fts, order)
	rows, err := s.rdb.QueryContext(ctx, q, o.Mark[0], o.Mark[1], match, o.Limit)
	if err != nil {
		return nil, false, searchError(err)
	}
	defer rows.Close()
	var hits []data.Hit
	title := make([]string, len(sp.TitleFields))
	for rows.Next() {
		h := data.Hit{Kind: t.kind}
		var rel string
		dest := []any{&h.ID}
		for i := range title {
			dest = append(dest, &title[i])
		}
		dest = append(dest, &h.When, &h.Posting, &h.Classification, &rel, &h.Snippet, &h.Rank)
		if err := rows.Scan(dest...); err != nil {
			return nil, false, err
		}
		h.Title = sp.Title(title)
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
