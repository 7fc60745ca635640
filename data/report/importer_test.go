package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

func readImport(t *testing.T, s *store.Store, kind string, f Format, b []byte) *ImportPlan {
	t.Helper()
	p, err := ReadImport(context.Background(), s, kind, f, bytes.NewReader(b), ImportOptions{})
	if err != nil {
		t.Fatalf("read import: %v", err)
	}
	return p
}

func count(t *testing.T, s *store.Store, kind data.Kind) int {
	t.Helper()
	n := 0
	if err := s.List(context.Background(), kind, data.ListFilter{}, func(data.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportsComeBackThroughImport(t *testing.T) {
	src := demoStore(t)
	for _, f := range []Format{CSV, XLSX} {
		t.Run("contacts, requests and exchanges as "+string(f), func(t *testing.T) {
			dst := openStore(t)
			for _, kind := range []string{"contact", "request"} {
				b, _ := write(t, src, Options{Kind: kind, Export: true}, f)
				p := readImport(t, dst, kind, f, b)
				// A request comes in as a new draft: one whose special
				// priorities assistance was asked for after its order was
				// placed cannot be a draft, and is rejected saying so.
				for _, r := range p.Rejected {
					if kind != "request" || r.Field != "spa_case" {
						t.Fatalf("%s: rejected %v", kind, r)
					}
				}
				ids, err := p.Commit(context.Background(), dst, true)
				if err != nil {
					t.Fatal(err)
				}
				if want := count(t, src, data.Kind(kind)) - len(p.Rejected); len(ids) != want || count(t, dst, data.Kind(kind)) != want {
					t.Fatalf("%s: imported %d, the source holds %d importable", kind, len(ids), want)
				}
			}
			// Requests keep their lines, in order.
			lines := func(s *store.Store) map[string]string {
				out := map[string]string{}
				s.List(context.Background(), "request", data.ListFilter{}, func(r data.Record) error {
					req := r.(*data.Request)
					var ds []string
					for _, l := range req.Lines {
						ds = append(ds, l.Description+"/"+l.NSN)
					}
					out[req.Program+" "+req.RequiredBy+" "+req.Justification] = strings.Join(ds, "; ")
					return nil
				})
				return out
			}
			got, want := lines(dst), lines(src)
			for k, v := range got {
				if want[k] != v {
					t.Fatalf("request %s: lines %q, in the source %q", k, v, want[k])
				}
			}
			// Exchanges name their counterparts by id: the new store has
			// other ids, so each such row is rejected by name.
			b, _ := write(t, src, Options{Kind: "exchange", Export: true, From: "2026-11-01", To: "2026-11-30"}, f)
			p := readImport(t, dst, "exchange", f, b)
			if len(p.Rejected) == 0 || p.Rejected[0].Field != "counterparts" {
				t.Fatalf("want counterparts rejected: %v", p.Rejected[:min(3, len(p.Rejected))])
			}
			if len(p.Rows)+len(p.Rejected) < 50 {
				t.Fatalf("%d rows read", len(p.Rows)+len(p.Rejected))
			}
		})
	}
	t.Run("exchanges into the store they came from, their ids mapped away", func(t *testing.T) {
		b, sum := write(t, src, Options{Kind: "exchange", Export: true, From: "2026-11-01", To: "2026-11-30"}, XLSX)
		p, err := ReadImport(context.Background(), src, "exchange", XLSX, bytes.NewReader(b), ImportOptions{Mapping: map[string]string{"id": ""}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rejected) > 0 || len(p.Rows) != sum.Rows {
			t.Fatalf("%d rows, %d rejected (%v); want %d", len(p.Rows), len(p.Rejected), p.Rejected[:min(3, len(p.Rejected))], sum.Rows)
		}
		e := p.Rows[0].Record.(*data.Exchange)
		if e.OccurredAt == "" || e.OccurredAt[10] != 'T' || e.Classification == "" {
			t.Fatalf("first exchange read as %+v", e)
		}
	})
}

// TestImportRefusesRecordsAlreadyInTheStore: an export read back into
// the store it came from would copy every record; a row whose id is in
// the store is rejected instead, and a row without an id still comes in.
func TestImportRefusesRecordsAlreadyInTheStore(t *testing.T) {
	s := demoStore(t)
	for _, c := range []struct {
		kind  string
		o     Options
		extra string // a row without an id, by column
	}{
		{"contact", Options{Kind: "contact", Export: true}, "name=Laura Newcomer"},
		{"exchange", Options{Kind: "exchange", Export: true, From: "2026-11-20", To: "2026-11-22"},
			"posting=CMF,kind=call,title=New call,occurred_at=2026-11-21T09:00:00Z,classification=RESTRICTED"},
		{"request", Options{Kind: "request", Export: true},
			"direction=in_to_us,posting=CMF,program=P-8I,required_by=2027-03-01,classification=RESTRICTED,description=Pump,quantity=1"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			b, _ := write(t, s, c.o, CSV)
			rows := csvRows(t, b)
			head := rows[1]
			extra := make([]string, len(head))
			for _, kv := range strings.Split(c.extra, ",") {
				k, v, _ := strings.Cut(kv, "=")
				extra[slices.Index(head, k)] = v
			}
			var buf bytes.Buffer
			w := csv.NewWriter(&buf)
			w.WriteAll(append(rows[1:len(rows)-1], extra))
			before := count(t, s, data.Kind(c.kind))
			p := readImport(t, s, c.kind, CSV, buf.Bytes())
			if len(p.Rows) != 1 || p.RejectedRows() < 2 {
				t.Fatalf("accepted %d, rejected %d rows; want only the row without an id", len(p.Rows), p.RejectedRows())
			}
			ids := 0
			for _, r := range p.Rejected {
				if r.Field != "id" {
					continue
				}
				ids++
				id, _, _ := strings.Cut(strings.TrimPrefix(r.Reason, c.kind+" "), " ")
				if _, err := s.Get(context.Background(), data.Kind(c.kind), id); err != nil ||
					r.Reason != c.kind+" "+id+" already exists in this store: an import creates records, it does not update them" {
					t.Fatalf("%+v (%v)", r, err)
				}
			}
			if ids != p.RejectedRows() {
				t.Fatalf("%d of %d rejected rows for their id: %v", ids, p.RejectedRows(), p.Rejected[:min(3, len(p.Rejected))])
			}
			if _, err := p.Commit(context.Background(), s, true); err != nil || count(t, s, data.Kind(c.kind)) != before+1 {
				t.Fatalf("commit: %v; %d records, had %d", err, count(t, s, data.Kind(c.kind)), before)
			}
		})
	}
}

const handContacts = "Name,Rank,Appointment,Organisation,Nation,Email\n" +
	"Laura Walker,CDR,Deputy N3,CTF 151,USA,laura.walker@us.navy.mil\n" +
	",CAPT,Chief of Staff,CTF 150,USA,\n" +
	"John Miller,CAPT,Deputy J4,INDOPACOM,US,john.miller@example.mil\n" +
	"Priya Nair,Cdr,Naval Attaché,Embassy of India,IND,not-an-email\n" +
	"\"=cmd|' /C calc'!A0\",Mr,,,,\n"

func TestImportRejectsBadRowsWithRowNumberAndReason(t *testing.T) {
	s := openStore(t)
	p := readImport(t, s, "contact", CSV, []byte(handContacts))
	if len(p.Rows) != 2 || p.Rows[0].Row != 2 || p.Rows[1].Row != 6 {
		t.Fatalf("accepted %+v", p.Rows)
	}
	if got := p.Rows[1].Record.(*data.Contact).Name; got != "=cmd|' /C calc'!A0" {
		t.Fatalf("text is imported as text: %q", got)
	}
	want := []Rejected{{Row: 3, Field: "name", Reason: "is required"}, {Row: 4, Field: "nation"}, {Row: 5, Field: "email"}}
	if len(p.Rejected) != len(want) {
		t.Fatalf("rejected %v", p.Rejected)
	}
	for i, w := range want {
		r := p.Rejected[i]
		if r.Row != w.Row || r.Field != w.Field || !strings.Contains(r.Reason, w.Reason) || r.Reason == "" {
			t.Errorf("rejection %d: %+v, want row %d field %s", i, r, w.Row, w.Field)
		}
	}
	t.Run("a plan with rejected rows commits nothing", func(t *testing.T) {
		if _, err := p.Commit(context.Background(), s, false); err == nil || !strings.Contains(err.Error(), "3 rows rejected") {
			t.Fatalf("got %v", err)
		}
		if n := count(t, s, "contact"); n != 0 {
			t.Fatalf("%d contacts added", n)
		}
	})
	t.Run("or the good rows only, when asked", func(t *testing.T) {
		ids, err := p.Commit(context.Background(), s, true)
		if err != nil || len(ids) != 2 || count(t, s, "contact") != 2 {
			t.Fatalf("%v %v", ids, err)
		}
	})
}

// rejectedText lists rejections as "row field" pairs.
func rejectedText(rs []Rejected) string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%d %s", r.Row, r.Field))
	}
	return strings.Join(out, ", ")
}

// TestImportNamesEveryProblemOfARow: a row with several wrong fields is
// rejected naming each of them, not only the first, and without problems
// the row does not have.
func TestImportNamesEveryProblemOfARow(t *testing.T) {
	s := openStore(t)
	p := readImport(t, s, "contact", CSV, []byte("name,rank,nation,email\n"+
		",CAPT,America,not-an-email\n"+
		"Laura Walker,CDR,USA,laura.walker@example.mil\n"))
	if got := rejectedText(p.Rejected); got != "2 name, 2 nation, 2 email" || len(p.Rows) != 1 || p.RejectedRows() != 1 {
		t.Fatalf("contacts: rejected %s (%d rows), accepted %d", got, p.RejectedRows(), len(p.Rows))
	}
	for _, r := range p.Rejected {
		if r.Reason == "" {
			t.Errorf("%+v has no reason", r)
		}
	}
	if _, err := p.Commit(context.Background(), s, false); err == nil || !strings.Contains(err.Error(), "1 row rejected") {
		t.Errorf("commit: %v", err)
	}

	p = readImport(t, s, "exchange", CSV, []byte("posting,kind,title,occurred_at,ended_at,direction,classification,releasability\n"+
		"NOWHERE,lunch,Talks,2026-11-20T06:00:00Z,2026-11-19T06:00:00Z,sideways,TOP SECRET,\"USA, XX\"\n"+
		"CMF,meeting,,,,,,\n"))
	if got := rejectedText(p.Rejected); got != "2 kind, 2 ended_at, 2 direction, 2 releasability, 2 posting, 2 classification, 3 title, 3 occurred_at, 3 classification" {
		t.Fatalf("exchanges: rejected %s: %v", got, p.Rejected)
	}

	p = readImport(t, s, "request", CSV, []byte("ref,direction,posting,program,required_by,delayed,classification,description,quantity\n"+
		"A,in_to_us,CMF,P-8I,ASAP,maybe,RESTRICTED,Pump,lots\n"+
		"A,in_to_us,CMF,P-8I,ASAP,maybe,RESTRICTED,Seal kit,0\n"+
		"B,sideways,CMF,P-8I,2027-01-15,,RESTRICTED,,1\n"))
	if got := rejectedText(p.Rejected); got != "2 delayed, 2 quantity, 2 required_by, 3 delayed, 3 quantity, 4 direction, 4 description" {
		t.Fatalf("requests: rejected %s: %v", got, p.Rejected)
	}
}

func TestImportReadsRequestsLineByLineAndExchangesByName(t *testing.T) {
	s := openStore(t)
	add(t, s, &data.Contact{Name: "Laura Walker", Rank: "CDR", Nation: "USA"})
	reqs := "ref,direction,posting,program,required_by,classification,releasability,description,nsn,quantity,unit\n" +
		"A,in_to_us,CMF,P-8I,2027-01-15,CONFIDENTIAL,\"USA, IND\",Hydraulic pump,1650013456789,2,EA\n" +
		"A,in_to_us,CMF,P-8I,2027-01-15,CONFIDENTIAL,\"USA, IND\",Seal kit,,10,KT\n" +
		",in_to_us,CMF,MH-60R,ASAP,RESTRICTED,,Rotor blade,,1,EA\n" +
		",us_to_in,CMF,Ship repair,2027-03-01,RESTRICTED,,Hull work,,1,LO\n" +
		",in_to_us,NOWHERE,C-17,2027-03-01,RESTRICTED,,Tyre,,4,EA\n" +
		",in_to_us,CMF,C-17,2027-03-01,RESTRICTED,,Tyre,,lots,EA\n"
	p := readImport(t, s, "request", CSV, []byte(reqs))
	if len(p.Rows) != 2 {
		t.Fatalf("accepted %d: %+v rejected %v", len(p.Rows), p.Rows, p.Rejected)
	}
	if r := p.Rows[0].Record.(*data.Request); len(r.Lines) != 2 || r.Lines[0].NSN != "1650-01-345-6789" || len(p.Rows[0].Rows) != 2 {
		t.Fatalf("request A: %+v", r)
	}
	for i, want := range []struct {
		row   int
		field string
	}{{4, "required_by"}, {6, "posting"}, {7, "quantity"}} {
		if r := p.Rejected[i]; r.Row != want.row || r.Field != want.field {
			t.Errorf("rejection %d: %+v, want row %d %s", i, r, want.row, want.field)
		}
	}
	if _, err := p.Commit(context.Background(), s, true); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "request"); n != 2 {
		t.Fatalf("%d requests", n)
	}

	ex := "posting,kind,title,occurred_at,time_zone,counterparts,classification\n" +
		"CMF,meeting,CTF 151 brief,2026-11-20 09:00,Asia/Bahrain,Laura Walker,RESTRICTED\n" +
		"CMF,meeting,Unknown person,2026-11-20T06:00:00Z,,Nobody Atall,RESTRICTED\n" +
		"CMF,lunch,Bad kind,2026-11-20T06:00:00Z,,,RESTRICTED\n" +
		"CMF,call,No marking,2026-11-20T06:00:00Z,,,\n" +
		"CMF,call,Top secret,2026-11-20T06:00:00Z,,,TOP SECRET\n"
	p = readImport(t, s, "exchange", CSV, []byte(ex))
	if len(p.Rows) != 1 {
		t.Fatalf("accepted %+v, rejected %v", p.Rows, p.Rejected)
	}
	e := p.Rows[0].Record.(*data.Exchange)
	if e.OccurredAt != "2026-11-20T06:00:00Z" || len(e.Counterparts) != 1 || !strings.Contains(p.Rows[0].Summary, "CTF 151 brief") {
		t.Fatalf("a local time in the row's zone and a counterpart by name: %+v", e)
	}
	fields := []string{}
	for _, r := range p.Rejected {
		fields = append(fields, r.Field)
	}
	if strings.Join(fields, ",") != "counterparts,kind,classification,classification" {
		t.Fatalf("rejected fields %v: %v", fields, p.Rejected)
	}
}

