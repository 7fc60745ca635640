package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"liaisondesk/data"
)

// searchAttachments finds records by their attachments' names: every
// word of the query in the name, case folded. A hit is the record the
// file is attached to, marked at the attachment's level when that is
// higher (its name is at that level), newest last in rank.
func (s *Store) searchAttachments(ctx context.Context, query string, o data.SearchOptions, have []data.Hit) ([]data.Hit, error) {
	words := strings.Fields(strings.ToLower(query))
	if len(words) == 0 || len(words) > 16 {
		return nil, nil
	}
	seen := map[string]bool{}
	for _, h := range have {
		seen[h.ID] = true
	}
	var out []data.Hit
	for _, k := range data.AttachableKinds {
		if len(o.Kinds) > 0 && !slices.Contains(o.Kinds, k) {
			continue
		}
		t := mustTable(k)
		sp := t.info.Search
		var sel []string
		for _, f := range sp.TitleFields {
			sel = append(sel, "c."+quote(f))
		}
		when, posting, rel := "''", "''", "'[]'"
		if sp.When != "" {
			when = "c." + quote(sp.When)
		}
		if _, ok := t.field("posting"); ok {
			posting = "c.posting"
		}
		if t.info.Marked {
			rel = "c.releasability"
		}
		level := "a.classification"
		if t.info.Marked {
			level = `CASE WHEN coalesce((SELECT rank FROM classifications WHERE id = a.classification), -1)
				> coalesce((SELECT rank FROM classifications WHERE id = c.classification), -1) THEN a.classification ELSE c.classification END`
		}
		var conds []string
		var args []any
		for _, w := range words {
			conds = append(conds, `lower(a.name) LIKE ? ESCAPE '\'`)
			args = append(args, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)+"%")
		}
		args = append(args, string(k), o.Limit)
		q := fmt.Sprintf(`SELECT c.id, %s, %s, %s, %s, %s, a.name FROM attachments a JOIN %s c ON c.id = a.record_id
			WHERE %s AND a.record_kind = ? ORDER BY a.n DESC LIMIT ?`,
			strings.Join(sel, ", "), when, posting, level, rel, t.name, strings.Join(conds, " AND "))
		rows, err := s.rdb.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, data.Op("search", "attachments", err)
		}
		title := make([]string, len(sp.TitleFields))
		for rows.Next() {
			h := data.Hit{Kind: k}
			var rels, name string
			dest := []any{&h.ID}
			for i := range title {
				dest = append(dest, &title[i])
			}
			dest = append(dest, &h.When, &h.Posting, &h.Classification, &rels, &name)
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, data.Op("search", "attachments", err)
			}
			if seen[h.ID] {
				continue
			}
			seen[h.ID] = true
			h.Title = sp.Title(title)
			h.Snippet = "attachment: " + o.Mark[0] + name + o.Mark[1]
			_ = json.Unmarshal([]byte(rels), &h.Releasability)
			out = append(out, h)
		}
		if err := closeRows(rows); err != nil {
			return nil, data.Op("search", "attachments", err)
		}
	}
	return out, nil
}
