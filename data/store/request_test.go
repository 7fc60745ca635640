package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
)

func getRequest(t *testing.T, s *Store, id string) *data.Request {
	t.Helper()
	rec, err := s.Get(context.Background(), "request", id)
	if err != nil {
		t.Fatalf("get request %s: %v", id, err)
	}
	return rec.(*data.Request)
}

// requestAt adds a request of a direction and moves it along path.
func requestAt(t *testing.T, s *Store, direction string, path ...data.RequestStatus) string {
	t.Helper()
	r := sampleRequest()
	r.Direction = direction
	if direction == data.USToIN {
		r.Program, r.Supplier, r.SupplierCountry = "USNS ship repair", "Cochin Shipyard", "IND"
	}
	id := addOne(t, s, r)
	for _, to := range path {
		if err := s.SetStatus(context.Background(), id, to, "to "+string(to)); err != nil {
			t.Fatalf("set status %s: %v", to, err)
		}
	}
	return id
}

func TestNormaliseNSN(t *testing.T) {
	valid := []struct{ in, want string }{
		{"1650013456789", "1650-01-345-6789"},
		{"1650-01-345-6789", "1650-01-345-6789"},
		{"5340-00-000-0001", "5340-00-000-0001"},
	}
	for _, c := range valid {
		t.Run("accepts "+c.in, func(t *testing.T) {
			got, err := data.NormaliseNSN(c.in)
			if err != nil || got != c.want {
				t.Errorf("NormaliseNSN(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		})
	}
	invalid := []struct{ name, in string }{
		{"12 digits", "165001345678"},
		{"14 digits", "16500134567890"},
		{"12 digits with dashes", "1650-01-345-678"},
		{"a letter O for a zero", "1650-O1-345-6789"},
		{"letters only", "ABCDEFGHIJKLM"},
		{"a part number", "MS28775-228"},
		{"dashes in the wrong places", "16500-1-345-6789"},
		{"the NIIN split the wrong way", "1650-013-45-6789"},
		{"a doubled dash", "1650--01-345-6789"},
		{"a leading dash", "-1650013456789"},
		{"spaces for dashes", "1650 01 345 6789"},
		{"full-width digits", "１６５００１３４５６７８９"},
		{"a trailing newline", "1650013456789\n"},
	}
	for _, c := range invalid {
		t.Run("refuses "+c.name, func(t *testing.T) {
			if got, err := data.NormaliseNSN(c.in); err == nil {
				t.Errorf("NormaliseNSN(%q) = %q, want an error", c.in, got)
			}
		})
	}
}

func TestAddRefusesAnInvalidRequest(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		field string
		edit  func(r *data.Request)
	}{
		{"an NSN of 12 digits", "lines[0].nsn", func(r *data.Request) { r.Lines[0].NSN = "165001345678" }},
		{"an NSN of 14 digits", "lines[0].nsn", func(r *data.Request) { r.Lines[0].NSN = "16500134567890" }},
		{"an NSN with letters", "lines[0].nsn", func(r *data.Request) { r.Lines[0].NSN = "1650-AB-345-6789" }},
		{"an NSN with its dashes in the wrong places", "lines[0].nsn", func(r *data.Request) { r.Lines[0].NSN = "165-001-345-6789" }},
		{"a bad NSN on the second line", "lines[1].nsn", func(r *data.Request) {
			r.Lines = append(r.Lines, data.Line{Description: "Seal kit", NSN: "5330-01-234", Quantity: 4})
		}},
		{"a quantity of 0", "lines[0].quantity", func(r *data.Request) { r.Lines[0].Quantity = 0 }},
		{"a negative quantity", "lines[0].quantity", func(r *data.Request) { r.Lines[0].Quantity = -2 }},
		{"an absurd quantity", "lines[0].quantity", func(r *data.Request) { r.Lines[0].Quantity = 1e12 }},
		{"more delivered than ordered", "lines[0].delivered_quantity", func(r *data.Request) { r.Lines[0].DeliveredQuantity = 3 }},
		{"a negative delivered quantity", "lines[0].delivered_quantity", func(r *data.Request) { r.Lines[0].DeliveredQuantity = -1 }},
		{"a line without a description", "lines[0].description", func(r *data.Request) { r.Lines[0].Description = "" }},
		{"a CAGE code in lower case", "lines[0].cage", func(r *data.Request) { r.Lines[0].CAGE = "1abc2" }},
		{"a CAGE code of 4 characters", "lines[0].cage", func(r *data.Request) { r.Lines[0].CAGE = "1AB2" }},
		{"no lines at all", "lines", func(r *data.Request) { r.Lines = nil }},

		{"required by ASAP", "required_by", func(r *data.Request) { r.RequiredBy = "ASAP" }},
		{"required by asap", "required_by", func(r *data.Request) { r.RequiredBy = "asap" }},
		{"required immediately", "required_by", func(r *data.Request) { r.RequiredBy = "immediately" }},
		{"required Immediately, capitalised", "required_by", func(r *data.Request) { r.RequiredBy = "Immediately" }},
		{"required as soon as possible", "required_by", func(r *data.Request) { r.RequiredBy = "as soon as possible" }},
		{"required by 30 February", "required_by", func(r *data.Request) { r.RequiredBy = "2026-02-30" }},
		{"required by month 13", "required_by", func(r *data.Request) { r.RequiredBy = "2026-13-01" }},
		{"required by a date in day/month/year form", "required_by", func(r *data.Request) { r.RequiredBy = "15/01/2027" }},
		{"required by a time, not a date", "required_by", func(r *data.Request) { r.RequiredBy = "2027-01-15T00:00:00Z" }},
		{"no required-by date", "required_by", func(r *data.Request) { r.RequiredBy = "" }},

		{"a rating with a space for the dash", "rating", func(r *data.Request) { r.Rating = "DO A1" }},
		{"a rating that is neither DO nor DX", "rating", func(r *data.Request) { r.Rating = "DZ-A1" }},
		{"a rating in lower case", "rating", func(r *data.Request) { r.Rating = "do-a1" }},
		{"a rating with an unknown program symbol", "rating", func(r *data.Request) { r.Rating = "DO-Z9" }},
		{"a rating without a program symbol", "rating", func(r *data.Request) { r.Rating = "DX" }},
		{"a rating with a three-character symbol", "rating", func(r *data.Request) { r.Rating = "DX-A10" }},
		{"a rating on a us_to_in request", "rating", func(r *data.Request) {
			r.Direction, r.Rating = data.USToIN, "DO-A1"
		}},

		{"a posting nobody has set up", "posting", func(r *data.Request) { r.Posting = "NORTHCOM" }},
		{"a direction that is not on the list", "direction", func(r *data.Request) { r.Direction = "both_ways" }},
		{"no direction", "direction", func(r *data.Request) { r.Direction = "" }},
		{"a classification not on the list", "classification", func(r *data.Request) { r.Classification = "COSMIC" }},
		{"a nation in alpha-2 in releasability", "releasability", func(r *data.Request) { r.Releasability = []string{"US"} }},
		{"a nation listed twice in releasability", "releasability", func(r *data.Request) { r.Releasability = []string{"IND", "IND"} }},
		{"a supplier country spelt out", "supplier_country", func(r *data.Request) { r.SupplierCountry = "India" }},
		{"a Code of Conduct answer not on the list", "coc_participant", func(r *data.Request) { r.CoCParticipant = "maybe" }},
		{"a program on two lines", "program", func(r *data.Request) { r.Program = "P-8I\nMH-60R" }},
		{"a justification that is not UTF-8", "justification", func(r *data.Request) { r.Justification = "AOG \xff" }},
		{"an order received on a day that does not exist", "order_received_on", func(r *data.Request) { r.OrderReceivedOn = "2026-11-31" }},
		{"a promised date that is not a date", "promised_by", func(r *data.Request) { r.PromisedBy = "next week" }},
		{"a delay with no report date", "delay_reported_on", func(r *data.Request) { r.Delayed = true }},
		{"a delay report date on a request not delayed", "delayed", func(r *data.Request) { r.DelayReportedOn = "2026-11-24" }},
		{"a new in_to_us request that is not a draft", "status", func(r *data.Request) { r.Status = "submitted" }},
		{"a new request in the other direction's first state", "status", func(r *data.Request) { r.Status = "received" }},
		{"a new request with history", "history", func(r *data.Request) {
			r.History = []data.StatusEntry{{At: "2026-11-20T06:00:00Z", From: "draft", To: "submitted"}}
		}},
		{"an SPA case before an order is placed", "spa_case", func(r *data.Request) { r.SPACase = "BIS-999-2026-0042" }},
		{"an SPA request date before an order is placed", "spa_case", func(r *data.Request) { r.SPARequestedOn = "2026-11-24" }},
		{"an SPA case on a us_to_in request", "spa_case", func(r *data.Request) {
			r.Direction, r.SPACase = data.USToIN, "BIS-999-2026-0042"
		}},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			r := sampleRequest()
			c.edit(r)
			refusedWithoutWrites(t, s, c.field, func() error { _, err := s.Add(ctx, r); return err })
		})
	}
	for _, v := range []string{"ASAP", "asap", "immediately", "as soon as possible", "ASAP (AOG)"} {
		t.Run("says why "+v+" is no delivery date", func(t *testing.T) {
			r := sampleRequest()
			r.RequiredBy = v
			_, err := s.Add(ctx, r)
			if err == nil || !strings.Contains(err.Error(), "15 CFR 700.12") {
				t.Errorf("error %v does not cite 15 CFR 700.12", err)
			}
		})
	}
}

func TestAddAcceptsAndNormalisesARequest(t *testing.T) {
	s := openTestStore(t)
	cases := []struct {
		name  string
		edit  func(r *data.Request)
		check func(t *testing.T, got *data.Request)
	}{
		{"an NSN without dashes, stored with them", func(r *data.Request) {}, func(t *testing.T, got *data.Request) {
			if got.Lines[0].NSN != "1650-01-345-6789" {
				t.Errorf("nsn = %q, want 1650-01-345-6789", got.Lines[0].NSN)
			}
		}},
		{"an NSN already with dashes, kept as is", func(r *data.Request) { r.Lines[0].NSN = "1650-01-345-6789" }, func(t *testing.T, got *data.Request) {
			if got.Lines[0].NSN != "1650-01-345-6789" {
				t.Errorf("nsn = %q", got.Lines[0].NSN)
			}
		}},
		{"a line without an NSN (a part number will do)", func(r *data.Request) {
			r.Lines[0].NSN, r.Lines[0].PartNumber, r.Lines[0].CAGE = "", "2900-1234-05", "0KB13"
		}, func(t *testing.T, got *data.Request) {
			if got.Lines[0].NSN != "" || got.Lines[0].PartNumber != "2900-1234-05" || got.Lines[0].CAGE != "0KB13" {
				t.Errorf("line = %+v", got.Lines[0])
			}
		}},
		{"a required-by date in the past (recorded after the fact)", func(r *data.Request) { r.RequiredBy = "2024-03-01" }, func(t *testing.T, got *data.Request) {
			if got.RequiredBy != "2024-03-01" {
				t.Errorf("required_by = %q", got.RequiredBy)
			}
		}},
		{"all of it delivered, with a default unit and Code of Conduct answer", func(r *data.Request) {
			r.Lines[0].Unit, r.Lines[0].DeliveredQuantity = "", 2
		}, func(t *testing.T, got *data.Request) {
			if got.Lines[0].Unit != "EA" || got.Lines[0].DeliveredQuantity != 2 || got.CoCParticipant != "unknown" {
				t.Errorf("unit %q, delivered %v, coc %q", got.Lines[0].Unit, got.Lines[0].DeliveredQuantity, got.CoCParticipant)
			}
		}},
		{"several lines, numbered in order", func(r *data.Request) {
			r.Lines = append(r.Lines, data.Line{Description: "Seal kit", NSN: "5330-01-234-5678", Quantity: 4, Unit: "KT"},
				data.Line{Description: "Hydraulic fluid", Quantity: 2.5, Unit: "GL"})
		}, func(t *testing.T, got *data.Request) {
			if len(got.Lines) != 3 {
				t.Fatalf("%d lines, want 3", len(got.Lines))
			}
			for i, l := range got.Lines {
				if l.LineNo != i+1 || l.ID == "" {
					t.Errorf("line %d: line_no %d, id %q", i, l.LineNo, l.ID)
				}
			}
			if got.Lines[2].Quantity != 2.5 {
				t.Errorf("quantity = %v, want 2.5", got.Lines[2].Quantity)
			}
		}},
		{"a new in_to_us request starts as draft with no history", func(r *data.Request) {}, func(t *testing.T, got *data.Request) {
			if got.Status != "draft" || len(got.History) != 0 {
				t.Errorf("status %q, history %v", got.Status, got.History)
			}
		}},
		{"a new us_to_in request starts as received", func(r *data.Request) {
			r.Direction, r.SupplierCountry, r.CoCParticipant = data.USToIN, "IND", "yes"
		}, func(t *testing.T, got *data.Request) {
			if got.Status != "received" {
				t.Errorf("status %q, want received", got.Status)
			}
		}},
		{"every known program symbol, DO and DX", func(r *data.Request) { r.Rating = "DX-C9" }, func(t *testing.T, got *data.Request) {
			if got.Rating != "DX-C9" {
				t.Errorf("rating = %q", got.Rating)
			}
		}},
	}
	for _, c := range cases {
		t.Run("accepts "+c.name, func(t *testing.T) {
			r := sampleRequest()
			c.edit(r)
			c.check(t, getRequest(t, s, addOne(t, s, r)))
		})
	}
}

func TestRequestRefs(t *testing.T) {
	s := openTestStore(t)
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	code := dev.Site.ShortCode()
	if !regexp.MustCompile(`^[0-9A-F]{4}$`).MatchString(code) {
		t.Fatalf("short code %q is not four hex digits", code)
	}
	t.Run("the first request gets posting, year, device code and 0001", func(t *testing.T) {
		got := getRequest(t, s, addOne(t, s, sampleRequest())).Ref
		if want := "CMF-2026-" + code + "-0001"; got != want {
			t.Errorf("ref = %q, want %q", got, want)
		}
	})
	t.Run("the next requests get distinct consecutive refs, whatever their posting", func(t *testing.T) {
		r2 := sampleRequest()
		r3 := sampleRequest()
		r3.Posting = "INDOPACOM"
		ids, err := s.Add(context.Background(), r2, r3)
		if err != nil {
			t.Fatal(err)
		}
		a, b := getRequest(t, s, ids[0]).Ref, getRequest(t, s, ids[1]).Ref
		if a != "CMF-2026-"+code+"-0002" || b != "INDOPACOM-2026-"+code+"-0003" {
			t.Errorf("refs = %q, %q; want …-0002 and …-0003", a, b)
		}
	})
	t.Run("a refused request uses up no number", func(t *testing.T) {
		bad := sampleRequest()
		bad.RequiredBy = "ASAP"
		if _, err := s.Add(context.Background(), sampleRequest(), bad); err == nil {
			t.Fatal("accepted a request required ASAP")
		}
		got := getRequest(t, s, addOne(t, s, sampleRequest())).Ref
		if want := "CMF-2026-" + code + "-0004"; got != want {
			t.Errorf("ref = %q, want %q", got, want)
		}
	})
}

func TestRegulatoryClocks(t *testing.T) {
	s := openTestStore(t)
	cases := []struct {
		name                 string
		rating, received     string
		delayReported        string
		wantAccept, wantConf string
	}{
		// 2026-11-20 is a Friday; Thanksgiving is Thursday 2026-11-26.
		{"DO: 15 working days, over two weekends and Thanksgiving", "DO-A1", "2026-11-20", "", "2026-12-14", ""},
		{"DX: 10 working days, over two weekends and Thanksgiving", "DX-A3", "2026-11-20", "", "2026-12-07", ""},
		// 2026-12-18 is a Friday; Christmas and New Year's Day 2027 are Fridays.
		{"DO: 15 working days over Christmas and New Year", "DO-A7", "2026-12-18", "", "2027-01-12", ""},
		{"DX: 10 working days over Christmas and New Year", "DX-A1", "2026-12-18", "", "2027-01-05", ""},
		{"an order received on a Saturday counts from the Monday", "DO-A1", "2026-11-21", "", "2026-12-14", ""},
		{"no rating: no acceptance clock", "", "2026-11-20", "", "", ""},
		{"no receipt date: no acceptance clock", "DO-A1", "", "", "", ""},
		// A verbal delay is confirmed within one working day (15 CFR
		// 700.13(d)(2), data/dpas.go). 2026-11-25 is the Wednesday before
		// Thanksgiving: the next working day is Friday.
		{"a delay is confirmed within 1 working day, Thanksgiving skipped", "DO-A1", "", "2026-11-25", "", "2026-11-27"},
		// Christmas Eve 2026 is a Thursday: Christmas, Saturday, Sunday.
		{"a delay reported on Christmas Eve", "", "", "2026-12-24", "", "2026-12-28"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sampleRequest()
			r.Rating, r.OrderReceivedOn = c.rating, c.received
			r.Delayed, r.DelayReportedOn = c.delayReported != "", c.delayReported
			got := getRequest(t, s, addOne(t, s, r))
			if got.AcceptanceDue != c.wantAccept {
				t.Errorf("acceptance_due = %q, want %q", got.AcceptanceDue, c.wantAccept)
			}
			if got.DelayConfirmDue != c.wantConf {
				t.Errorf("delay_confirm_due = %q, want %q", got.DelayConfirmDue, c.wantConf)
			}
		})
	}
	t.Run("an upgrade from DO to DX shortens the clock", func(t *testing.T) {
		r := sampleRequest()
		r.Rating, r.OrderReceivedOn = "DO-A1", "2026-11-20"
		id := addOne(t, s, r)
		if err := s.Update(context.Background(), "request", id, []byte(`{"rating":"DX-A1"}`)); err != nil {
			t.Fatal(err)
		}
		if got := getRequest(t, s, id).AcceptanceDue; got != "2026-12-07" {
			t.Errorf("acceptance_due = %q, want 2026-12-07", got)
		}
	})
	t.Run("a computed date given on input is recomputed, not trusted", func(t *testing.T) {
		r := sampleRequest()
		r.Rating, r.OrderReceivedOn, r.AcceptanceDue = "DO-A1", "2026-11-20", "2030-01-01"
		if got := getRequest(t, s, addOne(t, s, r)).AcceptanceDue; got != "2026-12-14" {
			t.Errorf("acceptance_due = %q, want 2026-12-14", got)
		}
	})
	t.Run("computed dates cannot be set by an update", func(t *testing.T) {
		id := addOne(t, s, sampleRequest())
		for _, f := range []string{"acceptance_due", "delay_confirm_due"} {
			refusedWithoutWrites(t, s, f, func() error {
				return s.Update(context.Background(), "request", id, []byte(`{"`+f+`":"2030-01-01"}`))
			})
		}
	})
}

