package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"liaisondesk/data"
)

type column struct {
	name string
	typ  data.FieldType
}

// table is the store's view of one synced kind: built from its descriptor
// (data.Describe), plus the import rule only the store can apply.
type table struct {
	info    *data.KindInfo
	name    string    // SQL table, also the change log's tbl
	kind    data.Kind // singular name users type: exchange, request...
	fields  []column  // synced fields, in JSON order, without id
	derived []string  // computed columns, never synced
	fts     []string  // columns indexed by <name>_fts, in its order
	parent  string    // for child rows: the field naming the parent row

	// checkImport, when set, is a table's own rule for a field's value
	// arriving in a peer's change, beyond the limits every field gets
	// (data.CheckImportedField); q reads the store as it was before the batch,
	// and b tells what the batch itself brings. An error holds the
	// change's commit for review, with the error as the reason.
	checkImport func(ctx context.Context, q querier, b *importBatch, rowID, field string, value json.RawMessage) error
}

// newTable reads a kind's descriptor into the store's table.
func newTable(info *data.KindInfo) *table {
	t := &table{info: info, name: info.Table, kind: info.Kind, parent: info.Parent,
		derived:     append(slices.Clone(info.Derived), info.SearchText...),
		checkImport: importRules[info.Kind]}
	for _, f := range info.Fields {
		t.fields = append(t.fields, column{f.Name, f.Type})
	}
	if info.Search != nil {
		t.fts = info.Search.Columns
	}
	return t
}

// beforeWrite and afterWrite keep in step what depends on a row of t
// outside its table. beforeWrite runs when a row is about to be written
// or removed (values nil), once its old search entry is gone: existed says
// whether the row was there, fresh that its id was made in this write.
// afterWrite runs once the row is written or removed. They read the
// store, so they live here, not in the descriptors.
func (t *table) beforeWrite(w *writer, rowID string, existed, fresh bool, values map[string]json.RawMessage) error {
	switch t.kind {
	case data.KindContact:
		return forgetContactName(w, rowID, existed, fresh, values)
	case data.KindExchange:
		return linkCounterparts(w, rowID, existed, fresh, values)
	}
	return nil
}

func (t *table) afterWrite(w *writer, rowID string, fresh bool, values map[string]json.RawMessage) error {
	switch t.kind {
	case data.KindContact:
		return rederiveExchangesNaming(w, rowID, fresh, values)
	case data.KindRequestLine:
		return rederiveParentRequest(w, rowID, fresh, values)
	case data.KindDPASClock:
		return rederiveForClocks(w)
	case data.KindAttachment:
		if values == nil { // removed: its content may be no one's now
			return pruneContent(w)
		}
	}
	return nil
}

// importRules are the tables' own rules for imported values (see
// table.checkImport): they read the store, so they live here, not in the
// descriptors.
var importRules = map[data.Kind]func(ctx context.Context, q querier, b *importBatch, rowID, field string, value json.RawMessage) error{
	data.KindClassification: checkClassificationImport,
	data.KindAudit:          checkAuditImport,
	data.KindVisit:          checkVisitImport, // data/store/visit.go
	data.KindNDPCategory:    checkNDPCategoryImport,
	data.KindDPASClock:      checkDPASClockImport,
}

// importBatch is what the tables' import rules learn of the batch being
// imported as a whole, beyond the store as it was before it: a change is
// judged against what the batch builds, not only what the store held.
// One lives for one run of checkRules.
type importBatch struct {
	applicable []*plannedCommit // the commits planned to apply, before any rule held one
	author     data.SiteID      // the author of the commit being judged

	levels     []data.Classification // the store's levels and those the batch creates
	levelsRead bool
}

// newImportBatch notes a batch's plan before the rules judge it.
func newImportBatch(plan []*plannedCommit) *importBatch {
	b := &importBatch{}
	for _, pc := range plan {
		if pc.quarantine == "" {
			b.applicable = append(b.applicable, pc)
		}
	}
	return b
}

