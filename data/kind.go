package data

import (
	"slices"
	"strings"
)

// Kind names a kind of record: the name users type on the command line,
// the "kind" of search hits and conflicts in JSON, and the key of its
// descriptor (Describe).
type Kind string

// The kinds of record users see, list and search.
const (
	KindExchange Kind = "exchange"
	KindRequest  Kind = "request"
	KindContact  Kind = "contact"
	KindAction   Kind = "action"
	KindPosting  Kind = "posting"

	KindAccreditation Kind = "accreditation" // data/accreditation.go
)

// Kinds of synced rows users never name on their own: the classification
// list has verbs of its own, and a request's lines and status history
// travel as child rows of the request.
const (
	KindClassification Kind = "classification"
	KindRequestLine    Kind = "request_line"
	KindRequestStatus  Kind = "request_status"
	KindNDPCategory    Kind = "ndp_category" // names HQ edits; verbs of their own (data/accreditation.go)
	KindDPASClock      Kind = "dpas_clock"   // HQ's values of DPAS clocks (data/dpas_clock.go)
)

// FieldFormat says what a text field holds, where that matters to an
// import reading a spreadsheet cell.
type FieldFormat int

const (
	PlainText FieldFormat = iota
	DateText              // YYYY-MM-DD
	TimeText              // RFC 3339
)

// Field is one synced field of a kind: its JSON name (also its column)
// and what it holds.
type Field struct {
	Name   string
	Type   FieldType
	Format FieldFormat
}

// SortKey is one key of a kind's list order.
type SortKey struct {
	Field     string
	Desc      bool
	EmptyLast bool // an empty value sorts after every other
	Fold      bool // compared without case
}

// ListInfo says how a kind is listed and filtered.
type ListInfo struct {
	Columns     []string  // what a list view shows and may sort by
	Sort        string    // a list view's default sort column
	Desc        bool      // and its direction
	Indexed     []string  // sorts an index serves (a step between pages is a short walk)
	Order       []SortKey // List's order, before the order of entry
	NewestFirst bool      // ties (and everything, without Order) newest first
	DateField   string    // what From/To filter on; "" for none
	StatusField string    // what Status filters on; "" for none
	Statuses    []string  // the values Status may take
	Brief       []string  // the columns `liaisondesk list` prints
}

// SearchInfo says how a kind is searched and how its hits read.
type SearchInfo struct {
	Columns     []string                // indexed by full-text search, in the index's order
	TitleFields []string                // read for a hit's title
	Title       func(v []string) string // the title from TitleFields' values
	When        string                  // the field giving a hit's date; "" for none
}

// KindInfo is the one description of a kind of record that the store, the
// command line, the importer and the window read.
type KindInfo struct {
	Kind    Kind
	Table   string  // the store's table, also the change log's table name
	Parent  string  // for child rows: the field naming the parent record
	Fields  []Field // synced fields, in JSON order, without id
	Derived []string
	// SearchText are derived columns kept for search and lists only,
	// never part of the record.
	SearchText []string
	Marked     bool // carries a marking (classification, releasability, caveats)

	New      func() Record     // an empty record, ready to be decoded into; nil for child rows
	List     *ListInfo         // nil: not listed
	Search   *SearchInfo       // nil: not searched
	ReadOnly map[string]string // fields an update may not give, each with why
	Import   []string          // fields a CSV or XLSX file may hold, in a mapping screen's order; nil: not imported
	// AppendOnly: records are created by the store and never changed or
	// deleted, by an officer or a peer (the audit, data/audit.go).
	AppendOnly bool
}

// Field returns a synced field by name.
func (k *KindInfo) Field(name string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func fields(typ FieldType, names ...string) []Field {
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = Field{Name: n, Type: typ}
	}
	return out
}

func formatted(f FieldFormat, names ...string) []Field {
	out := fields(TextField, names...)
	for i := range out {
		out[i].Format = f
	}
	return out
}

func concat(parts ...[]Field) []Field {
	var out []Field
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func names(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(drop, s) })
}

