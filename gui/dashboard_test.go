package gui

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/demo"
	"liaisondesk/data/store"
)

// dashboardToday is the fixed "today" of the dashboard tests: Wednesday
// 25 November 2026, in Bahrain (the officer's posting).
var dashboardToday = time.Date(2026, 11, 25, 12, 0, 0, 0, time.FixedZone("AST", 3*3600))

// fixDashboardDay holds the store's clock and the dashboard's day still.
func fixDashboardDay(ui *App, s *store.Store) {
	s.Now = func() time.Time { return dashboardToday }
	ui.dashboard.today = func() time.Time { return dashboardToday }
}

// showDashboard brings the dashboard to the front and waits for the
// refresh that starts (on the test driver fyne.Do runs on the calling
// goroutine, so the test must not touch widgets meanwhile).
func showDashboard(ui *App) {
	ui.show(0)
}

// refreshDashboard reads the dashboard again and waits until it is on
// screen.
func refreshDashboard(ui *App) *dashboardScreen {
	sc := ui.dashboard
	sc.refresh()
	return sc
}

func addDashboardSample(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	m := data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}
	ex := func(posting, kind, at, title string) *data.Exchange {
		return &data.Exchange{Posting: posting, Kind: kind, Title: title, OccurredAt: at, Marking: m}
	}
	rfi := func(title, due string) *data.Exchange {
		e := ex("CMF", "rfi_out", "2026-11-10T08:00:00Z", title)
		e.RFIQuestion, e.RFIDue = "Which berths are free at Mina Salman?", due
		return e
	}
	secret := ex("CMF", "meeting", "2026-11-24T07:00:00Z", "CTF 152 Gulf security brief")
	secret.Classification = "CONFIDENTIAL"
	recs := []data.Record{
		secret,
		ex("CMF", "call", "2026-11-23T10:00:00Z", "UKMTO reporting call"),
		ex("SOCOM", "vtc", "2026-11-24T15:00:00Z", "JSOU course seats"),
		ex("INDOPACOM", "meeting", "2026-11-16T20:00:00Z", "Malabar planning (last week)"),
		rfi("Berthing for INS Talwar", "2026-11-20T00:00:00Z"),
		rfi("Fuel availability at Duqm", "2026-12-10T00:00:00Z"),
		&data.Action{Title: "Send the berthing request", DueOn: "2026-11-20", Status: "open"},
		&data.Action{Title: "Brief the DA on Malabar", DueOn: "2026-12-02", Status: "in_progress"},
		&data.Action{Title: "Book JSOU seats", DueOn: "2026-11-01", Status: "done", DoneAt: "2026-11-01T10:00:00Z"},
		&data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", EndUser: "INAS 312",
			Justification: "Aircraft on ground.", RequiredBy: "2027-01-15",
			Lines:   []data.Line{{Description: "Hydraulic pump", NSN: "1650013456789", Quantity: 2, Unit: "EA"}},
			Marking: m},
	}
	if _, err := s.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
}

