package data

// The kinds of the officer's registers (issue 14): documents received and
// gifts. Their descriptors live here, beside their types, and are listed
// in kinds, userKinds and searchKinds (data/kind.go).
const (
	KindDocument Kind = "document"
	KindGift     Kind = "gift"
)

var (
	documentFields = concat(fields(TextField, "title"), formatted(DateText, "received_on"),
		fields(TextField, "classification"), fields(ListField, "releasability"), fields(TextField, "caveats",
			"category", "disclosure", "originator", "release_ref", "control_number", "hq_route", "disposition"),
		formatted(DateText, "disposition_on"), fields(TextField, "exchange_id", "notes"))
	giftFields = concat(formatted(DateText, "given_on"), fields(TextField, "giver", "recipient", "recipient_nation", "item"),
		fields(RealField, "value_usd", "value_inr"), fields(TextField, "occasion", "disposition", "notes"))
)

var documentKind = &KindInfo{Kind: KindDocument, Table: "documents", New: func() Record { return &Document{} }, Marked: true,
	Fields: documentFields,
	List: &ListInfo{Columns: []string{"received_on", "title", "category", "disclosure", "originator", "control_number",
		"disposition", "disposition_on", "classification", "releasability"},
		Sort: "received_on", Desc: true, Indexed: []string{"received_on"},
		Order: []SortKey{{Field: "received_on", Desc: true}}, NewestFirst: true,
		DateField: "received_on", StatusField: "disposition", Statuses: DocumentDispositions,
		Brief: []string{"id", "received_on", "title", "control_number", "classification", "disposition"}},
	Search: &SearchInfo{Columns: []string{"title", "originator", "release_ref", "control_number", "hq_route", "notes"},
		TitleFields: []string{"title", "control_number"}, Title: func(v []string) string {
			if v[1] != "" {
				return v[0] + " (" + v[1] + ")"
			}
			return v[0]
		}, When: "received_on"},
	// A file cannot name an exchange by its id in this store.
	Import: without(names(documentFields), "exchange_id")}

var giftKind = &KindInfo{Kind: KindGift, Table: "gifts", New: func() Record { return &Gift{} },
	Fields: giftFields, Derived: []string{"deposit_due"},
	List: &ListInfo{Columns: []string{"given_on", "item", "giver", "recipient", "recipient_nation", "value_usd", "value_inr",
		"disposition", "deposit_due"},
		Sort: "given_on", Desc: true, Indexed: []string{"given_on"},
		Order: []SortKey{{Field: "given_on", Desc: true}}, NewestFirst: true,
		DateField: "given_on", StatusField: "disposition", Statuses: GiftDispositions,
		Brief: []string{"id", "given_on", "item", "giver", "recipient", "disposition", "deposit_due"}},
	Search: &SearchInfo{Columns: []string{"item", "giver", "recipient", "occasion", "notes"},
		TitleFields: []string{"item", "giver"}, Title: func(v []string) string { return v[0] + " from " + v[1] }, When: "given_on"},
	ReadOnly: map[string]string{"deposit_due": "computed from given_on, recipient_nation and the values by the gift rules"},
	Import:   names(giftFields)}
