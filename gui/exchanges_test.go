package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

func addSampleExchanges(t *testing.T, s *store.Store) {
	t.Helper()
	recs := []data.Record{
		&data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 150 boarding drills", OccurredAt: "2026-11-02T06:00:00Z",
			Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND", "GBR"}}},
		&data.Exchange{Posting: "SOCOM", Kind: "call", Title: "JSOU course seats", OccurredAt: "2026-11-10T15:00:00Z",
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}},
		&data.Exchange{Posting: "INDOPACOM", Kind: "vtc", Title: "Malabar planning VTC", OccurredAt: "2026-11-18T20:00:00Z",
			Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}},
	}
	if _, err := s.Add(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

func TestNewExchangeThroughTheForm(t *testing.T) {
	ui, s := newTestApp(t)
	ui.newExchange() // Ctrl+N
	sc := ui.exchanges
	f := sc.form
	test.Type(f.titleEntry, "Coordination with CTF 151 on counter-piracy")
	f.occurred.SetText("2026-11-24 10:30")
	test.Type(f.summary, "Agreed to share boarding reports.")
	f.classification.SetSelected("RESTRICTED")
	test.Tap(f.actionNew)
	test.Type(f.actionRows[0].title, "Send the boarding report template")
	capture(t, ui.Window(), "exchange_form_new")
	if sc.frame.saveBtn.Disabled() {
		t.Fatalf("save disabled: %v", sc.frame.lastErr)
	}
	ui.save() // Ctrl+S

	var saved *data.Exchange
	err := s.List(context.Background(), "exchange", data.ListFilter{}, func(r data.Record) error { saved = r.(*data.Exchange); return nil })
	if err != nil || saved == nil {
		t.Fatalf("no exchange saved: %v", err)
	}
	if saved.Title != "Coordination with CTF 151 on counter-piracy" || saved.Posting != "CMF" || saved.OccurredAt != "2026-11-24T07:30:00Z" {
		t.Fatalf("saved %+v", saved)
	}
	var actions []*data.Action
	_ = s.List(context.Background(), "action", data.ListFilter{ExchangeID: saved.ID}, func(r data.Record) error {
		actions = append(actions, r.(*data.Action))
		return nil
	})
	if len(actions) != 1 || actions[0].Title != "Send the boarding report template" {
		t.Fatalf("follow-up actions: %+v", actions)
	}
	if !sc.frame.editBtn.Visible() || sc.frame.saveBtn.Visible() {
		t.Fatal("a saved exchange should be shown read-only with an Edit button")
	}

	t.Run("it is in the list", func(t *testing.T) {
		sc.showList()
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].ID != saved.ID {
			t.Fatalf("rows %+v", rows)
		}
		capture(t, ui.Window(), "exchanges_list")
	})
	t.Run("search finds it with the match marked", func(t *testing.T) {
		test.Type(sc.list.search, "piracy")
		if len(sc.list.hits) != 1 || sc.list.hits[0].ID != saved.ID || !strings.Contains(sc.list.hits[0].Snippet, "«") {
			t.Fatalf("hits %+v", sc.list.hits)
		}
		capture(t, ui.Window(), "exchanges_search")
	})
}

func TestExchangeValidation(t *testing.T) {
	ui, s := newTestApp(t)
	before, _ := s.Count(context.Background())
	ui.newExchange()
	f := ui.exchanges.form
	test.Type(f.titleEntry, "RFI on Red Sea shipping")
	f.kind.SetSelected("rfi_out") // an RFI needs its question
	if !f.ff.rows["rfi_question"].cell.Visible() {
		t.Fatal("RFI fields hidden for an RFI")
	}
	if msg := f.ff.errorText("rfi_question"); !strings.Contains(msg, "required") {
		t.Fatalf("rfi_question message %q", msg)
	}
	if !ui.exchanges.frame.saveBtn.Disabled() {
		t.Fatal("save enabled on an invalid exchange")
	}
	ui.save()
	after, _ := s.Count(context.Background())
	if after["exchanges"] != before["exchanges"] || after["changes"] != before["changes"] {
		t.Fatal("an invalid exchange was written")
	}
	f.kind.SetSelected("meeting")
	if f.ff.rows["rfi_question"].cell.Visible() {
		t.Fatal("RFI fields shown for a meeting")
	}
	f.occurred.SetText("yesterday")
	if msg := f.ff.errorText("occurred_at"); !strings.Contains(msg, "YYYY-MM-DD HH:MM") {
		t.Fatalf("occurred_at message %q", msg)
	}
	capture(t, ui.Window(), "exchange_form_invalid")
}

func TestExchangeFiltersSortingAndBanner(t *testing.T) {
	ui, s := newTestApp(t)
	addSampleExchanges(t, s)
	ui.showSection("Exchanges")
	sc := ui.exchanges
	sc.list.reload()
	rows := listRows(t, sc.list)
	if len(rows) != 3 || rows[0].Values["title"] != "Malabar planning VTC" {
		t.Fatalf("default order: newest first, got %v", titles(rows))
	}
	t.Run("the banner shows the highest marking on screen", func(t *testing.T) {
		want := "CONFIDENTIAL//REL TO USA, IND"
		if got := ui.BannerText(); got != want {
			t.Fatalf("banner %q, want %q", got, want)
		}
	})
	t.Run("tapping the Title header sorts by title", func(t *testing.T) {
		test.Tap(sc.list.headerButton("title"))
		rows := listRows(t, sc.list)
		if got := titles(rows); got[0] != "CTF 150 boarding drills" || got[2] != "Malabar planning VTC" {
			t.Fatalf("by title: %v", got)
		}
	})
	t.Run("a posting filter narrows the rows", func(t *testing.T) {
		sc.filters.posting.SetSelected("SOCOM")
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].Values["posting"] != "SOCOM" {
			t.Fatalf("rows %v", titles(rows))
		}
		if ui.BannerText() != "RESTRICTED//REL TO USA, IND" {
			t.Fatalf("banner %q after filtering", ui.BannerText())
		}
		sc.filters.from.SetText("2026-13-01")
		if !sc.filters.problem.Visible() {
			t.Fatal("an impossible date is not flagged")
		}
		sc.filters.clear()
		if rows := listRows(t, sc.list); len(rows) != 3 {
			t.Fatalf("cleared filters: %d rows", len(rows))
		}
	})
}

func titles(rows []data.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Values["title"])
	}
	return out
}

func TestFinalExchangeOpensOnlyAsAnAmendment(t *testing.T) {
	ui, s := newTestApp(t)
	e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Signed minutes", OccurredAt: "2026-11-02T06:00:00Z",
		State: "final", Marking: data.Marking{Classification: "UNCLASSIFIED"}}
	ids, err := s.Add(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	ui.showSection("Exchanges")
	ui.exchanges.open(ids[0])
	f := ui.exchanges.frame
	test.Tap(f.editBtn)
	if f.editing {
		t.Fatal("a final exchange went straight into editing")
	}
	overlays := ui.Window().Canvas().Overlays().List()
	if len(overlays) == 0 {
		t.Fatal("no amendment question shown")
	}
	t.Run("once the amendment is confirmed, Ctrl+S saves it", func(t *testing.T) {
		f.amending = true // what confirming the question does
		f.setEditing(true)
		ui.exchanges.form.titleEntry.SetText("Signed minutes (corrected)")
		ui.save()
		rec, err := s.Get(context.Background(), "exchange", ids[0])
		if err != nil || rec.(*data.Exchange).Title != "Signed minutes (corrected)" {
			t.Fatalf("amendment not saved: %v %v", rec, err)
		}
	})
}