var (
	contactFields = concat(fields(TextField, "name", "rank", "appointment", "organisation", "directorate",
		"nation", "email", "phone", "notes"), fields(ListField, "past_appointments"))
	exchangeFields = concat(fields(TextField, "posting", "kind", "title"), formatted(TimeText, "occurred_at", "ended_at"),
		fields(TextField, "time_zone", "location"),
		fields(ListField, "counterparts"),
		fields(TextField, "participants", "summary", "outcome", "direction", "disclosure", "classification"),
		fields(ListField, "releasability"), fields(TextField, "caveats"), fields(ListField, "tags"),
		fields(TextField, "state", "rfi_question", "rfi_response"), formatted(TimeText, "rfi_due"), fields(TextField, "rfi_status"),
		// The plan and debrief of an engagement (data/engagement.go, migration 021).
		fields(ListField, "objectives"), fields(TextField, "talking_points", "asks", "red_lines", "atmospherics"),
		fields(ListField, "commitments"), fields(TextField, "state_notes"),
		fields(TextField, "ndp_category", "ddl_justification")) // the DDL check (data/accreditation.go, migration 022)
	requestFields = concat(fields(TextField, "ref", "direction", "posting", "program", "end_user", "justification",
		"rating"), formatted(DateText, "required_by"), fields(TextField, "supplier", "supplier_country", "coc_participant", "contract_number"),
		formatted(DateText, "order_received_on", "promised_by"), fields(BoolField, "delayed"),
		formatted(DateText, "delay_reported_on"), fields(TextField, "spa_case"), formatted(DateText, "spa_requested_on"),
		fields(TextField, "status", "classification"),
		fields(ListField, "releasability"), fields(TextField, "caveats"), fields(BoolField, "business_confidential"),
		// The DPAS rules of data/dpas.go (migration 020).
		fields(TextField, "delay_notice"), formatted(DateText, "delay_learned_on"), fields(TextField, "rejection_reason"),
		formatted(DateText, "earliest_offered_on", "amendment_received_on"), fields(BoolField, "amendment_significant"),
		formatted(DateText, "rating_changed_on"), fields(TextField, "spa_basis", "urgent_need", "effort_made"),
		formatted(DateText, "spa_sponsored_on", "spa_endorsed_on", "spa_forwarded_on"))
	requestLineFields = concat(fields(TextField, "request_id"), fields(IntField, "line_no"),
		fields(TextField, "description", "nsn", "part_number", "cage"), fields(RealField, "quantity"),
		fields(TextField, "unit"), fields(RealField, "delivered_quantity"))
)

