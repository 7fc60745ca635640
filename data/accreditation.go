package data

import (
	"fmt"
	"slices"
	"strings"
)

// Accreditation is the papers a foreign liaison officer works under, one
// record per officer (docs/DOMAIN.md, accreditation): the host command's
// certification, the contact officer and the foreign disclosure officer,
// the Delegation of Disclosure Authority Letter (DDL), the extended visit
// authorization (EVA) and the badge. Sources: DoDD 5230.20; the
// International Programs Security Handbook ch. 7 and its sample DDL.
type Accreditation struct {
	ID      string `json:"id"`
	Officer string `json:"officer"` // the officer's name, as the device gives it (data.Device.Officer)

	CertifyingCommand string `json:"certifying_command"`
	StartsOn          string `json:"starts_on"` // YYYY-MM-DD: the certification's dates
	EndsOn            string `json:"ends_on"`
	Functions         string `json:"functions"` // what the officer is certified to do

	ContactOfficer           string `json:"contact_officer"`
	ForeignDisclosureOfficer string `json:"foreign_disclosure_officer"`

	// The DDL: what the host may disclose to the officer.
	DDLCeiling     string   `json:"ddl_ceiling"`    // a classification level
	DDLMethods     []string `json:"ddl_methods"`    // of Disclosures: oral, visual, documentary
	DDLCategories  []string `json:"ddl_categories"` // NDP-1 category numbers, "1" to "8"
	DDLLimitations string   `json:"ddl_limitations"`
	DDLReviewOn    string   `json:"ddl_review_on"`

	EVANumber      string `json:"eva_number"`
	EVAEndsOn      string `json:"eva_ends_on"`
	BadgeExpiresOn string `json:"badge_expires_on"`
}

func (a *Accreditation) RecordKind() Kind      { return KindAccreditation }
func (a *Accreditation) RecordID() string      { return a.ID }
func (a *Accreditation) SetRecordID(id string) { a.ID = id }

// Validate checks every rule that needs no store. The ceiling being a
// level on the list, and one accreditation per officer, are the store's.
func (a *Accreditation) Validate() error {
	if err := CheckID("id", a.ID, false); err != nil {
		return err
	}
	if err := CheckLine("officer", a.Officer, true); err != nil {
		return err
	}
	if err := checkLines("certifying_command", a.CertifyingCommand, "contact_officer", a.ContactOfficer,
		"foreign_disclosure_officer", a.ForeignDisclosureOfficer, "eva_number", a.EVANumber); err != nil {
		return err
	}
	if err := CheckText("functions", a.Functions, MaxText); err != nil {
		return err
	}
	if err := CheckText("ddl_limitations", a.DDLLimitations, MaxText); err != nil {
		return err
	}
	if problem := LevelNameProblem(a.DDLCeiling); problem != "" {
		return Invalid("ddl_ceiling", "%s", problem)
	}
	if a.DDLMethods == nil {
		a.DDLMethods = []string{}
	}
	if a.DDLCategories == nil {
		a.DDLCategories = []string{}
	}
	if err := checkSet("ddl_methods", a.DDLMethods, Disclosures); err != nil {
		return err
	}
	if err := checkSet("ddl_categories", a.DDLCategories, NDPCategoryIDs()); err != nil {
		return err
	}
	for _, d := range []struct{ name, v string }{{"starts_on", a.StartsOn}, {"ends_on", a.EndsOn},
		{"ddl_review_on", a.DDLReviewOn}, {"eva_ends_on", a.EVAEndsOn}, {"badge_expires_on", a.BadgeExpiresOn}} {
		if err := CheckDate(d.name, d.v, false); err != nil {
			return err
		}
	}
	if a.StartsOn != "" && a.EndsOn != "" && a.EndsOn < a.StartsOn {
		return Invalid("ends_on", "is before starts_on")
	}
	return nil
}

// checkSet checks a list holds only allowed values, each once.
func checkSet(field string, vs, allowed []string) error {
	for i, v := range vs {
		if !slices.Contains(allowed, v) {
			return Invalid(field, "item %d: %q is not one of %s", i+1, Clip(v), strings.Join(allowed, ", "))
		}
		if slices.Index(vs, v) != i {
			return Invalid(field, "%s is listed twice", v)
		}
	}
	return nil
}

// AccreditationDueDays is how many calendar days before an accreditation's
// end, DDL review, EVA end or badge expiry its reminder falls: renewing
// papers through the host's security office takes weeks, so the officer's
// working-day lead for clocks is far too short for them.
const AccreditationDueDays = 30

// ---- The NDP-1 categories ----

