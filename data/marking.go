package data

import (
	"slices"
	"strings"
)

// Marking is the protective marking every exchange and request carries
// (docs/DOMAIN.md §6).
type Marking struct {
	Classification string   `json:"classification"`
	Releasability  []string `json:"releasability"`
	Caveats        string   `json:"caveats"`
}

func (m Marking) validate() error {
	if m.Classification == "" {
		return Invalid("classification", "is required")
	}
	if err := CheckLine("classification", m.Classification, true); err != nil {
		return err
	}
	if err := CheckNations("releasability", m.Releasability); err != nil {
		return err
	}
	return CheckLine("caveats", m.Caveats, false)
}

// Text writes the marking the conventional way, e.g.
// "CONFIDENTIAL//REL TO USA, IND". (Not String: records embed Marking, and
// a promoted String would make a whole record print as its marking.)
func (m Marking) Text() string {
	s := m.Classification
	if len(m.Releasability) > 0 {
		s += "//REL TO " + strings.Join(m.Releasability, ", ")
	}
	if m.Caveats != "" {
		s += "//" + m.Caveats
	}
	return s
}

// Banner is the marking a screen or document showing several records
// carries: the highest classification and the intersection of
// releasability.
type Banner struct {
	Classification Classification
	Releasability  []string // nil: no REL TO line
}

func (b Banner) String() string {
	s := b.Classification.ID
	if b.Releasability != nil {
		if len(b.Releasability) == 0 {
			return s + "//NOT RELEASABLE"
		}
		s += "//REL TO " + strings.Join(b.Releasability, ", ")
	}
	return s
}

// ComputeBanner returns the banner for a set of markings against the
// classification list, ordered by OrderedLevels (the built-ins at their
// fixed ranks, whatever the list says), so the banner and a report's
// ceiling always agree. Records without a releasability list do not narrow
// it; an empty intersection of non-empty lists reads NOT RELEASABLE. With
// no records the banner is the lowest level.
func ComputeBanner(levels []Classification, markings []Marking) Banner {
	levels = OrderedLevels(levels)
	byID := map[string]Classification{}
	lowest := Classification{ID: "UNCLASSIFIED", Colour: "#007A33"}
	for i, c := range levels {
		byID[c.ID] = c
		if i == 0 || c.Rank < lowest.Rank {
			lowest = c
		}
	}
	b := Banner{Classification: lowest}
	for _, m := range markings {
		c, ok := byID[m.Classification]
		if !ok { // an unknown level is treated as the highest known, never lower
			c = Classification{ID: m.Classification, Rank: 1 << 30, Colour: "#C8102E"}
		}
		if c.Rank > b.Classification.Rank {
			b.Classification = c
		}
		if len(m.Releasability) == 0 {
			continue
		}
		if b.Releasability == nil {
			b.Releasability = slices.Clone(m.Releasability)
			sortNations(b.Releasability)
			continue
		}
		b.Releasability = slices.DeleteFunc(b.Releasability, func(n string) bool {
			return !slices.Contains(m.Releasability, n)
		})
	}
	return b
}

// sortNations orders nations the conventional way for REL TO lines: USA
// first, then alphabetical.
func sortNations(ns []string) {
	slices.SortFunc(ns, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "USA":
			return -1
		case b == "USA":
			return 1
		}
		return strings.Compare(a, b)
	})
}
