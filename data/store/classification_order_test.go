package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
)

func leftOffWhy(t *testing.T, s *Store, id string) string {
	t.Helper()
	left, err := s.LeftOffLevels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		if l.ID == id {
			return l.Why
		}
	}
	return ""
}

// Added levels never move, whatever gets into the store: the order takes
// an added level's rank from the change that created it, and a level the
// log gives a second rank is left off the order (its records count as
// unknown: above every ceiling), never placed lower.
func TestAddedLevelsNeverMoveWhateverTheLogSays(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	t.Run("created again at its own rank, it keeps its place", func(t *testing.T) {
		if err := s.CraftChange(ctx, "classifications", "NATO SECRET", map[string]json.RawMessage{"rank": json.RawMessage("40")}); err != nil {
			t.Fatal(err)
		}
		levels, _ := s.Classifications(ctx)
		if got := levelRanks(levels); !strings.HasSuffix(got, "SECRET=30 NATO SECRET=40") {
			t.Fatalf("levels %s", got)
		}
	})
	t.Run("a re-rank in the log does not move it below SECRET", func(t *testing.T) {
		// CraftChange writes past every rule, as a release from review or
		// a bug could.
		if err := s.CraftChange(ctx, "classifications", "NATO SECRET", map[string]json.RawMessage{"rank": json.RawMessage("5")}); err != nil {
			t.Fatal(err)
		}
		var stored int
		if err := s.rdb.QueryRow(`SELECT rank FROM classifications WHERE id = 'NATO SECRET'`).Scan(&stored); err != nil || stored != 5 {
			t.Fatalf("the table's rank is %d (%v): the test no longer crafts what it means to", stored, err)
		}
		levels, _ := s.Classifications(ctx)
		if slices.ContainsFunc(levels, func(l data.Classification) bool { return l.ID == "NATO SECRET" }) {
			t.Fatalf("NATO SECRET is still placed: %s", levelRanks(levels))
		}
		if got := levelRanks(levels); got != "UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30" {
			t.Errorf("levels %s", got)
		}
		if why := leftOffWhy(t, s, "NATO SECRET"); !strings.Contains(why, "created at rank 40 and later given rank 5") {
			t.Errorf("left off because %q", why)
		}
		checkStoreClean(t, s)
	})
	t.Run("its name stays taken", func(t *testing.T) {
		if _, err := s.AddClassification(ctx, "NATO SECRET", "CONFIDENTIAL", ""); err == nil || !strings.Contains(err.Error(), "already on the classification list") {
			t.Fatalf("re-adding a level left off the order: %v", err)
		}
	})
}

// Two officers adding a level at the same place before syncing both take
// rank 40. Each side accepts the other's level (a tie between added levels
// is safe: both are left off the order, as unknown), so later work keeps
// flowing both ways, and the tie is told: both levels say they share a
// rank. A new level then avoids the shared rank; a level tying a built-in
// is still held.
func TestTwoLevelsAddedAtOnceShareARank(t *testing.T) {
	ctx := context.Background()
	a, b := openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"a": a, "b": b})
	if _, err := a.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddClassification(ctx, "COSMIC", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]*Store{{a, b}, {b, a}} {
		ex := sampleExchange()
		ex.Title = "Later work"
		addOne(t, pair[0], ex)
		if res := sendAll(t, pair[0], pair[1]); len(res.Held) > 0 {
			t.Fatalf("held: %+v", res.Held)
		}
	}
	for name, s := range map[string]*Store{"a": a, "b": b} {
		t.Run("at "+name+" both are left off, saying they share a rank", func(t *testing.T) {
			levels, _ := s.Classifications(ctx)
			if got := levelRanks(levels); got != "UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30" {
				t.Errorf("levels %s", got)
			}
			if why := leftOffWhy(t, s, "NATO SECRET"); why != "shares rank 40 with COSMIC" {
				t.Errorf("NATO SECRET: %q", why)
			}
			if why := leftOffWhy(t, s, "COSMIC"); why != "shares rank 40 with NATO SECRET" {
				t.Errorf("COSMIC: %q", why)
			}
			checkStoreClean(t, s)
		})
	}
	t.Run("a level added at the same place takes a rank of its own", func(t *testing.T) {
		l, err := a.AddClassification(ctx, "COSMIC TOP SECRET", "SECRET", "")
		if err != nil {
			t.Fatal(err)
		}
		levels, _ := a.Classifications(ctx)
		if l.Rank == 40 || !slices.ContainsFunc(levels, func(c data.Classification) bool { return c.ID == l.ID }) {
			t.Errorf("it took rank %d: %s", l.Rank, levelRanks(levels))
		}
	})
	t.Run("a new level tying a built-in is still held", func(t *testing.T) {
		if err := b.CraftChange(ctx, "classifications", "ULTRA", map[string]json.RawMessage{"rank": json.RawMessage("30")}); err != nil {
			t.Fatal(err)
		}
		res := sendAll(t, b, a)
		if len(res.Held) != 1 || !strings.Contains(res.Held[0].Detail, "rank 30 is already SECRET's") {
			t.Fatalf("held %+v", res.Held)
		}
	})
}

// A change relayed in the same bundle as the level it re-ranks is judged
// against the level as the bundle creates it, so it is held with the
// reason, and the change that created the level is not.
func TestARelayedReRankIsHeldWithItsReason(t *testing.T) {
	ctx := context.Background()
	a, x, v := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"a": a, "x": x, "v": v})
	if _, err := a.AddClassification(ctx, "NATO SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	sendAll(t, a, x)
	if err := x.CraftChange(ctx, "classifications", "NATO SECRET", map[string]json.RawMessage{"rank": json.RawMessage("5")}); err != nil {
		t.Fatal(err)
	}
	res := sendAll(t, x, v)
	if len(res.Held) != 1 || res.Held[0].Device != siteOf(t, x).Site.ShortCode() ||
		!strings.Contains(res.Held[0].Detail, "rank cannot change (levels never move): it is 40, the change says 5") {
		t.Fatalf("held %+v", res.Held)
	}
	levels, _ := v.Classifications(ctx)
	if got := levelRanks(levels); !strings.HasSuffix(got, "SECRET=30 NATO SECRET=40") {
		t.Errorf("levels at V: %s", got)
	}
	checkStoreClean(t, v)
}