// NDPCategory is one category of classified military information of the
// National Disclosure Policy (NDP-1). The eight numbers are fixed in code;
// their names are data that HQ may edit (data/store/ndp.go), kept like the
// classification levels: a synced table, seeded by code, whose rows a
// relayed change may rename but never add to or delete.
type NDPCategory struct {
	ID   string `json:"id"` // "1" to "8"
	Name string `json:"name"`
}

func (c *NDPCategory) RecordKind() Kind      { return KindNDPCategory }
func (c *NDPCategory) RecordID() string      { return c.ID }
func (c *NDPCategory) SetRecordID(id string) { c.ID = id }

func (c *NDPCategory) Validate() error {
	if !slices.Contains(NDPCategoryIDs(), c.ID) {
		return Invalid("id", "%q is not an NDP-1 category (1 to 8)", Clip(c.ID))
	}
	return CheckLine("name", c.Name, true)
}

// DefaultNDPCategories are the eight categories of NDP-1 with their usual
// names (as the public descriptions of NDP-1 give them, e.g. the
// International Programs Security Handbook ch. 3; NDP-1 itself is not
// public, so the names are data HQ can correct).
func DefaultNDPCategories() []NDPCategory {
	return []NDPCategory{
		{ID: "1", Name: "Organization, Training and Employment of Military Forces"},
		{ID: "2", Name: "Military Materiel and Munitions"},
		{ID: "3", Name: "Applied Research and Development Information and Materiel"},
		{ID: "4", Name: "Production Information"},
		{ID: "5", Name: "Combined Military Operations, Planning and Readiness"},
		{ID: "6", Name: "U.S. Order of Battle"},
		{ID: "7", Name: "North American Defense"},
		{ID: "8", Name: "Military Intelligence"},
	}
}

// NDPCategoryIDs are the category numbers, "1" to "8".
func NDPCategoryIDs() []string {
	var ids []string
	for _, c := range DefaultNDPCategories() {
		ids = append(ids, c.ID)
	}
	return ids
}

// NDPCategories gives the eight categories in order, each with its stored
// name where the store holds one and a name, else the default.
func NDPCategories(stored []NDPCategory) []NDPCategory {
	out := DefaultNDPCategories()
	for i := range out {
		for _, s := range stored {
			if s.ID == out[i].ID && strings.TrimSpace(s.Name) != "" {
				out[i].Name = s.Name
			}
		}
	}
	return out
}

// ---- The DDL check ----

// DDLLimit is one limit of a DDL an exchange crosses.
type DDLLimit struct {
	Limit   string // "ceiling", "method" or "category": which part of the DDL
	Problem string // e.g. "SECRET is above the DDL ceiling CONFIDENTIAL"
}

// DDLError is an exchange in which the officer received information
// beyond the DDL, saved without a justification. It rides in the
// FieldError of ddl_justification, so the form shows it beside that field.
type DDLError struct {
	Officer string
	Crossed []DDLLimit
}

func (e *DDLError) Error() string {
	problems := make([]string, len(e.Crossed))
	for i, c := range e.Crossed {
		problems[i] = c.Problem
	}
	return fmt.Sprintf("the officer received information beyond the DDL of %s's accreditation: %s",
		e.Officer, strings.Join(problems, "; "))
}

// Received reports whether the officer received information in the
// exchange, by its direction.
func (e *Exchange) Received() bool { return e.Direction == "received" || e.Direction == "both" }

// DDLCrossings lists the limits of the accreditation's DDL that the
// exchange crosses: information received above the ceiling (a level
// outside the order counts as above it, as everywhere), by a method or in
// a category the DDL does not permit. An exchange in which the officer
// only gave information crosses nothing; an empty method or category is
// not judged. levels are ordered as OrderedLevels gives them.
func DDLCrossings(e *Exchange, a *Accreditation, levels []Classification) []DDLLimit {
	if a == nil || !e.Received() {
		return nil
	}
	var out []DDLLimit
	rank := func(id string) (int, bool) {
		i := slices.IndexFunc(levels, func(l Classification) bool { return l.ID == id })
		if i < 0 {
			return 0, false
		}
		return levels[i].Rank, true
	}
	level, known := rank(e.Classification)
	ceiling, ceilingKnown := rank(a.DDLCeiling)
	switch {
	case !ceilingKnown:
		out = append(out, DDLLimit{"ceiling", fmt.Sprintf("the DDL ceiling %s is not a level in the order, so %s cannot be judged below it",
			a.DDLCeiling, e.Classification)})
	case !known:
		out = append(out, DDLLimit{"ceiling", fmt.Sprintf("%s has no place in the order of levels, so it counts as above the DDL ceiling %s",
			e.Classification, a.DDLCeiling)})
	case level > ceiling:
		out = append(out, DDLLimit{"ceiling", fmt.Sprintf("%s is above the DDL ceiling %s", e.Classification, a.DDLCeiling)})
	}
	if e.Disclosure != "" && !slices.Contains(a.DDLMethods, e.Disclosure) {
		out = append(out, DDLLimit{"method", fmt.Sprintf("%s disclosure is not a method the DDL permits (%s)",
			e.Disclosure, listOrNone(a.DDLMethods))})
	}
	if e.NDPCategory != "" && !slices.Contains(a.DDLCategories, e.NDPCategory) {
		out = append(out, DDLLimit{"category", fmt.Sprintf("NDP-1 category %s is not a category the DDL permits (%s)",
			e.NDPCategory, listOrNone(a.DDLCategories))})
	}
	return out
}

