package data

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Text limits: generous for prose, tight for one-line fields, so a pasted
// document or a runaway script cannot bloat the store or the search index.
const (
	MaxLine = 200    // titles, names, one-line fields
	MaxText = 20_000 // summaries, outcomes, justifications, notes
	maxTags = 50     // tags, past appointments
)

// proseFields are the text fields of the synced tables that Validate lets
// run to MaxText characters over several lines; every other text field is
// one line of at most MaxLine. Imported changes are held to the same
// limits (CheckImportedField), so a peer cannot send what a form refuses.
var proseFields = map[string]bool{"participants": true, "summary": true, "outcome": true,
	"rfi_question": true, "rfi_response": true, "notes": true, "justification": true, "note": true,
	"urgent_need": true, "effort_made": true, // the two of a BIS-999 (15 CFR 700.53)
	// An engagement's plan and debrief (data/engagement.go).
	"talking_points": true, "asks": true, "red_lines": true, "atmospherics": true, "state_notes": true,
	"purpose": true, "status_notes": true, // a visit request's (data/visit.go)
	"functions": true, "ddl_limitations": true, "ddl_justification": true} // an accreditation and its DDL check

// listLimits is how many items Validate allows in a list field (a
// releasability names each nation at most once).
var listLimits = map[string]int{"tags": maxTags, "past_appointments": maxTags, "counterparts": 200,
	"releasability": strings.Count(iso3166Alpha3, " ") + 1,
	"objectives":    MaxObjectives, "commitments": MaxCommitments,
	"visitors": MaxVisitors}

// DateLayout is how dates travel in JSON and sit in the store.
const DateLayout = "2006-01-02"

// checkLine validates a one-line text field.
func CheckLine(field, v string, required bool) error {
	if err := CheckText(field, v, MaxLine); err != nil {
		return err
	}
	if strings.ContainsAny(v, "\r\n") {
		return Invalid(field, "must be a single line")
	}
	if required && strings.TrimSpace(v) == "" {
		return Invalid(field, "is required")
	}
	return nil
}

// checkLines validates optional one-line fields given as name, value pairs.
func checkLines(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckLine(pairs[i], pairs[i+1], false); err != nil {
			return err
		}
	}
	return nil
}

// checkText validates free text: valid UTF-8, no control characters other
// than tab and newline, no bidirectional controls (which can make text
// read other than it is), at most max characters.
func CheckText(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return Invalid(field, "is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return Invalid(field, "is longer than %d characters (%d)", max, n)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return Invalid(field, "contains a control character (U+%04X)", r)
		}
		if isBidiControl(r) {
			return Invalid(field, "contains a bidirectional control character (U+%04X), which can disguise what the text says", r)
		}
	}
	return nil
}

// isBidiControl reports the embedding, override and isolate controls
// (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// CheckImportedField holds a synced field's value, as it arrives in a
// change, to the limits Validate applies to it: text as in the forms,
// lists of one-line items no longer than Validate allows, numbers and
// booleans of their type. It cannot check what needs the whole record
// (required fields, enums, dates): the merge keeps those as values.
func CheckImportedField(name string, typ FieldType, raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if !utf8.Valid(raw) {
		return Invalid(name, "is not valid UTF-8 text")
	}
	switch typ {
	case TextField:
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return Invalid(name, "is not text")
		}
		if proseFields[name] {
			return CheckText(name, v, MaxText)
		}
		return CheckLine(name, v, false)
	case ListField:
		if check, ok := objectLists[name]; ok {
			return check(raw)
		}
		var vs []string
		if err := json.Unmarshal(raw, &vs); err != nil {
			return Invalid(name, "is not a list of text")
		}
		max := listLimits[name]
		if max == 0 {
			max = MaxLine
		}
		if len(vs) > max {
			return Invalid(name, "has %d items, at most %d", len(vs), max)
		}
		for i, v := range vs {
			if err := CheckLine(name, v, false); err != nil {
				return Invalid(name, "item %d %s", i+1, err.(*FieldError).Problem)
			}
		}
	case IntField:
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil {
			return Invalid(name, "is not a whole number")
		}
	case RealField:
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return Invalid(name, "is not a number")
		}
	case BoolField:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return Invalid(name, "is not true or false")
		}
	}
	return nil
}

