package gui

import (
	"context"
	"slices"
	"testing"
)

func TestALevelAddedInSettingsIsOfferedAtOnce(t *testing.T) {
	a, _ := newTestApp(t)
	a.showSection("Exchanges") // its filters and form are built before the level exists
	a.newExchange()
	a.showSection("Settings")
	sc := a.settings
	sc.levelID.SetText("TOP SECRET")
	sc.levelAfter.SetSelected("SECRET")
	sc.levelColour.SetText("FF8C00")
	sc.saveLevel()
	if sc.levelStatus.Text != "Added TOP SECRET after SECRET." {
		t.Fatalf("status %q", sc.levelStatus.Text)
	}
	if got := a.exchanges.filters.classification.Options; !slices.Contains(got, "TOP SECRET") {
		t.Errorf("the exchange filter offers %v", got)
	}
	if got := a.exchanges.form.classification.Options; !slices.Contains(got, "TOP SECRET") {
		t.Errorf("the exchange form offers %v", got)
	}
}

func TestTheCatalogueFollowsASync(t *testing.T) {
	a, s := newTestApp(t)
	if _, err := s.AddClassification(context.Background(), "TOP SECRET", "SECRET", "#FF8C00"); err != nil {
		t.Fatal(err) // as a sync from a peer would bring it
	}
	a.storeChanged()
	if got := a.catalogue.levelIDs(); !slices.Contains(got, "TOP SECRET") {
		t.Fatalf("the catalogue has %v after the store changed", got)
	}
}