// kinds holds every synced kind, parents before children, in the order a
// rebuild materialises them.
var kinds = []*KindInfo{
	{Kind: KindPosting, Table: "postings", New: func() Record { return &Posting{} },
		Fields: concat(fields(TextField, "name", "location", "time_zone"), fields(IntField, "visit_lead_days")),
		List: &ListInfo{Columns: []string{"id", "name", "location", "time_zone"}, Sort: "id",
			Order: []SortKey{{Field: "id"}}}},
	{Kind: KindClassification, Table: "classifications",
		Fields: concat(fields(IntField, "rank"), fields(TextField, "colour"))},
	{Kind: KindDPASClock, Table: "dpas_clocks",
		Fields: concat(fields(IntField, "working_days"), fields(TextField, "source"))},
	{Kind: KindContact, Table: "contacts", New: func() Record { return &Contact{} },
		Fields: contactFields,
		List: &ListInfo{Columns: []string{"name", "rank", "appointment", "organisation", "directorate", "nation", "email"},
			Sort: "name", Order: []SortKey{{Field: "name", Fold: true}},
			Brief: []string{"id", "name", "rank", "appointment", "organisation", "nation"}},
		Search: &SearchInfo{Columns: []string{"name", "appointment", "organisation", "directorate", "notes"},
			TitleFields: []string{"name", "appointment"}, Title: func(v []string) string {
				if v[1] != "" {
					return v[0] + ", " + v[1]
				}
				return v[0]
			}},
		Import: names(contactFields)},
	{Kind: KindExchange, Table: "exchanges", New: func() Record { return &Exchange{} }, Marked: true,
		Fields: exchangeFields, SearchText: []string{"counterpart_names"},
		List: &ListInfo{Columns: []string{"occurred_at", "posting", "kind", "title", "counterpart_names", "classification", "releasability", "state", "rfi_status"},
			Sort: "occurred_at", Desc: true, Indexed: []string{"occurred_at"},
			Order: []SortKey{{Field: "occurred_at", Desc: true}}, NewestFirst: true,
			DateField: "occurred_at", StatusField: "state", Statuses: ExchangeStates,
			Brief: []string{"id", "occurred_at", "posting", "kind", "title", "classification", "state"}},
		Search: &SearchInfo{Columns: []string{"title", "summary", "outcome", "participants", "location", "counterpart_names",
			"rfi_question", "rfi_response", "tags"},
			TitleFields: []string{"title"}, Title: func(v []string) string { return v[0] }, When: "occurred_at"},
		ReadOnly: map[string]string{"state_notes": "written by status changes"},
		// Objectives and commitments are lists of objects, not cells.
		Import: without(names(exchangeFields), "objectives", "commitments", "state_notes")},
	{Kind: KindRequest, Table: "requests", New: func() Record { return &Request{} }, Marked: true,
		Fields: requestFields, Derived: []string{"acceptance_due", "delay_confirm_due"}, SearchText: []string{"line_text"},
		List: &ListInfo{Columns: []string{"ref", "posting", "direction", "program", "status", "rating", "required_by", "acceptance_due", "supplier", "classification", "releasability", "updated_at"},
			Sort: "updated_at", Desc: true, NewestFirst: true,
			DateField: "required_by", StatusField: "status", Statuses: append(StatusNames(InToUS), StatusNames(USToIN)...),
			Brief: []string{"id", "ref", "posting", "direction", "status", "rating", "required_by", "acceptance_due", "program"}},
		Search: &SearchInfo{Columns: []string{"ref", "program", "end_user", "justification", "supplier", "line_text"},
			TitleFields: []string{"ref", "program", "end_user"}, Title: func(v []string) string { return v[0] + " " + v[1] + ": " + v[2] },
			When: "required_by"},
		ReadOnly: map[string]string{
			"ref":               "request references are generated",
			"direction":         "it decides the workflow: cancel this request and create one in the other direction",
			"status":            "status follows the workflow",
			"history":           "written by status changes",
			"acceptance_due":    "computed from order_received_on and the rating",
			"delay_confirm_due": "computed from delay_reported_on",
		},
		Import: append(without(names(requestFields), "status"), without(names(requestLineFields), "request_id", "line_no")...)},
	{Kind: KindRequestLine, Table: "request_lines", Parent: "request_id", Fields: requestLineFields},
	{Kind: KindRequestStatus, Table: "request_history", Parent: "request_id",
		Fields: fields(TextField, "request_id", "at", "by", "from", "to", "note")},
	{Kind: KindAction, Table: "actions", New: func() Record { return &Action{} },
		Fields: fields(TextField, "exchange_id", "request_id", "title", "owner", "due_on", "status", "done_at", "notes"),
		List: &ListInfo{Columns: []string{"due_on", "status", "title", "owner", "exchange_id", "request_id", "updated_at"},
			Sort: "due_on", Order: []SortKey{{Field: "due_on", EmptyLast: true}},
			DateField: "due_on", StatusField: "status", Statuses: ActionStatuses,
			Brief: []string{"id", "due_on", "status", "owner", "title"}},
		Search: &SearchInfo{Columns: []string{"title", "owner", "notes"},
			TitleFields: []string{"title"}, Title: func(v []string) string { return v[0] }, When: "due_on"}},
	{Kind: KindAudit, Table: "audit", New: func() Record { return &AuditEntry{} }, AppendOnly: true,
		Fields: concat(fields(TextField, "what", "name", "format", "classification"), fields(ListField, "releasability"),
			fields(TextField, "file"), fields(IntField, "rows"))},
	{Kind: KindAttachment, Table: "attachments", New: func() Record { return &Attachment{} },
		Fields: concat(fields(TextField, "record_kind", "record_id", "name"), fields(IntField, "size"),
			fields(TextField, "media_type", "sha256", "classification")),
		ReadOnly: map[string]string{
			"record_kind": "an attachment stays on its record", "record_id": "an attachment stays on its record",
			"size": "the content decides it", "sha256": "the content decides it",
		}},
	documentKind, giftKind, // data/register_kinds.go
	visitKind,                // data/visit.go
	relKinds[0], relKinds[1], // data/relgroup.go
	accreditationKind, ndpCategoryKind, // data/accreditation.go
}

// userKinds are the kinds users name, in the order the command line lists
// them.
var userKinds = []Kind{KindExchange, KindRequest, KindContact, KindAction, KindPosting, KindDocument, KindGift, KindVisit, KindAccreditation}

// searchKinds are the searched kinds, in the order their hits are merged.
var searchKinds = []Kind{KindExchange, KindRequest, KindAction, KindContact, KindDocument, KindGift, KindVisit, KindAccreditation}

// Kinds are the kinds of record users name on the command line, in the
// order it lists them.
func Kinds() []Kind { return slices.Clone(userKinds) }

// SearchKinds are the kinds Search looks in, in the order hits of equal
// rank are given.
func SearchKinds() []Kind { return slices.Clone(searchKinds) }

// AllKinds describes every synced kind, internal ones included, parents
// before children.
func AllKinds() []*KindInfo { return slices.Clone(kinds) }

// Describe returns a kind's descriptor, or nil for a name that is no kind.
func Describe(k Kind) *KindInfo {
	for _, info := range kinds {
		if info.Kind == k {
			return info
		}
	}
	return nil
}

// UserKind returns the descriptor of a kind users name, or an error
// listing the kinds there are.
func UserKind(k Kind) (*KindInfo, error) {
	if slices.Contains(userKinds, k) {
		return Describe(k), nil
	}
	return nil, Invalid("kind", "%q is not one of %s", Clip(string(k)), JoinKinds(userKinds))
}

// JoinKinds lists kinds for a message: "exchange, request".
func JoinKinds(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
