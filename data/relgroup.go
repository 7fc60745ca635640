package data

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Releasability groups and nation flags (issue 14 item 7): reference data
// HQ sets, synced like the classification levels. A group names a set of
// nations ("FVEY"); where releasability is chosen, a group's name expands
// to its nations. A flagged nation warns when a group brings it in.
const (
	KindRelGroup   Kind = "rel_group"
	KindNationFlag Kind = "nation_flag"
)

// RelGroup is a named set of nations. Its id is its name, so the same
// group set on two HQ devices is one row.
type RelGroup struct {
	ID      string   `json:"id"`    // e.g. FVEY
	Title   string   `json:"title"` // e.g. Five Eyes
	Nations []string `json:"nations"`
	BuiltIn bool     `json:"-"` // defined in code (BuiltinRelGroups), not stored
}

// NationFlag is a nation HQ flagged: releasing to it by a group asks the
// officer to confirm. Its id is the nation's code.
type NationFlag struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

func (g *RelGroup) RecordKind() Kind        { return KindRelGroup }
func (g *RelGroup) RecordID() string        { return g.ID }
func (g *RelGroup) SetRecordID(id string)   { g.ID = id }
func (f *NationFlag) RecordKind() Kind      { return KindNationFlag }
func (f *NationFlag) RecordID() string      { return f.ID }
func (f *NationFlag) SetRecordID(id string) { f.ID = id }

var groupNameRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,19}$`)

func (g *RelGroup) Validate() error {
	if !groupNameRE.MatchString(g.ID) {
		return Invalid("id", "%q is not a group name (2–20 capitals, digits or _, starting with a letter)", Clip(g.ID))
	}
	if isNation(g.ID) {
		return Invalid("id", "%s is a nation's code: a group needs another name", g.ID)
	}
	if err := CheckLine("title", g.Title, false); err != nil {
		return err
	}
	if len(g.Nations) == 0 {
		return Invalid("nations", "is required: the nations the group expands to")
	}
	return CheckNations("nations", g.Nations)
}

func (f *NationFlag) Validate() error {
	if err := checkNation("id", f.ID, true); err != nil {
		return err
	}
	return CheckLine("reason", f.Reason, true)
}

// BuiltinRelGroups are the groups every store knows. HQ may set a group of
// the same name to change its nations (a stored group wins).
//   - FVEY: the Five Eyes.
//   - QUAD: the Quadrilateral Security Dialogue.
//   - CMF: the members of the Combined Maritime Forces named in public
//     sources as of July 2024 (39 listed in April 2024, then Finland,
//     Lebanon, Albania and Sweden); CMF gave 45 members, so HQ should
//     confirm the list and set it.
func BuiltinRelGroups() []RelGroup {
	return []RelGroup{
		{ID: "FVEY", Title: "Five Eyes", Nations: []string{"AUS", "CAN", "GBR", "NZL", "USA"}, BuiltIn: true},
		{ID: "QUAD", Title: "Quadrilateral Security Dialogue", Nations: []string{"AUS", "IND", "JPN", "USA"}, BuiltIn: true},
		{ID: "CMF", Title: "Combined Maritime Forces members", BuiltIn: true, Nations: []string{
			"ALB", "ARE", "AUS", "BEL", "BHR", "BRA", "CAN", "COL", "DEU", "DNK", "ECU", "EGY", "ESP", "FIN", "FRA",
			"GBR", "GRC", "IND", "IRQ", "ITA", "JOR", "JPN", "KEN", "KOR", "KWT", "LBN", "MYS", "NLD", "NOR", "NZL",
			"PAK", "PHL", "POL", "PRT", "QAT", "SAU", "SGP", "SWE", "SYC", "THA", "TUR", "USA", "YEM"}},
	}
}

// MergeRelGroups is the built-in groups with the stored ones over them,
// by name.
func MergeRelGroups(stored []RelGroup) []RelGroup {
	out := BuiltinRelGroups()
	for _, g := range stored {
		if i := slices.IndexFunc(out, func(b RelGroup) bool { return b.ID == g.ID }); i >= 0 {
			out[i] = g
		} else {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b RelGroup) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ExpandReleasability reads a releasability list whose items are nation
// codes or group names: it returns the nations (each once, in the order
// met) and the groups used. An item that is neither is left for the
// marking's own check to refuse.
func ExpandReleasability(items []string, groups []RelGroup) (nations, used []string) {
	for _, it := range items {
		it = strings.ToUpper(strings.TrimSpace(it))
		if it == "" {
			continue
		}
		if i := slices.IndexFunc(groups, func(g RelGroup) bool { return g.ID == it }); i >= 0 && !isNation(it) {
			used = append(used, it)
			for _, n := range groups[i].Nations {
				if !slices.Contains(nations, n) {
					nations = append(nations, n)
				}
			}
			continue
		}
		if !slices.Contains(nations, it) {
			nations = append(nations, it)
		}
	}
	return nations, used
}

// FlaggedWarning says which nations HQ flagged a group brings in ("" for
// none): the warning shown before such a releasability is saved.
func FlaggedWarning(group RelGroup, flags []NationFlag) string {
	var parts []string
	for _, f := range flags {
		if slices.Contains(group.Nations, f.ID) {
			parts = append(parts, fmt.Sprintf("%s (%s)", f.ID, f.Reason))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("group %s includes nations HQ flagged: %s", group.ID, strings.Join(parts, "; "))
}

// relKinds are the descriptors of the groups and flags (data/kind.go).
// Neither is a kind users name on the command line: they have verbs of
// their own, which only HQ's store may use.
var relKinds = []*KindInfo{
	{Kind: KindRelGroup, Table: "rel_groups", New: func() Record { return &RelGroup{} },
		Fields: concat(fields(TextField, "title"), fields(ListField, "nations")),
		List:   &ListInfo{Columns: []string{"id", "title", "nations"}, Sort: "id", Order: []SortKey{{Field: "id"}}}},
	{Kind: KindNationFlag, Table: "nation_flags", New: func() Record { return &NationFlag{} },
		Fields: fields(TextField, "reason"),
		List:   &ListInfo{Columns: []string{"id", "reason"}, Sort: "id", Order: []SortKey{{Field: "id"}}}},
}
