package gui

import (
	"testing"

	"liaisondesk/data"
)

// hintOf is the text under a form field: its hint, or its error.
func hintOf(f *fieldForm, name string) string {
	r := f.rows[name]
	if !r.err.Visible() {
		return ""
	}
	return r.err.Text
}

func TestTheExchangeFormShowsEachTimeAtHomeToo(t *testing.T) {
	ui, _, sc := openSettings(t)
	ui.newExchange()
	f := ui.exchanges.form
	f.posting.SetSelected("CMF")
	f.timeZone.SetText("Asia/Bahrain")
	f.occurred.SetText("2026-11-24 14:00")
	if got := hintOf(f.ff, "occurred_at"); got != "14:00 Bahrain · 16:30 New Delhi" {
		t.Errorf("by default (New Delhi): %q", got)
	}
	f.kind.SetSelected("rfi_out")
	f.rfiDue.SetText("2026-11-30 17:00")
	if got := hintOf(f.ff, "rfi_due"); got != "17:00 Bahrain · 19:30 New Delhi" {
		t.Errorf("RFI due: %q", got)
	}
	capture(t, ui.Window(), "exchange_form_home_time")

	t.Run("the setting changes the zone", func(t *testing.T) {
		sc.homeZone.SetText("Europe/London")
		if got := ui.app.Preferences().String(homeZonePreference); got != "Europe/London" {
			t.Fatalf("preference %q", got)
		}
		f.occurred.SetText("2026-11-24 14:00")
		f.changed()
		if got := hintOf(f.ff, "occurred_at"); got != "14:00 Bahrain · 11:00 London" {
			t.Errorf("home London: %q", got)
		}
	})
	t.Run("a zone that is not one is refused and the last good one stays", func(t *testing.T) {
		sc.homeZone.SetText("Asia/Atlantis")
		if got := ui.app.Preferences().String(homeZonePreference); got != "Europe/London" {
			t.Errorf("preference %q after a bad zone", got)
		}
		if ui.homeZone().String() != "Europe/London" {
			t.Errorf("home zone %v", ui.homeZone())
		}
	})
	t.Run("a Hawaii evening is the next morning at home", func(t *testing.T) {
		sc.homeZone.SetText(data.DefaultHomeZone)
		f.timeZone.SetText("Pacific/Honolulu")
		f.occurred.SetText("2026-11-23 18:00")
		if got := hintOf(f.ff, "occurred_at"); got != "18:00 Mon 23 Nov Honolulu · 09:30 Tue 24 Nov New Delhi" {
			t.Errorf("Hawaii: %q", got)
		}
	})
	t.Run("no time, no home time", func(t *testing.T) {
		f.occurred.SetText("")
		if got := hintOf(f.ff, "occurred_at"); got != "In the time zone below" {
			t.Errorf("empty start: %q", got)
		}
	})
}

func TestReportsFromTheWindowUseTheHomeZoneSetting(t *testing.T) {
	ui, _, sc := openSettings(t)
	sc.homeZone.SetText("Europe/London")
	ui.showSection("Reports")
	o, _, _ := ui.reports.options()
	if o.HomeZone != "Europe/London" {
		t.Errorf("report options carry home zone %q", o.HomeZone)
	}
}
