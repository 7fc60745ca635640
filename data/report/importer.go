package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// Import reads contacts, exchanges and requests back from CSV or XLSX: the
// files Write exports, or a spreadsheet typed by hand with the domain's
// field names as headers. Every row goes through the same validation as
// the forms; ReadImport is the dry run and Commit adds what it accepted
// in one transaction.

// Limits of one import.
const (
	MaxImportRows  = 200_000
	MaxImportBytes = 256 << 20
)

// fieldKind says how a cell becomes a JSON value.
type fieldKind int

const (
	fText fieldKind = iota
	fList
	fBool
	fNumber
	fDate // YYYY-MM-DD
	fTime // RFC 3339
)

// importField is a field a file may hold, and how its cells read.
type importField struct {
	name string
	kind fieldKind
}

// importFields are the fields a file of a kind may hold, in the order a
// mapping screen lists them: the kind descriptor's Import, typed by its
// fields (a request's line fields by its lines' descriptor).
func importFields(kind string) ([]importField, bool) {
	info := data.Describe(data.Kind(kind))
	if info == nil || info.Import == nil {
		return nil, false
	}
	var out []importField
	for _, name := range info.Import {
		f, ok := info.Field(name)
		for _, child := range data.AllKinds() {
			if !ok && child.Parent != "" {
				f, ok = child.Field(name)
			}
		}
		out = append(out, importField{name, cellKind(f)})
	}
	return out, true
}

// cellKind says how a cell of a field reads.
func cellKind(f data.Field) fieldKind {
	switch {
	case f.Type == data.ListField:
		return fList
	case f.Type == data.BoolField:
		return fBool
	case f.Type == data.IntField || f.Type == data.RealField:
		return fNumber
	case f.Format == data.DateText:
		return fDate
	case f.Format == data.TimeText:
		return fTime
	}
	return fText
}

// lineFields are a request row's fields that make one of its lines.
var lineFields = []string{"description", "nsn", "part_number", "cage", "quantity", "unit", "delivered_quantity"}

// ignoredColumns are columns an export writes that an import does not
// read: generated or computed by the store, or figures of a report.
var ignoredColumns = map[string]string{
	"id": "ids are given by the store", "acceptance_due": "computed", "delay_confirm_due": "computed",
	"status": "a new request starts at the start of its workflow", "history": "written by status changes",
	"line_no": "lines are numbered in file order", "marking": "an action's marking is its parent's",
	"exchanges": "a register figure", "last_contact": "a register figure", "created_at": "kept by the store",
	"updated_at": "kept by the store", "deposit_due": "computed",
	"exchange_id": "ids differ between stores: link the exchange in the window or by update",
}

// ImportKinds are the kinds a file can bring in: those whose descriptor
// names import fields.
var ImportKinds = func() []string {
	var out []string
	for _, info := range data.AllKinds() {
		if info.Import != nil {
			out = append(out, string(info.Kind))
		}
	}
	return out
}()

