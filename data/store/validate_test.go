package store

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
)

// storeCounts is the number of live rows per domain table and of changes in
// the log: two equal snapshots mean nothing was written in between.
func storeCounts(t *testing.T, s *Store) data.Counts {
	t.Helper()
	c, err := s.Count(context.Background())
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	return c
}

// refusedWithoutWrites runs do and checks that it is refused as invalid
// input naming field, and that the store is exactly as it was.
func refusedWithoutWrites(t *testing.T, s *Store, field string, do func() error) {
	t.Helper()
	before := storeCounts(t, s)
	err := do()
	if err == nil {
		t.Fatalf("accepted; want it refused naming %q", field)
	}
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("error %q does not match ErrInvalid", err)
	}
	if got := data.FieldOf(err); got != field {
		t.Errorf("error names field %q, want %q (error: %v)", got, field, err)
	}
	if after := storeCounts(t, s); !maps.Equal(before, after) {
		t.Errorf("store changed by a refused write:\nbefore %v\nafter  %v", before, after)
	}
}

// addOne adds one record and fails the test when it is refused.
func addOne(t *testing.T, s *Store, rec data.Record) string {
	t.Helper()
	ids, err := s.Add(context.Background(), rec)
	if err != nil {
		t.Fatalf("add %T: %v", rec, err)
	}
	return ids[0]
}

func getExchange(t *testing.T, s *Store, id string) *data.Exchange {
	t.Helper()
	rec, err := s.Get(context.Background(), "exchange", id)
	if err != nil {
		t.Fatalf("get exchange %s: %v", id, err)
	}
	return rec.(*data.Exchange)
}

