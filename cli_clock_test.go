package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// A bundle holding changes stamped days ahead of this laptop's clock is
// imported, and the summary says so, naming the device.
func TestBundleImportWarnsOfChangesStampedAhead(t *testing.T) {
	a, b := twoEnrolledStores(t)
	ctx := context.Background()
	s, err := store.Open(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	// The verbs read the real clock: a's is three days fast of it.
	s.Now = func() time.Time { return time.Now().AddDate(0, 0, 3) }
	if _, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Stamped ahead", OccurredAt: "2026-11-20T06:00:00Z",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}); err != nil {
		t.Fatal(err)
	}
	dev, _ := s.Device()
	s.Close()
	file := filepath.Join(t.TempDir(), "a-to-b.ldbundle")
	if r := liaisondesk(t, a, "", "bundle", "create", "--to", "b", "-o", file); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := liaisondesk(t, b, "", "bundle", "import", file)
	var res struct {
		Applied       int
		FutureStamped int      `json:"future_stamped"`
		ClockWarnings []string `json:"clock_warnings"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Applied == 0 || res.FutureStamped != 1 || len(res.ClockWarnings) != 1 {
		t.Fatalf("got %d %q %q", r.code, r.stdout, r.stderr)
	}
	want := "1 change from device " + dev.Site.ShortCode() + " (Col. A. Sharma) is stamped up to 3 days ahead of this laptop's clock"
	if !strings.Contains(r.stderr, "warning: "+want) {
		t.Errorf("stderr %q, want the warning %q", r.stderr, want)
	}
}

// A laptop that wrote while its clock ran days fast keeps stamping ahead
// after the clock is put right: identity and check say so on stderr.
func TestIdentityAndCheckWarnWhenThisLaptopStampsAhead(t *testing.T) {
	a, _ := twoEnrolledStores(t)
	for _, verb := range []string{"identity", "check"} {
		if r := liaisondesk(t, a, "", verb); r.code != 0 || strings.Contains(r.stderr, "ahead") {
			t.Fatalf("%s with the clock right: %d %q", verb, r.code, r.stderr)
		}
	}
	ctx := context.Background()
	s, err := store.Open(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, testPassphrase); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Now().AddDate(0, 0, 3) }
	if _, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Written three days fast", OccurredAt: "2026-11-20T06:00:00Z",
		Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, verb := range []string{"identity", "check"} {
		if r := liaisondesk(t, a, "", verb); r.code != 0 || !strings.Contains(r.stderr, "warning: this laptop stamps its changes") {
			t.Errorf("%s does not warn of the clock: %d %q", verb, r.code, r.stderr)
		}
	}
}