func TestSpecialPrioritiesAssistance(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	spa := []byte(`{"spa_case":"BIS-999-2026-0042","spa_requested_on":"2026-11-30"}`)
	t.Run("is refused while the request is still with DoD", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted", "forwarded_to_dod", "program_determined", "rating_authorized")
		refusedWithoutWrites(t, s, "spa_case", func() error { return s.Update(ctx, "request", id, spa) })
	})
	t.Run("is allowed once the order is placed", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted", "forwarded_to_dod", "program_determined", "rating_authorized", "order_placed")
		if err := s.Update(ctx, "request", id, spa); err != nil {
			t.Fatal(err)
		}
		if got := getRequest(t, s, id); got.SPACase != "BIS-999-2026-0042" || got.SPARequestedOn != "2026-11-30" {
			t.Errorf("spa_case %q, spa_requested_on %q", got.SPACase, got.SPARequestedOn)
		}
	})
	t.Run("is allowed later in the workflow too", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted", "forwarded_to_dod", "program_determined", "rating_authorized",
			"order_placed", "supplier_accepted", "in_performance")
		if err := s.Update(ctx, "request", id, spa); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("is refused on a request cancelled before any order was placed", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted", "cancelled")
		refusedWithoutWrites(t, s, "spa_case", func() error { return s.Update(ctx, "request", id, spa) })
	})
	t.Run("is allowed on a request cancelled after its order was placed", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted", "forwarded_to_dod", "program_determined", "rating_authorized",
			"order_placed", "cancelled")
		if err := s.Update(ctx, "request", id, spa); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("with a request date that is not a date is refused", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted", "forwarded_to_dod", "program_determined", "rating_authorized", "order_placed")
		refusedWithoutWrites(t, s, "spa_requested_on", func() error {
			return s.Update(ctx, "request", id, []byte(`{"spa_case":"BIS-999-1","spa_requested_on":"yesterday"}`))
		})
	})
}

