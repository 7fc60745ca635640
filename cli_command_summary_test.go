package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandSummaryShowsTheShareOfObjectivesMet: a planned engagement with
// two objectives, held, then debriefed with one met and one not, gives the
// command summary a 50% objective rate, in JSON and in the PDF.
func TestCommandSummaryShowsTheShareOfObjectivesMet(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, plannedMeeting, "add", "exchange")
	if r.code != 0 {
		t.Fatalf("add planned: %d %s", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	if r := liaisondesk(t, db, "", "status", "exchange", id, "held"); r.code != 0 {
		t.Fatalf("held: %d %s", r.code, r.stderr)
	}
	debrief := `{"objectives":[{"text":"Agree the drill schedule","priority":"HQ-P1","result":"met"},{"text":"Obtain the contact list","result":"not_met","note":"Next month"}]}`
	if r := liaisondesk(t, db, debrief, "update", "exchange", id); r.code != 0 {
		t.Fatalf("debrief: %d %s", r.code, r.stderr)
	}
	period := []string{"--from", "2099-03-01", "--to", "2099-03-31"}
	r = liaisondesk(t, db, "", append([]string{"report", "command", "--format", "json", "-o", "-"}, period...)...)
	var doc struct {
		Sections []struct {
			Name string           `json:"name"`
			Rows []map[string]any `json:"rows"`
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("report command: %d %v %s", r.code, err, r.stderr)
	}
	rate := ""
	for _, f := range doc.Sections[0].Rows {
		if f["item"] == "Objectives met" {
			rate, _ = f["value"].(string)
		}
	}
	if rate != "50% (of 2 assessed, partly as half)" {
		t.Fatalf("objectives met %q, want 50%% of 2", rate)
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing: install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "command.pdf")
	if r := liaisondesk(t, db, "", append([]string{"report", "command", "-o", path}, period...)...); r.code != 0 {
		t.Fatalf("report command PDF: %d %s", r.code, r.stderr)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"50%", "Objectives met", "of 2 assessed, partly as half", "counts partly met as half"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}
