package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// visitIn is a visit request starting in days from today (UTC), with one
// visitor whose passport and date of birth are sensitive.
func visitIn(days int) string {
	start := time.Now().UTC().AddDate(0, 0, days).Format("2006-01-02")
	end := time.Now().UTC().AddDate(0, 0, days+1).Format("2006-01-02")
	return fmt.Sprintf(`{"purpose":"P-8I sustainment review","starts_on":%q,"ends_on":%q,"facility":"NAS Jacksonville","fvs_case":"FVS-IN-0412",`+
		`"visitors":[{"name":"Cdr R. Iyer","rank":"Commander","organisation":"Indian Navy","nationality":"IND","clearance":"SECRET","passport":"Z9876543","birth_date":"1980-04-02"}]}`, start, end)
}

func TestAddVisitInsideTheLeadTimeWarnsOnStderrAndSavesIt(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, visitIn(10), "add", "visit")
	if r.code != 0 {
		t.Fatalf("add visit: %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stderr, "starts in 10 days, inside the 30-day lead time") ||
		!strings.Contains(r.stderr, "AR 380-10") {
		t.Fatalf("no lead-time warning on stderr: %q", r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	var list []map[string]any
	r = liaisondesk(t, db, "", "list", "visit", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("list visit --json: %v %s", err, r.stdout)
	}
	if list[0]["status"] != "drafted" || list[0]["posting"] != "CMF" {
		t.Fatalf("listed visit: %v", list[0])
	}
	if strings.Contains(r.stdout, "Z9876543") || strings.Contains(r.stdout, "1980-04-02") {
		t.Fatalf("the JSON list holds the sensitive fields: %s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "list", "visit", "--json", "--include", "passport"); !strings.Contains(r.stdout, "Z9876543") || strings.Contains(r.stdout, "1980-04-02") {
		t.Fatalf("list --include passport: %s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "show", "visit", id); strings.Contains(r.stdout, "Z9876543") || !strings.Contains(r.stdout, "Iyer") {
		t.Fatalf("show visit: %s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "search", "Z9876543", "--json"); strings.Contains(r.stdout, id) {
		t.Fatalf("search found the visit by passport: %s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "search", "Iyer", "--json"); !strings.Contains(r.stdout, id) {
		t.Fatalf("search by the visitor's name: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := liaisondesk(t, db, visitIn(60), "add", "visit"); r.code != 0 || r.stderr != "" {
		t.Fatalf("a visit outside the lead time: %d %q", r.code, r.stderr)
	}
}

func TestExportVisitLeavesOutThePassportUnlessAskedForByName(t *testing.T) {
	db := newStore(t)
	if r := liaisondesk(t, db, visitIn(45), "add", "visit"); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, f := range []string{"visits.csv", "visits.json"} {
		if r := liaisondesk(t, db, "", "export", "visit", "-o", filepath.Join(dir, f)); r.code != 0 {
			t.Fatalf("export %s: %d %s", f, r.code, r.stderr)
		}
		if got := read(f); strings.Contains(got, "Z9876543") || strings.Contains(got, "1980-04-02") || !strings.Contains(got, "Cdr R. Iyer") {
			t.Fatalf("plain export %s:\n%s", f, got)
		}
	}
	if r := liaisondesk(t, db, "", "export", "visit", "--include", "passport", "-o", filepath.Join(dir, "p.csv")); r.code != 0 {
		t.Fatalf("export --include passport: %d %s", r.code, r.stderr)
	}
	if got := read("p.csv"); !strings.Contains(got, "Z9876543") || strings.Contains(got, "1980-04-02") {
		t.Fatalf("export --include passport:\n%s", got)
	}
	if r := liaisondesk(t, db, "", "export", "visit", "--include", "passport,birth_date", "-o", filepath.Join(dir, "all.json")); r.code != 0 {
		t.Fatalf("export --include passport,birth_date: %d %s", r.code, r.stderr)
	}
	if got := read("all.json"); !strings.Contains(got, "Z9876543") || !strings.Contains(got, "1980-04-02") {
		t.Fatalf("export --include passport,birth_date:\n%s", got)
	}
	if r := liaisondesk(t, db, "", "audit", "--json"); !strings.Contains(r.stdout, "visit with passport, birth_date") {
		t.Fatalf("the audit does not say the passports left: %s", r.stdout)
	}
	if r := liaisondesk(t, db, "", "export", "visit", "--include", "salary", "-o", filepath.Join(dir, "x.csv")); r.code != 2 || !strings.Contains(r.stderr, "passport, birth_date") {
		t.Fatalf("--include an unknown field: %d %s", r.code, r.stderr)
	}
}

func TestStatusVisitWalksTheVisitRequestWorkflow(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, visitIn(90), "add", "visit")
	id := strings.TrimSpace(r.stdout)
	if r := liaisondesk(t, db, "", "status", "visit", id, "approved"); r.code != 1 || !strings.Contains(r.stderr, "allowed: sent_to_defence_wing") {
		t.Fatalf("drafted → approved: %d %s", r.code, r.stderr)
	}
	for _, st := range []string{"sent_to_defence_wing", "submitted", "approved", "held", "report_done"} {
		if r := liaisondesk(t, db, "", "status", "visit", id, st, "--note", "via "+st); r.code != 0 || !strings.Contains(r.stdout, "is now "+st) {
			t.Fatalf("to %s: %d %s", st, r.code, r.stderr)
		}
	}
	if r := liaisondesk(t, db, `{"status":"drafted"}`, "update", "visit", id); r.code == 0 {
		t.Fatal("update set a visit's status")
	}
	if r := liaisondesk(t, db, "", "show", "visit", id, "--json"); !strings.Contains(r.stdout, `"status":"report_done"`) &&
		!strings.Contains(r.stdout, `"status": "report_done"`) {
		t.Fatalf("show: %s", r.stdout)
	}
}

func TestImportVisitReadsASpreadsheetOfVisitRequests(t *testing.T) {
	db := newStore(t)
	csv := filepath.Join(t.TempDir(), "visits.csv")
	body := "purpose,starts_on,ends_on,facility,fvs_case\nPort visit planning,2099-02-01,2099-02-02,NSA Bahrain,FVS-1\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := liaisondesk(t, db, "", "import", "visit", csv); r.code != 0 || !strings.Contains(r.stdout, "imported 1 visit") {
		t.Fatalf("import visit: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := liaisondesk(t, db, "", "list", "visit", "--json"); !strings.Contains(r.stdout, `"status":"drafted"`) || !strings.Contains(r.stdout, "FVS-1") {
		t.Fatalf("list: %s", r.stdout)
	}
}
