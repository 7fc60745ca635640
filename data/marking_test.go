package data

import (
	"slices"
	"testing"
)

func markingOf(level string, rel ...string) Marking {
	return Marking{Classification: level, Releasability: rel}
}

func TestComputeBanner(t *testing.T) {
	levels := DefaultClassifications()
	cases := []struct {
		name     string
		levels   []Classification
		markings []Marking
		want     string
		colour   string
		rel      []string // nil: no REL TO line
	}{
		{"no records: the lowest level, no REL TO line", levels, nil, "UNCLASSIFIED", "#007A33", nil},
		{"one record: its own marking", levels, []Marking{markingOf("RESTRICTED", "USA", "IND")},
			"RESTRICTED//REL TO USA, IND", "#6A1B9A", []string{"USA", "IND"}},
		{"the highest level among the records", levels,
			[]Marking{markingOf("RESTRICTED"), markingOf("SECRET"), markingOf("CONFIDENTIAL"), markingOf("UNCLASSIFIED")}, "SECRET", "#C8102E", nil},
		{"the intersection of the releasability lists", levels,
			[]Marking{markingOf("UNCLASSIFIED", "USA", "IND", "GBR", "AUS"), markingOf("CONFIDENTIAL", "IND", "USA", "AUS"), markingOf("RESTRICTED", "AUS", "USA", "IND", "JPN")},
			"CONFIDENTIAL//REL TO USA, AUS, IND", "#0033A0", []string{"USA", "AUS", "IND"}},
		{"USA first, then the others alphabetically", levels,
			[]Marking{markingOf("UNCLASSIFIED", "JPN", "IND", "USA", "AUS")},
			"UNCLASSIFIED//REL TO USA, AUS, IND, JPN", "#007A33", []string{"USA", "AUS", "IND", "JPN"}},
		{"alphabetical when USA is not among them", levels,
			[]Marking{markingOf("UNCLASSIFIED", "IND", "BHR", "GBR")},
			"UNCLASSIFIED//REL TO BHR, GBR, IND", "#007A33", []string{"BHR", "GBR", "IND"}},
		{"lists with nothing in common: NOT RELEASABLE", levels,
			[]Marking{markingOf("CONFIDENTIAL", "USA"), markingOf("CONFIDENTIAL", "IND")},
			"CONFIDENTIAL//NOT RELEASABLE", "#0033A0", []string{}},
		{"an empty intersection stays empty whatever follows", levels,
			[]Marking{markingOf("RESTRICTED", "USA"), markingOf("RESTRICTED", "IND"), markingOf("RESTRICTED", "USA", "IND")},
			"RESTRICTED//NOT RELEASABLE", "#6A1B9A", []string{}},
		{"a record without releasability does not narrow the list (after)", levels,
			[]Marking{markingOf("RESTRICTED", "USA", "IND"), markingOf("SECRET")},
			"SECRET//REL TO USA, IND", "#C8102E", []string{"USA", "IND"}},
		{"a record without releasability does not narrow the list (before)", levels,
			[]Marking{markingOf("SECRET"), markingOf("RESTRICTED", "IND", "USA")},
			"SECRET//REL TO USA, IND", "#C8102E", []string{"USA", "IND"}},
		{"records none of which has releasability: no REL TO line", levels,
			[]Marking{markingOf("CONFIDENTIAL"), markingOf("RESTRICTED")}, "CONFIDENTIAL", "#0033A0", nil},
		{"a level not on the list counts as above every known level", levels,
			[]Marking{markingOf("SECRET", "USA"), markingOf("TOP SECRET", "USA")}, "TOP SECRET//REL TO USA", "#C8102E", []string{"USA"}},
		{"the order of the levels comes from their rank, not the list", []Classification{
			{ID: "SECRET", Rank: 30, Colour: "#C8102E"}, {ID: "UNCLASSIFIED", Rank: 0, Colour: "#007A33"},
			{ID: "CONFIDENTIAL", Rank: 20, Colour: "#0033A0"}},
			[]Marking{markingOf("CONFIDENTIAL"), markingOf("UNCLASSIFIED")}, "CONFIDENTIAL", "#0033A0", nil},
		{"with no records the lowest level, which is always UNCLASSIFIED", []Classification{
			{ID: "SECRET", Rank: 30, Colour: "#C8102E"}, {ID: "OFFICIAL", Rank: 5, Colour: "#FFFFFF"}},
			nil, "UNCLASSIFIED", "#007A33", nil},
		{"a built-in re-ranked in the list keeps its fixed rank", []Classification{
			{ID: "UNCLASSIFIED", Rank: 0, Colour: "#007A33"}, {ID: "RESTRICTED", Rank: 10, Colour: "#6A1B9A"},
			{ID: "SECRET", Rank: 5, Colour: "#C8102E"}},
			[]Marking{markingOf("RESTRICTED"), markingOf("SECRET")}, "SECRET", "#C8102E", nil},
		{"a configured level outside the default list", append(DefaultClassifications(),
			Classification{ID: "TOP SECRET", Rank: 40, Colour: "#FF8C00"}),
			[]Marking{markingOf("TOP SECRET"), markingOf("SECRET")}, "TOP SECRET", "#FF8C00", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := ComputeBanner(c.levels, c.markings)
			if got := b.String(); got != c.want {
				t.Errorf("banner = %q, want %q", got, c.want)
			}
			if b.Classification.Colour != c.colour {
				t.Errorf("colour = %q, want %q", b.Classification.Colour, c.colour)
			}
			if (b.Releasability == nil) != (c.rel == nil) || !slices.Equal(b.Releasability, c.rel) {
				t.Errorf("releasability = %#v, want %#v", b.Releasability, c.rel)
			}
		})
	}
	t.Run("leaves the records' own lists as they were", func(t *testing.T) {
		a, b := markingOf("SECRET", "IND", "USA", "GBR"), markingOf("SECRET", "USA", "IND")
		ComputeBanner(levels, []Marking{a, b})
		if !slices.Equal(a.Releasability, []string{"IND", "USA", "GBR"}) || !slices.Equal(b.Releasability, []string{"USA", "IND"}) {
			t.Errorf("inputs changed: %v, %v", a.Releasability, b.Releasability)
		}
	})
}

