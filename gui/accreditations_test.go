package gui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

// The officer records their accreditation in its form: the officer is
// this laptop's, the DDL's ceiling, methods and categories are picked,
// and the dates are typed; Ctrl+S stores it and the list shows it.
func TestAccreditationThroughTheForm(t *testing.T) {
	ui, s := newTestApp(t)
	ui.showSection("Accreditation")
	_, pages, ok := ui.sectionOf(data.KindAccreditation)
	if !ok {
		t.Fatal("no Accreditation section")
	}
	sc := pages.app.nav[ui.current].sec.(*accreditationsScreen)
	test.Tap(sc.newBtn)
	f := sc.form
	if f.officer.Text != "Col. A. Sharma" {
		t.Fatalf("officer %q, want this laptop's", f.officer.Text)
	}
	test.Type(f.command, "US Naval Forces Central Command")
	f.startsOn.SetText("2026-01-15")
	f.endsOn.SetText("2028-01-14")
	test.Type(f.contact, "CDR L. Walker, N5")
	test.Type(f.fdo, "Ms K. Ortiz, NAVCENT FDO")
	f.ceiling.SetSelected("CONFIDENTIAL")
	f.methods.SetSelected([]string{"oral", "visual"})
	f.categories.SetSelected([]string{f.categories.Options[0], f.categories.Options[4]})
	test.Type(f.limitations, "No third-country information without the originator's consent.")
	f.reviewOn.SetText("2026-12-10")
	test.Type(f.evaNumber, "EVA-NAVCENT-2026-0147")
	f.evaEndsOn.SetText("2027-01-14")
	f.badge.SetText("2027-13-01")
	if msg := f.ff.errorText("badge_expires_on"); !strings.Contains(msg, "not a real date") {
		t.Fatalf("a badge date of month 13: message %q", msg)
	}
	f.badge.SetText("2026-12-20")
	capture(t, ui.Window(), "accreditation_form")
	pressCtrlS(t, ui)
	if sc.frame.editing {
		t.Fatalf("still editing after Ctrl+S: %v", sc.frame.lastErr)
	}
	rec, err := s.Get(context.Background(), data.KindAccreditation, sc.frame.id)
	if err != nil {
		t.Fatal(err)
	}
	a := rec.(*data.Accreditation)
	if a.Officer != "Col. A. Sharma" || a.DDLCeiling != "CONFIDENTIAL" || !slices.Equal(a.DDLMethods, []string{"oral", "visual"}) ||
		!slices.Equal(a.DDLCategories, []string{"1", "5"}) || a.BadgeExpiresOn != "2026-12-20" || a.EVANumber != "EVA-NAVCENT-2026-0147" {
		t.Fatalf("stored %+v", a)
	}
	capture(t, ui.Window(), "accreditation_saved")
	sc.frame.close()
	rows := listRows(t, sc.list)
	if len(rows) != 1 || rows[0].Values["ddl_ceiling"] != "CONFIDENTIAL" {
		t.Fatalf("list rows %+v", rows)
	}
	capture(t, ui.Window(), "accreditation_list")
}

// With a DDL ceiling of CONFIDENTIAL, saving a SECRET exchange the
// officer received asks for the justification beside its field, writes
// nothing, and saves once it is given.
func TestTheExchangeFormAsksForTheDDLJustificationBesideItsField(t *testing.T) {
	ui, s := newTestApp(t)
	ctx := context.Background()
	if _, err := s.Add(ctx, &data.Accreditation{Officer: "Col. A. Sharma", DDLCeiling: "CONFIDENTIAL",
		DDLMethods: []string{"oral", "visual"}, DDLCategories: []string{"1", "5"}}); err != nil {
		t.Fatal(err)
	}
	ui.newExchange()
	sc := ui.exchanges
	f := sc.form
	test.Type(f.titleEntry, "N2 threat brief on the Red Sea")
	f.kind.SetSelected("briefing_received")
	f.occurred.SetText("2026-11-24 10:30")
	f.direction.SetSelected("received")
	f.disclosure.SetSelected("oral")
	f.classification.SetSelected("SECRET")
	f.ddl.category.SetSelected(f.ddl.category.Options[8]) // 8 Military Intelligence
	ui.save()
	if !sc.frame.editing {
		t.Fatal("the exchange was saved without a justification")
	}
	msg := f.ff.errorText("ddl_justification")
	for _, want := range []string{"SECRET is above the DDL ceiling CONFIDENTIAL", "NDP-1 category 8", "DDL justification"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message beside DDL justification lacks %q: %q", want, msg)
		}
	}
	if n, _ := s.Count(ctx); n["exchanges"] != 0 {
		t.Fatalf("a refused exchange was written: %v", n)
	}
	sc.frame.scroll.ScrollToOffset(fyne.NewPos(0, 430)) // the field and its message in view
	capture(t, ui.Window(), "exchange_ddl_justification_asked")

	test.Type(f.ddl.justification, "The N2 showed the plot above the ceiling; reported to the Defence Wing.")
	ui.save()
	if sc.frame.editing {
		t.Fatalf("not saved with a justification: %v", f.ff.errorText("ddl_justification"))
	}
	rec, err := s.Get(ctx, data.KindExchange, sc.frame.id)
	if err != nil {
		t.Fatal(err)
	}
	if e := rec.(*data.Exchange); e.NDPCategory != "8" || !strings.HasPrefix(e.DDLJustification, "The N2 showed") {
		t.Fatalf("stored %+v", e)
	}
	capture(t, ui.Window(), "exchange_ddl_justification_saved")
}
