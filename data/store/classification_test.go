package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"liaisondesk/data"
)

func levelRanks(levels []data.Classification) string {
	var parts []string
	for _, l := range levels {
		parts = append(parts, l.ID+"="+strconv.Itoa(l.Rank))
	}
	return strings.Join(parts, " ")
}

func TestOrderedLevels(t *testing.T) {
	cases := []struct {
		name   string
		stored []data.Classification
		want   string
	}{
		{"the defaults as they are", data.DefaultClassifications(), "UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
		{"a built-in re-ranked in the store keeps its code rank", []data.Classification{
			{ID: "UNCLASSIFIED", Rank: 0, Colour: "#007A33"}, {ID: "RESTRICTED", Rank: 10, Colour: "#6A1B9A"},
			{ID: "CONFIDENTIAL", Rank: 20, Colour: "#0033A0"}, {ID: "SECRET", Rank: 5, Colour: "#C8102E"}},
			"UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
		{"every built-in swapped around keeps its code rank", []data.Classification{
			{ID: "SECRET", Rank: 0, Colour: "#C8102E"}, {ID: "UNCLASSIFIED", Rank: 1000, Colour: "#007A33"},
			{ID: "RESTRICTED", Rank: 30, Colour: "#6A1B9A"}, {ID: "CONFIDENTIAL", Rank: 10, Colour: "#0033A0"}},
			"UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
		{"a missing built-in is there all the same", []data.Classification{
			{ID: "UNCLASSIFIED", Rank: 0, Colour: "#007A33"}, {ID: "RESTRICTED", Rank: 10, Colour: "#6A1B9A"}},
			"UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
		{"added levels keep their rank, in order", append(data.DefaultClassifications(),
			data.Classification{ID: "TOP SECRET", Rank: 40, Colour: "#FF8C00"}, data.Classification{ID: "OFFICIAL", Rank: 5, Colour: "#757575"}),
			"UNCLASSIFIED=0 OFFICIAL=5 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30 TOP SECRET=40"},
		{"an added level at a built-in's rank has no place and is left off", append(data.DefaultClassifications(),
			data.Classification{ID: "OFFICIAL", Rank: 10, Colour: "#757575"}),
			"UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
		{"two added levels sharing a rank are both left off", append(data.DefaultClassifications(),
			data.Classification{ID: "TOP SECRET", Rank: 40, Colour: "#FF8C00"}, data.Classification{ID: "COSMIC", Rank: 40, Colour: "#000000"},
			data.Classification{ID: "OFFICIAL", Rank: 5, Colour: "#757575"}),
			"UNCLASSIFIED=0 OFFICIAL=5 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
		{"an added level out of range is left off", append(data.DefaultClassifications(),
			data.Classification{ID: "ULTRA", Rank: 5000, Colour: "#000000"}),
			"UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := levelRanks(data.OrderedLevels(c.stored)); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	t.Run("a built-in keeps the colour the store gives it", func(t *testing.T) {
		stored := data.DefaultClassifications()
		stored[3].Colour = "#FF0000"
		if got := data.OrderedLevels(stored)[3]; got != (data.Classification{ID: "SECRET", Rank: 30, Colour: "#FF0000"}) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("the built-ins say so, added levels do not", func(t *testing.T) {
		if !(data.Classification{ID: "SECRET"}).BuiltIn() || (data.Classification{ID: "TOP SECRET"}).BuiltIn() {
			t.Error("BuiltIn is wrong")
		}
	})
}

func TestClassificationsGiveBuiltinsTheirCodeRanks(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if err := s.CraftChange(ctx, "classifications", "SECRET", map[string]json.RawMessage{"rank": json.RawMessage("5")}); err != nil {
		t.Fatal(err)
	}
	levels, err := s.Classifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := levelRanks(levels); got != "UNCLASSIFIED=0 RESTRICTED=10 CONFIDENTIAL=20 SECRET=30" {
		t.Errorf("levels %s", got)
	}
	b := data.ComputeBanner(levels, []data.Marking{markingOf("SECRET"), markingOf("RESTRICTED")})
	if b.Classification.ID != "SECRET" {
		t.Errorf("banner %s", b)
	}
}

func TestAddClassification(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	add := func(t *testing.T, id, after, colour string) data.Classification {
		t.Helper()
		c, err := s.AddClassification(ctx, id, after, colour)
		if err != nil {
			t.Fatalf("add %s after %s: %v", id, after, err)
		}
		return c
	}
	t.Run("after CONFIDENTIAL: between CONFIDENTIAL and SECRET", func(t *testing.T) {
		c := add(t, "CONFIDENTIAL-NOFORN", "CONFIDENTIAL", "#123456")
		if c.Rank <= 20 || c.Rank >= 30 || c.Colour != "#123456" {
			t.Fatalf("added %+v", c)
		}
	})
	t.Run("after the top level: above it", func(t *testing.T) {
		c := add(t, "TOP SECRET", "SECRET", "")
		if c.Rank <= 30 {
			t.Fatalf("added %+v", c)
		}
		if c.Colour == "" || c.Validate() != nil {
			t.Errorf("no usable default colour: %+v", c)
		}
		if c2 := add(t, "COSMIC TOP SECRET", "TOP SECRET", "#000000"); c2.Rank <= c.Rank {
			t.Errorf("COSMIC TOP SECRET at %d, not above TOP SECRET at %d", c2.Rank, c.Rank)
		}
	})
	t.Run("again after CONFIDENTIAL: between it and the level added before", func(t *testing.T) {
		c := add(t, "CONFIDENTIAL 2", "CONFIDENTIAL", "#123456")
		levels, _ := s.Classifications(ctx)
		if got := levelRanks(levels); !strings.Contains(got, "CONFIDENTIAL=20 CONFIDENTIAL 2="+strconv.Itoa(c.Rank)+" CONFIDENTIAL-NOFORN=") {
			t.Fatalf("levels %s", got)
		}
	})
	t.Run("added levels never move when more are added", func(t *testing.T) {
		before, _ := s.Classifications(ctx)
		add(t, "OFFICIAL", "UNCLASSIFIED", "#757575")
		after, _ := s.Classifications(ctx)
		ranks := map[string]int{}
		for _, l := range after {
			ranks[l.ID] = l.Rank
		}
		for _, l := range before {
			if ranks[l.ID] != l.Rank {
				t.Errorf("%s moved from %d to %d", l.ID, l.Rank, ranks[l.ID])
			}
		}
	})
	t.Run("an added level can be used on a record at once", func(t *testing.T) {
		e := sampleExchange()
		e.Classification = "OFFICIAL"
		if _, err := s.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
	})

	refusals := []struct {
		name, id, after, colour, field, words string
	}{
		{"a level already on the list", "SECRET", "CONFIDENTIAL", "", "id", "already"},
		{"a level added before", "TOP SECRET", "SECRET", "", "id", "already"},
		{"a level after one not on the list", "TOP SECRET 2", "ULTRA", "", "after", "ULTRA"},
		{"no level to go after", "TOP SECRET 2", "", "", "after", "required"},
		{"a name in lower case", "top secret 2", "SECRET", "", "id", "upper case"},
		{"a name with other signs", "SECRET/NOFORN", "SECRET", "", "id", "letters"},
		{"an empty name", "  ", "SECRET", "", "id", "required"},
		{"a name far too long", strings.Repeat("X", 41), "SECRET", "", "id", "40"},
		{"a colour not in #RRGGBB form", "TOP SECRET 2", "SECRET", "orange", "colour", "#RRGGBB"},
	}
	for _, r := range refusals {
		t.Run("refuses "+r.name+" and changes nothing", func(t *testing.T) {
			before, _ := s.Classifications(ctx)
			_, err := s.AddClassification(ctx, r.id, r.after, r.colour)
			if data.FieldOf(err) != r.field || !strings.Contains(err.Error(), r.words) {
				t.Fatalf("got %v, want a %s error saying %q", err, r.field, r.words)
			}
			after, _ := s.Classifications(ctx)
			if levelRanks(after) != levelRanks(before) {
				t.Errorf("levels changed: %s", levelRanks(after))
			}
		})
	}
	t.Run("refuses when no rank is left between two levels", func(t *testing.T) {
		prev := "UNCLASSIFIED"
		var err error
		for i := 0; i < 10 && err == nil; i++ {
			id := "LOW " + strconv.Itoa(i)
			_, err = s.AddClassification(ctx, id, "UNCLASSIFIED", "")
			prev = id
		}
		if err == nil || !strings.Contains(err.Error(), "no rank left between UNCLASSIFIED") {
			t.Fatalf("got %v after adding %s", err, prev)
		}
	})
}

func TestSetClassificationColour(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if err := s.SetClassificationColour(ctx, "RESTRICTED", "#7B1FA2"); err != nil {
		t.Fatal(err)
	}
	levels, _ := s.Classifications(ctx)
	if levels[1] != (data.Classification{ID: "RESTRICTED", Rank: 10, Colour: "#7B1FA2"}) {
		t.Errorf("RESTRICTED is %+v", levels[1])
	}
	t.Run("a built-in deleted by a crafted change comes back with its colour", func(t *testing.T) {
		if err := s.CraftChange(ctx, "classifications", "SECRET", map[string]json.RawMessage{data.DeletedField: json.RawMessage("true")}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetClassificationColour(ctx, "SECRET", "#B71C1C"); err != nil {
			t.Fatal(err)
		}
		var rank int
		var colour string
		if err := s.rdb.QueryRow(`SELECT rank, colour FROM classifications WHERE id = 'SECRET'`).Scan(&rank, &colour); err != nil || rank != 30 || colour != "#B71C1C" {
			t.Fatalf("stored SECRET: %d %s %v", rank, colour, err)
		}
	})
	for name, c := range map[string]struct{ id, colour, field string }{
		"an unknown level": {"ULTRA", "#000000", "id"},
		"a bad colour":     {"SECRET", "#12345", "colour"},
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			if err := s.SetClassificationColour(ctx, c.id, c.colour); data.FieldOf(err) != c.field {
				t.Errorf("got %v, want a %s error", err, c.field)
			}
		})
	}
}

func TestClassificationsCannotBeDeleted(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.AddClassification(ctx, "TOP SECRET", "SECRET", ""); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"SECRET", "TOP SECRET"} {
		t.Run(id+" stays", func(t *testing.T) {
			if err := s.Delete(ctx, "classification", id); err == nil || !strings.Contains(err.Error(), "cannot be deleted") {
				t.Fatalf("delete: %v", err)
			}
			levels, _ := s.Classifications(ctx)
			if !strings.Contains(levelRanks(levels), id+"=") {
				t.Errorf("%s gone: %s", id, levelRanks(levels))
			}
		})
	}
}

func TestCheckClassificationChange(t *testing.T) {
	current := append(data.DefaultClassifications(), data.Classification{ID: "TOP SECRET", Rank: 40, Colour: "#FF8C00"},
		data.Classification{ID: "OFFICIAL", Rank: 5, Colour: "#757575"})
	cases := []struct {
		name, row, field, value string
		problem                 string // "" for allowed
	}{
		{"a built-in seeded again at its own rank", "SECRET", "rank", "30", ""},
		{"a built-in's colour", "SECRET", "colour", `"#FF0000"`, ""},
		{"an added level's colour", "TOP SECRET", "colour", `"#FFA500"`, ""},
		{"an added level created again at its own rank", "TOP SECRET", "rank", "40", ""},
		{"a new level between two others", "CONFIDENTIAL-NOFORN", "rank", "25", ""},
		{"a new level above the top", "COSMIC TOP SECRET", "rank", "50", ""},
		{"a new level's colour", "COSMIC TOP SECRET", "colour", `"#000000"`, ""},
		{"a level restored (not deleted)", "SECRET", "_deleted", "false", ""},
		// Two officers adding a level at one place before syncing: both
		// are left off the order, as unknown, and their work flows on.
		{"a new level at an added level's rank", "ULTRA", "rank", "40", ""},

		{"SECRET re-ranked below RESTRICTED", "SECRET", "rank", "5", "classification SECRET: rank of a built-in level cannot change"},
		{"UNCLASSIFIED raised", "UNCLASSIFIED", "rank", "35", "classification UNCLASSIFIED: rank of a built-in level cannot change"},
		{"a built-in deleted", "SECRET", "_deleted", "true", "classification SECRET: a built-in level cannot be deleted"},
		{"an added level moved", "TOP SECRET", "rank", "15", "classification TOP SECRET: rank cannot change (levels never move): it is 40, the change says 15"},
		{"an added level deleted", "TOP SECRET", "_deleted", "true", "classification TOP SECRET: levels cannot be deleted"},
		{"a new level at a built-in's rank", "ULTRA", "rank", "20", "classification ULTRA: rank 20 is already CONFIDENTIAL's"},
		{"a new level named like a built-in in lower case", "secret", "rank", "31", "classification \"secret\": not a level name"},
		{"a rank that is not a whole number", "ULTRA", "rank", `"high"`, "classification ULTRA: rank \"high\" is not a whole number from 0 to 1000"},
		{"a rank out of range", "ULTRA", "rank", "5000", "classification ULTRA: rank 5000 is not a whole number from 0 to 1000"},
		{"a fractional rank", "ULTRA", "rank", "25.5", "classification ULTRA: rank 25.5 is not a whole number from 0 to 1000"},
		{"a colour that is not #RRGGBB", "SECRET", "colour", `"red"`, "classification SECRET: colour \"red\" is not in #RRGGBB form"},
		{"a colour that is not text", "SECRET", "colour", `12`, "classification SECRET: colour 12 is not in #RRGGBB form"},
		{"a delete that is not true or false", "SECRET", "_deleted", `"yes"`, "classification SECRET: _deleted \"yes\" is not true or false"},
		{"malformed JSON", "SECRET", "colour", `{`, "classification SECRET: colour { is not in #RRGGBB form"},
		{"a field classifications do not have", "SECRET", "name", `"x"`, "classification SECRET: unknown field \"name\""},
	}
	for _, c := range cases {
		verb := "allows "
		if c.problem != "" {
			verb = "holds "
		}
		t.Run(verb+c.name, func(t *testing.T) {
			err := checkClassificationChange(current, c.row, c.field, json.RawMessage(c.value))
			switch {
			case c.problem == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.problem != "" && (err == nil || !strings.HasPrefix(err.Error(), c.problem)):
				t.Errorf("got %v, want %q", err, c.problem)
			}
		})
	}
	t.Run("the built-ins are judged by their code ranks, whatever current says", func(t *testing.T) {
		tampered := data.DefaultClassifications()
		tampered[3].Rank = 5 // SECRET, as a crafted change left it
		if err := checkClassificationChange(tampered, "SECRET", "rank", json.RawMessage("30")); err != nil {
			t.Errorf("SECRET back at 30 refused: %v", err)
		}
		if err := checkClassificationChange(tampered, "ULTRA", "rank", json.RawMessage("30")); err == nil {
			t.Error("a new level at SECRET's code rank allowed")
		}
	})
}
