package gui

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// newLaptopStore is another officer's store, for its identity line.
func newLaptopStore(t *testing.T, officer string) *store.Store {
	t.Helper()
	s := openStore(t)
	if err := s.Init(context.Background(), data.Officer{Name: officer, Rank: "Commander", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// newHQStore is HQ's store with an organisation, outside any window.
func newHQStore(t *testing.T) (*store.Store, data.Org) {
	t.Helper()
	hq := openStore(t)
	if err := hq.Init(context.Background(), data.Officer{Name: "Cdr. V. Nair", Rank: "Commander", Posting: "IHQ"}); err != nil {
		t.Fatal(err)
	}
	org, _, err := hq.InitOrg(context.Background(), "Integrated HQ")
	if err != nil {
		t.Fatal(err)
	}
	return hq, org
}

// shownGroups are the five-digit groups a text shows, in order, as one
// line: the fingerprint, however it is laid out.
func shownGroups(text string) string {
	var groups []string
	for _, f := range strings.Fields(text) {
		if len(f) == 5 && strings.Trim(f, "0123456789") == "" {
			groups = append(groups, f)
		}
	}
	return strings.Join(groups, " ")
}

// rosterNames are the names the section's roster table shows, in order.
func rosterNames(o *orgSection) []string {
	var names []string
	for _, obj := range o.rosterBox.Objects {
		if row, ok := obj.(*fyne.Container); ok {
			names = append(names, row.Objects[0].(*widget.Label).Text)
		}
	}
	return names
}

// rosterState is the State cell of a device's row.
func rosterState(o *orgSection, name string) string {
	for _, obj := range o.rosterBox.Objects {
		if row, ok := obj.(*fyne.Container); ok && row.Objects[0].(*widget.Label).Text == name {
			return row.Objects[5].(*widget.Label).Text
		}
	}
	return ""
}

func TestOrgSectionWithoutAnOrganisationOffersToTrustOne(t *testing.T) {
	_, _, sc := openSettings(t)
	o := sc.org
	if !o.none.Visible() || o.none.Text != noOrgText {
		t.Errorf("section says %q (shown %v)", o.none.Text, o.none.Visible())
	}
	if !o.trustBtn.Visible() {
		t.Error("no Trust an organisation… button")
	}
	if o.orgInfo.Visible() || o.rosterPart.Visible() {
		t.Error("an organisation or roster is shown with none trusted")
	}
}

func TestOrgSectionTrustsAnOrganisationByItsLineAndShowsItsRoster(t *testing.T) {
	ctx := context.Background()
	hq, org := newHQStore(t)
	ui, s, sc := openSettings(t)
	o := sc.org
	test.Tap(o.trustBtn)
	d := o.trust

	t.Run("a line that is not an organisation's is refused next to the field", func(t *testing.T) {
		d.line.SetText("liaisondesk-identity-v1 abc")
		if got := d.form.errorText("organisation"); !strings.Contains(got, "not a Liaison Desk organisation line") ||
			!strings.Contains(got, "HQ's Settings") {
			t.Errorf("error under the field %q", got)
		}
		if !d.trust.Disabled() {
			t.Error("Trust is enabled for a bad line")
		}
		if got, _, _ := s.Org(ctx); got != nil {
			t.Error("an organisation was trusted")
		}
	})

	t.Run("the fingerprint is shown before trusting, as org fingerprint prints it", func(t *testing.T) {
		d.line.SetText(org.String())
		if shownGroups(d.fingerprint.Text) != org.Fingerprint() || d.trust.Disabled() {
			t.Fatalf("preview %q, trust disabled %v", d.fingerprint.Text, d.trust.Disabled())
		}
		if got, _, _ := s.Org(ctx); got != nil {
			t.Error("trusted before the officer confirmed")
		}
		test.Tap(d.trust)
		got, holds, err := s.Org(ctx)
		if err != nil || got == nil || !got.PublicKey.Equal(org.PublicKey) || holds {
			t.Fatalf("store trusts %v (holds key %v, %v)", got, holds, err)
		}
		if o.none.Visible() || o.trustBtn.Visible() || !o.orgInfo.Visible() {
			t.Error("the section still offers to trust one")
		}
		if !strings.Contains(o.orgName.Text, "Integrated HQ") || o.fingerprint.Text != org.Fingerprint() {
			t.Errorf("section shows %q, fingerprint %q", o.orgName.Text, o.fingerprint.Text)
		}
		if !o.rosterEmpty.Visible() || len(rosterNames(o)) != 0 {
			t.Errorf("roster %v before any sync", rosterNames(o))
		}
	})

	t.Run("the roster arrives with a sync and is shown", func(t *testing.T) {
		if _, _, err := hq.Enrol(ctx, identityLine(t, s), "sharma", data.RoleLaptop, ""); err != nil {
			t.Fatal(err)
		}
		relay(t, hq, s, "sharma")
		ui.storeChanged()
		if got := strings.Join(rosterNames(o), ","); got != "hq,sharma" {
			t.Errorf("roster shows %q", got)
		}
		if o.enrolBtn.Visible() || o.revokeBtn.Visible() {
			t.Error("a store without the organisation's key offers to enrol or revoke")
		}
	})
}

func TestOrgSectionAtHQEnrolsAndRevokesDevices(t *testing.T) {
	ctx := context.Background()
	ui, s, sc := openSettings(t)
	org, _, err := s.InitOrg(ctx, "Integrated HQ")
	if err != nil {
		t.Fatal(err)
	}
	o := sc.org
	o.load()
	if !o.enrolBtn.Visible() || !o.revokeBtn.Visible() || !o.revokeBtn.Disabled() {
		t.Fatalf("HQ's buttons: enrol shown %v, revoke shown %v, revoke disabled %v (nothing to revoke yet)",
			o.enrolBtn.Visible(), o.revokeBtn.Visible(), o.revokeBtn.Disabled())
	}
	if !strings.Contains(o.orgName.Text, "HQ's store") || o.fingerprint.Text != org.Fingerprint() {
		t.Errorf("section shows %q, %q", o.orgName.Text, o.fingerprint.Text)
	}
	laptop := newLaptopStore(t, "Lt. Cdr. S. Menon")

	t.Run("a bad identity line is named next to the field and enrols nothing", func(t *testing.T) {
		test.Tap(o.enrolBtn)
		d := o.enrol
		d.line.SetText("liaisondesk-identity-v1 not a line")
		d.name.SetText("menon")
		test.Tap(d.enrol)
		if got := d.form.errorText("identity"); !strings.Contains(got, "identity line") {
			t.Errorf("error under the identity line %q", got)
		}
		if d.form.errorText("name") != "" {
			t.Errorf("error under the name %q", d.form.errorText("name"))
		}
		if rows, _ := s.RosterRows(ctx); len(rows) != 1 {
			t.Errorf("roster holds %d devices after a refusal", len(rows))
		}
		if got := rosterNames(o); len(got) != 1 {
			t.Errorf("section shows %v", got)
		}
		d.dialog.Hide()
	})

	t.Run("a date in the past is named next to Valid until", func(t *testing.T) {
		test.Tap(o.enrolBtn)
		d := o.enrol
		d.line.SetText(identityLine(t, laptop))
		d.name.SetText("menon")
		d.until.SetText("2001-01-01")
		test.Tap(d.enrol)
		if got := d.form.errorText("until"); !strings.Contains(got, "in the past") {
			t.Errorf("error under Valid until %q", got)
		}
		if rows, _ := s.RosterRows(ctx); len(rows) != 1 {
			t.Errorf("roster holds %d devices after a refusal", len(rows))
		}
		d.dialog.Hide()
	})

	t.Run("a device enrolled is shown on the roster", func(t *testing.T) {
		test.Tap(o.enrolBtn)
		d := o.enrol
		d.line.SetText(identityLine(t, laptop))
		if !strings.Contains(d.preview.Text, "Lt. Cdr. S. Menon") {
			t.Errorf("preview %q", d.preview.Text)
		}
		d.name.SetText("menon")
		d.role.SetSelected("laptop")
		d.until.SetText("2099-06-30")
		test.Tap(d.enrol)
		if d.form.general.Visible() || d.form.errorText("identity") != "" {
			t.Fatalf("refused: %q %q", d.form.general.Text, d.form.errorText("identity"))
		}
		if got := strings.Join(rosterNames(o), ","); got != "hq,menon" {
			t.Errorf("roster shows %q", got)
		}
		if got := rosterState(o, "menon"); got != "valid" {
			t.Errorf("menon is %q", got)
		}
		if o.revokeBtn.Disabled() {
			t.Error("Revoke… stays disabled with a device to revoke")
		}
	})

	t.Run("revoking asks, then marks the device revoked with its cut", func(t *testing.T) {
		test.Tap(o.revokeBtn)
		d := o.revoke
		if got := d.device.Options; len(got) != 1 || got[0] != "menon" {
			t.Fatalf("devices offered %v (not HQ's own)", got)
		}
		test.Tap(d.next)
		if got := d.form.errorText("name"); !strings.Contains(got, "choose the device") {
			t.Errorf("no choice: %q", got)
		}
		d.device.SetSelected("menon")
		d.reason.SetText("laptop lost in transit")
		test.Tap(d.next)
		if o.asked == nil || !strings.Contains(o.asked.text.Text, "held for review on every replica") {
			t.Fatal("no confirmation saying what happens to its later changes")
		}
		if rows, _ := s.RosterRows(ctx); rows[1].Revoked != "" {
			t.Fatal("revoked before the officer confirmed")
		}
		test.Tap(o.asked.ok)
		rows, err := s.RosterRows(ctx)
		if err != nil || rows[1].Name != "menon" || rows[1].Revoked == "" || rows[1].Reason != "laptop lost in transit" {
			t.Fatalf("stored roster %+v %v", rows, err)
		}
		if got := rosterState(o, "menon"); !strings.HasPrefix(got, "revoked ") {
			t.Errorf("menon is %q", got)
		}
		if !strings.Contains(o.status.Text, "Revoked menon") {
			t.Errorf("status %q", o.status.Text)
		}
		if !o.revokeBtn.Disabled() {
			t.Error("Revoke… enabled with nothing left to revoke")
		}
		closeDialogs(ui)
	})
}

func TestOrgSectionOfALaptopInAnOrganisationHasNoEnrolOrRevoke(t *testing.T) {
	_, org := newHQStore(t)
	_, s, sc := openSettings(t)
	if _, err := s.TrustOrg(context.Background(), org.String()); err != nil {
		t.Fatal(err)
	}
	sc.shown()
	o := sc.org
	if !o.orgInfo.Visible() || o.fingerprint.Text != org.Fingerprint() {
		t.Fatalf("organisation not shown: %q", o.fingerprint.Text)
	}
	if o.enrolBtn.Visible() || o.revokeBtn.Visible() {
		t.Error("a laptop without the organisation's key offers to enrol or revoke")
	}
}

func TestWindowAdviceForTheOrganisationSpeaksOfTheWindow(t *testing.T) {
	for _, fact := range []error{data.ErrNotOrgLine, data.ErrNoOrgKey, data.ErrDeviceCodeTaken, data.ErrNoOrgTrusted} {
		advice := windowAdvice(data.InvalidBecause(fact, "identity", "refused"))
		if advice == "" || strings.Contains(advice, "liaisondesk ") {
			t.Errorf("%v: advice %q", fact, advice)
		}
	}
	if got := windowAdvice(errors.New("other")); got != "" {
		t.Errorf("advice for an unrelated error: %q", got)
	}
}

// TestOrgScreenshots captures Settings' Organisation and security section
// at HQ with a roster of four devices, one revoked, light and dark. It runs
// only with LIAISONDESK_SHOTS set.
func TestOrgScreenshots(t *testing.T) {
	if os.Getenv("LIAISONDESK_SHOTS") == "" {
		t.Skip("set LIAISONDESK_SHOTS to a folder to capture the screens")
	}
	ctx := context.Background()
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(themePreference, "light")
	ui, s := newTestAppOn(t, fa, "Cdr. V. Nair")
	if _, _, err := s.InitOrg(ctx, "Integrated HQ, Ministry of Defence"); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		name, officer string
		role          data.Role
		until         string
	}{
		{"bahrain-cmf", "Col. A. Sharma", data.RoleLaptop, "2028-06-30"},
		{"tampa-socom", "Capt. R. Iyer (Indian Navy), Liaison Officer to US Special Operations Command", data.RoleLaptop, "2027-12-31"},
		{"hub-delhi", "IHQ hub, New Delhi", data.RoleHub, ""},
		{"menon-old", "Lt. Cdr. S. Menon", data.RoleLaptop, "2027-03-31"},
	} {
		if _, _, err := s.Enrol(ctx, identityLine(t, newLaptopStore(t, d.officer)), d.name, d.role, d.until); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Revoke(ctx, "menon-old", "laptop lost in transit, Doha"); err != nil {
		t.Fatal(err)
	}
	ui.showSection("Settings")
	o := ui.settings.org
	o.say("Revoked menon-old: "+revocationCut(0, ""), widget.MediumImportance)
	ui.Window().Resize(fyne.NewSize(1200, 1900))
	capture(t, ui.Window(), "settings-org")

	test.Tap(o.enrolBtn)
	o.enrol.line.SetText("liaisondesk-identity-v1 not a line")
	o.enrol.name.SetText("doha-2")
	test.Tap(o.enrol.enrol)
	ui.Window().Resize(fyne.NewSize(1200, 900))
	capture(t, ui.Window(), "settings-org-enrol")
	closeDialogs(ui)

	test.Tap(o.revokeBtn)
	o.revoke.device.SetSelected("tampa-socom")
	o.revoke.reason.SetText("end of tour")
	test.Tap(o.revoke.next)
	capture(t, ui.Window(), "settings-org-revoke")
	closeDialogs(ui)

	applyTheme(ui.app, "dark")
	ui.showSection("Dashboard")
	ui.showSection("Settings")
	ui.Window().Resize(fyne.NewSize(1200, 1900))
	capture(t, ui.Window(), "settings-org-dark")

	fa.Preferences().SetString(themePreference, "dark")
	laptop, _ := newTestAppOn(t, fa, "Col. A. Sharma")
	laptop.showSection("Settings")
	laptop.Window().Resize(fyne.NewSize(1200, 1400))
	capture(t, laptop.Window(), "settings-org-none-dark")
	test.Tap(laptop.settings.org.trustBtn)
	laptop.settings.org.trust.line.SetText(mustOrgLine(t, s))
	laptop.Window().Resize(fyne.NewSize(1200, 900))
	capture(t, laptop.Window(), "settings-org-trust-dark")
}

// mustOrgLine is the organisation line of a store that trusts one.
func mustOrgLine(t *testing.T, s *store.Store) string {
	t.Helper()
	org, _, err := s.Org(context.Background())
	if err != nil || org == nil {
		t.Fatalf("no organisation: %v", err)
	}
	return org.String()
}

func TestOrgSectionOpensTheAuditOfWhatLeftTheSystem(t *testing.T) {
	ui, _, sc := openSettings(t)
	test.Tap(sc.org.auditBtn)
	top := ui.Window().Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("the audit button opened nothing")
	}
	if !showsText(t, top, "Audit of what left the system") {
		t.Fatal("the dialog opened is not the audit")
	}
}

// showsText reports whether a label or rich text under o reads want.
func showsText(t *testing.T, o fyne.CanvasObject, want string) bool {
	switch w := o.(type) {
	case *widget.Label:
		return strings.Contains(w.Text, want)
	case *canvas.Text:
		return strings.Contains(w.Text, want)
	case *fyne.Container:
		for _, c := range w.Objects {
			if showsText(t, c, want) {
				return true
			}
		}
		return false
	case fyne.Widget:
		for _, c := range test.TempWidgetRenderer(t, w).Objects() {
			if showsText(t, c, want) {
				return true
			}
		}
	}
	return false
}
