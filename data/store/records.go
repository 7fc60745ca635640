package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"liaisondesk/data"
)

// NewRecord returns an empty record of a kind, ready to be decoded into.
func NewRecord(kind data.Kind) (data.Record, error) {
	info, err := data.UserKind(kind)
	if err != nil {
		return nil, err
	}
	return info.New(), nil
}

// DecodeRecord reads one JSON object of a kind, refusing unknown fields by
// name so a typo never silently drops data.
func DecodeRecord(kind data.Kind, raw []byte) (data.Record, error) {
	rec, err := NewRecord(kind)
	if err != nil {
		return nil, err
	}
	if err := decodeStrict(raw, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// decodeStrict unmarshals JSON into v, turning decoder errors into field
// errors a user can act on.
func decodeStrict(raw []byte, v any) error {
	// The decoder says "unknown field" only in its message, so the names
	// are checked against the type first.
	if name := unknownField(raw, reflect.TypeOf(v)); name != "" {
		return data.Invalid(name, "is not a known field")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return data.Invalid("input", "has more than one JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return data.Invalid(jsonFieldPath(te.Field), "must be %s, not a JSON %s", goTypeWord(te.Type.String()), te.Value)
	case errors.As(err, &se):
		return data.Invalid("input", "is not valid JSON (%v at byte %d)", se, se.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return data.Invalid("input", "is empty or cut short: expected a JSON object")
	}
	return data.Invalid("input", "%v", err)
}

// unknownField returns the first key (in sorted order, at any depth) of
// the JSON in raw that no field of t takes, matched as encoding/json
// matches keys: the exact name, else without case. Values of a type that
// decodes itself, and JSON that is not valid, are left to the decoder.
func unknownField(raw []byte, t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return ""
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
		for _, item := range items {
			if name := unknownField(item, t.Elem()); name != "" {
				return name
			}
		}
	case reflect.Map:
		var values map[string]json.RawMessage
		if json.Unmarshal(raw, &values) != nil {
			return ""
		}
		for _, k := range slices.Sorted(maps.Keys(values)) {
			if name := unknownField(values[k], t.Elem()); name != "" {
				return name
			}
		}
	case reflect.Struct:
		var values map[string]json.RawMessage
		if json.Unmarshal(raw, &values) != nil {
			return ""
		}
		fields := jsonFields(t)
		for _, k := range slices.Sorted(maps.Keys(values)) {
			ft, ok := fields[k]
			if !ok {
				for name, f := range fields {
					if strings.EqualFold(name, k) {
						ft, ok = f, true
						break
					}
				}
			}
			if !ok {
				return k
			}
			if name := unknownField(values[k], ft); name != "" {
				return name
			}
		}
	}
	return ""
}

// jsonFields maps the JSON names of a struct's fields, those of embedded
// structs included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" && tag == "-":
			continue
		case f.Anonymous && name == "":
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for n, ft := range jsonFields(et) {
					if _, taken := fields[n]; !taken {
						fields[n] = ft
					}
				}
				continue
			}
		case !f.IsExported():
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// jsonFieldPath drops the Go names of embedded structs ("Marking.") that
// the decoder puts in a field path, leaving the JSON names users know.
func jsonFieldPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, part := range parts {
		if part != "" && !unicode.IsUpper(rune(part[0])) {
			out = append(out, part)
		}
	}
	return strings.Join(out, ".")
}

func goTypeWord(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "string":
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "an object"
}

// fieldsOf marshals a record and keeps the table's synced fields.
func fieldsOf(t *table, rec any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(t.fields))
	for _, c := range t.fields {
		v, ok := all[c.name]
		if !ok || string(v) == "null" {
			if c.typ == data.ListField {
				v = json.RawMessage("[]")
			} else {
				continue
			}
		}
		out[c.name] = v
	}
	return out, nil
}