// checkImported holds one field of an imported change to the forms' limits
// and then to the table's own rule. Fields the table does not know (the
// delete marker, or a field a newer schema adds) get the text checks only.
func (t *table) checkImported(ctx context.Context, q querier, b *importBatch, rowID, field string, value json.RawMessage) error {
	c, ok := t.field(field)
	if !ok {
		c = column{name: field, typ: -1}
	}
	if err := data.CheckImportedField(c.name, c.typ, value); err != nil {
		return err
	}
	if t.checkImport != nil {
		return t.checkImport(ctx, q, b, rowID, field, value)
	}
	return nil
}

// allTables lists every synced table, parents before children, in the
// order a rebuild materialises them (the order of data.AllKinds).
var allTables = func() []*table {
	var out []*table
	for _, info := range data.AllKinds() {
		out = append(out, newTable(info))
	}
	return out
}()

// The tables the store's own rules name.
var (
	postingsTable        = mustTable(data.KindPosting)
	classificationsTable = mustTable(data.KindClassification)
	contactsTable        = mustTable(data.KindContact)
	exchangesTable       = mustTable(data.KindExchange)
	actionsTable         = mustTable(data.KindAction)
	requestsTable        = mustTable(data.KindRequest)
	requestLinesTable    = mustTable(data.KindRequestLine)
	requestHistoryTable  = mustTable(data.KindRequestStatus)
)

func mustTable(k data.Kind) *table {
	for _, t := range allTables {
		if t.kind == k {
			return t
		}
	}
	panic("no table for kind " + string(k))
}

func tableByName(name string) (*table, bool) {
	for _, t := range allTables {
		if t.name == name {
			return t, true
		}
	}
	return nil, false
}

// tableForKind returns the table of a kind that is not a child row.
func tableForKind(kind data.Kind) (*table, error) {
	for _, t := range allTables {
		if t.kind == kind && t.parent == "" {
			return t, nil
		}
	}
	return nil, data.Invalid("kind", "%q is not one of %s", data.Clip(string(kind)), data.JoinKinds(data.Kinds()))
}

func (t *table) field(name string) (column, bool) {
	for _, c := range t.fields {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// quote makes a column name safe in SQL ("from" and "to" are keywords).
func quote(name string) string { return `"` + name + `"` }

// sqlValue turns a field's JSON value into what its column holds.
func (c column) sqlValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		switch c.typ {
		case data.ListField:
			return "[]", nil
		case data.TextField:
			return "", nil
		default:
			return 0, nil
		}
	}
	switch c.typ {
	case data.TextField:
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case data.IntField:
		var n int64
		err := json.Unmarshal(raw, &n)
		return n, err
	case data.RealField:
		var f float64
		err := json.Unmarshal(raw, &f)
		return f, err
	case data.BoolField:
		var b bool
		err := json.Unmarshal(raw, &b)
		if b {
			return 1, err
		}
		return 0, err
	case data.ListField:
		var l []any
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, err
		}
		if l == nil {
			return "[]", nil
		}
		b, err := json.Marshal(l)
		return string(b), err
	}
	return nil, fmt.Errorf("column %s: unknown type", c.name)
}

// jsonExpr is the SQL expression that reads the column back as JSON.
func (c column) jsonExpr() string {
	q := quote(c.name)
	switch c.typ {
	case data.BoolField:
		return fmt.Sprintf("json(CASE WHEN %s THEN 'true' ELSE 'false' END)", q)
	case data.ListField:
		return fmt.Sprintf("json(%s)", q)
	}
	return q
}

// selectJSON is a SELECT list building one JSON object per row with the
// id, the synced fields and the derived columns.
func (t *table) selectJSON() string {
	var b strings.Builder
	b.WriteString("json_object('id', id")
	for _, c := range t.fields {
		fmt.Fprintf(&b, ", '%s', %s", c.name, c.jsonExpr())
	}
	for _, d := range t.info.Derived { // not SearchText: not part of the record
		fmt.Fprintf(&b, ", '%s', %s", d, quote(d))
	}
	b.WriteString(")")
	return b.String()
}
