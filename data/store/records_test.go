package store

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"testing"

	"liaisondesk/data"
)

func TestUpdateChangesOnlyTheGivenFields(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	t.Run("an exchange keeps every field the patch does not name", func(t *testing.T) {
		e := sampleExchange()
		e.Outcome, e.Tags, e.Direction = "Agreed a boarding drill in December.", []string{"ctf150"}, "both"
		id := addOne(t, s, e)
		want := getExchange(t, s, id)
		before := storeCounts(t, s)
		if err := s.Update(ctx, "exchange", id, []byte(`{"title":"CTF 150 coordination (amended)","tags":["ctf150","boarding"]}`)); err != nil {
			t.Fatal(err)
		}
		want.Title, want.Tags = "CTF 150 coordination (amended)", []string{"ctf150", "boarding"}
		if got := getExchange(t, s, id); !reflect.DeepEqual(got, want) {
			t.Errorf("after update\n got %+v\nwant %+v", *got, *want)
		}
		after := storeCounts(t, s)
		if after["changes"] != before["changes"]+1 || after["exchanges"] != before["exchanges"] {
			t.Errorf("changes %d → %d, exchanges %d → %d; want one change, no new row",
				before["changes"], after["changes"], before["exchanges"], after["exchanges"])
		}
	})
	t.Run("a patch that changes nothing writes nothing", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		before := storeCounts(t, s)
		if err := s.Update(ctx, "exchange", id, []byte(`{"title":"CTF 150 monthly coordination"}`)); err != nil {
			t.Fatal(err)
		}
		if after := storeCounts(t, s); !maps.Equal(before, after) {
			t.Errorf("store changed: %v → %v", before, after)
		}
	})
	t.Run("a request keeps its lines, history and marking when the patch names other fields", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted")
		want := getRequest(t, s, id)
		if err := s.Update(ctx, "request", id, []byte(`{"program":"MH-60R","promised_by":"2027-01-10"}`)); err != nil {
			t.Fatal(err)
		}
		want.Program, want.PromisedBy = "MH-60R", "2027-01-10"
		if got := getRequest(t, s, id); !reflect.DeepEqual(got, want) {
			t.Errorf("after update\n got %+v\nwant %+v", *got, *want)
		}
	})
	t.Run("a field can be emptied", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		if err := s.Update(ctx, "exchange", id, []byte(`{"location":"","releasability":[]}`)); err != nil {
			t.Fatal(err)
		}
		if got := getExchange(t, s, id); got.Location != "" || len(got.Releasability) != 0 {
			t.Errorf("location %q, releasability %v", got.Location, got.Releasability)
		}
	})
	t.Run("giving the record's own id back is harmless", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		if err := s.Update(ctx, "exchange", id, []byte(`{"id":"`+id+`","title":"Renamed"}`)); err != nil {
			t.Fatal(err)
		}
		if got := getExchange(t, s, id); got.Title != "Renamed" {
			t.Errorf("title = %q", got.Title)
		}
	})
	t.Run("an action's status is an ordinary field", func(t *testing.T) {
		id := addOne(t, s, &data.Action{Title: "Send minutes"})
		if err := s.Update(ctx, "action", id, []byte(`{"status":"done","done_at":"2026-11-25T10:00:00Z"}`)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUpdateRefuses(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	exID := addOne(t, s, sampleExchange())
	reqID := addOne(t, s, sampleRequest())
	cases := []struct {
		name  string
		kind  string
		id    string
		patch string
		field string
	}{
		{"a request's status", "request", reqID, `{"status":"submitted"}`, "status"},
		{"a request's ref", "request", reqID, `{"ref":"CMF-2026-0000-9999"}`, "ref"},
		{"a request's history", "request", reqID, `{"history":[]}`, "history"},
		{"a change of id", "exchange", exID, `{"id":"` + data.NewID() + `"}`, "id"},
		{"a field the kind does not have", "exchange", exID, `{"rating":"DO-A1"}`, "rating"},
		{"a misspelt field", "exchange", exID, `{"sumary":"typo"}`, "sumary"},
		{"a wrong JSON type", "exchange", exID, `{"title":7}`, "title"},
		{"a patch that is not JSON", "exchange", exID, `title=x`, "input"},
		{"a patch that names no field", "exchange", exID, `{}`, "input"},
		{"a title on two lines", "exchange", exID, `{"title":"a\nb"}`, "title"},
		{"an empty title", "exchange", exID, `{"title":""}`, "title"},
		{"a kind not on the list", "exchange", exID, `{"kind":"lunch"}`, "kind"},
		{"an end before the start", "exchange", exID, `{"ended_at":"2026-11-19T00:00:00Z"}`, "ended_at"},
		{"a posting nobody has set up", "exchange", exID, `{"posting":"AFRICOM"}`, "posting"},
		{"a classification not on the list", "exchange", exID, `{"classification":"TOP SECRET"}`, "classification"},
		{"RFI fields on a meeting", "exchange", exID, `{"rfi_question":"Why?"}`, "rfi_question"},
		{"turning a meeting into an RFI without a question", "exchange", exID, `{"kind":"rfi_in"}`, "rfi_question"},
		{"a required-by of ASAP", "request", reqID, `{"required_by":"ASAP"}`, "required_by"},
		{"a rating in the wrong form", "request", reqID, `{"rating":"DO A1"}`, "rating"},
		{"turning an in_to_us draft into a us_to_in request", "request", reqID, `{"direction":"us_to_in"}`, "direction"},
		{"a request with no lines", "request", reqID, `{"lines":[]}`, "lines"},
		{"a bad NSN on a line", "request", reqID, `{"lines":[{"description":"Pump","nsn":"12-34","quantity":1}]}`, "lines[0].nsn"},
		{"a line id this request does not have", "request", reqID, `{"lines":[{"id":"` + data.NewID() + `","description":"Pump","quantity":1}]}`, "lines[0].id"},
		{"a kind nobody knows", "memo", exID, `{"title":"x"}`, "kind"},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			refusedWithoutWrites(t, s, c.field, func() error { return s.Update(ctx, data.Kind(c.kind), c.id, []byte(c.patch)) })
		})
	}
	t.Run("refuses a read-only field spelt in another case", func(t *testing.T) {
		refusedWithoutWrites(t, s, "ref", func() error {
			return s.Update(ctx, "request", reqID, []byte(`{"Ref":"FAKE-0001"}`))
		})
	})
	t.Run("says not found for a record that does not exist", func(t *testing.T) {
		before := storeCounts(t, s)
		if err := s.Update(ctx, "exchange", data.NewID(), []byte(`{"title":"x"}`)); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("error %v, want ErrNotFound", err)
		}
		if !maps.Equal(before, storeCounts(t, s)) {
			t.Error("store changed")
		}
	})
}