// The workflow tables of docs/DOMAIN.md §4.3, written out again so that a change
// to either side shows up here.
var domainWorkflows = map[string]map[data.RequestStatus][]data.RequestStatus{
	data.InToUS: {
		"draft":               {"submitted", "cancelled"},
		"submitted":           {"forwarded_to_dod", "cancelled"},
		"forwarded_to_dod":    {"program_determined", "cancelled"},
		"program_determined":  {"rating_authorized", "cancelled"},
		"rating_authorized":   {"order_placed", "cancelled"},
		"order_placed":        {"supplier_accepted", "supplier_rejected", "cancelled"},
		"supplier_rejected":   {"order_placed", "closed", "cancelled"},
		"supplier_accepted":   {"in_performance", "cancelled"},
		"in_performance":      {"partially_delivered", "delivered", "cancelled"},
		"partially_delivered": {"delivered", "cancelled"},
		"delivered":           {"closed"},
		"closed":              nil,
		"cancelled":           nil,
	},
	data.USToIN: {
		"received":            {"passed_to_mod", "cancelled"},
		"passed_to_mod":       {"firm_contacted", "cancelled"},
		"firm_contacted":      {"firm_will_support", "firm_cannot_support", "cancelled"},
		"firm_cannot_support": {"firm_contacted", "closed"},
		"firm_will_support":   {"in_performance", "cancelled"},
		"in_performance":      {"delivered", "cancelled"},
		"delivered":           {"closed"},
		"closed":              nil,
		"cancelled":           nil,
	},
}