func listOrNone(vs []string) string {
	if len(vs) == 0 {
		return "none"
	}
	return strings.Join(vs, ", ")
}

// CheckDDL is the rule of the DDL for an exchange about to be saved: one
// in which the officer received information beyond the DDL of their
// accreditation (a nil accreditation: none on record) is saved only with a
// justification in ddl_justification.
func CheckDDL(e *Exchange, a *Accreditation, levels []Classification) error {
	crossed := DDLCrossings(e, a, levels)
	if len(crossed) == 0 || strings.TrimSpace(e.DDLJustification) != "" {
		return nil
	}
	problems := make([]string, len(crossed))
	for i, c := range crossed {
		problems[i] = c.Problem
	}
	return &FieldError{Field: "ddl_justification",
		Problem: "a justification is required: " + strings.Join(problems, "; "),
		Err:     &DDLError{Officer: a.Officer, Crossed: crossed}}
}

func (e *Exchange) validateDDL() error {
	if err := CheckEnum("ndp_category", e.NDPCategory, NDPCategoryIDs(), false); err != nil {
		return err
	}
	return CheckText("ddl_justification", e.DDLJustification, MaxText)
}

var accreditationFields = concat(fields(TextField, "officer", "certifying_command"), formatted(DateText, "starts_on", "ends_on"),
	fields(TextField, "functions", "contact_officer", "foreign_disclosure_officer", "ddl_ceiling"),
	fields(ListField, "ddl_methods", "ddl_categories"), fields(TextField, "ddl_limitations"), formatted(DateText, "ddl_review_on"),
	fields(TextField, "eva_number"), formatted(DateText, "eva_ends_on", "badge_expires_on"))

// The descriptors of data/kind.go for the accreditation and the NDP-1
// category names.
var (
	accreditationKind = &KindInfo{Kind: KindAccreditation, Table: "accreditations", New: func() Record { return &Accreditation{} },
		Fields: accreditationFields,
		List: &ListInfo{Columns: []string{"officer", "certifying_command", "ddl_ceiling", "ends_on", "ddl_review_on", "eva_ends_on", "badge_expires_on"},
			Sort: "officer", Order: []SortKey{{Field: "officer", Fold: true}},
			Brief: []string{"id", "officer", "certifying_command", "ddl_ceiling", "ends_on", "badge_expires_on"}},
		Search: &SearchInfo{Columns: []string{"officer", "certifying_command", "functions", "contact_officer", "foreign_disclosure_officer",
			"ddl_limitations", "eva_number"},
			TitleFields: []string{"officer", "certifying_command"}, Title: func(v []string) string {
				if v[1] != "" {
					return "Accreditation of " + v[0] + ", " + v[1]
				}
				return "Accreditation of " + v[0]
			}},
		Import: names(accreditationFields)}
	ndpCategoryKind = &KindInfo{Kind: KindNDPCategory, Table: "ndp_categories", New: func() Record { return &NDPCategory{} },
		Fields: fields(TextField, "name")}
)

// The dates of an accreditation that come due (data/store/due.go),
// AccreditationDueDays ahead.
const (
	DueAccreditationEnd DueWhat = "ends_on"
	DueDDLReview        DueWhat = "ddl_review_on"
	DueEVAEnd           DueWhat = "eva_ends_on"
	DueBadgeExpiry      DueWhat = "badge_expires_on"
)

var accreditationDue = map[DueWhat]string{
	DueAccreditationEnd: "accreditation ends",
	DueDDLReview:        "DDL review due",
	DueEVAEnd:           "extended visit authorization ends",
	DueBadgeExpiry:      "badge expires",
}