// ImportFields lists the fields a file of a kind may hold, for a column
// mapping screen. For requests, rows with the same ref are one request,
// one line per row.
func ImportFields(kind string) ([]string, error) {
	fs, ok := importFields(kind)
	if !ok {
		return nil, &data.FieldError{Field: "kind", Problem: fmt.Sprintf("%q cannot be imported (one of %s)", kind, strings.Join(ImportKinds, ", "))}
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out, nil
}

// ImportOptions adjust how a file is read.
type ImportOptions struct {
	// Mapping names the field each column holds, by the column's header
	// as written in the file; "" skips the column. Columns not mapped
	// are read by their header (case and spaces do not matter).
	Mapping map[string]string
}

// ImportRow is one record a file would create.
type ImportRow struct {
	Row     int   // the file's row number (1 = first row) of its first row
	Rows    []int // every row it was read from (a request's lines)
	Record  data.Record
	Summary string // one line saying what it is
}

// Rejected is a row that cannot be imported, and why.
type Rejected struct {
	Row    int    `json:"row"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
	Err    error  `json:"-"` // the field's error, for a front end's advice
}

func (r Rejected) String() string {
	if r.Field != "" {
		return fmt.Sprintf("row %d: %s: %s", r.Row, r.Field, r.Reason)
	}
	return fmt.Sprintf("row %d: %s", r.Row, r.Reason)
}

// ImportPlan is what a file would import: the dry run.
type ImportPlan struct {
	Kind     string
	Header   []string // the header row as written
	Fields   []string // the field each column is read into ("" not read)
	HeaderAt int      // the header's row number
	Ignored  []string // columns an export writes that are not read
	Rows     []ImportRow
	Rejected []Rejected // every problem of every row: a row can have several

	refs []rowRefs // what checkRefs looks up in the store, one per record
}

// RejectedRows is the number of rows with a problem.
func (p *ImportPlan) RejectedRows() int {
	rows := map[int]bool{}
	for _, r := range p.Rejected {
		rows[r.Row] = true
	}
	return len(rows)
}

// rowRefs are the references of one record of a file that only the store
// can check.
type rowRefs struct {
	row                int // the record's first row
	accepted           int // its index in Rows, -1 when rejected already
	id, posting, level string
}

// ImportHeader reads a file's header row for a column mapping screen: the
// first of its first ten rows that names a field of the kind (else the
// first row with anything in it), and for each column the field it
// would be read into ("" for none).
func ImportHeader(kind string, f Format, r io.Reader) (header []string, fields []string, err error) {
	names, err := ImportFields(kind)
	if err != nil {
		return nil, nil, err
	}
	rows, err := readTable(f, r)
	if err != nil {
		return nil, nil, data.Op("import", fmt.Sprint(kind), err)
	}
	for _, row := range rows[:min(len(rows), 10)] {
		named := slices.ContainsFunc(row.cells, func(c string) bool { return slices.Contains(names, normHeader(c)) })
		if named || (header == nil && !blank(row.cells)) {
			header = row.cells
		}
		if named {
			break
		}
	}
	fields = make([]string, len(header))
	for i, h := range header {
		if n := normHeader(h); slices.Contains(names, n) {
			fields[i] = n
		}
	}
	return header, fields, nil
}

// ReadImport reads a CSV or XLSX file of a kind and checks every row as
// the forms and the store would, without writing anything. A problem with
// the file as a whole (not CSV, no header, an unknown column) is an error;
// a problem with a row is a Rejected entry.
func ReadImport(ctx context.Context, s *store.Store, kind string, f Format, r io.Reader, o ImportOptions) (*ImportPlan, error) {
	table, err := readTable(f, r)
	if err != nil {
		return nil, data.Op("import", fmt.Sprint(kind), err)
	}
	var resolve func(string) (string, error)
	if kind == "exchange" {
		if resolve, err = contactResolver(ctx, s); err != nil {
			return nil, data.Op("import", fmt.Sprint(kind), err)
		}
	}
	p, err := planImport(kind, table, o, resolve)
	if err != nil {
		return nil, data.Op("import", fmt.Sprint(kind), err)
	}
	if err := p.checkRefs(ctx, s); err != nil {
		return nil, data.Op("import", fmt.Sprint(kind), err)
	}
	return p, nil
}

// Commit adds the plan's records in one transaction and returns their
// ids. With rejected rows it adds nothing unless skipRejected. Commit a
// plan once.
func (p *ImportPlan) Commit(ctx context.Context, s *store.Store, skipRejected bool) ([]string, error) {
	if n := p.RejectedRows(); n > 0 && !skipRejected {
		return nil, data.Op("import", fmt.Sprint(p.Kind), fmt.Errorf("%d %s rejected: nothing imported", n, plural(n, "row")))
	}
	if len(p.Rows) == 0 {
		return nil, data.Op("import", fmt.Sprint(p.Kind), fmt.Errorf("no rows to import"))
	}
	recs := make([]data.Record, len(p.Rows))
	for i, r := range p.Rows {
		recs[i] = r.Record
	}
	ids, err := s.Add(ctx, recs...)
	if err != nil {
		// Add names the record by its place in the batch: name the row.
		var re *data.RecordError
		if errors.As(err, &re) && re.N >= 1 && re.N <= len(p.Rows) {
			return nil, data.Op("import", fmt.Sprint(p.Kind), fmt.Errorf("row %d: %w: nothing imported", p.Rows[re.N-1].Row, re.Err))
		}
		return nil, data.Op("import", fmt.Sprint(p.Kind), fmt.Errorf("%w: nothing imported", err))
	}
	return ids, nil
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// cellRow is one row of a file with its row number.
type cellRow struct {
	n     int
	cells []string
}

// readTable reads every row of a CSV (UTF-8, a byte order mark allowed)
// or of the first XLSX sheet with a header row of known fields. XLSX
// cells come raw: dates as serial numbers, converted by field.
func readTable(f Format, r io.Reader) ([]cellRow, error) {
	lr := &io.LimitedReader{R: r, N: MaxImportBytes + 1}
	switch f {
	case CSV:
		br := bufio.NewReader(lr)
		if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
			br.Discard(3)
		}
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = false
		var rows []cellRow
		for n := 1; ; n++ {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					return nil, fmt.Errorf("not a valid CSV file: line %d: %v", pe.Line, pe.Err)
				}
				return nil, fmt.Errorf("read CSV: %w", err)
			}
			if len(rows) >= MaxImportRows+10 {
				return nil, fmt.Errorf("more than %d rows: split the file", MaxImportRows)
			}
			rows = append(rows, cellRow{n: n, cells: rec})
		}
		if lr.N <= 0 {
			return nil, fmt.Errorf("the file is larger than %d MB", MaxImportBytes>>20)
		}
		return rows, nil
	case XLSX:
		x, err := excelize.OpenReader(lr)
		if err != nil {
			return nil, fmt.Errorf("not a valid XLSX workbook: %v", err)
		}
		defer x.Close()
		var first []cellRow
		for i, sheet := range x.GetSheetList() {
			rows, err := x.Rows(sheet)
			if err != nil {
				return nil, fmt.Errorf("read sheet %s: %w", sheet, err)
			}
			var out []cellRow
			for n := 1; rows.Next(); n++ {
				cols, err := rows.Columns(excelize.Options{RawCellValue: true})
				if err != nil {
					rows.Close()
					return nil, fmt.Errorf("read sheet %s row %d: %w", sheet, n, err)
				}
				if len(out) >= MaxImportRows+10 {
					rows.Close()
					return nil, fmt.Errorf("more than %d rows: split the file", MaxImportRows)
				}
				out = append(out, cellRow{n: n, cells: cols})
			}
			// Next is false at the end and on a broken sheet alike.
			rerr := rows.Error()
			rows.Close()
			if rerr != nil {
				return nil, fmt.Errorf("read sheet %s: %w", sheet, rerr)
			}
			if i == 0 {
				first = out
			}
			if looksLikeData(out) {
				return out, nil
			}
		}
		return first, nil
	}
	return nil, &data.FieldError{Field: "format", Problem: fmt.Sprintf("%q cannot be imported: give a CSV or XLSX file", f)}
}

// looksLikeData reports whether a sheet has a header naming some field of
// any kind (a workbook's cover sheet does not).
func looksLikeData(rows []cellRow) bool {
	for _, r := range rows[:min(len(rows), 5)] {
		hits := 0
		for _, c := range r.cells {
			n := normHeader(c)
			for _, k := range ImportKinds {
				fs, _ := importFields(k)
				if slices.ContainsFunc(fs, func(f importField) bool { return f.name == n }) {
					hits++
					break
				}
			}
		}
		if hits >= 2 {
			return true
		}
	}
	return false
}

func normHeader(h string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
}

// contactResolver finds a contact by id or by name ("Laura Walker" or
// "CDR Laura Walker", any case).
func contactResolver(ctx context.Context, s *store.Store) (func(string) (string, error), error) {
	ids := map[string]bool{}
	byName := map[string][]string{}
	err := s.List(ctx, "contact", data.ListFilter{}, func(r data.Record) error {
		c := r.(*data.Contact)
		ids[c.ID] = true
		for _, k := range []string{c.Name, strings.TrimSpace(c.Rank + " " + c.Name)} {
			k = strings.ToLower(k)
			if !slices.Contains(byName[k], c.ID) {
				byName[k] = append(byName[k], c.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return func(v string) (string, error) {
		if ids[v] {
			return v, nil
		}
		switch m := byName[strings.ToLower(v)]; len(m) {
		case 1:
			return m[0], nil
		case 0:
			return "", fmt.Errorf("no contact is called or has the id %q", clipText(v))
		default:
			return "", fmt.Errorf("%d contacts are called %q: give the id", len(m), clipText(v))
		}
	}, nil
}

// planImport turns rows into records: the header, the mapping, each
// row's cells into a record (counterparts through resolve, when given),
// and the record's own validation. It needs no store.
func planImport(kind string, rows []cellRow, o ImportOptions, resolve func(string) (string, error)) (*ImportPlan, error) {
	fs, ok := importFields(kind)
	if !ok {
		_, err := ImportFields(kind)
		return nil, err
	}
	kinds := map[string]fieldKind{}
	for _, f := range fs {
		kinds[f.name] = f.kind
	}
	p := &ImportPlan{Kind: kind}
	hi := headerRow(rows, kinds, o)
	if hi < 0 {
		names, _ := ImportFields(kind)
		return nil, fmt.Errorf("no header row: the first row must name the columns (%s)", strings.Join(names, ", "))
	}
	var banner string
	if hi > 0 && len(rows[0].cells) > 0 {
		banner = rows[0].cells[0]
	}
	p.Header, p.HeaderAt = rows[hi].cells, rows[hi].n
	cols, err := p.mapColumns(kinds, o)
	if err != nil {
		return nil, err
	}
	var groups []*importGroup
	byRef := map[string]*importGroup{}
	for _, r := range rows[hi+1:] {
		if blank(r.cells) || (banner != "" && onlyFirst(r.cells, banner)) {
			continue
		}
		if len(p.Rows)+len(p.Rejected)+len(groups) > MaxImportRows {
			return nil, fmt.Errorf("more than %d rows: split the file", MaxImportRows)
		}
		obj, id, problems := p.rowCells(r, kinds, cols, resolve)
		if kind != "request" {
			groups = append(groups, &importGroup{rows: []int{r.n}, id: id, obj: obj, problems: problems})
			continue
		}
		if g := addRequestRow(byRef, r.n, obj, id, problems); g != nil {
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		p.validate(g)
	}
	return p, nil
}

// headerRow is the index of the header, the first of the first ten rows
// that names a field (rows before it, a banner or a title, are skipped),
// or -1.
func headerRow(rows []cellRow, kinds map[string]fieldKind, o ImportOptions) int {
	for i, r := range rows[:min(len(rows), 10)] {
		for _, c := range r.cells {
			if _, ok := kinds[fieldFor(c, o)]; ok {
				return i
			}
		}
	}
	return -1
}

// importColumns is where a file's columns go: the column of each field,
// and the column of an export's ids (-1: none).
type importColumns struct {
	seen  map[string]int // field → column
	idCol int            // a record already in the store is not copied
}

// mapColumns maps the header's columns to fields (p.Fields), noting the
// ignored ones; a column naming no field, or a field twice, is an error.
func (p *ImportPlan) mapColumns(kinds map[string]fieldKind, o ImportOptions) (importColumns, error) {
	kind := p.Kind
	p.Fields = make([]string, len(p.Header))
	cols := importColumns{seen: map[string]int{}, idCol: -1}
	for i, h := range p.Header {
		name := fieldFor(h, o)
		switch {
		case name == "" && strings.TrimSpace(h) == "":
			continue
		case name == "":
			continue // mapped away
		case ignoredColumns[name] != "" && !(kind == "request" && name == "ref"):
			if name == "id" {
				cols.idCol = i
			}
			p.Ignored = append(p.Ignored, name)
			continue
		}
		if _, ok := kinds[name]; !ok {
			names, _ := ImportFields(kind)
			return cols, fmt.Errorf("column %d %q is not a field of %s (fields: %s); map it to one or remove it", i+1, h, kind, strings.Join(names, ", "))
		}
		if j, dup := cols.seen[name]; dup {
			return cols, fmt.Errorf("columns %d and %d both hold %s", j+1, i+1, name)
		}
		cols.seen[name] = i
		p.Fields[i] = name
	}
	if kind == "request" && len(cols.seen) > 0 {
		if _, ok := cols.seen["description"]; !ok {
			return cols, fmt.Errorf("a request file needs a description column: one line per row")
		}
	}
	return cols, nil
}

// rowCells reads one row's cells into a record's fields, with the id an
// export gave it and the problems of its cells; counterparts named by
// name are resolved to ids.
func (p *ImportPlan) rowCells(r cellRow, kinds map[string]fieldKind, cols importColumns, resolve func(string) (string, error)) (map[string]any, string, []Rejected) {
	obj := map[string]any{}
	var problems []Rejected
	id := ""
	if cols.idCol >= 0 && cols.idCol < len(r.cells) {
		id = strings.TrimSpace(r.cells[cols.idCol])
	}
	zone := ""
	if i, ok := cols.seen["time_zone"]; ok && i < len(r.cells) {
		zone = strings.TrimSpace(r.cells[i])
	}
	for i, name := range p.Fields {
		if name == "" || i >= len(r.cells) {
			continue
		}
		v, err := cellValue(kinds[name], unneutralise(strings.TrimSpace(r.cells[i])), zone)
		if err != nil {
			problems = append(problems, Rejected{Row: r.n, Field: name, Reason: err.Error()})
		}
		if v != nil {
			obj[name] = v
		}
	}
	if cps, ok := obj["counterparts"].([]string); ok && resolve != nil {
		ids, reasons := []string{}, []string{}
		for _, c := range cps {
			id, err := resolve(c)
			if err != nil {
				reasons = append(reasons, err.Error())
				continue
			}
			ids = append(ids, id)
		}
		obj["counterparts"] = ids
		if len(reasons) > 0 {
			problems = append(problems, Rejected{Row: r.n, Field: "counterparts", Reason: strings.Join(reasons, "; ")})
		}
	}
	return obj, id, problems
}

// importGroup is the rows that make one record: one row, or a request's
// rows (one per line) sharing a ref.
type importGroup struct {
	rows     []int
	id       string // as the file gives it
	obj      map[string]any
	problems []Rejected
}

// addRequestRow adds a request file's row, one line, to the request of
// its ref, and returns the group when the row starts a new request (a new
// ref, or none), nil when it joined one.
func addRequestRow(byRef map[string]*importGroup, n int, obj map[string]any, id string, problems []Rejected) *importGroup {
	ref, _ := obj["ref"].(string)
	delete(obj, "ref")
	line := map[string]any{}
	for _, f := range lineFields {
		if v, ok := obj[f]; ok {
			line[f] = v
			delete(obj, f)
		}
	}
	var started *importGroup
	g := byRef[ref]
	if ref == "" || g == nil {
		g = &importGroup{obj: obj}
		obj["lines"] = []any{}
		started = g
		if ref != "" {
			byRef[ref] = g
		}
	}
	g.rows = append(g.rows, n)
	if g.id == "" {
		g.id = id
	}
	g.obj["lines"] = append(g.obj["lines"].([]any), line)
	g.problems = append(g.problems, problems...)
	return started
}

// validate makes a group's record and accepts or rejects it, noting what
// it refers to.
func (p *ImportPlan) validate(g *importGroup) {
	refs := rowRefs{row: g.rows[0], accepted: -1, id: g.id}
	refs.posting, _ = g.obj["posting"].(string)
	refs.level, _ = g.obj["classification"].(string)
	rec, problems := validateRow(p.Kind, g.obj, g.rows, g.problems)
	if len(problems) > 0 {
		p.Rejected = append(p.Rejected, problems...)
	} else {
		refs.accepted = len(p.Rows)
		p.Rows = append(p.Rows, ImportRow{Row: g.rows[0], Rows: g.rows, Record: rec, Summary: summarise(rec)})
	}
	p.refs = append(p.refs, refs)
}

// validateRow decodes and validates the record of a file's row (of a
// request's rows: line i is rows[i]), given the problems its cells
// already have. A record's validation stops at its first problem, so
// the field of each problem is set aside and the record validated again,
// until it passes or a field cannot be set aside: every field's problem
// is named, not only the first. The record is nil when there are
// problems.
func validateRow(kind string, obj map[string]any, rows []int, problems []Rejected) (data.Record, []Rejected) {
	named := map[string]bool{}
	for _, pr := range problems {
		named[fmt.Sprint(pr.Row, pr.Field)] = true
	}
	tries := map[string]int{}
	for {
		raw, err := json.Marshal(obj)
		if err != nil {
			return nil, append(problems, Rejected{Row: rows[0], Reason: err.Error()})
		}
		rec, err := store.DecodeRecord(data.Kind(kind), raw)
		if err == nil {
			err = rec.Validate()
		}
		if err == nil {
			if len(problems) > 0 {
				return nil, problems
			}
			return rec, nil
		}
		pr := rejection(rows[0], err)
		path := pr.Field
		target, field := obj, path
		if i, f, ok := lineField(path); ok {
			lines, _ := obj["lines"].([]any)
			if i >= len(lines) || i >= len(rows) {
				return nil, append(problems, pr)
			}
			target, _ = lines[i].(map[string]any)
			field, pr.Row, pr.Field = f, rows[i], f
		}
		if key := fmt.Sprint(pr.Row, pr.Field); !named[key] {
			named[key] = true
			problems = append(problems, pr)
		}
		tries[path]++
		if target == nil || field == "" || !setAside(target, field, tries[path]) {
			return nil, problems
		}
	}
}

// lineField reads a line's field path, "lines[2].nsn", as 2 and "nsn".
func lineField(path string) (int, string, bool) {
	rest, ok := strings.CutPrefix(path, "lines[")
	if !ok {
		return 0, "", false
	}
	n, f, ok := strings.Cut(rest, "].")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 {
		return 0, "", false
	}
	return i, f, true
}

// setAside takes a field's wrong value out of a record so the rest of it
// can be checked: the first time by leaving the field out, the second
// (the field is required) by a stand-in that passes its own check and
// makes no other field wrong. It reports false when it cannot.
func setAside(obj map[string]any, field string, try int) bool {
	switch try {
	case 1:
		delete(obj, field)
		if field == "spa_case" { // refused for either of the two
			delete(obj, "spa_requested_on")
		}
		return true
	case 2:
		v, ok := standIns[field]
		if field == "kind" {
			// The rfi_ fields are only for an RFI: with any of them a
			// stand-in kind would make them wrong or right by guess.
			for _, f := range []string{"rfi_question", "rfi_response", "rfi_due", "rfi_status"} {
				if obj[f] != nil {
					return false
				}
			}
		}
		if ok {
			obj[field] = v
		}
		return ok
	}
	return false
}

// standIns are values of required fields given in place of a wrong one.
var standIns = map[string]any{
	"name": "-", "title": "-", "posting": "-", "classification": "-", "description": "-",
	"kind": "meeting", "direction": data.InToUS, "occurred_at": "1900-01-01T00:00:00Z",
	"required_by": "2199-12-31", "delayed": true, "delay_reported_on": "2199-12-31", "quantity": 1e9,
}

func fieldFor(header string, o ImportOptions) string {
	if f, ok := o.Mapping[header]; ok {
		return f
	}
	return normHeader(header)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// onlyFirst reports whether a row holds only its first cell, equal to v
// (an export's closing banner row).
func onlyFirst(cells []string, v string) bool {
	if len(cells) == 0 || cells[0] != v {
		return false
	}
	return blank(cells[1:])
}

func rejection(row int, err error) Rejected {
	var fe *data.FieldError
	if errors.As(err, &fe) {
		return Rejected{Row: row, Field: fe.Field, Reason: fe.Problem, Err: err}
	}
	return Rejected{Row: row, Reason: err.Error(), Err: err}
}

// cellValue reads a cell as its field wants it; nil for an empty cell.
func cellValue(k fieldKind, v, zone string) (any, error) {
	if v == "" {
		if k == fList {
			return []string{}, nil
		}
		return nil, nil
	}
	switch k {
	case fList:
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
		out := make([]string, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	case fBool:
		switch strings.ToLower(v) {
		case "yes", "y", "true", "1", "x":
			return true, nil
		case "no", "n", "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not yes or no", clipText(v))
	case fNumber:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a number", clipText(v))
		}
		return f, nil
	case fDate:
		if t, ok := excelSerial(v); ok {
			return t.Format(data.DateLayout), nil
		}
		if t, err := time.Parse(data.DateLayout, v); err == nil {
			return t.Format(data.DateLayout), nil
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t.Format(data.DateLayout), nil
		}
		return v, nil // the record's validation names the problem
	case fTime:
		loc := time.UTC
		if zone != "" {
			if l, err := time.LoadLocation(zone); err == nil {
				loc = l
			}
		}
		if t, ok := excelSerial(v); ok {
			wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
			return wall.UTC().Format(time.RFC3339), nil
		}
		for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
			if t, err := time.ParseInLocation(layout, v, loc); err == nil {
				return t.UTC().Format(time.RFC3339), nil
			}
		}
		return v, nil
	}
	return v, nil
}

// excelSerial reads a spreadsheet's date-time serial number (days since
// 30 December 1899).
func excelSerial(v string) (time.Time, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > 2958465 || strings.ContainsAny(v, "eE") {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return time.Time{}, false
	}
	return t.Round(time.Second), true
}

func clipText(v string) string {
	if r := []rune(v); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return v
}

// summarise says in one line what a record is.
func summarise(rec data.Record) string {
	switch v := rec.(type) {
	case *data.Contact:
		s := strings.TrimSpace(v.Rank + " " + v.Name)
		for _, x := range []string{v.Appointment, v.Organisation} {
			if x != "" {
				s += ", " + x
			}
		}
		if v.Nation != "" {
			s += " (" + v.Nation + ")"
		}
		return s
	case *data.Exchange:
		return fmt.Sprintf("%s %s %s: %s [%s]", firstN(v.OccurredAt, 10), v.Posting, humanise(v.Kind), v.Title, v.Marking.Text())
	case *data.Request:
		return fmt.Sprintf("%s %s %s, %d %s, required by %s [%s]", v.Direction, v.Posting, v.Program, len(v.Lines), plural(len(v.Lines), "line"),
			v.RequiredBy, v.Marking.Text())
	}
	return fmt.Sprintf("%T", rec)
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// checkRefs rejects rows whose references the store would refuse, an
// unknown posting or classification, and rows whose id (an export's) is
// a record already in the store: importing them would copy it. Rows
// already rejected get these problems too, unless the field was named
// already. (Counterparts were resolved by planImport.)
func (p *ImportPlan) checkRefs(ctx context.Context, s *store.Store) error {
	postings, err := s.Postings(ctx)
	if err != nil {
		return err
	}
	levels, err := s.Classifications(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, x := range postings {
		known["p:"+x.ID] = true
	}
	var levelIDs []string
	for _, l := range levels {
		known["c:"+l.ID] = true
		levelIDs = append(levelIDs, l.ID)
	}
	named := map[string]bool{}
	for _, r := range p.Rejected {
		named[fmt.Sprint(r.Row, r.Field)] = true
	}
	drop := map[int]bool{}
	for _, r := range p.refs {
		var problems []Rejected
		if r.id != "" {
			_, err := s.Get(ctx, data.Kind(p.Kind), r.id)
			switch {
			case err == nil:
				problems = append(problems, Rejected{Row: r.row, Field: "id",
					Reason: fmt.Sprintf("%s %s already exists in this store: an import creates records, it does not update them", p.Kind, clipText(r.id))})
			case !errors.Is(err, data.ErrNotFound):
				return err
			}
		}
		if r.posting != "" && !known["p:"+r.posting] && !named[fmt.Sprint(r.row, "posting")] {
			problems = append(problems, Rejected{Row: r.row, Field: "posting", Reason: fmt.Sprintf("%q is not a known posting", r.posting)})
		}
		if r.level != "" && !known["c:"+r.level] && !named[fmt.Sprint(r.row, "classification")] {
			problems = append(problems, Rejected{Row: r.row, Field: "classification", Reason: fmt.Sprintf("%q is not on the classification list (%s)", r.level, strings.Join(levelIDs, ", "))})
		}
		if len(problems) == 0 {
			continue
		}
		p.Rejected = append(p.Rejected, problems...)
		if r.accepted >= 0 {
			drop[r.accepted] = true
		}
	}
	kept := p.Rows[:0]
	for i, r := range p.Rows {
		if !drop[i] {
			kept = append(kept, r)
		}
	}
	p.Rows = kept
	slices.SortStableFunc(p.Rejected, func(a, b Rejected) int { return a.Row - b.Row })
	return nil
}
