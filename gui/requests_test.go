package gui

import (
	"context"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// requestApp opens the main window on an initialised store in a temporary
// directory, on Fyne's test driver, with the Requests section in front.
func requestApp(t *testing.T) (*App, *store.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	s := openStore(t)
	if err := s.Init(context.Background(), data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	ui := New(a, s, Options{Synchronous: true, Passphrase: testPassphrase})
	ui.Window().Resize(fyne.NewSize(1200, 800))
	ui.Start()
	ui.showSection("Requests")
	return ui, s
}

// shootRequests writes the window to /tmp/shots/requests_NAME.png when
// LIAISONDESK_SHOTS is set, for a person to look at. A height other than
// 0 resizes the window first, to see a whole form.
func shootRequests(t *testing.T, ui *App, name string, height float32) {
	t.Helper()
	if os.Getenv("LIAISONDESK_SHOTS") == "" {
		return
	}
	w := ui.Window()
	old := w.Canvas().Size()
	if height == 0 {
		height = old.Height
	}
	// The real driver re-lays out containers whose content grew before
	// each frame; the test canvas does not, so nudge it to.
	w.Resize(fyne.NewSize(1201, height))
	w.Resize(fyne.NewSize(1200, height))
	defer w.Resize(old)
	dir := "/tmp/shots"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "requests_"+name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

func storedRequests(t *testing.T, s *store.Store) []*data.Request {
	t.Helper()
	var out []*data.Request
	if err := s.List(context.Background(), "request", data.ListFilter{}, func(r data.Record) error {
		out = append(out, r.(*data.Request))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// fillRequest types a valid in_to_us request into a new form.
func fillRequest(t *testing.T, f *requestForm) {
	t.Helper()
	test.Type(f.program, "P-8I")
	test.Type(f.endUser, "INS Rajali, 312 Sqn")
	test.Type(f.justification, "Two aircraft grounded awaiting hydraulic pumps; maritime patrol tasking at risk.")
	l := f.lines[0]
	test.Type(l.desc, "Hydraulic pump, engine driven")
	test.Type(l.nsn, "1650015253012") // no dashes
	test.Type(l.part, "PV3-075-15")
	test.Type(l.cage, "99167")
	test.Type(l.qty, "4")
	f.rating.SetSelected(ratingLabel("DO-A1"))
	test.Type(f.requiredBy.Entry, "2027-03-31")
	test.Type(f.supplier, "Eaton Aerospace")
	test.Type(f.supplierCountry, "usa")
}

func TestNewRequestThroughTheForm(t *testing.T) {
	ui, s := requestApp(t)
	ui.newRequest() // Ctrl+Shift+N
	sc := ui.requests
	f := sc.form
	if f.status != "draft" || f.statusText.Text != "Draft" || f.changeBtn.Visible() {
		t.Fatalf("a new request: status %q shown %q, change button visible %v", f.status, f.statusText.Text, f.changeBtn.Visible())
	}
	fillRequest(t, f)

	t.Run("a bad NSN on the second line is named by its line number", func(t *testing.T) {
		test.Tap(f.addLine)
		if len(f.lines) != 2 {
			t.Fatalf("%d lines after Add line", len(f.lines))
		}
		l := f.lines[1]
		test.Type(l.desc, "Seal kit")
		test.Type(l.qty, "10")
		test.Type(l.nsn, "5330-12")
		msg := f.ff.errorText("lines")
		if !strings.HasPrefix(msg, "Line 2 NSN: ") || !strings.Contains(msg, "not a NATO Stock Number") {
			t.Fatalf("lines message %q", msg)
		}
		if !sc.frame.saveBtn.Disabled() {
			t.Fatal("Save enabled with a bad NSN")
		}
		shootRequests(t, ui, "form_bad_nsn", 0)
		l.nsn.SetText("5330-01-234-5678")
		if msg := f.ff.errorText("lines"); msg != "" {
			t.Fatalf("lines message %q after fixing the NSN", msg)
		}
	})

	t.Run("the acceptance clock is computed from the order's receipt", func(t *testing.T) {
		test.Type(f.orderReceived.Entry, "2026-11-02")
		if got := f.acceptanceDue.Text; got != "2026-11-24" { // 15 working days, Veterans Day off
			t.Fatalf("acceptance due %q", got)
		}
		f.rating.SetSelected(ratingLabel("DX-A1"))
		if got := f.acceptanceDue.Text; got != "2026-11-17" { // 10 for DX
			t.Fatalf("acceptance due for DX %q", got)
		}
	})
	shootRequests(t, ui, "form_new", 0)
	shootRequests(t, ui, "form_new_full", 2100)
	if sc.frame.saveBtn.Disabled() {
		t.Fatalf("Save disabled: %v", sc.frame.lastErr)
	}
	ui.save() // Ctrl+S

	reqs := storedRequests(t, s)
	if len(reqs) != 1 {
		t.Fatalf("%d requests stored", len(reqs))
	}
	saved := reqs[0]
	if saved.Program != "P-8I" || saved.Status != "draft" || saved.Rating != "DX-A1" || saved.RequiredBy != "2027-03-31" ||
		saved.Posting != "CMF" || saved.SupplierCountry != "USA" || !strings.HasPrefix(saved.Ref, "CMF-") {
		t.Fatalf("saved %+v", saved)
	}
	if len(saved.Lines) != 2 || saved.Lines[0].NSN != "1650-01-525-3012" || saved.Lines[0].Quantity != 4 || saved.Lines[1].Description != "Seal kit" {
		t.Fatalf("lines %+v", saved.Lines)
	}
	if !sc.frame.editBtn.Visible() || sc.frame.saveBtn.Visible() || !f.changeBtn.Visible() || f.changeBtn.Disabled() {
		t.Fatal("a saved request should be shown read-only, with Edit and Change status…")
	}
	if f.lines[0].nsn.Text != "1650-01-525-3012" {
		t.Fatalf("the form shows NSN %q, not the stored one", f.lines[0].nsn.Text)
	}
	shootRequests(t, ui, "form_saved", 0)

	t.Run("editing keeps the lines and the status", func(t *testing.T) {
		test.Tap(sc.frame.editBtn)
		if !f.changeBtn.Disabled() {
			t.Fatal("status can be changed in the middle of an edit")
		}
		f.lines[1].delivered.SetText("2")
		ui.save()
		got, err := s.Get(context.Background(), "request", saved.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := got.(*data.Request)
		if len(r.Lines) != 2 || r.Lines[1].DeliveredQuantity != 2 || r.Lines[1].ID != saved.Lines[1].ID || r.Status != "draft" {
			t.Fatalf("after an edit: %+v", r)
		}
	})

	t.Run("it is in the list", func(t *testing.T) {
		sc.frame.close() // Back
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].ID != saved.ID || rows[0].Values["ref"] != saved.Ref {
			t.Fatalf("rows %+v", rows)
		}
		shootRequests(t, ui, "list_one", 0)
	})
	t.Run("search finds it by a line's words", func(t *testing.T) {
		test.Type(sc.list.search, "hydraulic")
		if len(sc.list.hits) != 1 || sc.list.hits[0].ID != saved.ID {
			t.Fatalf("hits %+v", sc.list.hits)
		}
		sc.list.search.SetText("")
	})
	t.Run("selecting the row opens the request", func(t *testing.T) {
		sc.list.list.Select(0)
		if sc.onList() || f.id != saved.ID {
			t.Fatal("the request did not open")
		}
	})
}

func TestRequestRefusesASAP(t *testing.T) {
	ui, s := requestApp(t)
	before, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ui.newRequest()
	f := ui.requests.form
	fillRequest(t, f)
	f.requiredBy.SetText("")
	test.Type(f.requiredBy.Entry, "ASAP")
	if msg := f.ff.errorText("required_by"); !strings.Contains(msg, "not a delivery date") || !strings.Contains(msg, "700.12") {
		t.Fatalf("required_by message %q", msg)
	}
	if !ui.requests.frame.saveBtn.Disabled() {
		t.Fatal("Save enabled with ASAP as the required date")
	}
	shootRequests(t, ui, "form_asap", 0)
	ui.save() // Ctrl+S anyway
	after, _ := s.Count(context.Background())
	if !maps.Equal(before, after) {
		t.Fatalf("something was written: %v → %v", before, after)
	}
	if msg := f.ff.errorText("required_by"); msg == "" {
		t.Fatal("the message went away on Ctrl+S")
	}
}

// addRequest stores a request directly, as another officer's laptop would.
func addRequest(t *testing.T, s *store.Store, r *data.Request) string {
	t.Helper()
	if r.Status == "" {
		r.Status = data.InitialStatus(r.Direction)
	}
	ids, err := s.Add(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

func sampleRequest(dir, class string) *data.Request {
	r := &data.Request{Direction: dir, Posting: "CMF", Program: "MH-60R", EndUser: "INS Garuda",
		Lines:      []data.Line{{Description: "Main rotor damper", NSN: "1615-01-234-5678", Quantity: 2, Unit: "EA"}},
		RequiredBy: "2027-01-15", Marking: data.Marking{Classification: class, Releasability: []string{"USA", "IND"}}}
	if dir == data.InToUS {
		r.Rating, r.OrderReceivedOn = "DO-A1", "2026-11-02"
	}
	return r
}

// offeredCodes reads the choices of the open status dialog as codes.
func offeredCodes(f *requestForm) []data.RequestStatus {
	var out []data.RequestStatus
	for _, label := range f.statusPick.Options {
		for _, s := range allStatuses() {
			if statusLabel(s) == label {
				out = append(out, data.RequestStatus(s))
			}
		}
	}
	return out
}

// moveStatus changes the status through the form's control, as a user
// does: open the dialog, pick, write a note, confirm.
func moveStatus(t *testing.T, f *requestForm, to data.RequestStatus, note string) {
	t.Helper()
	test.Tap(f.changeBtn)
	if f.statusDlg == nil || f.statusPick == nil {
		t.Fatal("no status dialog")
	}
	f.statusPick.SetSelected(statusLabel(to))
	if !f.statusConfirm.Disabled() {
		t.Fatal("confirm enabled without a note")
	}
	test.Type(f.statusNote, note)
	if f.statusConfirm.Disabled() {
		t.Fatalf("confirm disabled with %s chosen and a note", to)
	}
	test.Tap(f.statusConfirm)
	if f.statusProblem.Visible() {
		t.Fatalf("status change to %s refused: %s", to, f.statusProblem.Text)
	}
}

func TestRequestWorkflow(t *testing.T) {
	ui, s := requestApp(t)
	sc := ui.requests
	f := sc.form
	f.today = func() string { return "2026-12-01" }
	sc.today = f.today
	id := addRequest(t, s, sampleRequest(data.InToUS, "UNCLASSIFIED"))
	sc.list.reload()
	listRows(t, sc.list)
	ui.open("request", id)

	t.Run("an illegal transition is not offered", func(t *testing.T) {
		test.Tap(f.changeBtn)
		got := offeredCodes(f)
		if want := data.NextStatuses(data.InToUS, "draft"); !slices.Equal(got, want) {
			t.Fatalf("offered %v, want %v", got, want)
		}
		if slices.Contains(got, "delivered") {
			t.Fatal("draft → delivered offered")
		}
		shootRequests(t, ui, "status_dialog", 0)
		// Even a choice forced past the dialog is checked again.
		f.statusPick.SetSelected(statusLabel("delivered"))
		test.Type(f.statusNote, "Skip ahead")
		f.applyStatus()
		if !f.statusProblem.Visible() {
			t.Fatal("a status the dialog did not offer was applied")
		}
		if got, _ := s.Get(context.Background(), "request", id); got.(*data.Request).Status != "draft" {
			t.Fatalf("stored status %q", got.(*data.Request).Status)
		}
		f.statusDlg.Hide()
	})

	path := []data.RequestStatus{"submitted", "forwarded_to_dod", "program_determined", "rating_authorized", "order_placed",
		"supplier_accepted", "in_performance", "partially_delivered", "delivered", "closed"}
	for i, to := range path {
		from := f.status
		t.Run(string(from)+" → "+string(to), func(t *testing.T) {
			test.Tap(f.changeBtn)
			if got, want := offeredCodes(f), data.NextStatuses(data.InToUS, from); !slices.Equal(got, want) {
				t.Fatalf("offered %v, want %v", got, want)
			}
			f.statusDlg.Hide()
			moveStatus(t, f, to, "Step "+string(to))
			got, err := s.Get(context.Background(), "request", id)
			if err != nil {
				t.Fatal(err)
			}
			r := got.(*data.Request)
			if r.Status != to || len(r.History) != i+1 || r.History[i].From != from || r.History[i].Note != "Step "+string(to) {
				t.Fatalf("stored status %q, history %+v", r.Status, r.History)
			}
			if f.status != to || f.statusText.Text != statusLabel(to) || len(f.historyBox.Objects) != i+1 {
				t.Fatalf("form shows %q with %d history rows", f.statusText.Text, len(f.historyBox.Objects))
			}
			rows := listRows(t, sc.list)
			if len(rows) != 1 || rows[0].Values["status"] != string(to) {
				t.Fatalf("the list did not catch up: %+v", rows)
			}
			if to == "order_placed" {
				if got := f.acceptanceDue.Text; got != "2026-11-24 (overdue)" {
					t.Fatalf("acceptance %q while awaiting the supplier", got)
				}
				if !f.statusClock.Visible() || !strings.Contains(f.statusClock.Text, "2026-11-24 (overdue)") {
					t.Fatalf("the status block does not show the late clock: %q", f.statusClock.Text)
				}
				var accept column
				for _, c := range sc.list.columns {
					if c.key == "acceptance_due" {
						accept = c
					}
				}
				if got := accept.format(rows[0].Values["acceptance_due"], rows[0]); got != "2026-11-24 (overdue)" {
					t.Fatalf("list acceptance %q", got)
				}
				shootRequests(t, ui, "form_order_placed", 0)
			}
			if to == "supplier_accepted" && (strings.Contains(f.acceptanceDue.Text, "overdue") || f.statusClock.Visible()) {
				t.Fatal("still overdue once the supplier has accepted")
			}
		})
	}
	t.Run("a closed request is final", func(t *testing.T) {
		if f.changeBtn.Visible() || f.statusHint.Text != "final: no further changes" {
			t.Fatalf("closed: change visible %v, hint %q", f.changeBtn.Visible(), f.statusHint.Text)
		}
		shootRequests(t, ui, "form_closed", 0)
		shootRequests(t, ui, "form_closed_full", 2300)
	})
	t.Run("a us_to_in request follows its own workflow without a rating", func(t *testing.T) {
		id := addRequest(t, s, sampleRequest(data.USToIN, "UNCLASSIFIED"))
		ui.open("request", id)
		if f.rating.Select.Disabled() != true {
			t.Fatal("rating editable on a us_to_in request")
		}
		test.Tap(f.changeBtn)
		if got, want := offeredCodes(f), data.NextStatuses(data.USToIN, "received"); !slices.Equal(got, want) {
			t.Fatalf("offered %v, want %v", got, want)
		}
		f.statusDlg.Hide()
		test.Tap(sc.frame.editBtn)
		if f.rating.Select.Disabled() != true || f.direction.Select.Disabled() != true {
			t.Fatal("rating or direction editable on a saved us_to_in request")
		}
	})
	t.Run("changing the direction of a new request restarts its workflow", func(t *testing.T) {
		ui.newRequest()
		f.rating.SetSelected(ratingLabel("DO-A3"))
		f.direction.SetSelected(directionLabel(data.USToIN))
		if f.status != "received" || f.rating.value() != "" || !f.rating.Disabled() {
			t.Fatalf("us_to_in: status %q rating %q", f.status, f.rating.value())
		}
		f.direction.SetSelected(directionLabel(data.InToUS))
		if f.status != "draft" || f.rating.Disabled() {
			t.Fatalf("in_to_us: status %q", f.status)
		}
	})
}

// advance moves a stored request along its workflow, as a sync would.
func advance(t *testing.T, s *store.Store, id string, to ...string) {
	t.Helper()
	for _, st := range to {
		if err := s.SetStatus(context.Background(), id, data.RequestStatus(st), "by "+st); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRequestListBannerAndFilters(t *testing.T) {
	ui, s := requestApp(t)
	sc := ui.requests
	sc.today = func() string { return "2026-12-01" }
	unclass := sampleRequest(data.InToUS, "UNCLASSIFIED")
	unclass.Supplier = "Sikorsky Aircraft"
	late := addRequest(t, s, unclass)
	advance(t, s, late, "submitted", "forwarded_to_dod", "program_determined", "rating_authorized", "order_placed")
	restricted := sampleRequest(data.InToUS, "RESTRICTED")
	restricted.Posting, restricted.Program, restricted.Rating, restricted.Supplier = "INDOPACOM", "P-8I", "DX-A1", "Boeing Defense"
	restricted.RequiredBy = "2026-12-20"
	advance(t, s, addRequest(t, s, restricted), "submitted")
	conf := sampleRequest(data.USToIN, "CONFIDENTIAL")
	conf.Program, conf.Supplier, conf.SupplierCountry = "Scorpene support", "Mazagon Dock Shipbuilders", "IND"
	conf.RequiredBy = "2027-02-01"
	id := addRequest(t, s, conf)
	sc.list.reload()
	rows := listRows(t, sc.list)
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	t.Run("an order past its acceptance date is flagged overdue", func(t *testing.T) {
		var accept column
		for _, c := range sc.list.columns {
			if c.key == "acceptance_due" {
				accept = c
			}
		}
		for _, r := range rows {
			got := accept.format(r.Values["acceptance_due"], r)
			if want := r.ID == late; strings.Contains(got, "(overdue)") != want {
				t.Fatalf("%s: accept by %q", r.Values["ref"], got)
			}
		}
	})
	t.Run("the list shows the highest marking on screen", func(t *testing.T) {
		if got := ui.BannerText(); got != "CONFIDENTIAL//REL TO USA, IND" {
			t.Fatalf("banner %q", got)
		}
		shootRequests(t, ui, "list", 0)
	})
	t.Run("a confidential request's form carries its marking", func(t *testing.T) {
		ui.open("request", id)
		if got := ui.BannerText(); got != "CONFIDENTIAL//REL TO USA, IND" {
			t.Fatalf("banner %q", got)
		}
		shootRequests(t, ui, "form_confidential", 0)
	})
	t.Run("a status filter narrows the rows and the banner", func(t *testing.T) {
		sc.frame.close() // Back
		sc.filters.status.SetSelected(statusLabel("received"))
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].ID != id {
			t.Fatalf("rows %+v", rows)
		}
		sc.filters.status.SetSelected(statusLabel("order_placed"))
		rows = listRows(t, sc.list)
		if len(rows) != 1 || rows[0].ID != late {
			t.Fatalf("rows %+v", rows)
		}
		if got := ui.BannerText(); got != "UNCLASSIFIED//REL TO USA, IND" {
			t.Fatalf("banner %q after filtering", got)
		}
		sc.filters.clear()
		if rows := listRows(t, sc.list); len(rows) != 3 {
			t.Fatalf("%d rows after clearing", len(rows))
		}
	})
	t.Run("tapping a header sorts by it", func(t *testing.T) {
		for i, c := range sc.list.columns {
			if c.key == "required_by" {
				test.Tap(sc.list.header.Objects[i].(fyne.Tappable))
			}
		}
		rows := listRows(t, sc.list)
		var got []string
		for _, r := range rows {
			got = append(got, r.Values["required_by"])
		}
		if want := []string{"2026-12-20", "2027-01-15", "2027-02-01"}; !slices.Equal(got, want) {
			t.Fatalf("by required date: %v", got)
		}
		shootRequests(t, ui, "list_sorted", 0)
	})
	t.Run("in the light theme", func(t *testing.T) {
		applyTheme(ui.app, "light")
		shootRequests(t, ui, "list_light", 0)
		ui.open("request", late)
		shootRequests(t, ui, "form_light", 0)
	})
}

func TestRequestStatusRecordedAfterTheFact(t *testing.T) {
	ui, s := requestApp(t)
	id := addRequest(t, s, sampleRequest(data.InToUS, "UNCLASSIFIED"))
	ui.open("request", id)
	f := ui.requests.form
	test.Tap(f.changeBtn)
	f.statusPick.SetSelected(statusLabel("submitted"))
	test.Type(f.statusNote, "Sent to the J4 desk last week")
	f.statusWhen.SetText("2026-11-02")
	test.Tap(f.statusConfirm)
	if f.statusProblem.Visible() {
		t.Fatalf("refused: %s", f.statusProblem.Text)
	}
	rec, err := s.Get(context.Background(), "request", id)
	if err != nil {
		t.Fatal(err)
	}
	if h := rec.(*data.Request).History; len(h) != 1 || h[0].At != "2026-11-02T12:00:00Z" {
		t.Fatalf("history %+v", h)
	}
}
