package report

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

func TestASeriesIsItsTitleLessDatesAndNumbers(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"J4 weekly review 12 Nov", "J4 weekly review 19 Nov"},
		{"CMF morning update", "CMF Morning Update (2)"},
		{"Staff talks, round 3", "Staff talks – round 4"},
	} {
		if seriesKey(c.a) != seriesKey(c.b) {
			t.Errorf("%q and %q are different series: %q, %q", c.a, c.b, seriesKey(c.a), seriesKey(c.b))
		}
	}
	if seriesKey("Boarding drills") == seriesKey("Boarding drills debrief") {
		t.Error("two different meetings are one series")
	}
}

func TestTheCadenceOfASeriesIsItsMedianGap(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		days []time.Time
		want string
	}{
		{[]time.Time{day(1)}, "—"},
		{[]time.Time{day(1), day(8), day(15), day(23)}, "weekly"},
		{[]time.Time{day(1), day(15), day(29)}, "fortnightly"},
		{[]time.Time{day(1), day(4)}, "every 3 days"},
		{[]time.Time{day(1).AddDate(0, -2, 0), day(1).AddDate(0, -1, 0), day(1)}, "monthly"},
	} {
		if got := cadence(c.days); got != c.want {
			t.Errorf("cadence of %d meetings = %q, want %q", len(c.days), got, c.want)
		}
	}
}

// continuityStore holds a weekly meeting held three times with the next one
// planned, a one-off meeting, a forum tagged as such and held once, and the
// officer's accreditation with its DDL attached as a file.
func continuityStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	s := openStore(t)
	marking := data.Marking{Classification: "UNCLASSIFIED"}
	ex := func(title, at string, state data.ExchangeState, tags ...string) *data.Exchange {
		return &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title, OccurredAt: at, TimeZone: "Asia/Bahrain",
			State: state, Tags: tags, Marking: marking}
	}
	add(t, s,
		ex("CTF 150 staff sync 6 Nov", "2026-11-06T06:00:00Z", data.StateFinal),
		ex("CTF 150 staff sync 13 Nov", "2026-11-13T06:00:00Z", data.StateFinal),
		ex("CTF 150 staff sync 20 Nov", "2026-11-20T06:00:00Z", data.StateDraft),
		ex("CTF 150 staff sync 27 Nov", "2026-11-27T06:00:00Z", data.StatePlanned),
		ex("Call on the deputy commander", "2026-11-10T06:00:00Z", data.StateFinal),
		ex("Partners' maritime forum", "2026-11-03T06:00:00Z", data.StateFinal, "forum"),
	)
	social := func(at string) *data.Exchange {
		e := ex("Dining-in, US Navy", at, data.StateFinal)
		e.Kind = "social"
		return e
	}
	add(t, s, social("2026-11-07T18:00:00Z"), social("2026-11-21T18:00:00Z")) // a repeated title, not a meeting
	acc := add(t, s, &data.Accreditation{Officer: "Col. A. Sharma", CertifyingCommand: "Combined Maritime Forces",
		DDLCeiling: "CONFIDENTIAL", DDLMethods: []string{"oral", "visual"}, DDLCategories: []string{"1", "5"},
		EVANumber: "EVA-CMF-7", EVAEndsOn: "2027-06-30", BadgeExpiresOn: "2027-01-15"})[0]
	ddl := filepath.Join(t.TempDir(), "ddl.pdf")
	if err := os.WriteFile(ddl, []byte("%PDF-1.4 the delegation of disclosure authority letter"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(context.Background(), data.KindAccreditation, acc, ddl, store.AttachOptions{}); err != nil {
		t.Fatal(err)
	}
	return s, ddl
}

// A handover tells a successor which meetings recur, how often, when the
// last was held and when the next is planned, and what papers the officer
// holds and when they run out.
func TestAHandoverListsRecurringMeetingsAndTheOfficersAccreditation(t *testing.T) {
	s, _ := continuityStore(t)
	out, _ := write(t, s, handoverOptions(), JSON)
	var got struct {
		Sections []struct {
			Name string            `json:"name"`
			Rows []json.RawMessage `json:"rows"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rows := map[string][]string{}
	for _, sec := range got.Sections {
		for _, r := range sec.Rows {
			rows[sec.Name] = append(rows[sec.Name], string(r))
		}
	}
	recurring := rows["recurring_meetings"]
	if len(recurring) != 2 {
		t.Fatalf("recurring meetings = %v, want the staff sync and the forum", recurring)
	}
	var sync map[string]any
	for _, r := range recurring {
		if strings.Contains(r, "staff sync") {
			json.Unmarshal([]byte(r), &sync)
		}
		if strings.Contains(r, "deputy commander") || strings.Contains(r, "Dining-in") {
			t.Errorf("a one-off meeting or a social event is listed as recurring: %s", r)
		}
	}
	if sync["held"] != float64(3) || sync["cadence"] != "weekly" || sync["last"] != "2026-11-20" || sync["next"] != "2026-11-27" {
		t.Errorf("the staff sync reads %v, want held 3, weekly, last 20 Nov, next 27 Nov", sync)
	}
	acc := strings.Join(rows["accreditation"], "\n")
	for _, want := range []string{"Combined Maritime Forces", "CONFIDENTIAL", "oral, visual", "5 Combined Military Operations", "EVA-CMF-7, until 2027-06-30", "2027-01-15"} {
		if !strings.Contains(acc, want) {
			t.Errorf("the accreditation section lacks %q:\n%s", want, acc)
		}
	}
}

// The handover pack carries the accreditation's reference documents.
func TestAHandoverPackCarriesTheAccreditationsDocuments(t *testing.T) {
	s, ddl := continuityStore(t)
	got, p, err := WritePack(context.Background(), s, handoverOptions(), filepath.Join(t.TempDir(), "pack.zip"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(ddl)
	entries := readZip(t, got)
	found := slices.ContainsFunc(p.Files, func(f PackFile) bool {
		return f.Name == "ddl.pdf" && string(entries[f.Path]) == string(want)
	})
	if !found {
		t.Errorf("the pack lacks the DDL byte for byte: %+v", p.Files)
	}
	if !strings.Contains(string(entries[PackReadme]), "accreditation of Col. A. Sharma") {
		t.Errorf("the README does not name the accreditation:\n%s", entries[PackReadme])
	}
}
