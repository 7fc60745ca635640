package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// demoDB is an initialised store with demo data.
func demoDB(t *testing.T) string {
	t.Helper()
	db := newStore(t)
	if r := liaisondesk(t, db, "", "demo", "--exchanges", "80"); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	return db
}

// dirEntries lists what is in a directory, so a test can see that a
// failed report left no file and no temporary file behind.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestReportWritesEachFormatToAFile(t *testing.T) {
	db := demoDB(t)
	out := t.TempDir()
	for _, c := range []struct {
		args  []string
		file  string
		magic string
	}{
		{[]string{"report", "requests"}, "tracker.pdf", "%PDF-"},
		{[]string{"report", "weekly", "--from", "2026-11-01", "--to", "2026-11-30", "--posting", "CMF"}, "weekly.xlsx", "PK"},
		{[]string{"report", "rfi", "--format", "csv"}, "rfi.txt", "\ufeff"},
		{[]string{"report", "command", "--from", "2026-10-01", "--to", "2026-12-31"}, "command.json", "{"},
		{[]string{"report", "actions", "--ceiling", "restricted", "--rel", "usa, ind"}, "actions.ics", "BEGIN:VCALENDAR"},
		{[]string{"export", "exchange"}, "exchanges.csv", "\ufeff"},
		{[]string{"export", "request", "--format", "xlsx"}, "requests.xlsx", "PK"},
		{[]string{"export", "action"}, "actions.json", "{"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			path := filepath.Join(out, c.file)
			r := liaisondesk(t, db, "", append(c.args, "-o", path)...)
			if r.code != 0 || !strings.Contains(r.stdout, "wrote "+path) {
				t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
			}
			b, err := os.ReadFile(path)
			if err != nil || !bytes.HasPrefix(b, []byte(c.magic)) {
				t.Fatalf("%s does not start with %q: %v", path, c.magic, err)
			}
			if strings.Contains(strings.Join(c.args, " "), "--ceiling") && !strings.Contains(r.stdout, " left out: above the ceiling RESTRICTED or not releasable to USA, IND") {
				t.Errorf("a ceiling's left-out count is not reported: %s", r.stdout)
			}
		})
	}
	if names := dirEntries(t, out); len(names) != 8 {
		t.Fatalf("files in the output directory: %v", names)
	}
}

// TestReportSaysWhyRecordsWereLeftOut: --rel alone leaves records out as
// not releasable, not as above a ceiling that was never given.
func TestReportSaysWhyRecordsWereLeftOut(t *testing.T) {
	db := demoDB(t)
	path := filepath.Join(t.TempDir(), "rfi.pdf")
	r := liaisondesk(t, db, "", "report", "rfi", "--rel", "GBR", "-o", path)
	if r.code != 0 || !strings.Contains(r.stdout, " left out: not releasable to GBR") || strings.Contains(r.stdout, "ceiling") {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
}

func TestReportToStandardOutput(t *testing.T) {
	db := demoDB(t)
	r := liaisondesk(t, db, "", "report", "contacts", "--format", "json", "-o", "-")
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("not one JSON document: %v %s", err, r.stderr)
	}
	if doc["banner"] == "" || doc["report"] != "contacts" {
		t.Fatalf("%v", doc)
	}
}

func TestReportMistakesExitTwoAndWriteNoFile(t *testing.T) {
	db := demoDB(t)
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"an unknown report":         {[]string{"report", "monthly"}, "monthly"},
		"no output file":            {[]string{"report", "requests"}, "-o FILE"},
		"an unknown format":         {[]string{"report", "requests", "--format", "docx"}, "docx"},
		"a format it lacks":         {[]string{"report", "contacts", "--format", "ics"}, "ics"},
		"the memorandum as CSV":     {[]string{"report", "exchange", "--id", "x", "--format", "csv"}, "pdf"},
		"a weekly without a period": {[]string{"report", "weekly"}, "--from"},
		"a bad date":                {[]string{"report", "rfi", "--from", "2026-02-30"}, "--from"},
		"to before from":            {[]string{"report", "rfi", "--from", "2026-11-10", "--to", "2026-11-01"}, "--to"},
		"an unknown posting":        {[]string{"report", "rfi", "--posting", "NAVCENT"}, "--posting"},
		"an unknown ceiling":        {[]string{"report", "rfi", "--ceiling", "COSMIC"}, "--ceiling"},
		"a bad nation":              {[]string{"report", "rfi", "--rel", "USA,XX"}, "rel"},
		"an unknown flag":           {[]string{"report", "rfi", "--colour", "red"}, "colour"},
		"an unknown export":         {[]string{"export", "posting"}, "posting"},
		"an export as PDF":          {[]string{"export", "contact", "--format", "pdf"}, "pdf"},
		"contacts of one posting":   {[]string{"export", "contact", "--posting", "CMF"}, "--posting"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "report.pdf")
			if !slicesContains(c.args, "--format") {
				out = filepath.Join(dir, "report.csv")
			}
			args := append(c.args, "-o", out)
			if name == "no output file" {
				args = c.args
			}
			r := liaisondesk(t, db, "", args...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "usage:") {
				t.Fatalf("want exit 2 naming %q, got %d %q", c.want, r.code, r.stderr)
			}
			if names := dirEntries(t, dir); len(names) != 0 {
				t.Fatalf("a refused report left %v", names)
			}
		})
	}
}