func TestImportRefusesFilesItCannotRead(t *testing.T) {
	s := openStore(t)
	for name, c := range map[string]struct {
		kind, file string
		f          Format
		want       string
	}{
		"no header":          {"contact", "Laura,CDR\n", CSV, "no header row"},
		"an unknown column":  {"contact", "name,colour\nLaura,blue\n", CSV, `"colour" is not a field of contact`},
		"a column twice":     {"contact", "name,Name\nLaura,L\n", CSV, "both hold name"},
		"broken quoting":     {"contact", "name\n\"Laura\n", CSV, "not a valid CSV"},
		"not a workbook":     {"contact", "name\nLaura\n", XLSX, "not a valid XLSX"},
		"requests, no lines": {"request", "direction,posting\nin_to_us,CMF\n", CSV, "description column"},
		"an unknown kind":    {"action", "title\nx\n", CSV, "cannot be imported"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadImport(context.Background(), s, c.kind, c.f, strings.NewReader(c.file), ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	t.Run("the header of a file for a mapping screen", func(t *testing.T) {
		h, fields, err := ImportHeader("contact", CSV, strings.NewReader("CONFIDENTIAL,Liaison Desk\nFull name,Rank,Colour\nLaura,CDR,blue\n"))
		if err != nil || strings.Join(h, "|") != "Full name|Rank|Colour" || strings.Join(fields, "|") != "|rank|" {
			t.Fatalf("%v %q %q", err, h, fields)
		}
	})
	t.Run("a mapping reads a column under another name", func(t *testing.T) {
		p, err := ReadImport(context.Background(), s, "contact", CSV, strings.NewReader("Full name,Colour\nLaura Walker,blue\n"),
			ImportOptions{Mapping: map[string]string{"Full name": "name", "Colour": ""}})
		if err != nil || len(p.Rows) != 1 || p.Rows[0].Record.(*data.Contact).Name != "Laura Walker" {
			t.Fatalf("%v %+v", err, p)
		}
	})
}