func TestUpdateOfARequestsLines(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	r := sampleRequest()
	r.Lines = append(r.Lines, data.Line{Description: "Seal kit", NSN: "5330-01-234-5678", Quantity: 4, Unit: "KT"},
		data.Line{Description: "Tyre, main landing gear", Quantity: 2, Unit: "EA"})
	id := addOne(t, s, r)
	stored := getRequest(t, s, id).Lines
	pump, seals, tyre := stored[0], stored[1], stored[2]

	before := storeCounts(t, s)
	// Keep the pump with a new quantity, drop the seal kit, keep the tyre
	// unchanged and add a sonobuoy (no id: a new line).
	patch := `{"lines":[
		{"id":"` + pump.ID + `","description":"Hydraulic pump","nsn":"1650-01-345-6789","quantity":3,"unit":"EA","delivered_quantity":1},
		{"description":"Sonobuoy AN/SSQ-53G","nsn":"5845015432100","quantity":12,"unit":"EA"},
		{"id":"` + tyre.ID + `","description":"Tyre, main landing gear","quantity":2,"unit":"EA"}]}`
	if err := s.Update(ctx, "request", id, []byte(patch)); err != nil {
		t.Fatal(err)
	}
	got := getRequest(t, s, id).Lines
	after := storeCounts(t, s)

	t.Run("the result has the patch's lines in the patch's order", func(t *testing.T) {
		if len(got) != 3 {
			t.Fatalf("%d lines, want 3: %+v", len(got), got)
		}
		for i, l := range got {
			if l.LineNo != i+1 {
				t.Errorf("line %d has line_no %d", i, l.LineNo)
			}
		}
	})
	t.Run("a line given with its id is edited in place", func(t *testing.T) {
		if got[0].ID != pump.ID || got[0].Quantity != 3 || got[0].DeliveredQuantity != 1 {
			t.Errorf("line 1 = %+v, want the pump (%s) with quantity 3, delivered 1", got[0], pump.ID)
		}
	})
	t.Run("a line given without an id is added, its NSN normalised", func(t *testing.T) {
		if got[1].ID == "" || got[1].ID == seals.ID || got[1].NSN != "5845-01-543-2100" {
			t.Errorf("line 2 = %+v, want a new sonobuoy line", got[1])
		}
	})
	t.Run("a line left out is removed", func(t *testing.T) {
		for _, l := range got {
			if l.ID == seals.ID {
				t.Errorf("the seal kit %s is still there", seals.ID)
			}
		}
		if after["request_lines"] != before["request_lines"] {
			t.Errorf("request_lines %d → %d, want the same (one added, one removed)", before["request_lines"], after["request_lines"])
		}
	})
	t.Run("a line moved but not edited keeps its id", func(t *testing.T) {
		if got[2].ID != tyre.ID || got[2].Description != tyre.Description {
			t.Errorf("line 3 = %+v, want the tyre %s", got[2], tyre.ID)
		}
	})
	t.Run("the request itself is unchanged", func(t *testing.T) {
		req := getRequest(t, s, id)
		if req.Program != "P-8I" || req.Status != "draft" || req.RequiredBy != "2027-01-15" {
			t.Errorf("request = %+v", *req)
		}
	})
	t.Run("refuses the same line twice in one patch", func(t *testing.T) {
		line := `{"id":"` + pump.ID + `","description":"Hydraulic pump","quantity":1}`
		refusedWithoutWrites(t, s, "lines[1].id", func() error {
			return s.Update(ctx, "request", id, []byte(`{"lines":[`+line+`,`+line+`]}`))
		})
	})
	t.Run("refuses the same line id twice when adding", func(t *testing.T) {
		r := sampleRequest()
		lineID := data.NewID()
		r.Lines = []data.Line{{ID: lineID, Description: "Pump", Quantity: 1}, {ID: lineID, Description: "Seal", Quantity: 1}}
		refusedWithoutWrites(t, s, "lines[1].id", func() error { _, err := s.Add(ctx, r); return err })
	})
}

