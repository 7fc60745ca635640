package gui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"liaisondesk/data"
)

// Home time: HQ in New Delhi reads times recorded in three foreign zones,
// so forms show each time there too. The zone is this laptop's setting
// (Settings, "Also show times in"), kept in the app preferences.

const homeZonePreference = "homeTimeZone"

// homeZone is the zone times are also shown in; a preference that no
// longer loads falls back to New Delhi.
func (a *App) homeZone() *time.Location {
	loc, err := data.HomeLocation(a.app.Preferences().StringWithFallback(homeZonePreference, data.DefaultHomeZone))
	if err != nil {
		loc, _ = data.HomeLocation("")
	}
	return loc
}

// homeZoneChoices are offered in the setting; any IANA name may be typed.
func homeZoneChoices() []string {
	return []string{"Asia/Kolkata", "UTC", "Asia/Bahrain", "Pacific/Honolulu", "America/New_York", "Europe/London"}
}

// buildHomeTime is the Settings section "Also show times in".
func (sc *settingsScreen) buildHomeTime() fyne.CanvasObject {
	prefs := sc.app.app.Preferences()
	zone := widget.NewSelectEntry(homeZoneChoices())
	zone.SetText(sc.app.homeZone().String())
	example := widget.NewLabel("")
	example.Wrapping = fyne.TextWrapWord
	show := func(loc *time.Location) {
		bahrain, _ := time.LoadLocation("Asia/Bahrain")
		at := time.Date(2026, 11, 24, 14, 0, 0, 0, bahrain)
		example.Importance = widget.MediumImportance
		example.SetText("A meeting at " + data.BothTimes(at, bahrain, loc) + ".")
	}
	show(sc.app.homeZone())
	zone.OnChanged = func(s string) {
		loc, err := data.HomeLocation(s)
		if err != nil {
			example.Importance = widget.DangerImportance
			example.SetText(plain(err))
			return // the last good zone stays in force
		}
		prefs.SetString(homeZonePreference, strings.TrimSpace(loc.String()))
		show(loc)
	}
	sc.homeZone = zone
	return settingsSection("Also show times in", theme.HistoryIcon(),
		"Forms show each time at the posting and in this zone; IANA names, e.g. Asia/Kolkata (New Delhi).",
		container.NewVBox(zone, example))
}

// timeHints are the exchange form's time fields whose hint shows the
// time at home.
func (f *exchangeForm) timeHints() []struct {
	name  string
	entry *widget.Entry
	none  string // the hint when there is no time to show
} {
	return []struct {
		name  string
		entry *widget.Entry
		none  string
	}{{"occurred_at", f.occurred, "In the time zone below"}, {"ended_at", f.ended, ""}, {"rfi_due", f.rfiDue, ""}}
}

// showHomeTimes puts beside each time typed in the exchange's zone the
// same time at home: "14:00 Bahrain · 16:30 New Delhi".
func (f *exchangeForm) showHomeTimes() {
	if f.occurred == nil || f.timeZone == nil {
		return // not built yet
	}
	zone := strings.TrimSpace(f.timeZone.Text)
	local, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		local = nil
	}
	home := f.app.homeZone()
	for _, h := range f.timeHints() {
		hint := h.none
		if local != nil {
			if t, err := time.Parse(time.RFC3339, localTime(h.entry.Text, zone)); err == nil && strings.Contains(strings.TrimSpace(h.entry.Text), ":") {
				hint = data.BothTimes(t, local, home)
			}
		}
		f.ff.setHint(h.name, hint)
	}
}