func TestMarkingString(t *testing.T) {
	cases := []struct {
		m    Marking
		want string
	}{
		{markingOf("UNCLASSIFIED"), "UNCLASSIFIED"},
		{markingOf("CONFIDENTIAL", "USA", "IND"), "CONFIDENTIAL//REL TO USA, IND"},
		{Marking{Classification: "SECRET", Releasability: []string{"USA"}, Caveats: "NOFORN"}, "SECRET//REL TO USA//NOFORN"},
	}
	for _, c := range cases {
		t.Run("writes "+c.want, func(t *testing.T) {
			if got := c.m.Text(); got != c.want {
				t.Errorf("String() = %q, want %q", got, c.want)
			}
		})
	}
}

func TestClassificationValidate(t *testing.T) {
	cases := []struct {
		name  string
		c     Classification
		field string
	}{
		{"a level in lower case", Classification{ID: "secret", Rank: 30, Colour: "#C8102E"}, "id"},
		{"a level with no name", Classification{Rank: 30, Colour: "#C8102E"}, "id"},
		{"a negative rank", Classification{ID: "SECRET", Rank: -1, Colour: "#C8102E"}, "rank"},
		{"a colour by name", Classification{ID: "SECRET", Rank: 30, Colour: "red"}, "colour"},
		{"a colour of three digits", Classification{ID: "SECRET", Rank: 30, Colour: "#F00"}, "colour"},
		{"a colour with a non-hex digit", Classification{ID: "SECRET", Rank: 30, Colour: "#C8102G"}, "colour"},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			if got := FieldOf(c.c.Validate()); got != c.field {
				t.Errorf("field = %q, want %q", got, c.field)
			}
		})
	}
	t.Run("accepts every default level", func(t *testing.T) {
		for _, c := range DefaultClassifications() {
			if err := c.Validate(); err != nil {
				t.Errorf("%s: %v", c.ID, err)
			}
		}
	})
}
