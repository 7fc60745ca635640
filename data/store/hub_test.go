package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
)

// hubFor is a hub's store the organisation certified, trusting it.
func hubFor(t *testing.T, hq *Store) *Store {
	t.Helper()
	ctx := context.Background()
	hub := openStoreAt(t, "hub-bahrain", "CMF")
	if err := hub.MarkHub(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := hq.Enrol(ctx, identityOf(t, hub).String(), "hub", data.RoleHub, ""); err != nil {
		t.Fatal(err)
	}
	org, _, err := hq.Org(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hub.TrustOrg(ctx, org.String()); err != nil {
		t.Fatal(err)
	}
	return hub
}

// A hub's store keeps the signed log and the attachments' content, and
// relays both whole, but builds none of the officers' records: building
// them was half of its import, and nothing on a hub reads them.
func TestAHubsStoreKeepsTheLogAndTheContentButBuildsNoRecords(t *testing.T) {
	ctx := context.Background()
	hq, a, v := hqAndLaptops(t)
	hub := hubFor(t, hq)
	sendWithRoster(t, hq, hub)
	sendWithRoster(t, hq, v)
	id := addOne(t, a, sampleExchange())
	content := bytes.Repeat([]byte("minutes "), 40_000)
	p := filepath.Join(t.TempDir(), "minutes.txt")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	att, err := a.Attach(ctx, data.KindExchange, id, p, AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}

	bundleVia(t, a, hub, att.SHA256)
	counts, err := hub.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["exchanges"] != 0 || counts["attachments"] != 1 {
		t.Fatalf("the hub built records: %v", counts)
	}
	if _, err := hub.Get(ctx, data.KindExchange, id); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("the hub holds the exchange as a record: %v", err)
	}
	rep, err := hub.Check(ctx)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("the hub's check: %v %v", err, rep.Problems)
	}
	bundleVia(t, hub, v, att.SHA256)
	if got := getExchange(t, v, id); got.Title != sampleExchange().Title {
		t.Fatalf("the other laptop built %+v", got)
	}
	var buf bytes.Buffer
	if err := v.WriteContent(ctx, att.SHA256, &buf); err != nil || !bytes.Equal(buf.Bytes(), content) {
		t.Fatalf("the attachment's content did not travel through the hub: %v", err)
	}
	sendWithRoster(t, v, hub)
	if digestOf(t, v) != digestOf(t, hub) {
		t.Fatal("the other laptop's digest differs from the hub's: the hub lacks part of the log")
	}
}

// bundleVia imports into to what from holds and to lacks, with the roster
// and the content of the attachment sum.
func bundleVia(t *testing.T, from, to *Store, sum string) {
	t.Helper()
	in := rosterIncoming(t, from, to)
	var content bytes.Buffer
	if err := from.WriteContent(context.Background(), sum, &content); err != nil {
		t.Fatal(err)
	}
	in.Contents, in.ContentReader = []data.ContentRef{{SHA256: sum, Size: int64(content.Len())}}, &content
	if _, err := to.Import(context.Background(), in); err != nil {
		t.Fatalf("import: %v", err)
	}
}

// A hub's store judges what the log and the roster show: HQ's reference
// data from an author who is not HQ staff is held there, and never
// relayed. A form's rule on a field needs records the hub does not
// build: it relays such a change, and each laptop holds it for review.
func TestAHubsStoreHoldsWhatTheLogShowsAndLeavesTheFormsRulesToTheLaptops(t *testing.T) {
	ctx := context.Background()
	hq, a, v := hqAndLaptops(t)
	hub := hubFor(t, hq)
	sendWithRoster(t, hq, hub)
	sendWithRoster(t, hq, v)
	if err := a.CraftChange(ctx, "exchanges", "ex-banana", map[string]json.RawMessage{
		"posting": json.RawMessage(`"CMF"`), "kind": json.RawMessage(`"meeting"`), "title": json.RawMessage(`"Two\nlines"`),
		"occurred_at": json.RawMessage(`"2026-11-20T09:00:00Z"`)}); err != nil {
		t.Fatal(err)
	}
	res := sendWithRoster(t, a, hub)
	if res.Quarantined != 0 {
		t.Fatalf("the hub judged a form's rule it cannot see: %+v", res.Held)
	}
	if got := sendWithRoster(t, hub, v); got.Quarantined == 0 || !strings.Contains(got.Held[0].Detail, "title") {
		t.Fatalf("the laptop did not hold the exchange the hub relayed: %+v", got.Held)
	}

	hqHeld := func(s *Store) bool {
		t.Helper()
		held, err := s.Quarantine(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range held {
			if strings.Contains(h.Detail, "only HQ sets") {
				return true
			}
		}
		return false
	}
	if err := a.CraftChange(ctx, "rel_groups", "FVEY", map[string]json.RawMessage{
		"title": json.RawMessage(`"Five Eyes"`), "nations": json.RawMessage(`["AUS","CAN","GBR","NZL","USA","CHN"]`)}); err != nil {
		t.Fatal(err)
	}
	sendWithRoster(t, a, hub)
	if !hqHeld(hub) {
		t.Fatal("the hub did not hold a laptop's change to a releasability group")
	}
	sendWithRoster(t, hub, v)
	if g := groupNamed(t, v, "FVEY"); strings.Contains(strings.Join(g.Nations, ","), "CHN") {
		t.Fatalf("the hub relayed the laptop's change to FVEY: %v", g.Nations)
	}
}