func TestAddRefusesAnInvalidExchange(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		field string
		edit  func(e *data.Exchange)
	}{
		{"a posting nobody has set up", "posting", func(e *data.Exchange) { e.Posting = "PENTAGON" }},
		{"a posting code in the wrong case", "posting", func(e *data.Exchange) { e.Posting = "cmf" }},
		{"no posting", "posting", func(e *data.Exchange) { e.Posting = "" }},
		{"a kind that is not on the list", "kind", func(e *data.Exchange) { e.Kind = "lunch" }},
		{"no kind", "kind", func(e *data.Exchange) { e.Kind = "" }},
		{"no title", "title", func(e *data.Exchange) { e.Title = "" }},
		{"a title of blanks", "title", func(e *data.Exchange) { e.Title = "   " }},
		{"a title on two lines", "title", func(e *data.Exchange) { e.Title = "CTF 150\nmonthly coordination" }},
		{"a title with a carriage return", "title", func(e *data.Exchange) { e.Title = "CTF 150\rcoordination" }},
		{"a title of 201 characters", "title", func(e *data.Exchange) { e.Title = strings.Repeat("x", 201) }},
		{"a title that is not UTF-8", "title", func(e *data.Exchange) { e.Title = "CTF 150 \xff\xfe" }},
		{"a title with a control character", "title", func(e *data.Exchange) { e.Title = "CTF\x07150" }},
		{"a summary that is not UTF-8", "summary", func(e *data.Exchange) { e.Summary = "boarding \xc3\x28 drills" }},
		{"a summary of 20001 characters", "summary", func(e *data.Exchange) { e.Summary = strings.Repeat("s", 20_001) }},
		{"an outcome of 20001 characters", "outcome", func(e *data.Exchange) { e.Outcome = strings.Repeat("o", 20_001) }},
		{"a location on two lines", "location", func(e *data.Exchange) { e.Location = "NSA\nBahrain" }},
		{"no start time", "occurred_at", func(e *data.Exchange) { e.OccurredAt = "" }},
		{"a start time without a zone", "occurred_at", func(e *data.Exchange) { e.OccurredAt = "2026-11-20T06:00:00" }},
		{"a start time with a space for T", "occurred_at", func(e *data.Exchange) { e.OccurredAt = "2026-11-20 06:00:00Z" }},
		{"a start given as a date only", "occurred_at", func(e *data.Exchange) { e.OccurredAt = "2026-11-20" }},
		{"a start in day/month/year form", "occurred_at", func(e *data.Exchange) { e.OccurredAt = "20/11/2026 06:00" }},
		{"a start on a day that does not exist", "occurred_at", func(e *data.Exchange) { e.OccurredAt = "2026-02-30T06:00:00Z" }},
		{"an end time in a bad form", "ended_at", func(e *data.Exchange) { e.EndedAt = "tomorrow" }},
		{"an end before the start", "ended_at", func(e *data.Exchange) { e.EndedAt = "2026-11-20T05:59:59Z" }},
		{"an end before the start once both are in UTC", "ended_at", func(e *data.Exchange) {
			e.OccurredAt, e.EndedAt = "2026-11-20T09:00:00+03:00", "2026-11-20T06:30:00+05:30"
		}},
		{"a time zone that does not exist", "time_zone", func(e *data.Exchange) { e.TimeZone = "Mars/Olympus_Mons" }},
		{"the machine's Local zone", "time_zone", func(e *data.Exchange) { e.TimeZone = "Local" }},
		{"a direction that is not on the list", "direction", func(e *data.Exchange) { e.Direction = "sideways" }},
		{"a disclosure that is not on the list", "disclosure", func(e *data.Exchange) { e.Disclosure = "telepathic" }},
		{"a state that is not on the list", "state", func(e *data.Exchange) { e.State = "locked" }},
		{"a counterpart that is not an id", "counterparts", func(e *data.Exchange) { e.Counterparts = []string{"Capt. Smith"} }},
		{"a counterpart id no contact has", "counterparts", func(e *data.Exchange) { e.Counterparts = []string{data.NewID()} }},
		{"a tag on two lines", "tags", func(e *data.Exchange) { e.Tags = []string{"malabar\n2026"} }},
		{"an empty tag", "tags", func(e *data.Exchange) { e.Tags = []string{""} }},
		{"51 tags", "tags", func(e *data.Exchange) { e.Tags = slices.Repeat([]string{"malabar"}, 51) }},
		{"an id that is not a UUID", "id", func(e *data.Exchange) { e.ID = "exchange-1" }},

		{"no classification", "classification", func(e *data.Exchange) { e.Classification = "" }},
		{"a classification not on the list", "classification", func(e *data.Exchange) { e.Classification = "TOP SECRET" }},
		{"a classification in lower case", "classification", func(e *data.Exchange) { e.Classification = "confidential" }},
		{"a nation in alpha-2", "releasability", func(e *data.Exchange) { e.Releasability = []string{"US", "IN"} }},
		{"a nation in lower case", "releasability", func(e *data.Exchange) { e.Releasability = []string{"usa", "IND"} }},
		{"a nation code that is not assigned", "releasability", func(e *data.Exchange) { e.Releasability = []string{"USA", "XYZ"} }},
		{"a nation spelt out", "releasability", func(e *data.Exchange) { e.Releasability = []string{"India"} }},
		{"a nation listed twice", "releasability", func(e *data.Exchange) { e.Releasability = []string{"USA", "IND", "USA"} }},
		{"caveats on two lines", "caveats", func(e *data.Exchange) { e.Caveats = "NOFORN\nORCON" }},

		{"an RFI question on a meeting", "rfi_question", func(e *data.Exchange) { e.RFIQuestion = "Which berths are free?" }},
		{"an RFI response on a call", "rfi_response", func(e *data.Exchange) { e.Kind, e.RFIResponse = "call", "Berth 4" }},
		{"an RFI due time on a briefing", "rfi_due", func(e *data.Exchange) { e.Kind, e.RFIDue = "briefing_given", "2026-11-30T12:00:00Z" }},
		{"an RFI status on a visit", "rfi_status", func(e *data.Exchange) { e.Kind, e.RFIStatus = "visit", "open" }},
		{"an outgoing RFI with no question", "rfi_question", func(e *data.Exchange) { e.Kind = "rfi_out" }},
		{"an incoming RFI whose question is blank", "rfi_question", func(e *data.Exchange) { e.Kind, e.RFIQuestion = "rfi_in", " \n " }},
		{"an RFI with a status not on the list", "rfi_status", func(e *data.Exchange) {
			e.Kind, e.RFIQuestion, e.RFIStatus = "rfi_out", "Which berths are free?", "pending"
		}},
		{"an RFI due time in a bad form", "rfi_due", func(e *data.Exchange) {
			e.Kind, e.RFIQuestion, e.RFIDue = "rfi_out", "Which berths are free?", "end of week"
		}},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			e := sampleExchange()
			c.edit(e)
			refusedWithoutWrites(t, s, c.field, func() error { _, err := s.Add(ctx, e); return err })
		})
	}
}