func TestSaveWritesAnEditedRecord(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	t.Run("an exchange loaded, edited and saved", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		e := getExchange(t, s, id)
		e.Outcome = "Boarding drill set for 3 December."
		if err := s.Save(ctx, e); err != nil {
			t.Fatal(err)
		}
		if got := getExchange(t, s, id); !reflect.DeepEqual(got, e) {
			t.Errorf("got %+v\nwant %+v", *got, *e)
		}
	})
	t.Run("an invalid edit is refused and nothing is written", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		e := getExchange(t, s, id)
		e.EndedAt = "2026-11-01T00:00:00Z"
		refusedWithoutWrites(t, s, "ended_at", func() error { return s.Save(ctx, e) })
	})
	t.Run("a record without an id is added", func(t *testing.T) {
		before := storeCounts(t, s)
		if err := s.Save(ctx, sampleExchange()); err != nil {
			t.Fatal(err)
		}
		if after := storeCounts(t, s); after["exchanges"] != before["exchanges"]+1 {
			t.Errorf("exchanges %d → %d", before["exchanges"], after["exchanges"])
		}
	})
}

func TestDelete(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	t.Run("a deleted exchange is not found afterwards", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		if err := s.Delete(ctx, "exchange", id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, "exchange", id); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("get after delete: %v, want ErrNotFound", err)
		}
	})
	t.Run("a deleted request takes its lines with it", func(t *testing.T) {
		r := sampleRequest()
		r.Lines = append(r.Lines, data.Line{Description: "Seal kit", Quantity: 1})
		id := addOne(t, s, r)
		before := storeCounts(t, s)
		if err := s.Delete(ctx, "request", id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, "request", id); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("get after delete: %v, want ErrNotFound", err)
		}
		after := storeCounts(t, s)
		if after["requests"] != before["requests"]-1 || after["request_lines"] != before["request_lines"]-2 {
			t.Errorf("requests %d → %d, lines %d → %d", before["requests"], after["requests"],
				before["request_lines"], after["request_lines"])
		}
	})
	t.Run("a deleted request takes its status history with it", func(t *testing.T) {
		id := requestAt(t, s, data.InToUS, "submitted")
		before := storeCounts(t, s)
		if err := s.Delete(ctx, "request", id); err != nil {
			t.Fatal(err)
		}
		if after := storeCounts(t, s); after["request_history"] != before["request_history"]-1 {
			t.Errorf("request_history %d → %d", before["request_history"], after["request_history"])
		}
	})
	t.Run("a deleted record cannot be updated or moved along its workflow", func(t *testing.T) {
		id := addOne(t, s, sampleRequest())
		if err := s.Delete(ctx, "request", id); err != nil {
			t.Fatal(err)
		}
		if err := s.Update(ctx, "request", id, []byte(`{"program":"C-17"}`)); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("update after delete: %v, want ErrNotFound", err)
		}
		if err := s.SetStatus(ctx, id, "submitted", ""); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("status after delete: %v, want ErrNotFound", err)
		}
	})
	t.Run("deleting twice, or something that never existed, says not found and writes nothing", func(t *testing.T) {
		id := addOne(t, s, sampleExchange())
		if err := s.Delete(ctx, "exchange", id); err != nil {
			t.Fatal(err)
		}
		for _, gone := range []string{id, data.NewID()} {
			before := storeCounts(t, s)
			if err := s.Delete(ctx, "exchange", gone); !errors.Is(err, data.ErrNotFound) {
				t.Errorf("delete %s: %v, want ErrNotFound", gone, err)
			}
			if !maps.Equal(before, storeCounts(t, s)) {
				t.Error("store changed")
			}
		}
	})
	t.Run("a kind nobody knows is refused", func(t *testing.T) {
		refusedWithoutWrites(t, s, "kind", func() error { return s.Delete(ctx, "memo", data.NewID()) })
	})
	t.Run("other records are untouched", func(t *testing.T) {
		keep := addOne(t, s, sampleExchange())
		drop := addOne(t, s, sampleExchange())
		want := getExchange(t, s, keep)
		if err := s.Delete(ctx, "exchange", drop); err != nil {
			t.Fatal(err)
		}
		if got := getExchange(t, s, keep); !reflect.DeepEqual(got, want) {
			t.Errorf("kept exchange changed: %+v", *got)
		}
	})
}

