package gui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// addSampleContacts stores a few believable counterparts.
func addSampleContacts(t *testing.T, s *store.Store) []string {
	t.Helper()
	ids, err := s.Add(context.Background(),
		&data.Contact{Name: "Jane A. Doe", Rank: "CAPT", Appointment: "Deputy J4", Organisation: "US Indo-Pacific Command",
			Directorate: "J4", Nation: "USA", Email: "jane.doe@example.mil", Phone: "+1 808 477 0101"},
		&data.Contact{Name: "Marcus Webb", Rank: "Col", Appointment: "Chief, Foreign Liaison Office", Organisation: "US Special Operations Command",
			Directorate: "J3", Nation: "USA", Email: "marcus.webb@example.mil"},
		&data.Contact{Name: "Alistair Grant", Rank: "Cdre", Appointment: "Commander CTF 153", Organisation: "Combined Maritime Forces",
			Nation: "GBR", Email: "a.grant@example.uk"},
		&data.Contact{Name: "Linda Park", Rank: "SES", Appointment: "Director, Security Cooperation", Organisation: "OUSD(A&S)",
			Nation: "USA", Email: "linda.park@example.gov"},
		&data.Contact{Name: "Kenji Sato", Rank: "CAPT", Appointment: "Liaison Officer", Organisation: "US Pacific Fleet",
			Directorate: "N5", Nation: "JPN"},
	)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestContactThroughTheForm(t *testing.T) {
	t.Run("typed, saved with Ctrl+S, then in the list and found by search", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		a.showSection("Contacts")
		sc := a.contacts
		test.Tap(sc.newBtn)
		f := sc.form
		if f.nation.Text != "USA" {
			t.Fatalf("nation %q, want USA by default", f.nation.Text)
		}
		if f.ff.rows["exchanges"].cell.Visible() {
			t.Fatal("an unsaved contact offers to find its exchanges")
		}
		test.Type(f.name, "Robert T. Hayes")
		test.Type(f.rank, "Col")
		test.Type(f.appointment, "Deputy Director, J5")
		test.Type(f.organisation, "US Indo-Pacific Command")
		test.Type(f.directorate, "J5")
		test.Type(f.email, "robert.hayes@example.mil")
		test.Type(f.phone, "+1 808 477 0202")
		capture(t, a.Window(), "contacts_form_new")
		pressCtrlS(t, a)
		if sc.frame.editing {
			t.Fatalf("still editing after Ctrl+S: %v", sc.frame.lastErr)
		}
		rec, err := s.Get(context.Background(), "contact", sc.frame.id)
		if err != nil {
			t.Fatal(err)
		}
		if c := rec.(*data.Contact); c.Name != "Robert T. Hayes" || c.Appointment != "Deputy Director, J5" || c.Nation != "USA" ||
			c.Email != "robert.hayes@example.mil" {
			t.Fatalf("stored %+v", c)
		}
		if !sc.form.ff.rows["exchanges"].cell.Visible() {
			t.Fatal("no way to find a saved contact's exchanges")
		}
		capture(t, a.Window(), "contacts_form_saved")
		sc.frame.close()
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].Values["name"] != "Robert T. Hayes" || rows[0].Values["directorate"] != "J5" {
			t.Fatalf("list rows %v", rows)
		}
		test.Type(sc.list.search, "Hayes")
		if len(sc.list.hits) != 1 || !strings.HasPrefix(sc.list.hits[0].Title, "Robert T. Hayes") {
			t.Fatalf("search hits %+v", sc.list.hits)
		}
	})

	for _, c := range []struct {
		name, field, typed, want string
	}{
		{"a bad e-mail", "email", "jane.doe@", "not an e-mail address"},
		{"a bad nation", "nation", "XX", "not an ISO 3166 alpha-3"},
	} {
		t.Run(c.name+" blocks saving, says so next to the field and writes nothing", func(t *testing.T) {
			a, s := newTestAppFor(t, "Col. R. K. Mehta")
			a.showSection("Contacts")
			sc := a.contacts
			test.Tap(sc.newBtn)
			test.Type(sc.form.name, "Jane A. Doe")
			entry := map[string]*widget.Entry{"email": sc.form.email, "nation": sc.form.nation}[c.field]
			entry.SetText("")
			test.Type(entry, c.typed)
			if msg := sc.form.ff.errorText(c.field); !strings.Contains(msg, c.want) {
				t.Fatalf("%s problem %q", c.field, msg)
			}
			if !sc.frame.saveBtn.Disabled() {
				t.Fatal("Save is offered")
			}
			pressCtrlS(t, a)
			if n := storeCount(t, s, "contacts"); n != 0 {
				t.Fatalf("%d contacts stored", n)
			}
			if !sc.frame.editing {
				t.Fatal("the form closed")
			}
			capture(t, a.Window(), "contacts_form_error_"+c.field)
		})
	}

	t.Run("a new appointment offers to keep the old one as past", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		ids := addSampleContacts(t, s)
		a.showSection("Contacts")
		a.open("contact", ids[0]) // CAPT Jane A. Doe, Deputy J4
		sc := a.contacts
		if !sc.form.moveOld.Hidden {
			t.Fatal("the offer shows before anything changed")
		}
		test.Tap(sc.frame.editBtn)
		sc.form.appointment.SetText("")
		test.Type(sc.form.appointment, "J4, Director of Logistics")
		if sc.form.moveOld.Hidden || !sc.form.moveOld.Checked || !strings.Contains(sc.form.moveOld.Text, "Deputy J4") {
			t.Fatalf("offer hidden %v checked %v %q", sc.form.moveOld.Hidden, sc.form.moveOld.Checked, sc.form.moveOld.Text)
		}
		capture(t, a.Window(), "contacts_form_rotate")
		pressCtrlS(t, a)
		rec, _ := s.Get(context.Background(), "contact", ids[0])
		c := rec.(*data.Contact)
		if c.Appointment != "J4, Director of Logistics" || !slices.Equal(c.PastAppointments, []string{"Deputy J4"}) {
			t.Fatalf("stored appointment %q, past %q", c.Appointment, c.PastAppointments)
		}
		if sc.form.past.Text != "Deputy J4" || !sc.form.moveOld.Hidden {
			t.Fatalf("past shown %q, offer hidden %v", sc.form.past.Text, sc.form.moveOld.Hidden)
		}

		// Unticked, the old appointment is simply replaced.
		test.Tap(sc.frame.editBtn)
		sc.form.appointment.SetText("Chief of Staff")
		test.Tap(sc.form.moveOld)
		pressCtrlS(t, a)
		rec, _ = s.Get(context.Background(), "contact", ids[0])
		if c := rec.(*data.Contact); !slices.Equal(c.PastAppointments, []string{"Deputy J4"}) {
			t.Fatalf("past %q after declining", c.PastAppointments)
		}
	})

	t.Run("Find exchanges searches the exchanges for the contact", func(t *testing.T) {
		a, s := newTestAppFor(t, "Col. R. K. Mehta")
		ids := addSampleContacts(t, s)
		if _, err := s.Add(context.Background(), &data.Exchange{Posting: "INDOPACOM", Kind: "meeting", Title: "J4 logistics talks",
			OccurredAt: "2026-03-04T20:00:00Z", TimeZone: "Pacific/Honolulu", Counterparts: []string{ids[0]},
			Marking: data.Marking{Classification: "UNCLASSIFIED", Releasability: []string{"USA", "IND"}}}); err != nil {
			t.Fatal(err)
		}
		a.showSection("Contacts")
		a.open("contact", ids[0])
		test.Tap(a.contacts.form.findBtn)
		if a.nav[a.current].name != "Exchanges" {
			t.Fatal("not on Exchanges")
		}
		lv := a.exchanges.list
		if len(lv.hits) != 1 || lv.hits[0].Title != "J4 logistics talks" {
			t.Fatalf("hits %+v", lv.hits)
		}
	})
}