func TestAddAcceptsAndNormalisesAnExchange(t *testing.T) {
	s := openTestStore(t)
	cases := []struct {
		name  string
		edit  func(e *data.Exchange)
		check func(t *testing.T, got *data.Exchange)
	}{
		{"a title of exactly 200 characters, counted as characters not bytes", func(e *data.Exchange) {
			e.Title = strings.Repeat("é", 200)
		}, func(t *testing.T, got *data.Exchange) {
			if got.Title != strings.Repeat("é", 200) {
				t.Errorf("title = %q", got.Title)
			}
		}},
		{"a summary of exactly 20000 characters with newlines and tabs", func(e *data.Exchange) {
			e.Summary = strings.Repeat("line\tof text\n", 20_000/13) + strings.Repeat("z", 20_000%13)
		}, func(t *testing.T, got *data.Exchange) {
			if n := len([]rune(got.Summary)); n != 20_000 {
				t.Errorf("summary has %d characters, want 20000", n)
			}
		}},
		{"times given in another offset are stored in UTC", func(e *data.Exchange) {
			e.OccurredAt, e.EndedAt = "2026-11-20T09:00:00+03:00", "2026-11-20T11:30:00+05:30"
		}, func(t *testing.T, got *data.Exchange) {
			if got.OccurredAt != "2026-11-20T06:00:00Z" || got.EndedAt != "2026-11-20T06:00:00Z" {
				t.Errorf("occurred_at %q, ended_at %q; want both 2026-11-20T06:00:00Z", got.OccurredAt, got.EndedAt)
			}
		}},
		{"a date long in the past (recorded after the fact)", func(e *data.Exchange) {
			e.OccurredAt = "2019-03-01T04:00:00Z"
		}, func(t *testing.T, got *data.Exchange) {
			if got.OccurredAt != "2019-03-01T04:00:00Z" {
				t.Errorf("occurred_at = %q", got.OccurredAt)
			}
		}},
		{"a new exchange starts as a draft", func(e *data.Exchange) {}, func(t *testing.T, got *data.Exchange) {
			if got.State != "draft" {
				t.Errorf("state = %q, want draft", got.State)
			}
		}},
		{"an RFI starts open", func(e *data.Exchange) {
			e.Kind, e.RFIQuestion, e.RFIDue = "rfi_out", "Which berths are free in December?", "2026-12-01T12:00:00+03:00"
		}, func(t *testing.T, got *data.Exchange) {
			if got.RFIStatus != "open" || got.RFIDue != "2026-12-01T09:00:00Z" {
				t.Errorf("rfi_status %q, rfi_due %q; want open, 2026-12-01T09:00:00Z", got.RFIStatus, got.RFIDue)
			}
		}},
		{"no releasability at all", func(e *data.Exchange) { e.Releasability = nil }, func(t *testing.T, got *data.Exchange) {
			if len(got.Releasability) != 0 {
				t.Errorf("releasability = %v", got.Releasability)
			}
		}},
	}
	for _, c := range cases {
		t.Run("accepts "+c.name, func(t *testing.T) {
			e := sampleExchange()
			c.edit(e)
			c.check(t, getExchange(t, s, addOne(t, s, e)))
		})
	}
}