func CheckEnum(field, v string, allowed []string, required bool) error {
	if v == "" {
		if required {
			return Invalid(field, "is required (one of %s)", strings.Join(allowed, ", "))
		}
		return nil
	}
	if !slices.Contains(allowed, v) {
		return Invalid(field, "%q is not one of %s", Clip(v), strings.Join(allowed, ", "))
	}
	return nil
}

// checkDate accepts an empty value unless required; otherwise YYYY-MM-DD
// naming a day that exists.
func CheckDate(field, v string, required bool) error {
	if v == "" {
		if required {
			return Invalid(field, "is required (a date, YYYY-MM-DD)")
		}
		return nil
	}
	if _, err := time.Parse(DateLayout, v); err != nil {
		return Invalid(field, "%q is not a real date (YYYY-MM-DD)", Clip(v))
	}
	return nil
}

// normTime parses an RFC 3339 time and returns it in UTC, RFC 3339.
func normTime(field, v string, required bool) (string, error) {
	if v == "" {
		if required {
			return "", Invalid(field, "is required (a time, RFC 3339, e.g. 2026-11-25T14:30:00Z)")
		}
		return "", nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return "", Invalid(field, "%q is not a time in RFC 3339 form (e.g. 2026-11-25T14:30:00Z)", Clip(v))
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return "", Invalid(field, "year %d is out of range", t.Year())
	}
	return t.UTC().Format(time.RFC3339), nil
}

func checkZone(field, v string, required bool) error {
	if v == "" {
		if required {
			return Invalid(field, "is required (an IANA time zone such as Asia/Kolkata)")
		}
		return nil
	}
	if err := CheckLine(field, v, false); err != nil {
		return err
	}
	if !knownZone(v) {
		return Invalid(field, "%q is not an IANA time zone (e.g. Pacific/Honolulu)", Clip(v))
	}
	return nil
}

// zones remembers which zone names load: loading one parses the embedded
// zone database, too slow to repeat for every record of a bulk add. It
// only ever records facts about the zone database, which never changes
// while the program runs.
var zones sync.Map // name → bool

func knownZone(name string) bool {
	if ok, seen := zones.Load(name); seen {
		return ok.(bool)
	}
	_, err := time.LoadLocation(name)
	ok := err == nil && name != "Local"
	zones.Store(name, ok)
	return ok
}

func checkNation(field, v string, required bool) error {
	if v == "" {
		if required {
			return Invalid(field, "is required (ISO 3166 alpha-3, e.g. USA)")
		}
		return nil
	}
	if !isNation(v) {
		return Invalid(field, "%q is not an ISO 3166 alpha-3 country code (e.g. USA, IND)", Clip(v))
	}
	return nil
}

func CheckNations(field string, vs []string) error {
	seen := map[string]bool{}
	for i, v := range vs {
		if err := checkNation(field, v, true); err != nil {
			return Invalid(field, "item %d: %s", i+1, err.(*FieldError).Problem)
		}
		if seen[v] {
			return Invalid(field, "%s is listed twice", v)
		}
		seen[v] = true
	}
	return nil
}

func checkTags(field string, tags []string) error {
	if len(tags) > maxTags {
		return Invalid(field, "has %d tags, at most %d", len(tags), maxTags)
	}
	for i, t := range tags {
		if err := CheckLine(field, t, true); err != nil {
			return Invalid(field, "tag %d %s", i+1, err.(*FieldError).Problem)
		}
	}
	return nil
}

func CheckID(field, v string, required bool) error {
	if v == "" {
		if required {
			return Invalid(field, "is required")
		}
		return nil
	}
	if _, err := uuid.Parse(v); err != nil || len(v) != 36 {
		return Invalid(field, "%q is not a record id (a UUID)", Clip(v))
	}
	return nil
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func checkEmail(field, v string) error {
	if v == "" {
		return nil
	}
	if err := CheckLine(field, v, false); err != nil {
		return err
	}
	if _, err := mail.ParseAddress(v); err != nil || !emailRE.MatchString(v) {
		return Invalid(field, "%q is not an e-mail address", Clip(v))
	}
	return nil
}

// clip shortens a bad value quoted back in an error message.
func Clip(v string) string {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	if r := []rune(v); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return v
}

// NewID returns a new record id (UUIDv7, time ordered).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ListLimit is how many items Validate allows in a list field.
func ListLimit(field string) int {
	if n := listLimits[field]; n > 0 {
		return n
	}
	return MaxLine
}

// IsProse is whether Validate lets a text field hold paragraphs of up to
// MaxText characters, rather than one line of at most MaxLine.
func IsProse(field string) bool { return proseFields[field] }