func TestWorkflowFollowsTheDomainTables(t *testing.T) {
	for dir, table := range domainWorkflows {
		t.Run(dir+" has exactly the states of the table", func(t *testing.T) {
			got := data.Statuses(dir)
			want := slices.Sorted(maps.Keys(table))
			if !slices.Equal(slices.Sorted(slices.Values(got)), want) {
				t.Errorf("states = %v, want %v", got, want)
			}
		})
		for from, allowed := range table {
			t.Run(fmt.Sprintf("%s from %s allows exactly %v", dir, from, allowed), func(t *testing.T) {
				if got := data.NextStatuses(dir, from); !slices.Equal(got, allowed) {
					t.Errorf("NextStatuses = %v, want %v", got, allowed)
				}
				if data.IsTerminal(dir, from) != (len(allowed) == 0) {
					t.Errorf("IsTerminal = %v", data.IsTerminal(dir, from))
				}
				for to := range table {
					err := data.CheckTransition(dir, from, to)
					if ok := slices.Contains(allowed, to); ok != (err == nil) {
						t.Errorf("%s → %s: allowed %v, CheckTransition says %v", from, to, ok, err)
					}
					if err != nil && (!errors.Is(err, data.ErrInvalid) || data.FieldOf(err) != "status") {
						t.Errorf("%s → %s: error %v does not name status", from, to, err)
					}
				}
			})
		}
	}
	t.Run("a forward step never lowers the rank, except placing an order again", func(t *testing.T) {
		for dir, table := range domainWorkflows {
			for from, allowed := range table {
				for _, to := range allowed {
					again := (from == "supplier_rejected" && to == "order_placed") || (from == "firm_cannot_support" && to == "firm_contacted")
					if data.StatusRank(dir, to) <= data.StatusRank(dir, from) && !again {
						t.Errorf("%s: %s (rank %d) → %s (rank %d)", dir, from, data.StatusRank(dir, from), to, data.StatusRank(dir, to))
					}
				}
			}
		}
	})
	t.Run("a new request starts in the first state of its direction", func(t *testing.T) {
		if data.InitialStatus(data.InToUS) != "draft" || data.InitialStatus(data.USToIN) != "received" {
			t.Errorf("initial states %q, %q", data.InitialStatus(data.InToUS), data.InitialStatus(data.USToIN))
		}
	})
}