func TestContactList(t *testing.T) {
	a, s := newTestAppFor(t, "Col. R. K. Mehta")
	addSampleContacts(t, s)
	a.showSection("Contacts")
	sc := a.contacts
	names := rowValues(listRows(t, sc.list), "name")
	if len(names) != 5 || !slices.IsSorted(names) {
		t.Fatalf("names %v, want all five by name", names)
	}
	capture(t, a.Window(), "contacts_list")

	t.Run("tapping a header sorts by it, tapping again reverses", func(t *testing.T) {
		test.Tap(headerButton(t, sc.list, "Organisation"))
		orgs := rowValues(listRows(t, sc.list), "organisation")
		if !slices.IsSorted(orgs) || slices.Equal(rowValues(listRows(t, sc.list), "name"), names) {
			t.Fatalf("not by organisation: %v", orgs)
		}
		test.Tap(headerButton(t, sc.list, "Organisation"))
		rev := rowValues(listRows(t, sc.list), "organisation")
		slices.Reverse(rev)
		if !slices.Equal(rev, orgs) {
			t.Fatalf("not reversed: %v", rev)
		}
		test.Tap(headerButton(t, sc.list, "Name"))
	})

	t.Run("search finds by appointment", func(t *testing.T) {
		test.Type(sc.list.search, "liaison")
		if len(sc.list.hits) != 2 {
			t.Fatalf("hits %+v", sc.list.hits)
		}
		capture(t, a.Window(), "contacts_search")
		sc.list.search.SetText("")
	})
}

func TestContactFormShowsTheRegisterFigures(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	ids, err := s.Add(ctx, &data.Contact{Name: "CAPT John Miller", Nation: "USA"})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []string{"2026-11-02T06:00:00Z", "2026-11-20T06:00:00Z"} {
		e := &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "CTF 150 sync", OccurredAt: at,
			Counterparts: []string{ids[0]}, Marking: data.Marking{Classification: "UNCLASSIFIED"}}
		if _, err := s.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	ui.showSection("Contacts")
	ui.contacts.open(ids[0])
	if got := ui.contacts.form.stats.Text; got != "2 exchanges, the last on 2026-11-20" {
		t.Fatalf("register figures %q", got)
	}
}