// Add validates and creates records of any kinds in one transaction and
// one signed commit: all of them land, or none. It returns their ids.
func (s *Store) Add(ctx context.Context, recs ...data.Record) ([]string, error) {
	ids := make([]string, 0, len(recs))
	assigned := make([]assignedKeys, len(recs))
	for i, rec := range recs {
		assigned[i] = noteAssigned(rec)
	}
	err := s.write(ctx, func(w *writer) error {
		refs, err := w.refs()
		if err != nil {
			return err
		}
		for i, rec := range recs {
			id, err := w.add(rec, refs)
			if err != nil {
				if len(recs) > 1 {
					return &data.RecordError{N: i + 1, Err: err}
				}
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		for i, rec := range recs {
			forgetAssigned(rec, assigned[i])
		}
		return nil, data.Op("add", "", err)
	}
	return ids, nil
}

// assignedKeys remembers which keys Add filled in, so a rolled-back Add
// can clear them: a retry must not reuse an id or a ref that never landed.
type assignedKeys struct{ id, ref bool }

func noteAssigned(rec data.Record) assignedKeys {
	switch v := rec.(type) {
	case *data.Request:
		return assignedKeys{id: v.ID == "", ref: v.Ref == ""}
	default:
		return assignedKeys{id: rec.RecordID() == ""}
	}
}

func forgetAssigned(rec data.Record, a assignedKeys) {
	if a.id && rec.RecordKind() != data.KindPosting && rec.RecordKind() != data.KindClassification {
		rec.SetRecordID("") // postings and levels are named by their users
	}
	if v, ok := rec.(*data.Request); ok {
		if a.ref {
			v.Ref = ""
		}
		for i := range v.Lines {
			v.Lines[i].ID, v.Lines[i].RequestID, v.Lines[i].LineNo = "", "", 0
		}
	}
}

// refs caches what references are checked against during one write.
type refs struct {
	postings map[string]bool
	levels   map[string]bool
	known    map[string]map[string]bool // table → ids created in this write
}

func (w *writer) refs() (*refs, error) {
	r := &refs{postings: map[string]bool{}, levels: map[string]bool{}, known: map[string]map[string]bool{}}
	for q, m := range map[string]map[string]bool{`SELECT id FROM postings`: r.postings, `SELECT id FROM classifications`: r.levels} {
		ids, err := readColumn[string](w.ctx, w, q)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			m[id] = true
		}
	}
	return r, nil
}

func (r *refs) remember(t *table, id string) {
	if r == nil {
		return
	}
	if r.known[t.name] == nil {
		r.known[t.name] = map[string]bool{}
	}
	r.known[t.name][id] = true
}

// exists reports whether a row exists, counting rows made in this write.
func (w *writer) exists(r *refs, t *table, id string) (bool, error) {
	if r != nil && r.known[t.name][id] {
		return true, nil
	}
	if t == contactsTable {
		_, ok, err := w.contactName(id)
		return ok, err
	}
	var n int
	err := w.QueryRowContext(w.ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE id = ?`, t.name), id).Scan(&n)
	return n > 0, err
}

func (w *writer) checkPosting(r *refs, field, code string) error {
	if !r.postings[code] {
		return data.InvalidBecause(data.ErrUnknownPosting, field, "%q is not a known posting", data.Clip(code))
	}
	return nil
}

func (w *writer) checkMarking(r *refs, m data.Marking) error {
	if !r.levels[m.Classification] {
		return data.Invalid("classification", "%q is not on the classification list", data.Clip(m.Classification))
	}
	return nil
}

// checkRefs checks a record's references to other records. With old (an
// edit), only references the edit changes are checked: a reference that
// went stale because its target was deleted (perhaps on another laptop)
// must not make the record impossible to edit; the app shows it as an
// orphan instead.
func (w *writer) checkRefs(r *refs, rec, old data.Record) error {
	switch v := rec.(type) {
	case *data.Exchange:
		o, _ := old.(*data.Exchange)
		if o == nil || o.Posting != v.Posting {
			if err := w.checkPosting(r, "posting", v.Posting); err != nil {
				return err
			}
		}
		if o == nil || o.Classification != v.Classification {
			if err := w.checkMarking(r, v.Marking); err != nil {
				return err
			}
		}
		for i, id := range v.Counterparts {
			if o != nil && slices.Contains(o.Counterparts, id) {
				continue
			}
			ok, err := w.exists(r, contactsTable, id)
			if err != nil {
				return err
			}
			if !ok {
				return data.Invalid("counterparts", "item %d: no contact has id %s", i+1, id)
			}
		}
		return w.checkDDL(v, o)
	case *data.Accreditation:
		o, _ := old.(*data.Accreditation)
		return w.checkAccreditation(r, v, o)
	case *data.Request:
		o, _ := old.(*data.Request)
		if o == nil || o.Posting != v.Posting {
			if err := w.checkPosting(r, "posting", v.Posting); err != nil {
				return err
			}
		}
		if o == nil || o.Classification != v.Classification {
			return w.checkMarking(r, v.Marking)
		}
	case *data.Document:
		o, _ := old.(*data.Document)
		return w.checkDocument(r, v, o)
	case *data.Gift:
		o, _ := old.(*data.Gift)
		return w.checkGift(v, o)
	case *data.Action:
		o, _ := old.(*data.Action)
		for _, ref := range []struct {
			field, id, was string
			t              *table
		}{{"exchange_id", v.ExchangeID, "", exchangesTable}, {"request_id", v.RequestID, "", requestsTable}} {
			if o != nil {
				ref.was = map[string]string{"exchange_id": o.ExchangeID, "request_id": o.RequestID}[ref.field]
			}
			if ref.id == "" || (o != nil && ref.id == ref.was) {
				continue
			}
			ok, err := w.exists(r, ref.t, ref.id)
			if err != nil {
				return err
			}
			if !ok {
				return data.Invalid(ref.field, "no %s has id %s", ref.t.kind, ref.id)
			}
		}
	}
	return nil
}

// add creates one record inside a write.
func (w *writer) add(rec data.Record, r *refs) (string, error) {
	if err := rec.Validate(); err != nil {
		return "", err
	}
	if err := w.checkRefs(r, rec, nil); err != nil {
		return "", err
	}
	switch v := rec.(type) {
	case *data.Posting:
		if ok, err := w.exists(r, postingsTable, v.ID); err != nil || ok {
			if ok {
				return "", data.Invalid("id", "posting %s already exists", v.ID)
			}
			return "", err
		}
		id, err := w.addSimple(postingsTable, &v.ID, v, r)
		r.postings[v.ID] = true
		return id, err
	case *data.Classification:
		id, err := w.addSimple(classificationsTable, &v.ID, v, r)
		r.levels[v.ID] = true
		return id, err
	case *data.Request:
		return w.addRequest(v, r)
	case *data.Exchange:
		return w.addExchange(v, r)
	case *data.Visit:
		return w.addVisit(v, r)
	}
	// Every other kind is one row of its descriptor's table.
	t, err := tableForKind(rec.RecordKind())
	if err != nil {
		return "", err
	}
	if err := w.checkHQWrite(t); err != nil { // data/store/relgroup.go
		return "", err
	}
	id := rec.RecordID()
	got, err := w.addSimple(t, &id, rec, r)
	rec.SetRecordID(id) // set before a failure too, as forgetAssigned expects
	return got, err
}

func (w *writer) addSimple(t *table, id *string, rec any, r *refs) (string, error) {
	fresh := *id == ""
	if fresh {
		*id = data.NewID()
	}
	fields, err := fieldsOf(t, rec)
	if err != nil {
		return "", err
	}
	if err := w.create(t, *id, fields, fresh); err != nil {
		return "", err
	}
	r.remember(t, *id)
	return *id, nil
}

func (w *writer) addRequest(v *data.Request, r *refs) (string, error) {
	if v.Status != data.InitialStatus(v.Direction) {
		return "", data.InvalidBecause(data.ErrWorkflowStatus, "status", "a new %s request starts as %s", v.Direction, data.InitialStatus(v.Direction))
	}
	if len(v.History) > 0 {
		return "", data.Invalid("history", "is written by status changes, not given on create")
	}
	if v.ID == "" {
		v.ID = data.NewID()
	}
	if v.Ref == "" {
		ref, err := w.nextRef(v.Posting)
		if err != nil {
			return "", err
		}
		v.Ref = ref
	}
	// Lines first, so the request's derived search text sees them.
	for i := range v.Lines {
		l := &v.Lines[i]
		l.RequestID = v.ID
		l.LineNo = i + 1
		if _, err := w.addSimple(requestLinesTable, &l.ID, l, r); err != nil {
			return "", data.Prefixed(fmt.Sprintf("lines[%d]", i), err)
		}
	}
	return w.addSimple(requestsTable, &v.ID, v, r)
}

// nextRef issues the next request reference of this device: posting, year,
// the device's short code and its own sequence. Unique across laptops
// without coordination, because no two devices share a site id.
func (w *writer) nextRef(posting string) (string, error) {
	var seq int64
	if err := w.QueryRowContext(w.ctx, `UPDATE device SET request_seq = request_seq + 1 RETURNING request_seq`).Scan(&seq); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d-%s-%04d", posting, w.s.Now().UTC().Year(), w.dev.Site.ShortCode(), seq), nil
}

// Get loads one record of a kind by id. Requests come with their lines and
// status history.
func (s *Store) Get(ctx context.Context, kind data.Kind, id string) (data.Record, error) {
	info, err := data.UserKind(kind)
	if err != nil {
		return nil, err
	}
	t := mustTable(kind)
	rec := info.New()
	if err := s.getInto(ctx, s.rdb, t, id, rec); err != nil {
		return nil, err
	}
	if r, ok := rec.(*data.Request); ok {
		if err := s.loadChildren(ctx, s.rdb, r); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

func (s *Store) getInto(ctx context.Context, q querier, t *table, id string, v any) error {
	var b []byte
	err := q.QueryRowContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE id = ?`, t.selectJSON(), t.name), id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", t.kind, data.Clip(id), data.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("get %s %s: %w", t.kind, id, err)
	}
	return json.Unmarshal(b, v)
}

func (s *Store) loadChildren(ctx context.Context, q querier, r *data.Request) error {
	r.Lines = []data.Line{}
	r.History = []data.StatusEntry{}
	for _, c := range []struct {
		t     *table
		order string
		add   func([]byte) error
	}{
		{requestLinesTable, "line_no, id", func(b []byte) error {
			var l data.Line
			err := json.Unmarshal(b, &l)
			l.RequestID = ""
			r.Lines = append(r.Lines, l)
			return err
		}},
		{requestHistoryTable, "at, id", func(b []byte) error {
			var h data.StatusEntry
			err := json.Unmarshal(b, &h)
			h.RequestID = ""
			r.History = append(r.History, h)
			return err
		}},
	} {
		rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE request_id = ? ORDER BY %s`, c.t.selectJSON(), c.t.name, c.order), r.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			if err := c.add(b); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// readOnly says why a field of a kind cannot be updated, or "" (the
// kind's rules are its descriptor's ReadOnly). Keys are compared without
// case, as the JSON decoder matches them.
func readOnly(t *table, key string) string {
	k := strings.ToLower(key)
	if k == "id" {
		return "a record's id never changes"
	}
	return t.info.ReadOnly[k]
}

// Update changes the given fields of a record: patch holds only the fields
// to change; only those that really differ become changes. For a request,
// "lines" replaces the lines: lines with an id are edited, lines without one
// are added, and lines left out are removed.
func (s *Store) Update(ctx context.Context, kind data.Kind, id string, patch []byte) error {
	return s.update(ctx, kind, id, patch, false)
}

// UpdateAmend is Update for a final record: an explicit amendment.
func (s *Store) UpdateAmend(ctx context.Context, kind data.Kind, id string, patch []byte) error {
	return s.update(ctx, kind, id, patch, true)
}

func (s *Store) update(ctx context.Context, kind data.Kind, id string, patch []byte, amend bool) error {
	t, err := tableForKind(kind)
	if err != nil {
		return err
	}
	if t.info.AppendOnly {
		return data.Op("update", fmt.Sprintf("%s %s", kind, data.Clip(id)), appendOnlyError(t, id))
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(patch, &keys); err != nil {
		return data.Op("update", fmt.Sprintf("%s %s", kind, data.Clip(id)), jsonError(err))
	}
	if len(keys) == 0 {
		return data.Op("update", fmt.Sprintf("%s %s", kind, data.Clip(id)), data.Invalid("input", "names no field to change"))
	}
	for k, v := range keys {
		if string(v) == "null" {
			return data.Op("update", fmt.Sprintf("%s %s", kind, data.Clip(id)), data.Invalid(strings.ToLower(k), `null is not a value: give "" to clear text, [] to clear a list`))
		}
		if why := readOnly(t, k); why != "" && !(strings.EqualFold(k, "id") && string(v) == mustString(id)) {
			fe := data.Invalid(strings.ToLower(k), "cannot be changed: %s", why)
			if strings.EqualFold(k, "status") {
				fe.Err = data.ErrWorkflowStatus // the front ends say how to move it
			}
			return data.Op("update", fmt.Sprintf("%s %s", kind, data.Clip(id)), fe)
		}
	}
	err = s.write(ctx, func(w *writer) error {
		rec, err := NewRecord(kind)
		if err != nil {
			return err
		}
		if err := s.getInto(w.ctx, w, t, id, rec); err != nil {
			return err
		}
		if r, ok := rec.(*data.Request); ok {
			if err := s.loadChildren(w.ctx, w, r); err != nil {
				return err
			}
			if _, ok := keys["lines"]; ok {
				r.Lines = nil // the patch's list replaces the stored one
			}
		}
		if err := decodeStrict(patch, rec); err != nil {
			return err
		}
		return w.saveAs(t, id, rec, amend)
	})
	if err != nil {
		return data.Op("update", fmt.Sprintf("%s %s", kind, data.Clip(id)), err)
	}
	return nil
}

func mustString(s string) string { return string(mustJSON(s)) }

// Amend saves an edited final record: the explicit correction a locked
// record allows, recorded in its history like any other change.
func (s *Store) Amend(ctx context.Context, rec data.Record) error {
	t, err := tableForKind(rec.RecordKind())
	if err != nil {
		return err
	}
	id := rec.RecordID()
	if id == "" {
		return data.Invalid("id", "an amendment needs the record's id")
	}
	return s.write(ctx, func(w *writer) error { return w.saveAs(t, id, rec, true) })
}

// Save writes an edited record (as loaded by Get and changed in a form):
// only fields that differ from the store become changes.
func (s *Store) Save(ctx context.Context, rec data.Record) error {
	t, err := tableForKind(rec.RecordKind())
	if err != nil {
		return err
	}
	id := rec.RecordID()
	if id == "" {
		_, err := s.Add(ctx, rec)
		return err
	}
	return s.write(ctx, func(w *writer) error { return w.save(t, id, rec) })
}

// save validates rec and writes the fields that differ from the stored row.
// A final exchange is locked: only an amendment changes it.
func (w *writer) save(t *table, id string, rec data.Record) error {
	return w.saveAs(t, id, rec, false)
}

func (w *writer) saveAs(t *table, id string, rec data.Record, amend bool) error {
	if t.info.AppendOnly {
		return appendOnlyError(t, id)
	}
	if err := w.checkHQWrite(t); err != nil {
		return err
	}
	if err := rec.Validate(); err != nil {
		return err
	}
	r, err := w.refs()
	if err != nil {
		return err
	}
	cur, err := NewRecord(t.kind)
	if err != nil {
		return err
	}
	if err := w.s.getInto(w.ctx, w, t, id, cur); err != nil {
		return err
	}
	if err := w.checkRefs(r, rec, cur); err != nil {
		return err
	}
	if e, ok := cur.(*data.Exchange); ok && e.State == data.StateFinal && !amend {
		return data.InvalidBecause(data.ErrFinal, "state", "this exchange is final: corrections are amendments")
	}
	if e, ok := cur.(*data.Exchange); ok {
		if err := w.exchangeMoved(e, rec.(*data.Exchange), amend); err != nil {
			return err
		}
	}
	if v, ok := rec.(*data.Visit); ok {
		if err := w.visitEdited(r, cur.(*data.Visit), v); err != nil {
			return err
		}
	}
	if req, ok := rec.(*data.Request); ok {
		old := cur.(*data.Request)
		if req.Status != old.Status {
			return data.Invalid("status", "cannot be changed by editing: use a status change (the workflow decides)")
		}
		if req.Direction != old.Direction {
			return data.Invalid("direction", "cannot be changed: it decides the workflow (cancel this request and create one in the other direction)")
		}
		if req.Ref != old.Ref {
			return data.Invalid("ref", "cannot be changed: request references are generated")
		}
		if err := w.saveLines(req, r); err != nil {
			return err
		}
	}
	changed, err := diffFields(t, cur, rec)
	if err != nil {
		return err
	}
	return w.change(t, id, changed)
}

// diffFields returns the synced fields whose values differ.
func diffFields(t *table, old, new any) (map[string]json.RawMessage, error) {
	a, err := fieldsOf(t, old)
	if err != nil {
		return nil, err
	}
	b, err := fieldsOf(t, new)
	if err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for _, c := range t.fields {
		if !jsonEqual(c, a[c.name], b[c.name]) {
			v := b[c.name]
			if v == nil {
				v = mustJSON(zeroOf(c))
			}
			out[c.name] = v
		}
	}
	return out, nil
}

func zeroOf(c column) any {
	switch c.typ {
	case data.TextField:
		return ""
	case data.BoolField:
		return false
	case data.ListField:
		return []string{}
	}
	return 0
}

func jsonEqual(c column, a, b json.RawMessage) bool {
	va, err1 := c.sqlValue(a)
	vb, err2 := c.sqlValue(b)
	return err1 == nil && err2 == nil && fmt.Sprint(va) == fmt.Sprint(vb)
}

// saveLines brings a request's lines in step with the edited list.
func (w *writer) saveLines(req *data.Request, r *refs) error {
	var stored data.Request
	stored.ID = req.ID
	if err := w.s.loadChildren(w.ctx, w, &stored); err != nil {
		return err
	}
	keep := map[string]bool{}
	for i := range req.Lines {
		l := &req.Lines[i]
		l.RequestID = req.ID
		l.LineNo = i + 1
		if l.ID == "" {
			if _, err := w.addSimple(requestLinesTable, &l.ID, l, r); err != nil {
				return data.Prefixed(fmt.Sprintf("lines[%d]", i), err)
			}
			keep[l.ID] = true
			continue
		}
		idx := slices.IndexFunc(stored.Lines, func(s data.Line) bool { return s.ID == l.ID })
		if idx < 0 {
			return data.Invalid(fmt.Sprintf("lines[%d].id", i), "%s is not a line of this request", l.ID)
		}
		keep[l.ID] = true
		old := stored.Lines[idx]
		old.RequestID = req.ID
		changed, err := diffFields(requestLinesTable, &old, l)
		if err != nil {
			return err
		}
		if err := w.change(requestLinesTable, l.ID, changed); err != nil {
			return err
		}
	}
	for _, l := range stored.Lines {
		if !keep[l.ID] {
			if err := w.change(requestLinesTable, l.ID, map[string]json.RawMessage{data.DeletedField: json.RawMessage("true")}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete removes a record: a change to _deleted that supersedes every
// field the user saw. A request's lines go with it.
func (s *Store) Delete(ctx context.Context, kind data.Kind, id string) error {
	t, err := tableForKind(kind)
	if err != nil {
		return err
	}
	if t.info.AppendOnly {
		return data.Op("delete", fmt.Sprintf("%s %s", kind, data.Clip(id)), appendOnlyError(t, id))
	}
	err = s.write(ctx, func(w *writer) error {
		if err := w.checkHQWrite(t); err != nil {
			return err
		}
		if ok, err := w.exists(nil, t, id); err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("%s %s: %w", kind, data.Clip(id), data.ErrNotFound)
			}
			return err
		}
		if err := w.checkDeletable(t, id); err != nil {
			return err
		}
		if t == requestsTable {
			var r data.Request
			r.ID = id
			if err := s.loadChildren(w.ctx, w, &r); err != nil {
				return err
			}
			for _, l := range r.Lines {
				if err := w.change(requestLinesTable, l.ID, map[string]json.RawMessage{data.DeletedField: json.RawMessage("true")}); err != nil {
					return err
				}
			}
			for _, h := range r.History {
				if err := w.change(requestHistoryTable, h.ID, map[string]json.RawMessage{data.DeletedField: json.RawMessage("true")}); err != nil {
					return err
				}
			}
		}
		return w.change(t, id, map[string]json.RawMessage{data.DeletedField: json.RawMessage("true")})
	})
	if err != nil {
		return data.Op("delete", fmt.Sprintf("%s %s", kind, data.Clip(id)), err)
	}
	return nil
}

// checkDeletable refuses deletes that would strand other records or break
// a lock: a posting still used, a final exchange.
func (w *writer) checkDeletable(t *table, id string) error {
	switch t {
	case classificationsTable:
		return data.Invalid("id", "classification %s cannot be deleted: records, reports and peers rely on the list and its order", id)
	case ndpCategoriesTable:
		return data.Invalid("id", "NDP-1 category %s cannot be deleted: accreditations and exchanges name it", id)
	case postingsTable:
		var n int
		err := w.QueryRowContext(w.ctx, `SELECT (SELECT count(*) FROM exchanges WHERE posting = ?) + (SELECT count(*) FROM requests WHERE posting = ?)`, id, id).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return data.Invalid("id", "posting %s is used by %d exchanges and requests: it cannot be deleted", id, n)
		}
		var dev int
		if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM device WHERE posting = ?`, id).Scan(&dev); err != nil {
			return err
		}
		if dev > 0 {
			return data.Invalid("id", "posting %s is this device's posting: change the officer's posting first", id)
		}
	case exchangesTable:
		var state string
		if err := w.QueryRowContext(w.ctx, `SELECT state FROM exchanges WHERE id = ?`, id).Scan(&state); err != nil {
			return err
		}
		if data.ExchangeState(state) == data.StateFinal {
			return data.Invalid("state", "this exchange is final and cannot be deleted (amend it back to draft first)")
		}
	}
	return nil
}

