package gui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// column reads one value of every row.
func rowValues(rows []data.Row, key string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Values[key]
	}
	return out
}

// renderedRow is the text a list row shows, cell by cell.
func renderedRow(lv *listView, i int) []string {
	o := lv.newRow()
	lv.updateRow(i, o)
	var out []string
	for _, c := range o.(*fyne.Container).Objects {
		if l, ok := c.(*widget.Label); ok { // not the sync badge
			out = append(out, l.Text)
		}
	}
	return out
}

// headerButton is the column header with a title.
func headerButton(t *testing.T, lv *listView, title string) *widget.Button {
	t.Helper()
	for _, o := range lv.header.Objects {
		if b, ok := o.(*widget.Button); ok && b.Text == title {
			return b
		}
	}
	t.Fatalf("no %q header", title)
	return nil
}

func storeCount(t *testing.T, s *store.Store, table string) int64 {
	t.Helper()
	n, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n[table]
}

// addSampleActions stores a realistic handful of actions: some overdue,
// one done, one born in an exchange.
func addSampleActions(t *testing.T, s *store.Store) (exchangeID string) {
	t.Helper()
	ctx := context.Background()
	ids, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 151 counter-piracy coordination",
		OccurredAt: "2026-03-02T06:00:00Z", TimeZone: "Asia/Bahrain",
		Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}})
	if err != nil {
		t.Fatal(err)
	}
	ex := ids[0]
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(data.DateLayout) }
	recs := []data.Record{
		&data.Action{ExchangeID: ex, Title: "Send boarding-team SOP extract to CTF 151 ops", Owner: "Col. R. K. Mehta", DueOn: day(-6), Status: "open"},
		&data.Action{Title: "Confirm Malabar planning conference attendees", Owner: "Cdr. S. Iyer", DueOn: day(-2), Status: "in_progress"},
		&data.Action{Title: "Return JSOU course nomination forms", Owner: "Col. R. K. Mehta", DueOn: day(-10), Status: "done",
			DoneAt: time.Now().AddDate(0, 0, -11).UTC().Format(time.RFC3339)},
		&data.Action{Title: "Brief HQ on Red Sea escort schedule", Owner: "Col. R. K. Mehta", DueOn: day(3), Status: "open"},
		&data.Action{Title: "Arrange call with NAVCENT N5 on port visits", Owner: "Lt. Cdr. A. Rao", DueOn: day(9), Status: "open"},
		&data.Action{Title: "Archive last quarter's liaison reports", Owner: "Col. R. K. Mehta", Status: "cancelled"},
		&data.Action{Title: "Draft thank-you note to CMF deputy commander", Owner: "Col. R. K. Mehta", Status: "open"},
	}
	if _, err := s.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestActionThroughTheForm(t *testing.T) {
	t.Run("typed, saved with Ctrl+S, then in the list and found by search", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		a.showSection("Actions")
		sc := a.actions
		test.Tap(sc.newBtn)
		f := sc.form
		if f.owner.Text != "Col. R. K. Mehta" {
			t.Fatalf("owner %q, want the officer", f.owner.Text)
		}
		test.Type(f.titleEntry, "Send CTF 152 the revised liaison roster")
		test.Type(f.due.Entry, "2026-12-01")
		f.notes.SetText("Ask for their duty officer list in return.")
		capture(t, a.Window(), "actions_form_new")
		pressCtrlS(t, a)
		if sc.frame.editing {
			t.Fatalf("still editing after Ctrl+S; title problem %q", f.ff.errorText("title"))
		}
		if n := storeCount(t, s, "actions"); n != 1 {
			t.Fatalf("%d actions stored", n)
		}
		rec, err := s.Get(context.Background(), "action", sc.frame.id)
		if err != nil {
			t.Fatal(err)
		}
		if got := rec.(*data.Action); got.Title != "Send CTF 152 the revised liaison roster" || got.DueOn != "2026-12-01" ||
			got.Status != "open" || got.Owner != "Col. R. K. Mehta" {
			t.Fatalf("stored %+v", got)
		}
		if !f.titleEntry.Disabled() || sc.frame.editBtn.Hidden {
			t.Fatal("a saved action is not shown read-only with Edit")
		}
		capture(t, a.Window(), "actions_form_saved")

		sc.frame.close() // Back
		if !sc.onList() {
			t.Fatal("Back did not return to the list")
		}
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].Values["title"] != "Send CTF 152 the revised liaison roster" {
			t.Fatalf("list rows %v", rows)
		}
		test.Type(sc.list.search, "roster")
		if len(sc.list.hits) != 1 || sc.list.hits[0].Title != "Send CTF 152 the revised liaison roster" {
			t.Fatalf("search hits %+v", sc.list.hits)
		}
	})

	t.Run("an empty title blocks saving, says so next to the field and writes nothing", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		a.showSection("Actions")
		sc := a.actions
		test.Tap(sc.newBtn)
		test.Type(sc.form.due.Entry, "2026-12-01")
		before := storeCount(t, s, "actions")
		pressCtrlS(t, a)
		if msg := sc.form.ff.errorText("title"); !strings.Contains(msg, "required") {
			t.Fatalf("title problem %q", msg)
		}
		if !sc.frame.saveBtn.Disabled() || !sc.frame.editing {
			t.Fatal("Save is offered, or the form closed, with an empty title")
		}
		if n := storeCount(t, s, "actions"); n != before {
			t.Fatalf("%d actions stored, want %d", n, before)
		}
		capture(t, a.Window(), "actions_form_error")
	})

	t.Run("an impossible due date is named next to the field; empty is fine", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		a.showSection("Actions")
		sc := a.actions
		test.Tap(sc.newBtn)
		test.Type(sc.form.titleEntry, "Chase the MH-60R spares reply")
		test.Type(sc.form.due.Entry, "2026-02-30")
		if msg := sc.form.ff.errorText("due_on"); !strings.Contains(msg, "not a real date") {
			t.Fatalf("due_on problem %q", msg)
		}
		pressCtrlS(t, a)
		if n := storeCount(t, s, "actions"); n != 0 {
			t.Fatalf("%d actions stored", n)
		}
		sc.form.due.SetText("")
		if msg := sc.form.ff.errorText("due_on"); msg != "" {
			t.Fatalf("an empty due date is refused: %q", msg)
		}
		pressCtrlS(t, a)
		if n := storeCount(t, s, "actions"); n != 1 {
			t.Fatalf("%d actions stored after saving without a due date", n)
		}
	})

	t.Run("done_at is filled when the status becomes done and cleared when it leaves", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		a.showSection("Actions")
		sc := a.actions
		test.Tap(sc.newBtn)
		test.Type(sc.form.titleEntry, "Forward the P-8I sonobuoy delivery schedule")
		if !sc.form.doneAt.Disabled() {
			t.Fatal("done_at is editable on an open action")
		}
		sc.form.status.SetSelected("Done")
		if sc.form.doneAt.Text == "" || sc.form.doneAt.Disabled() {
			t.Fatalf("done_at %q (disabled %v) after Done", sc.form.doneAt.Text, sc.form.doneAt.Disabled())
		}
		sc.form.status.SetSelected("In progress")
		if sc.form.doneAt.Text != "" {
			t.Fatalf("done_at %q after leaving done", sc.form.doneAt.Text)
		}
		sc.form.status.SetSelected("Done")
		pressCtrlS(t, a)
		rec, err := s.Get(context.Background(), "action", sc.frame.id)
		if err != nil {
			t.Fatal(err)
		}
		if got := rec.(*data.Action); got.Status != "done" || got.DoneAt == "" {
			t.Fatalf("stored %+v", got)
		}
	})

	t.Run("Mark done closes a saved action in one tap", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		ids, err := s.Add(context.Background(), &data.Action{Title: "Confirm berth for INS Tarkash", Owner: "Col. R. K. Mehta", Status: "open"})
		if err != nil {
			t.Fatal(err)
		}
		a.showSection("Actions")
		a.open("action", ids[0])
		sc := a.actions
		if sc.form.markDoneBtn.Hidden {
			t.Fatal("no Mark done on an open action")
		}
		test.Tap(sc.form.markDoneBtn)
		rec, _ := s.Get(context.Background(), "action", ids[0])
		if got := rec.(*data.Action); got.Status != "done" || got.DoneAt == "" {
			t.Fatalf("stored %+v", got)
		}
		if !sc.form.markDoneBtn.Hidden || sc.form.status.Selected != "Done" {
			t.Fatalf("form after Mark done: status %q", sc.form.status.Selected)
		}
	})
}