func TestSetStatus(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	paths := map[string][]data.RequestStatus{
		data.InToUS: {"submitted", "forwarded_to_dod", "program_determined", "rating_authorized", "order_placed",
			"supplier_rejected", "order_placed", "supplier_accepted", "in_performance", "partially_delivered",
			"delivered", "closed"},
		data.USToIN: {"passed_to_mod", "firm_contacted", "firm_cannot_support", "firm_contacted", "firm_will_support",
			"in_performance", "delivered", "closed"},
	}
	for dir, path := range paths {
		t.Run("a "+dir+" request walks its whole workflow, each step appended to history in order", func(t *testing.T) {
			before := storeCounts(t, s)
			id := requestAt(t, s, dir, path...)
			got := getRequest(t, s, id)
			if got.Status != "closed" {
				t.Errorf("status = %q, want closed", got.Status)
			}
			if len(got.History) != len(path) {
				t.Fatalf("history has %d entries, want %d: %+v", len(got.History), len(path), got.History)
			}
			from := data.InitialStatus(dir)
			for i, h := range got.History {
				if h.From != from || h.To != path[i] || h.By != "Col. A. Sharma" || h.Note != "to "+string(path[i]) || h.ID == "" {
					t.Errorf("history[%d] = %+v, want %s → %s by Col. A. Sharma", i, h, from, path[i])
				}
				if i > 0 && h.At <= got.History[i-1].At {
					t.Errorf("history[%d] at %s is not after %s", i, h.At, got.History[i-1].At)
				}
				from = path[i]
			}
			after := storeCounts(t, s)
			if n := after["request_history"] - before["request_history"]; n != int64(len(path)) {
				t.Errorf("request_history grew by %d, want %d", n, len(path))
			}
		})
	}

	illegal := []struct {
		name      string
		direction string
		path      []data.RequestStatus
		to        data.RequestStatus
	}{
		{"skipping straight from draft to delivered", data.InToUS, nil, "delivered"},
		{"staying in the same state", data.InToUS, nil, "draft"},
		{"going back from submitted to draft", data.InToUS, []data.RequestStatus{"submitted"}, "draft"},
		{"moving an in_to_us request into a us_to_in state", data.InToUS, nil, "received"},
		{"moving a us_to_in request into an in_to_us state", data.USToIN, nil, "submitted"},
		{"skipping from received to firm_will_support", data.USToIN, nil, "firm_will_support"},
		{"a state no workflow has", data.InToUS, nil, "shipped"},
		{"an empty state", data.InToUS, nil, ""},
		{"a state in the wrong case", data.InToUS, nil, "SUBMITTED"},
		{"cancelling a delivered request", data.InToUS, []data.RequestStatus{"submitted", "forwarded_to_dod", "program_determined",
			"rating_authorized", "order_placed", "supplier_accepted", "in_performance", "delivered"}, "cancelled"},
		{"cancelling after the firm said it cannot support", data.USToIN, []data.RequestStatus{"passed_to_mod", "firm_contacted",
			"firm_cannot_support"}, "cancelled"},
		{"reopening a cancelled request", data.InToUS, []data.RequestStatus{"cancelled"}, "submitted"},
		{"cancelling a cancelled request again", data.InToUS, []data.RequestStatus{"cancelled"}, "cancelled"},
		{"reopening a closed request", data.InToUS, []data.RequestStatus{"submitted", "forwarded_to_dod", "program_determined",
			"rating_authorized", "order_placed", "supplier_rejected", "closed"}, "order_placed"},
		{"cancelling a closed us_to_in request", data.USToIN, []data.RequestStatus{"passed_to_mod", "firm_contacted",
			"firm_cannot_support", "closed"}, "cancelled"},
	}
	for _, c := range illegal {
		t.Run("refuses "+c.name+" and leaves the request as it was", func(t *testing.T) {
			id := requestAt(t, s, c.direction, c.path...)
			before := getRequest(t, s, id)
			refusedWithoutWrites(t, s, "status", func() error { return s.SetStatus(ctx, id, c.to, "attempt") })
			after := getRequest(t, s, id)
			if after.Status != before.Status || len(after.History) != len(before.History) {
				t.Errorf("status %q → %q, history %d → %d entries", before.Status, after.Status, len(before.History), len(after.History))
			}
		})
	}
	t.Run("refuses every move out of a closed request", func(t *testing.T) {
		id := requestAt(t, s, data.USToIN, paths[data.USToIN]...)
		for _, to := range data.Statuses(data.USToIN) {
			refusedWithoutWrites(t, s, "status", func() error { return s.SetStatus(ctx, id, to, "") })
		}
	})
	t.Run("refuses a note that is not UTF-8", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS)
		refusedWithoutWrites(t, s, "note", func() error { return s.SetStatus(ctx, id, "submitted", "sent \xff") })
	})
	t.Run("says not found for a request that does not exist", func(t *testing.T) {
		before := storeCounts(t, s)
		err := s.SetStatus(ctx, data.NewID(), "submitted", "")
		if !errors.Is(err, data.ErrNotFound) {
			t.Errorf("error %v, want ErrNotFound", err)
		}
		if !maps.Equal(before, storeCounts(t, s)) {
			t.Error("store changed")
		}
	})
	t.Run("refuses a status change made by editing the record", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS)
		refusedWithoutWrites(t, s, "status", func() error {
			return s.Update(ctx, "request", id, []byte(`{"status":"submitted"}`))
		})
		r := getRequest(t, s, id)
		r.Status = "submitted"
		refusedWithoutWrites(t, s, "status", func() error { return s.Save(ctx, r) })
	})
}