func slicesContains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func TestReportFailuresExitOneAndWriteNoFile(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"an exchange that is not there": {[]string{"report", "exchange", "--id", "0190a1b2-0000-7000-8000-000000000000", "-o", filepath.Join(dir, "m.pdf")}, "not found"},
		"a folder that is not there":    {[]string{"report", "requests", "-o", filepath.Join(dir, "nowhere", "r.pdf")}, "the folder " + filepath.Join(dir, "nowhere") + " does not exist"},
	} {
		t.Run(name, func(t *testing.T) {
			r := liaisondesk(t, db, "", c.args...)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "no file written") {
				t.Fatalf("want exit 1 naming %q, got %d %q", c.want, r.code, r.stderr)
			}
		})
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Fatalf("left behind: %v", names)
	}
	if r := liaisondesk(t, filepath.Join(dir, "none.db"), "", "report", "requests", "-o", filepath.Join(dir, "r.pdf")); r.code != 1 || !strings.Contains(r.stderr, "no store") {
		t.Fatalf("no store: %d %s", r.code, r.stderr)
	}
}

func TestReportMemorandumOfOneExchange(t *testing.T) {
	db := newStore(t)
	id := strings.TrimSpace(liaisondesk(t, db, meeting, "add", "exchange").stdout)
	path := filepath.Join(t.TempDir(), "mfr.pdf")
	r := liaisondesk(t, db, "", "report", "exchange", "--id", id, "-o", path)
	if r.code != 0 || !strings.Contains(r.stdout, "memorandum for record, RESTRICTED//REL TO USA, IND") || strings.Contains(r.stdout, "rows") {
		t.Fatalf("%d %s %s", r.code, r.stdout, r.stderr)
	}
	refused := filepath.Join(filepath.Dir(path), "refused.pdf")
	r = liaisondesk(t, db, "", "report", "exchange", "--id", id, "--ceiling", "UNCLASSIFIED", "-o", refused)
	if r.code != 2 || !strings.Contains(r.stderr, "above the ceiling") {
		t.Fatalf("an exchange above the ceiling: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(refused); !os.IsNotExist(err) {
		t.Fatal("a refused memorandum left a file")
	}
}

const contactsCSV = "name,rank,appointment,organisation,nation\n" +
	"Laura Walker,CDR,Deputy N3,CTF 151,USA\n" +
	",CAPT,Chief of Staff,CTF 150,USA\n" +
	"John Miller,CAPT,Deputy J4,INDOPACOM,America\n" +
	"Sarah Davis,Col,Deputy J5,INDOPACOM,USA\n"

func TestImportDryRunThenCommit(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "contacts.csv")
	os.WriteFile(file, []byte(contactsCSV), 0o600)
	countContacts := func() int {
		var got []any
		json.Unmarshal([]byte(liaisondesk(t, db, "", "list", "contact", "--json").stdout), &got)
		return len(got)
	}

	r := liaisondesk(t, db, "", "import", "contact", file, "--dry-run")
	for _, want := range []string{"would create 2 contacts:", "row 2: CDR Laura Walker, Deputy N3, CTF 151 (USA)", "row 5: Col Sarah Davis",
		"rejected 2 rows:", "row 3: name: is required", "row 4: nation:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 1 || !strings.Contains(r.stderr, "2 rows would be rejected") || countContacts() != 0 {
		t.Fatalf("dry run: exit %d %s, %d contacts", r.code, r.stderr, countContacts())
	}

	r = liaisondesk(t, db, "", "import", "contact", file)
	if r.code != 1 || !strings.Contains(r.stderr, "nothing imported") || countContacts() != 0 {
		t.Fatalf("an import with rejected rows: exit %d %s, %d contacts", r.code, r.stderr, countContacts())
	}
	r = liaisondesk(t, db, "", "import", "contact", file, "--skip-rejected")
	if r.code != 0 || !strings.Contains(r.stdout, "imported 2 contacts") || countContacts() != 2 {
		t.Fatalf("--skip-rejected: exit %d %s %s", r.code, r.stdout, r.stderr)
	}

	// An export reads straight back, into another store, in a dry run.
	exp := filepath.Join(dir, "export.csv")
	if r := liaisondesk(t, db, "", "export", "contact", "-o", exp); r.code != 0 {
		t.Fatal(r.stderr)
	}
	b, _ := os.ReadFile(exp)
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("export: %v %d rows", err, len(rows))
	}
	r = liaisondesk(t, newStore(t), "", "import", "contact", exp, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "would create 2 contacts") || !strings.Contains(r.stdout, "dry run: nothing was changed") ||
		!strings.Contains(r.stdout, "columns not read") {
		t.Fatalf("dry run of an export: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

// TestImportRefusesToCopyWhatIsThere: an export read back into the store
// it came from would duplicate every record: each row is refused by its
// id, and nothing is imported.
func TestImportRefusesToCopyWhatIsThere(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "contacts.csv")
	os.WriteFile(file, []byte(contactsCSV), 0o600)
	if r := liaisondesk(t, db, "", "import", "contact", file, "--skip-rejected"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	exp := filepath.Join(dir, "export.csv")
	if r := liaisondesk(t, db, "", "export", "contact", "-o", exp); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := liaisondesk(t, db, "", "import", "contact", exp, "--skip-rejected")
	if r.code != 1 || !strings.Contains(r.stdout, "rejected 2 rows:") || strings.Count(r.stdout, "already exists in this store: an import creates records, it does not update them") != 2 ||
		!strings.Contains(r.stderr, "no rows to import") {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	var got []any
	json.Unmarshal([]byte(liaisondesk(t, db, "", "list", "contact", "--json").stdout), &got)
	if len(got) != 2 {
		t.Fatalf("%d contacts after importing the export again", len(got))
	}
}

// TestImportDryRunListsEveryProblemOfARow: a row wrong in three fields is
// one rejected row listed with all three.
func TestImportDryRunListsEveryProblemOfARow(t *testing.T) {
	db := newStore(t)
	file := filepath.Join(t.TempDir(), "contacts.csv")
	os.WriteFile(file, []byte("name,rank,nation,email\n,CAPT,America,not-an-email\nLaura Walker,CDR,USA,\n"), 0o600)
	r := liaisondesk(t, db, "", "import", "contact", file, "--dry-run")
	for _, want := range []string{"would create 1 contact:", "rejected 1 row:", "row 2: name: is required", "row 2: nation: ", "row 2: email: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 1 || !strings.Contains(r.stderr, "1 row would be rejected") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

func TestImportMistakes(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "c.csv")
	os.WriteFile(good, []byte(contactsCSV), 0o600)
	bad := filepath.Join(dir, "c.tsv")
	os.WriteFile(bad, []byte(contactsCSV), 0o600)
	colour := filepath.Join(dir, "e.csv")
	os.WriteFile(colour, []byte("posting,kind,title,colour\nCMF,call,x,red\n"), 0o600)
	for name, c := range map[string]struct {
		args []string
		code int
		want string
	}{
		"an unknown kind":     {[]string{"import", "action", good}, 2, "KIND"},
		"no file":             {[]string{"import", "contact"}, 2, "missing FILE"},
		"a format it lacks":   {[]string{"import", "contact", bad}, 2, "csv or xlsx"},
		"a file not there":    {[]string{"import", "contact", filepath.Join(dir, "none.csv")}, 1, filepath.Join(dir, "none.csv") + ": no such file or folder"},
		"an unknown column":   {[]string{"import", "exchange", colour}, 1, `"colour" is not a field of exchange`},
		"no header":           {[]string{"import", "exchange", good}, 1, "no header row"},
		"a workbook that isn": {[]string{"import", "contact", good, "--format", "xlsx"}, 1, "not a valid XLSX"},
	} {
		t.Run(name, func(t *testing.T) {
			r := liaisondesk(t, db, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("want exit %d naming %q, got %d %q", c.code, c.want, r.code, r.stderr)
			}
		})
	}
}
