package data

import (
	"errors"
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestABahrainMeetingAt1400IsAt1630InNewDelhi(t *testing.T) {
	bahrain := mustZone(t, "Asia/Bahrain")
	home, err := HomeLocation("")
	if err != nil || home.String() != "Asia/Kolkata" {
		t.Fatalf("default home zone %v, %v", home, err)
	}
	at := time.Date(2026, 11, 24, 14, 0, 0, 0, bahrain)
	if got := BothTimes(at, bahrain, home); got != "14:00 Bahrain · 16:30 New Delhi" {
		t.Errorf("got %q", got)
	}
}

func TestAHawaiiMeetingCrossesTheDateLineWithBothDatesShown(t *testing.T) {
	hawaii := mustZone(t, "Pacific/Honolulu")
	home, _ := HomeLocation("Asia/Kolkata")
	at := time.Date(2026, 11, 23, 18, 0, 0, 0, hawaii) // Monday evening in Honolulu
	if got := BothTimes(at, hawaii, home); got != "18:00 Mon 23 Nov Honolulu · 09:30 Tue 24 Nov New Delhi" {
		t.Errorf("got %q", got)
	}
}

func TestATimeAtHomeIsShownOnce(t *testing.T) {
	home, _ := HomeLocation("Asia/Kolkata")
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, home)
	if got := BothTimes(at, home, home); got != "10:00 New Delhi" {
		t.Errorf("got %q", got)
	}
	ny := mustZone(t, "America/New_York")
	if got := ZoneCity(ny); got != "New York" {
		t.Errorf("city of %v: %q", ny, got)
	}
}

func TestAnUnknownHomeZoneIsRefusedByName(t *testing.T) {
	for _, name := range []string{"Asia/Atlantis", "Local", "../../etc/passwd"} {
		_, err := HomeLocation(name)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "home_tz" {
			t.Errorf("HomeLocation(%q): %v, want a field error on home_tz", name, err)
		}
	}
}