func TestAddRefusesOtherInvalidRecords(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	exID := addOne(t, s, sampleExchange())
	cases := []struct {
		name  string
		field string
		rec   func() data.Record
	}{
		{"a contact with no name", "name", func() data.Record { return &data.Contact{Nation: "USA"} }},
		{"a contact whose nation is not alpha-3", "nation", func() data.Record { return &data.Contact{Name: "Capt. J. Miller", Nation: "US"} }},
		{"a contact whose e-mail has no domain", "email", func() data.Record { return &data.Contact{Name: "Capt. J. Miller", Email: "miller@"} }},
		{"a contact whose rank is two lines", "rank", func() data.Record { return &data.Contact{Name: "Capt. J. Miller", Rank: "O-6\nUSN"} }},
		{"an action with no title", "title", func() data.Record { return &data.Action{Owner: "LO"} }},
		{"an action due on a day that does not exist", "due_on", func() data.Record { return &data.Action{Title: "Send minutes", DueOn: "2026-11-31"} }},
		{"an action with a status not on the list", "status", func() data.Record { return &data.Action{Title: "Send minutes", Status: "later"} }},
		{"an action done_at while still open", "done_at", func() data.Record {
			return &data.Action{Title: "Send minutes", DoneAt: "2026-11-25T10:00:00Z"}
		}},
		{"an action born in an exchange that does not exist", "exchange_id", func() data.Record {
			return &data.Action{Title: "Send minutes", ExchangeID: data.NewID()}
		}},
		{"an action born in a request that does not exist", "request_id", func() data.Record {
			return &data.Action{Title: "Chase supplier", RequestID: data.NewID()}
		}},
		{"a posting code in lower case", "id", func() data.Record {
			return &data.Posting{ID: "eucom", Name: "US European Command", TimeZone: "Europe/Berlin"}
		}},
		{"a posting that already exists", "id", func() data.Record {
			return &data.Posting{ID: "CMF", Name: "Combined Maritime Forces", TimeZone: "Asia/Bahrain"}
		}},
		{"a posting without a time zone", "time_zone", func() data.Record { return &data.Posting{ID: "EUCOM", Name: "US European Command"} }},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			refusedWithoutWrites(t, s, c.field, func() error { _, err := s.Add(ctx, c.rec()); return err })
		})
	}
	t.Run("accepts an action born in an existing exchange", func(t *testing.T) {
		addOne(t, s, &data.Action{Title: "Send minutes", ExchangeID: exID, DueOn: "2026-11-27"})
	})
	t.Run("accepts a new posting, which records may then use", func(t *testing.T) {
		addOne(t, s, &data.Posting{ID: "EUCOM", Name: "US European Command", Location: "Stuttgart", TimeZone: "Europe/Berlin"})
		e := sampleExchange()
		e.Posting, e.TimeZone = "EUCOM", "Europe/Berlin"
		addOne(t, s, e)
	})
}