func TestActionList(t *testing.T) {
	a, s := newTestAppFor(t, "Col. R. K. Mehta")
	exchangeID := addSampleActions(t, s)
	a.showSection("Actions")
	sc := a.actions
	rows := listRows(t, sc.list)
	if len(rows) != 7 {
		t.Fatalf("%d rows", len(rows))
	}
	capture(t, a.Window(), "actions_list")

	t.Run("an overdue action carries the marker; done and future ones do not", func(t *testing.T) {
		for i, r := range listRows(t, sc.list) {
			cells := renderedRow(sc.list, i)
			overdue := strings.Contains(cells[0], "OVERDUE")
			want := r.Values["due_on"] != "" && r.Values["due_on"] < time.Now().Format(data.DateLayout) &&
				(r.Values["status"] == "open" || r.Values["status"] == "in_progress")
			if overdue != want {
				t.Errorf("%q (%s, due %s) shows %q", r.Values["title"], r.Values["status"], r.Values["due_on"], cells[0])
			}
		}
	})

	t.Run("the From column says where an action was born", func(t *testing.T) {
		for i, r := range listRows(t, sc.list) {
			from := renderedRow(sc.list, i)[4]
			if (r.Values["exchange_id"] == exchangeID) != (from == "Exchange") {
				t.Errorf("%q: From %q", r.Values["title"], from)
			}
		}
	})

	t.Run("the status filter changes the rows", func(t *testing.T) {
		sc.filters.status.SetSelected("done")
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].Values["status"] != "done" {
			t.Fatalf("done filter: %v", rowValues(rows, "title"))
		}
		sc.filters.status.SetSelected("open")
		rows = listRows(t, sc.list)
		if len(rows) != 4 {
			t.Fatalf("open filter: %v", rowValues(rows, "title"))
		}
		capture(t, a.Window(), "actions_list_open")
		sc.filters.clear()
		if rows := listRows(t, sc.list); len(rows) != 7 {
			t.Fatalf("%d rows after clearing filters", len(rows))
		}
	})

	t.Run("the due-date filter keeps the dates in range", func(t *testing.T) {
		from := time.Now().Format(data.DateLayout)
		test.Type(sc.filters.from, from)
		rows := listRows(t, sc.list)
		if len(rows) != 2 {
			t.Fatalf("due from %s: %v", from, rowValues(rows, "due_on"))
		}
		sc.filters.clear()
	})

	t.Run("tapping a header sorts by it, tapping again reverses", func(t *testing.T) {
		test.Tap(headerButton(t, sc.list, "Title"))
		titles := rowValues(listRows(t, sc.list), "title")
		if !slices.IsSorted(titles) {
			t.Fatalf("not by title: %v", titles)
		}
		test.Tap(headerButton(t, sc.list, "Title"))
		rev := rowValues(listRows(t, sc.list), "title")
		slices.Reverse(rev)
		if !slices.Equal(rev, titles) {
			t.Fatalf("not reversed: %v", rev)
		}
		test.Tap(headerButton(t, sc.list, "Owner"))
		owners := rowValues(listRows(t, sc.list), "owner")
		if !slices.IsSorted(owners) {
			t.Fatalf("not by owner: %v", owners)
		}
		test.Tap(headerButton(t, sc.list, "Due"))
	})

	t.Run("an action shows the exchange it was born in, opens it, and carries its marking", func(t *testing.T) {
		var id string
		for _, r := range listRows(t, sc.list) {
			if r.Values["exchange_id"] == exchangeID {
				id = r.ID
			}
		}
		a.open("action", id)
		if !strings.Contains(sc.form.origin.Text, "CTF 151 counter-piracy coordination") || sc.form.openParent.Hidden {
			t.Fatalf("origin %q", sc.form.origin.Text)
		}
		if !strings.HasPrefix(a.BannerText(), "CONFIDENTIAL") {
			t.Fatalf("banner %q on an action born in a confidential exchange", a.BannerText())
		}
		capture(t, a.Window(), "actions_form_linked")
		test.Tap(sc.form.openParent)
		if a.nav[a.current].name != "Exchanges" || a.exchanges.onList() {
			t.Fatal("Open exchange did not show the exchange")
		}
		if err := s.Delete(context.Background(), "exchange", exchangeID); err != nil {
			t.Fatal(err)
		}
		a.open("action", id)
		if sc.form.origin.Text != "Exchange (deleted)" || !sc.form.openParent.Hidden {
			t.Fatalf("origin %q after the exchange was deleted", sc.form.origin.Text)
		}
	})
}
