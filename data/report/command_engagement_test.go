package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"liaisondesk/data"
)

// TestCommandSummaryGivesObjectivesMetAndQuietKeyCounterparts: partly met
// counts as half an objective met; a key counterpart (named in an
// engagement) not met in 60 days is listed, one never met first, while a
// counterpart of no engagement is not key, and a planned exchange is no
// contact.
func TestCommandSummaryGivesObjectivesMetAndQuietKeyCounterparts(t *testing.T) {
	s := openStore(t)
	ids := add(t, s, &data.Contact{Name: "Laura Walker", Rank: "CDR", Organisation: "CTF 151"},
		&data.Contact{Name: "Tom Brown", Organisation: "CTF 150"},
		&data.Contact{Name: "Mei Chen", Organisation: "CTF 152"},
		&data.Contact{Name: "Ann Davis", Organisation: "NAVCENT"})
	walker, brown, chen, davis := ids[0], ids[1], ids[2], ids[3]
	ex := func(title, at string, state data.ExchangeState, who string, objs ...data.Objective) *data.Exchange {
		return &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title, OccurredAt: at, State: state,
			Counterparts: []string{who}, Objectives: objs, Marking: data.Marking{Classification: "UNCLASSIFIED"}}
	}
	add(t, s,
		ex("Call on CTF 151", "2026-07-01T06:00:00Z", data.StateFinal, walker, data.Objective{Text: "Berths"}),
		ex("Coffee with Walker", "2026-08-01T06:00:00Z", data.StateFinal, walker),
		ex("Lunch with Davis", "2026-06-01T06:00:00Z", data.StateFinal, davis),
		ex("Call on CTF 150", "2026-11-10T06:00:00Z", data.StateFinal, brown,
			data.Objective{Text: "Fuel", Result: data.ObjectiveMet}, data.Objective{Text: "Slots", Result: data.ObjectivePartly}),
		ex("Second call on CTF 150", "2026-11-12T06:00:00Z", data.StateFinal, brown,
			data.Objective{Text: "Charts", Result: data.ObjectiveNotMet}),
		ex("Planned call on CTF 152", "2026-11-20T06:00:00Z", data.StatePlanned, chen, data.Objective{Text: "Introductions"}))

	b, _ := write(t, s, Options{Kind: "command", From: "2026-11-01", To: "2026-11-30"}, JSON)
	var doc struct {
		Sections []struct {
			Name string           `json:"name"`
			Rows []map[string]any `json:"rows"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	figures, byResult, quiet := map[string]any{}, map[string]any{}, []map[string]any(nil)
	for _, sec := range doc.Sections {
		switch sec.Name {
		case "summary":
			for _, r := range sec.Rows {
				figures[r["item"].(string)] = r["value"]
			}
		case "objectives":
			for _, r := range sec.Rows {
				byResult[r["result"].(string)] = r["objectives"]
			}
		case "key_counterparts_quiet":
			quiet = sec.Rows
		}
	}
	if got, want := figures["Objectives met"], "50% (of 3 assessed, partly as half)"; got != want {
		t.Errorf("objectives met %q, want %q", got, want)
	}
	if objs := fmt.Sprint(byResult); objs != "map[Met:1 Not met:1 Partly met:1]" {
		t.Errorf("objectives by result %s", objs)
	}
	if got := figures["Key counterparts quiet"]; got != "2 (no contact in 60 days)" {
		t.Errorf("key counterparts quiet %q", got)
	}
	if len(quiet) != 2 || quiet[0]["counterpart"] != "Mei Chen" || quiet[0]["last_contact"] != "never" ||
		quiet[1]["counterpart"] != "CDR Laura Walker" || quiet[1]["last_contact"] != "2026-08-01" {
		t.Errorf("quiet key counterparts %v", quiet)
	}

	pdf, _ := write(t, s, Options{Kind: "command", From: "2026-11-01", To: "2026-11-30"}, PDF)
	text := flat(strings.Join(pdfPages(t, pdf), "\n"))
	for _, want := range []string{"Objectives met", "50%", "counts partly met as half", "Partly met", "Key counterparts with no contact in 60 days", "Mei Chen", "never"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "Ann Davis") {
		t.Errorf("a counterpart of no engagement is listed as key")
	}
}

// TestCommandSummaryWithoutDebriefsSaysNoneAssessed: objectives of a
// planned engagement are not counted as unmet.
func TestCommandSummaryWithoutDebriefsSaysNoneAssessed(t *testing.T) {
	s := openStore(t)
	add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Planned", OccurredAt: "2026-11-20T06:00:00Z", State: data.StatePlanned,
		Objectives: []data.Objective{{Text: "One"}}, Marking: data.Marking{Classification: "UNCLASSIFIED"}})
	b, _ := write(t, s, Options{Kind: "command", From: "2026-11-01", To: "2026-11-30"}, JSON)
	if !strings.Contains(string(b), `{"item":"Objectives met","value":"None assessed"}`) {
		t.Errorf("no debrief, yet: %s", b)
	}
}