func TestAddOfABatchIsAllOrNothing(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	t.Run("one bad record at the end leaves none of the batch in the store", func(t *testing.T) {
		bad := sampleExchange()
		bad.RFIQuestion = "not a meeting question"
		contact := &data.Contact{Name: "Capt. J. Miller", Nation: "USA"}
		refusedWithoutWrites(t, s, "rfi_question", func() error {
			_, err := s.Add(ctx, contact, sampleExchange(), sampleRequest(), bad)
			return err
		})
	})
	t.Run("the error says which record of the batch is wrong", func(t *testing.T) {
		bad := sampleRequest()
		bad.Lines[0].Quantity = 0
		_, err := s.Add(ctx, sampleExchange(), bad)
		if err == nil || !strings.Contains(err.Error(), "record 2") {
			t.Errorf("error %v does not name record 2", err)
		}
		if data.FieldOf(err) != "lines[0].quantity" {
			t.Errorf("field = %q, want lines[0].quantity", data.FieldOf(err))
		}
	})
	t.Run("a good batch lands whole, and records may refer to each other", func(t *testing.T) {
		before := storeCounts(t, s)
		c := &data.Contact{ID: data.NewID(), Name: "Cdr. R. Alvarez", Nation: "USA"}
		e := sampleExchange()
		e.ID, e.Counterparts = data.NewID(), []string{c.ID}
		a := &data.Action{Title: "Share boarding SOP", ExchangeID: e.ID}
		ids, err := s.Add(ctx, c, e, a, sampleRequest())
		if err != nil {
			t.Fatalf("add: %v", err)
		}
		if len(ids) != 4 || ids[0] != c.ID || ids[1] != e.ID {
			t.Errorf("ids = %v", ids)
		}
		after := storeCounts(t, s)
		for tbl, n := range map[string]int64{"contacts": 1, "exchanges": 1, "actions": 1, "requests": 1, "request_lines": 1} {
			if after[tbl]-before[tbl] != n {
				t.Errorf("%s grew by %d, want %d", tbl, after[tbl]-before[tbl], n)
			}
		}
	})
}

