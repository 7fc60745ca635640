package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"liaisondesk/data"
)

type column struct {
	name string
	typ  data.FieldType
}

// table describes one synced domain table: the fields that travel in the
// change log, the columns derived locally, and its search index.
type table struct {
	name    string   // SQL table, also the change log's tbl
	kind    string   // singular name users type: exchange, request...
	fields  []column // synced fields, in JSON order, without id
	derived []string // computed columns, never synced
	fts     []string // columns indexed by <name>_fts, in its order
	parent  string   // for child rows: the field naming the parent row

	// checkImport, when set, is a table's own rule for a field's value
	// arriving in a peer's change, beyond the limits every field gets
	// (data.CheckImportedField); q reads the store as it was before the batch,
	// and b tells what the batch itself brings. An error holds the
	// change's commit for review, with the error as the reason.
	checkImport func(ctx context.Context, q querier, b *importBatch, rowID, field string, value json.RawMessage) error

	// What depends on a row of this table outside it, kept in step by
	// the writer (nil: nothing does). beforeWrite runs when a row is about
	// to be written or removed (values nil), once its old search entry is
	// gone: existed says whether the row was there, fresh that its id was
	// made in this write. afterWrite runs once the row is written or
	// removed.
	beforeWrite func(w *writer, rowID string, existed, fresh bool, values map[string]json.RawMessage) error
	afterWrite  func(w *writer, rowID string, fresh bool, values map[string]json.RawMessage) error
}

// importBatch is what the tables' import rules learn of the batch being
// imported as a whole, beyond the store as it was before it: a change is
// judged against what the batch builds, not only what the store held.
// One lives for one run of checkRules.
type importBatch struct {
	applicable []*plannedCommit // the commits planned to apply, before any rule held one

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

func cols(typ data.FieldType, names ...string) []column {
	out := make([]column, len(names))
	for i, n := range names {
		out[i] = column{n, typ}
	}
	return out
}

func concat(parts ...[]column) []column {
	var out []column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// The synced tables. Their field names are the JSON names of the domain
// types; tests check the two agree.
var (
	postingsTable = &table{name: "postings", kind: "posting",
		fields: cols(data.TextField, "name", "location", "time_zone")}
	classificationsTable = &table{name: "classifications", kind: "classification",
		fields: concat(cols(data.IntField, "rank"), cols(data.TextField, "colour")), checkImport: checkClassificationImport}
	contactsTable = &table{name: "contacts", kind: "contact",
		fields: concat(cols(data.TextField, "name", "rank", "appointment", "organisation", "directorate",
			"nation", "email", "phone", "notes"), cols(data.ListField, "past_appointments")),
		fts:         []string{"name", "appointment", "organisation", "directorate", "notes"},
		beforeWrite: forgetContactName, afterWrite: rederiveExchangesNaming}
	exchangesTable = &table{name: "exchanges", kind: "exchange",
		fields: concat(cols(data.TextField, "posting", "kind", "title", "occurred_at", "ended_at", "time_zone", "location"),
			cols(data.ListField, "counterparts"),
			cols(data.TextField, "participants", "summary", "outcome", "direction", "disclosure", "classification"),
			cols(data.ListField, "releasability"), cols(data.TextField, "caveats"), cols(data.ListField, "tags"),
			cols(data.TextField, "state", "rfi_question", "rfi_response", "rfi_due", "rfi_status")),
		derived: []string{"counterpart_names"},
		fts: []string{"title", "summary", "outcome", "participants", "location", "counterpart_names",
			"rfi_question", "rfi_response", "tags"},
		beforeWrite: linkCounterparts}
	actionsTable = &table{name: "actions", kind: "action",
		fields: cols(data.TextField, "exchange_id", "request_id", "title", "owner", "due_on", "status", "done_at", "notes"),
		fts:    []string{"title", "owner", "notes"}}
	requestsTable = &table{name: "requests", kind: "request",
		fields: concat(cols(data.TextField, "ref", "direction", "posting", "program", "end_user", "justification",
			"rating", "required_by", "supplier", "supplier_country", "coc_participant", "contract_number",
			"order_received_on", "promised_by"), cols(data.BoolField, "delayed"),
			cols(data.TextField, "delay_reported_on", "spa_case", "spa_requested_on", "status", "classification"),
			cols(data.ListField, "releasability"), cols(data.TextField, "caveats"), cols(data.BoolField, "business_confidential")),
		derived: []string{"acceptance_due", "delay_confirm_due", "line_text"},
		fts:     []string{"ref", "program", "end_user", "justification", "supplier", "line_text"}}
	requestLinesTable = &table{name: "request_lines", kind: "request_line", parent: "request_id",
		fields: concat(cols(data.TextField, "request_id"), cols(data.IntField, "line_no"),
			cols(data.TextField, "description", "nsn", "part_number", "cage"), cols(data.RealField, "quantity"),
			cols(data.TextField, "unit"), cols(data.RealField, "delivered_quantity")),
		afterWrite: rederiveParentRequest}
	requestHistoryTable = &table{name: "request_history", kind: "request_status", parent: "request_id",
		fields: cols(data.TextField, "request_id", "at", "by", "from", "to", "note")}
)

// allTables lists every synced table, parents before children, in the
// order a rebuild materialises them.
var allTables = []*table{postingsTable, classificationsTable, contactsTable, exchangesTable,
	requestsTable, requestLinesTable, requestHistoryTable, actionsTable}

func tableByName(name string) (*table, bool) {
	for _, t := range allTables {
		if t.name == name {
			return t, true
		}
	}
	return nil, false
}

// Kinds users name on the command line.
var Kinds = []string{"exchange", "request", "contact", "action", "posting"}

func tableForKind(kind string) (*table, error) {
	for _, t := range allTables {
		if t.kind == kind && t.parent == "" {
			return t, nil
		}
	}
	return nil, data.Invalid("kind", "%q is not one of %s", data.Clip(kind), strings.Join(Kinds, ", "))
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
	for _, d := range t.derived {
		if d == "line_text" || d == "counterpart_names" {
			continue // search helpers, not part of the record
		}
		fmt.Fprintf(&b, ", '%s', %s", d, quote(d))
	}
	b.WriteString(")")
	return b.String()
}
