package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// addExchanges adds n exchanges at distinct times (some equal, to test
// ties), alternating postings.
func addExchanges(t *testing.T, s *Store, n int) {
	t.Helper()
	recs := make([]data.Record, n)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range recs {
		e := sampleExchange()
		e.Posting = []string{"CMF", "SOCOM", "INDOPACOM"}[i%3]
		e.Title = fmt.Sprintf("Exchange %04d", i)
		e.OccurredAt = base.Add(time.Duration(i/2) * time.Hour).Format(time.RFC3339) // pairs share a time
		recs[i] = e
	}
	if _, err := s.Add(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

func TestPager(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	addExchanges(t, s, 2000)

	// The expected order, the slow way.
	var want []string
	err := s.List(ctx, "exchange", data.ListFilter{Posting: "CMF"}, func(r data.Record) error {
		want = append(want, r.(*data.Exchange).ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	p, err := s.NewPager("exchange", data.ListFilter{Posting: "CMF"}, "occurred_at", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("counts the filtered rows", func(t *testing.T) {
		n, err := p.Count(ctx)
		if err != nil || n != len(want) {
			t.Fatalf("count %d %v, want %d", n, err, len(want))
		}
	})
	t.Run("any page by index equals the same slice of the full list", func(t *testing.T) {
		for _, start := range []int{0, 1, 49, 255, 256, 257, 511, 600, len(want) - 50, len(want) - 1} {
			rows, err := p.Rows(ctx, start, 50)
			if err != nil {
				t.Fatal(err)
			}
			end := min(start+50, len(want))
			if len(rows) != end-start {
				t.Fatalf("start %d: %d rows, want %d", start, len(rows), end-start)
			}
			for i, r := range rows {
				if r.ID != want[start+i] {
					t.Fatalf("start %d row %d: got %s want %s", start, i, r.ID, want[start+i])
				}
			}
		}
	})
	t.Run("past the end is empty", func(t *testing.T) {
		rows, err := p.Rows(ctx, len(want)+10, 50)
		if err != nil || len(rows) != 0 {
			t.Fatalf("%d rows, %v", len(rows), err)
		}
	})
	t.Run("ascending order is the reverse", func(t *testing.T) {
		asc, err := s.NewPager("exchange", data.ListFilter{Posting: "CMF"}, "occurred_at", false)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := asc.Rows(ctx, 300, 10)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if r.ID != want[len(want)-1-300-i] {
				t.Fatalf("row %d: got %s want %s", i, r.ID, want[len(want)-1-300-i])
			}
		}
	})
	t.Run("sorting by another column and bad columns", func(t *testing.T) {
		byTitle, err := s.NewPager("exchange", data.ListFilter{}, "title", false)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := byTitle.Rows(ctx, 1000, 2)
		if rows[0].Values["title"] != "Exchange 1000" || rows[1].Values["title"] != "Exchange 1001" {
			t.Fatalf("rows %v", rows)
		}
		if _, err := s.NewPager("exchange", data.ListFilter{}, "summary; DROP TABLE exchanges", false); data.FieldOf(err) != "sort" {
			t.Fatalf("want a sort error, got %v", err)
		}
	})
}

func TestSearch(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	addExchanges(t, s, ranked+100)
	r := sampleRequest()
	if _, err := s.Add(ctx, r); err != nil {
		t.Fatal(err)
	}
	t.Run("finds words in request lines with a marked snippet", func(t *testing.T) {
		hits, err := s.Search(ctx, "hydraulic pump", data.SearchOptions{})
		if err != nil || len(hits) != 1 || hits[0].Kind != "request" || hits[0].ID != r.ID {
			t.Fatalf("%+v %v", hits, err)
		}
		if hits[0].Snippet == "" || !strings.Contains(hits[0].Snippet, "«") {
			t.Fatalf("snippet %q", hits[0].Snippet)
		}
	})
	t.Run("a word in most records returns the newest first, limited", func(t *testing.T) {
		hits, err := s.Search(ctx, "boarding drills", data.SearchOptions{Limit: 50})
		if err != nil || len(hits) != 50 {
			t.Fatalf("%d hits, %v", len(hits), err)
		}
		if hits[0].Title != fmt.Sprintf("Exchange %04d", ranked+99) {
			t.Fatalf("first hit %q", hits[0].Title)
		}
	})
	t.Run("typing a prefix finds the whole word", func(t *testing.T) {
		hits, err := s.Search(ctx, "hydrau", data.SearchOptions{Prefix: true})
		if err != nil || len(hits) != 1 {
			t.Fatalf("%d hits, %v", len(hits), err)
		}
	})
	t.Run("any plain query is safe", func(t *testing.T) {
		for _, q := range []string{`"`, `AND`, `NEAR(`, `*`, `a OR`, `'; DROP TABLE x`, "P-8I", "ünïcödé"} {
			if _, err := s.Search(ctx, q, data.SearchOptions{}); err != nil && data.FieldOf(err) != "query" {
				t.Fatalf("%q: %v", q, err)
			}
		}
	})
	t.Run("a raw query with bad syntax is reported as invalid", func(t *testing.T) {
		_, err := s.Search(ctx, `"unbalanced AND (`, data.SearchOptions{Raw: true})
		if data.FieldOf(err) != "query" {
			t.Fatalf("want a query error, got %v", err)
		}
	})
}