func TestDecodeRecordNamesTheFieldAtFault(t *testing.T) {
	cases := []struct {
		name  string
		kind  string
		input string
		field string
	}{
		{"an unknown field (a typo)", "exchange", `{"titel":"CTF 150"}`, "titel"},
		{"a field another kind has", "exchange", `{"rating":"DO-A1"}`, "rating"},
		{"text where a number belongs", "request", `{"program":"P-8I","business_confidential":"yes"}`, "business_confidential"},
		{"a number where text belongs", "exchange", `{"title":42}`, "title"},
		{"text where true or false belongs", "request", `{"delayed":"yes"}`, "delayed"},
		{"text where a list belongs", "exchange", `{"tags":"malabar"}`, "tags"},
		{"a list where text belongs", "contact", `{"name":["A","B"]}`, "name"},
		{"an object where text belongs", "action", `{"due_on":{"day":1}}`, "due_on"},
		{"JSON that is cut short", "exchange", `{"title":"CTF`, "input"},
		{"text that is not JSON", "exchange", `title: CTF 150`, "input"},
		{"nothing at all", "exchange", ``, "input"},
		{"two objects", "exchange", `{"title":"a"} {"title":"b"}`, "input"},
		{"a kind nobody knows", "memo", `{}`, "kind"},
		{"an unknown field inside a line", "request", `{"lines":[{"description":"Pump","nsnx":"1"}]}`, "nsnx"},
	}
	for _, c := range cases {
		t.Run("names the field for "+c.name, func(t *testing.T) {
			_, err := DecodeRecord(data.Kind(c.kind), []byte(c.input))
			if !errors.Is(err, data.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			if got := data.FieldOf(err); got != c.field {
				t.Errorf("field = %q, want %q (error: %v)", got, c.field, err)
			}
		})
	}
	t.Run("takes the fields its kind has, in any case, embedded ones included", func(t *testing.T) {
		rec, err := DecodeRecord("exchange", []byte(`{"Title":"CTF 150","classification":"UNCLASSIFIED","lines":null}`))
		if err == nil {
			t.Fatalf("an exchange took a request's lines: %+v", rec)
		}
		rec, err = DecodeRecord("exchange", []byte(`{"Title":"CTF 150","classification":"UNCLASSIFIED"}`))
		if err != nil || rec.(*data.Exchange).Title != "CTF 150" || rec.(*data.Exchange).Classification != "UNCLASSIFIED" {
			t.Fatalf("%+v %v", rec, err)
		}
	})
	t.Run("names the line and field for a wrong type inside a line", func(t *testing.T) {
		_, err := DecodeRecord("request", []byte(`{"lines":[{"description":"Pump","quantity":"two"}]}`))
		if !errors.Is(err, data.ErrInvalid) {
			t.Fatalf("error %v does not match ErrInvalid", err)
		}
		// encoding/json does not report the index, so "lines.quantity" is the
		// best it can do; the field must at least be recognisable.
		if f := data.FieldOf(err); !strings.HasPrefix(f, "lines") || !strings.HasSuffix(f, "quantity") {
			t.Errorf("field = %q, want lines…quantity", f)
		}
	})
	t.Run("names a marking field by its JSON name", func(t *testing.T) {
		for _, in := range []string{`{"releasability":"USA"}`, `{"classification":3}`} {
			_, err := DecodeRecord("exchange", []byte(in))
			want := strings.Split(strings.Trim(in, "{}"), `"`)[1]
			if got := data.FieldOf(err); got != want {
				t.Errorf("%s: field = %q, want %q", in, got, want)
			}
		}
	})
	t.Run("decodes a well-formed record", func(t *testing.T) {
		rec, err := DecodeRecord("exchange", []byte(`{"posting":"CMF","kind":"call","title":"Call with CTF 151",
			"occurred_at":"2026-11-21T10:00:00Z","classification":"UNCLASSIFIED","releasability":["USA","IND"]}`))
		if err != nil {
			t.Fatal(err)
		}
		e := rec.(*data.Exchange)
		if e.Title != "Call with CTF 151" || len(e.Releasability) != 2 {
			t.Errorf("decoded %+v", *e)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("validate: %v", err)
		}
	})
}

// The limits imported changes are held to never refuse what a form can
// save: every text field a form refuses at a length is refused there too,
// so proseFields and listLimits agree with the Validate methods.
func TestImportLimitsAgreeWithTheForms(t *testing.T) {
	samples := map[*table]func() interface{ Validate() error }{
		exchangesTable: func() interface{ Validate() error } { return sampleExchange() },
		requestsTable:  func() interface{ Validate() error } { return sampleRequest() },
		contactsTable:  func() interface{ Validate() error } { return &data.Contact{Name: "Capt. J. Miller"} },
		actionsTable:   func() interface{ Validate() error } { return &data.Action{Title: "Send the minutes"} },
		postingsTable: func() interface{ Validate() error } {
			return &data.Posting{ID: "CMF", Name: "Combined Maritime Forces", TimeZone: "Asia/Bahrain"}
		},
		requestLinesTable:   func() interface{ Validate() error } { return &data.Line{Description: "Pump", Quantity: 1} },
		requestHistoryTable: func() interface{ Validate() error } { return &data.StatusEntry{At: "2026-11-20T06:00:00Z"} },
	}
	for tbl, sample := range samples {
		for _, c := range tbl.fields {
			if (c.typ != data.TextField && c.typ != data.ListField) || c.name == tbl.parent {
				continue // the store sets a child's parent, not the form
			}
			var over json.RawMessage
			switch {
			case c.typ == data.ListField:
				items := make([]any, data.ListLimit(c.name)+1)
				for i := range items {
					items[i] = "X"
					if data.IsObjectList(c.name) { // an objective or a commitment
						items[i] = map[string]string{"text": "X", "side": "us"}
					}
				}
				over = mustJSON(items)
			case data.IsProse(c.name):
				over = mustJSON(strings.Repeat("a", data.MaxText+1))
			default:
				over = mustJSON(strings.Repeat("a", data.MaxLine+1))
			}
			if data.CheckImportedField(c.name, c.typ, over) == nil {
				t.Errorf("%s.%s: the import limit lets through %d bytes", tbl.name, c.name, len(over))
			}
			rec := sample()
			if err := rec.Validate(); err != nil {
				t.Fatalf("%s: the sample is not valid: %v", tbl.name, err)
			}
			var m map[string]json.RawMessage
			b, _ := json.Marshal(rec)
			json.Unmarshal(b, &m)
			m[c.name] = over
			b, _ = json.Marshal(m)
			rec = sample()
			if err := json.Unmarshal(b, rec); err != nil {
				t.Fatal(err)
			}
			if rec.Validate() == nil {
				t.Errorf("%s.%s: the form accepts a value over the limit imports are held to", tbl.name, c.name)
			}
		}
	}
}