func TestFinalExchangesAreLocked(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	e := sampleExchange()
	e.State = "final"
	ids, err := s.Add(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	before, _ := s.Count(ctx)
	for name, try := range map[string]func() error{
		"an update":        func() error { return s.Update(ctx, "exchange", id, []byte(`{"title":"changed after the fact"}`)) },
		"back to draft":    func() error { return s.Update(ctx, "exchange", id, []byte(`{"state":"draft"}`)) },
		"a delete":         func() error { return s.Delete(ctx, "exchange", id) },
		"a save of a form": func() error { e.Title = "x"; return s.Save(ctx, e) },
	} {
		if err := try(); data.FieldOf(err) != "state" {
			t.Errorf("%s: want a refusal naming state, got %v", name, err)
		}
	}
	if after, _ := s.Count(ctx); after["changes"] != before["changes"] {
		t.Fatal("a refused change to a final exchange was written")
	}
	if err := s.UpdateAmend(ctx, "exchange", id, []byte(`{"title":"Amended title"}`)); err != nil {
		t.Fatalf("an amendment: %v", err)
	}
	rec, _ := s.Get(ctx, "exchange", id)
	if rec.(*data.Exchange).Title != "Amended title" {
		t.Fatal("the amendment did not land")
	}
}

func TestPostingsInUseStay(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	if _, err := s.Add(ctx, sampleExchange()); err != nil { // uses CMF
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "posting", "CMF"); data.FieldOf(err) != "id" {
		t.Fatalf("deleting a posting in use: %v", err)
	}
	if err := s.Delete(ctx, "posting", "SOCOM"); err != nil {
		t.Fatalf("deleting an unused posting: %v", err)
	}
	if _, err := s.Add(ctx, &data.Posting{ID: "SOCOM", Name: "US Special Operations Command", TimeZone: "America/New_York"}); err != nil {
		t.Fatalf("adding a deleted posting back: %v", err)
	}
	if _, err := s.Get(ctx, "posting", "SOCOM"); err != nil {
		t.Fatalf("the restored posting: %v", err)
	}
	if r, err := s.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %v %v", r, err)
	}
}
