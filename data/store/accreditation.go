package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"liaisondesk/data"
)

var (
	accreditationsTable = mustTable(data.KindAccreditation)
	ndpCategoriesTable  = mustTable(data.KindNDPCategory)
)

// checkAccreditation holds an accreditation to the rules that read the
// store: its DDL ceiling is a level on the list, and an officer has one
// accreditation. With old (an edit), only what the edit changes is checked.
func (w *writer) checkAccreditation(r *refs, v, old *data.Accreditation) error {
	if old == nil || old.DDLCeiling != v.DDLCeiling {
		if !r.levels[v.DDLCeiling] {
			return data.Invalid("ddl_ceiling", "%q is not on the classification list", data.Clip(v.DDLCeiling))
		}
	}
	if old != nil && old.Officer == v.Officer {
		return nil
	}
	ids, err := readColumn[string](w.ctx, w, `SELECT id FROM accreditations WHERE officer = ? AND id <> ?`, v.Officer, v.ID)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		return data.Invalid("officer", "%s already has an accreditation (%s): edit that one", data.Clip(v.Officer), ids[0])
	}
	return nil
}

// officerAccreditations reads the accreditations of the officer this
// device belongs to: one, or none; two only when two laptops recorded one
// each while apart and synced.
func (w *writer) officerAccreditations() ([]*data.Accreditation, error) {
	ids, err := readColumn[string](w.ctx, w, `SELECT id FROM accreditations WHERE officer = ? ORDER BY id`, w.dev.Officer)
	if err != nil {
		return nil, err
	}
	var out []*data.Accreditation
	for _, id := range ids {
		a := &data.Accreditation{}
		if err := w.s.getInto(w.ctx, w, accreditationsTable, id, a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// checkDDL applies the DDL rule (data.CheckDDL) to an exchange this
// device's officer saves, against their accreditation (against each, if
// two were recorded apart: the stricter one decides). An edit is judged
// only when it changes what the rule reads, so a status change or an
// amendment of the summary never trips over an exchange saved before the
// accreditation was recorded. Exchanges arriving by sync are not judged:
// the rule is the officer's own, at the moment of saving.
func (w *writer) checkDDL(v, old *data.Exchange) error {
	if old != nil && old.Classification == v.Classification && old.Direction == v.Direction &&
		old.Disclosure == v.Disclosure && old.NDPCategory == v.NDPCategory && old.DDLJustification == v.DDLJustification {
		return nil
	}
	if !v.Received() {
		return nil
	}
	accs, err := w.officerAccreditations()
	if err != nil || len(accs) == 0 {
		return err
	}
	levels, err := readLevels(w.ctx, w)
	if err != nil {
		return err
	}
	for _, a := range accs {
		if err := data.CheckDDL(v, a, levels); err != nil {
			return err
		}
	}
	return nil
}

// ---- The NDP-1 category names ----

// NDPCategories lists the eight NDP-1 categories in order, each with the
// name HQ gave it, or its default.
func (s *Store) NDPCategories(ctx context.Context) ([]data.NDPCategory, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, name FROM ndp_categories`)
	if err != nil {
		return nil, fmt.Errorf("NDP-1 categories: %w", err)
	}
	var stored []data.NDPCategory
	for rows.Next() {
		var c data.NDPCategory
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("NDP-1 categories: %w", err)
		}
		stored = append(stored, c)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("NDP-1 categories: %w", err)
	}
	return data.NDPCategories(stored), nil
}

// SetNDPCategoryName renames one of the eight categories, the one thing
// about them that may change: a synced change like a level's colour
// (SetClassificationColour), so every laptop gets it.
func (s *Store) SetNDPCategoryName(ctx context.Context, id, name string) error {
	c := data.NDPCategory{ID: strings.TrimSpace(id), Name: strings.TrimSpace(name)}
	if err := c.Validate(); err != nil {
		return data.Op("category", c.ID, err)
	}
	err := s.write(ctx, func(w *writer) error {
		ok, err := w.exists(nil, ndpCategoriesTable, c.ID)
		if err != nil {
			return err
		}
		if !ok { // never named here: the default name is code, not a row
			r, err := w.refs()
			if err != nil {
				return err
			}
			_, err = w.add(&c, r)
			return err
		}
		return w.change(ndpCategoriesTable, c.ID, map[string]json.RawMessage{"name": mustJSON(c.Name)})
	})
	if err != nil {
		return data.Op("category", c.ID, err)
	}
	return nil
}

// checkNDPCategoryImport is the ndp_categories table's import rule, the
// classification levels' (checkClassificationImport) for a list fixed in
// code: a relayed change may rename one of the eight categories, from any
// device, as a level's colour may change; a change naming a category
// that is not one of the eight, clearing a name, touching another field
// or deleting a category is held for review.
func checkNDPCategoryImport(_ context.Context, _ querier, _ *importBatch, rowID, field string, value json.RawMessage) error {
	if !slices.Contains(data.NDPCategoryIDs(), rowID) {
		return brokenLevelRule{fmt.Errorf("NDP-1 category %q: NDP-1 has eight categories, 1 to 8", data.Clip(rowID))}
	}
	switch field {
	case "name":
		var name string
		if json.Unmarshal(value, &name) != nil || data.CheckLine("name", name, true) != nil {
			return brokenLevelRule{fmt.Errorf("NDP-1 category %s: the name %s is not one line of text", rowID, data.Clip(string(value)))}
		}
		return nil
	case data.DeletedField:
		var del bool
		if json.Unmarshal(value, &del) != nil || del {
			return brokenLevelRule{fmt.Errorf("NDP-1 category %s: categories cannot be deleted (accreditations and exchanges name them)", rowID)}
		}
		return nil
	}
	return brokenLevelRule{fmt.Errorf("NDP-1 category %s: unknown field %q", rowID, data.Clip(field))}
}

// accreditationDueSources are an accreditation's dates that come due:
// its end, the DDL's review, the EVA's end and the badge's expiry, each
// data.AccreditationDueDays ahead. They carry no marking.
func accreditationDueSources() []dueSource {
	var out []dueSource
	for _, what := range []data.DueWhat{data.DueAccreditationEnd, data.DueDDLReview, data.DueEVAEnd, data.DueBadgeExpiry} {
		col := string(what) // the column is the field, which is the DueWhat
		out = append(out, dueSource{what: what, kind: data.KindAccreditation, due: col, days: data.AccreditationDueDays,
			cols: `id, 'Accreditation of ' || officer, ` + col + `, '', '[]', ''`, from: `accreditations`, where: col + ` <> ''`})
	}
	return out
}