func TestDashboard(t *testing.T) {
	ui, s := newTestApp(t)
	fixDashboardDay(ui, s)
	addDashboardSample(t, s)
	sc := refreshDashboard(ui)

	t.Run("shows the right counts", func(t *testing.T) {
		for _, c := range []struct {
			name string
			card *dashCard
			want string
		}{
			{"CMF this week", sc.week["CMF"], "2"},
			{"SOCOM this week", sc.week["SOCOM"], "1"},
			{"INDOPACOM this week", sc.week["INDOPACOM"], "0"},
			{"all postings this week", sc.week[""], "3"},
			{"open RFIs", sc.openRFIs, "2"},
			{"overdue RFIs", sc.overdueRFIs, "1"},
			{"open actions", sc.openActions, "2"},
			{"overdue actions", sc.overdueActions, "1"},
			{"acceptance clocks", sc.acceptance, "0"},
		} {
			if c.card == nil || c.card.value != c.want {
				t.Errorf("%s: %+v, want %s", c.name, c.card, c.want)
			}
		}
		if !sc.overdueRFIs.alert || !sc.overdueActions.alert || sc.openRFIs.alert {
			t.Error("overdue figures are not flagged, or open ones are")
		}
		if sc.unsent.value == "0" || sc.unsent.detail != "not yet synced" {
			t.Errorf("unsent changes: %+v", sc.unsent)
		}
		if len(sc.statuses) != 1 || sc.statuses[0] != (statusCount{"draft", 1}) {
			t.Errorf("requests by status: %+v", sc.statuses)
		}
		if len(sc.recent) != 10 || !sc.clockEmpty.Visible() || sc.recentEmpty.Visible() {
			t.Errorf("recent %d items; empty notes: clocks %v recent %v", len(sc.recent), sc.clockEmpty.Visible(), sc.recentEmpty.Visible())
		}
		if !strings.Contains(sc.identity.Text, "Col. A. Sharma") || !strings.Contains(sc.identity.Text, "posting CMF") {
			t.Errorf("identity: %q", sc.identity.Text)
		}
		if !strings.Contains(sc.weekHead.Text, "23 Nov") || !strings.Contains(sc.weekHead.Text, "29 Nov 2026") {
			t.Errorf("week: %q", sc.weekHead.Text)
		}
		if got := ui.BannerText(); !strings.HasPrefix(got, "CONFIDENTIAL") {
			t.Errorf("banner %q: a confidential title is on screen", got)
		}
	})

	t.Run("a week card opens that posting's exchanges of the week", func(t *testing.T) {
		showDashboard(ui)
		test.Tap(sc.week["CMF"])
		if ui.nav[ui.current].name != "Exchanges" {
			t.Fatalf("showing %s", ui.nav[ui.current].name)
		}
		lv := ui.exchanges.list
		want := data.ListFilter{Posting: "CMF", From: "2026-11-23", To: "2026-11-29"}
		if lv.filter != want {
			t.Fatalf("filter %+v, want %+v", lv.filter, want)
		}
		rows := listRows(t, lv)
		if len(rows) != 2 {
			t.Fatalf("%d rows, want 2", len(rows))
		}
		fb := ui.exchanges.filters
		if fb.posting.Selected != "CMF" || fb.from.Text != "2026-11-23" || fb.to.Text != "2026-11-29" {
			t.Errorf("filter bar shows %q %q %q", fb.posting.Selected, fb.from.Text, fb.to.Text)
		}
	})

	t.Run("overdue actions opens the actions due before today", func(t *testing.T) {
		showDashboard(ui)
		test.Tap(sc.overdueActions)
		if ui.nav[ui.current].name != "Actions" {
			t.Fatalf("showing %s", ui.nav[ui.current].name)
		}
		lv := ui.actions.list
		if want := (data.ListFilter{OverdueOn: "2026-11-25"}); lv.filter != want {
			t.Fatalf("filter %+v, want %+v", lv.filter, want)
		}
		rows := listRows(t, lv)
		if len(rows) != 1 || rows[0].Values["title"] != "Send the berthing request" {
			t.Fatalf("rows %+v", rows)
		}
	})

	t.Run("a status opens the requests in it", func(t *testing.T) {
		showDashboard(ui)
		sc.statusList.Select(0)
		if ui.nav[ui.current].name != "Requests" {
			t.Fatalf("showing %s", ui.nav[ui.current].name)
		}
		if ui.requests.list.filter.Status != "draft" || ui.requests.filters.status.Selected != statusLabel("draft") {
			t.Fatalf("filter %+v, bar %q", ui.requests.list.filter, ui.requests.filters.status.Selected)
		}
		if rows := listRows(t, ui.requests.list); len(rows) != 1 {
			t.Fatalf("%d rows", len(rows))
		}
	})

	t.Run("overdue RFIs lists them, and one opens its exchange", func(t *testing.T) {
		showDashboard(ui)
		test.Tap(sc.overdueRFIs)
		overlay := ui.Window().Canvas().Overlays().Top()
		if overlay == nil {
			t.Fatal("no dialog")
		}
		var list *widget.List
		walk(overlay, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.List); ok && list == nil {
				list = l
			}
		})
		if list == nil || list.Length() != 1 {
			t.Fatalf("RFI list: %v", list)
		}
		list.Select(0)
		if ui.nav[ui.current].name != "Exchanges" || ui.exchanges.onList() {
			t.Fatal("the RFI did not open")
		}
		if ui.Window().Canvas().Overlays().Top() != nil {
			t.Error("the dialog stayed open")
		}
	})

	t.Run("a recent item opens its record", func(t *testing.T) {
		showDashboard(ui)
		sc.recentList.Select(0)
		name := map[data.Kind]string{"exchange": "Exchanges", "request": "Requests", "action": "Actions"}[sc.recent[0].Kind]
		if ui.nav[ui.current].name != name {
			t.Fatalf("showing %s, want %s", ui.nav[ui.current].name, name)
		}
	})
}

func TestDashboardOnAnEmptyStore(t *testing.T) {
	ui, s := newTestApp(t)
	fixDashboardDay(ui, s)
	sc := refreshDashboard(ui)
	if sc.week[""].value != "0" || sc.openRFIs.value != "0" || sc.openRFIs.detail != "waiting for an answer" {
		t.Errorf("cards: %+v %+v", sc.week[""], sc.openRFIs)
	}
	if !sc.statusEmpty.Visible() || !sc.recentEmpty.Visible() || !sc.clockEmpty.Visible() {
		t.Error("the empty lists do not say so")
	}
	if sc.failed.Visible() {
		t.Errorf("error: %s", sc.failed.Text)
	}
}

// TestDashboardShots captures the dashboard on a demo store, light and
// dark, when LIAISONDESK_SHOTS names a directory.
func TestDashboardShots(t *testing.T) {
	if os.Getenv("LIAISONDESK_SHOTS") == "" {
		t.Skip("LIAISONDESK_SHOTS not set")
	}
	ui, s := newTestApp(t)
	fixDashboardDay(ui, s)
	if _, err := demo.Fill(context.Background(), s, demo.Options{Now: dashboardToday, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ui.show(0)
	refreshDashboard(ui)
	applyTheme(fyne.CurrentApp(), "light")
	capture(t, ui.Window(), "dashboard")
	applyTheme(fyne.CurrentApp(), "dark")
	capture(t, ui.Window(), "dashboard-dark")
}

// walk visits o and everything inside it.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, fn)
		}
	}
}
