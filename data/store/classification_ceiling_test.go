package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/report"
	"liaisondesk/data/store"
)

// TestReRankedSecretStaysAboveARestrictedCeiling plays the attack of
// finding 4: a change re-ranking SECRET below RESTRICTED gets into the
// store (synced from a peer, or written into the table by hand). A report
// or export with the ceiling RESTRICTED must still leave the SECRET record
// out and never print a RESTRICTED banner over it.
func TestReRankedSecretStaysAboveARestrictedCeiling(t *testing.T) {
	crafts := map[string]func(t *testing.T, s *store.Store){
		"a synced change in the log re-ranks SECRET to 5": func(t *testing.T, s *store.Store) {
			if err := s.CraftChange(context.Background(), "classifications", "SECRET", map[string]json.RawMessage{"rank": json.RawMessage("5")}); err != nil {
				t.Fatal(err)
			}
		},
		"the materialised table is edited to rank SECRET 5": func(t *testing.T, s *store.Store) {
			db, err := sql.Open("sqlite", s.Path())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`UPDATE classifications SET rank = 5 WHERE id = 'SECRET'`); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, craft := range crafts {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
			s.Now = func() time.Time { return now }
			if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
				t.Fatal(err)
			}
			ex := func(title, level string) *data.Exchange {
				return &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title, OccurredAt: "2026-11-20T06:00:00Z",
					Marking: data.Marking{Classification: level, Releasability: []string{"USA", "IND"}}}
			}
			if _, err := s.Add(ctx, ex("Harbour visit schedule", "RESTRICTED"), ex("Submarine patrol areas", "SECRET")); err != nil {
				t.Fatal(err)
			}
			craft(t, s)

			for _, o := range []report.Options{
				{Kind: "weekly", From: "2026-11-16", To: "2026-11-22", Ceiling: "RESTRICTED", Now: now},
				{Kind: "exchange", Export: true, Ceiling: "RESTRICTED", Now: now},
			} {
				for _, f := range []report.Format{report.JSON, report.CSV} {
					var buf bytes.Buffer
					sum, err := report.Write(ctx, s, o, f, &buf)
					if err != nil {
						t.Fatalf("%s %s: %v", o.Kind, f, err)
					}
					if strings.Contains(buf.String(), "Submarine patrol areas") {
						t.Errorf("%s %s holds the SECRET record", o.Kind, f)
					}
					if sum.LeftOut != 1 || sum.Banner.Classification.ID != "RESTRICTED" {
						t.Errorf("%s %s: left out %d, banner %s; want the SECRET record left out under a RESTRICTED banner",
							o.Kind, f, sum.LeftOut, sum.Banner)
					}
				}
			}
			t.Run("an uncapped report's banner is SECRET", func(t *testing.T) {
				sum, err := report.Count(ctx, s, report.Options{Kind: "exchange", Export: true})
				if err != nil {
					t.Fatal(err)
				}
				if sum.Banner.Classification.ID != "SECRET" || sum.Banner.Classification.Rank != 30 {
					t.Errorf("banner %s (rank %d), want SECRET at its fixed rank 30", sum.Banner, sum.Banner.Classification.Rank)
				}
			})
		})
	}
}

// TestAddedLevelCraftedToABuiltinsRankStaysAboveTheCeiling: a crafted
// change moving an added level onto RESTRICTED's rank makes its place in
// the order unknowable; its records are then treated like an unknown
// level, left out of a RESTRICTED report, never shown under a RESTRICTED
// banner.
func TestAddedLevelCraftedToABuiltinsRankStaysAboveTheCeiling(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Init(ctx, data.Officer{Name: "Col. A. Sharma", Rank: "Colonel", Posting: "CMF"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClassification(ctx, "TOP SECRET", "SECRET", "#FF8C00"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Strategic plans", OccurredAt: "2026-11-20T06:00:00Z",
		Marking: data.Marking{Classification: "TOP SECRET"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CraftChange(ctx, "classifications", "TOP SECRET", map[string]json.RawMessage{"rank": json.RawMessage("10")}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sum, err := report.Write(ctx, s, report.Options{Kind: "exchange", Export: true, Ceiling: "RESTRICTED"}, report.CSV, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Strategic plans") || sum.LeftOut != 1 || sum.Banner.Classification.ID == "RESTRICTED" && sum.Rows > 0 {
		t.Errorf("left out %d, rows %d, banner %s:\n%s", sum.LeftOut, sum.Rows, sum.Banner, buf.String())
	}
}
