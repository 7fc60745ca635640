package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
)

// hqAndLaptops is HQ's store (holding the organisation's key) and two
// laptops it enrolled, each trusting the organisation.
func hqAndLaptops(t *testing.T) (hq, a, v *Store) {
	t.Helper()
	ctx := context.Background()
	hq = openStoreAt(t, "Brig HQ", "IHQ")
	org, _, err := hq.InitOrg(ctx, "Liaison Officers")
	if err != nil {
		t.Fatal(err)
	}
	a, v = openStoreAt(t, "Cdr A", "CMF"), openStoreAt(t, "Cdr V", "CMF")
	for name, s := range map[string]*Store{"alpha": a, "victor": v} {
		if _, _, err := hq.Enrol(ctx, identityOf(t, s).String(), name, data.RoleLaptop, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TrustOrg(ctx, org.String()); err != nil {
			t.Fatal(err)
		}
	}
	return hq, a, v
}

// sendWithRoster imports into to what from holds and to lacks, with the
// roster from carries, as a bundle would.
func sendWithRoster(t *testing.T, from, to *Store) data.ImportResult {
	t.Helper()
	res, err := to.Import(context.Background(), rosterIncoming(t, from, to))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// rosterIncoming is what from holds and to lacks, with from's roster.
func rosterIncoming(t *testing.T, from, to *Store) data.Incoming {
	t.Helper()
	ctx := context.Background()
	have, err := to.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := from.Outgoing(ctx, have)
	if err != nil {
		t.Fatal(err)
	}
	roster, _, err := from.RosterLines(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := from.Device()
	return data.Incoming{Sender: dev.Site, Batch: b, Roster: roster}
}

func groupNamed(t *testing.T, s *Store, id string) data.RelGroup {
	t.Helper()
	gs, err := s.RelGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(gs, func(g data.RelGroup) bool { return g.ID == id })
	if i < 0 {
		t.Fatalf("no group %s", id)
	}
	return gs[i]
}

func TestOnlyHQsStoreSetsReleasabilityGroupsAndNationFlags(t *testing.T) {
	ctx := context.Background()
	hq, a, _ := hqAndLaptops(t)
	if err := hq.SetRelGroup(ctx, data.RelGroup{ID: "GULF", Title: "Gulf partners", Nations: []string{"BHR", "ARE", "SAU"}}); err != nil {
		t.Fatalf("HQ sets a group: %v", err)
	}
	if err := hq.FlagNation(ctx, "PAK", "Not a releasability partner"); err != nil {
		t.Fatalf("HQ flags a nation: %v", err)
	}
	for what, err := range map[string]error{
		"set a group":   a.SetRelGroup(ctx, data.RelGroup{ID: "GULF", Nations: []string{"CHN"}}),
		"flag a nation": a.FlagNation(ctx, "USA", "x"),
	} {
		if !errors.Is(err, data.ErrNoOrgKey) {
			t.Errorf("a laptop could %s: %v", what, err)
		}
	}
	sendWithRoster(t, hq, a)
	if err := a.Update(ctx, data.KindRelGroup, "GULF", []byte(`{"nations":["CHN"]}`)); err == nil {
		t.Fatal("a laptop updated HQ's group")
	}
	if err := a.Delete(ctx, data.KindNationFlag, "PAK"); !errors.Is(err, data.ErrNoOrgKey) {
		t.Fatalf("a laptop deleted HQ's flag: %v", err)
	}
	if g := groupNamed(t, a, "GULF"); strings.Join(g.Nations, ",") != "BHR,ARE,SAU" {
		t.Fatalf("the laptop's GULF: %v", g.Nations)
	}
	flags, _ := a.NationFlags(ctx)
	if len(flags) != 1 || flags[0].ID != "PAK" {
		t.Fatalf("the laptop's flags: %+v", flags)
	}
}

// A patched laptop writes a group anyway and sends it: every replica holds
// the change for review, and the group stays as HQ set it.
func TestAGroupChangeByANonHQAuthorIsHeldForReview(t *testing.T) {
	ctx := context.Background()
	hq, a, v := hqAndLaptops(t)
	sendWithRoster(t, hq, a)
	sendWithRoster(t, hq, v)
	if err := a.CraftChange(ctx, "rel_groups", "FVEY", map[string]json.RawMessage{
		"title": json.RawMessage(`"Five Eyes"`), "nations": json.RawMessage(`["AUS","CAN","GBR","NZL","USA","CHN"]`)}); err != nil {
		t.Fatal(err)
	}
	res := sendWithRoster(t, a, v)
	if res.Quarantined == 0 || len(res.Held) == 0 || !strings.Contains(res.Held[0].Detail, "only HQ sets") {
		t.Fatalf("held %d: %+v", res.Quarantined, res.Held)
	}
	if g := groupNamed(t, v, "FVEY"); slices.Contains(g.Nations, "CHN") {
		t.Fatalf("V's FVEY took the laptop's change: %v", g.Nations)
	}
	// HQ's own change of the same group applies.
	if err := hq.SetRelGroup(ctx, data.RelGroup{ID: "FVEY", Title: "Five Eyes", Nations: []string{"AUS", "CAN", "GBR", "NZL", "USA"}}); err != nil {
		t.Fatal(err)
	}
	if res := sendWithRoster(t, hq, v); res.Quarantined != 0 {
		t.Fatalf("HQ's change was held: %+v", res.Held)
	}
}