// SetStatus moves a request along its workflow now, appending to its
// history. A transition the workflow does not allow is refused.
func (s *Store) SetStatus(ctx context.Context, id string, to data.RequestStatus, note string) error {
	return s.SetStatusAt(ctx, id, to, note, time.Time{})
}

// SetStatusAt is SetStatus for a transition that happened at a given time
// (zero: now): officers often record after the fact. The time may not be
// in the future, nor before the request's previous transition.
func (s *Store) SetStatusAt(ctx context.Context, id string, to data.RequestStatus, note string, at time.Time) error {
	if err := data.CheckText("note", note, data.MaxText); err != nil {
		return data.Op("status", fmt.Sprintf("of request %s", data.Clip(id)), err)
	}
	if !at.IsZero() && at.After(s.Now().Add(data.MaxClockLead)) {
		return data.Op("status", fmt.Sprintf("of request %s", data.Clip(id)), data.Invalid("at", "%s is in the future", at.UTC().Format(time.RFC3339)))
	}
	err := s.write(ctx, func(w *writer) error {
		var r data.Request
		if err := s.getInto(w.ctx, w, requestsTable, id, &r); err != nil {
			return err
		}
		if err := data.CheckTransition(r.Direction, r.Status, to); err != nil {
			return err
		}
		when := w.now()
		if !at.IsZero() {
			when = at.UTC().Format(time.RFC3339)
			var last string
			if err := w.QueryRowContext(w.ctx, `SELECT coalesce(max(at), '') FROM request_history WHERE request_id = ?`, id).Scan(&last); err != nil {
				return err
			}
			if when < last {
				return data.Invalid("at", "%s is before the request's previous status change (%s)", when, last)
			}
		}
		h := data.StatusEntry{RequestID: id, At: when, By: w.dev.Officer, From: r.Status, To: to, Note: note}
		if _, err := w.addSimple(requestHistoryTable, &h.ID, &h, nil); err != nil {
			return err
		}
		return w.change(requestsTable, id, map[string]json.RawMessage{"status": mustJSON(to)})
	})
	if err != nil {
		return data.Op("status", fmt.Sprintf("of request %s", data.Clip(id)), err)
	}
	return nil
}
