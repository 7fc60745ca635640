package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

type levelRow struct {
	Level   string `json:"level"`
	Rank    int    `json:"rank"`
	Colour  string `json:"colour"`
	BuiltIn bool   `json:"built_in"`
}

func listLevels(t *testing.T, db string) []levelRow {
	t.Helper()
	r := liaisondesk(t, db, "", "classification", "list", "--json")
	if r.code != 0 {
		t.Fatalf("list: %d %s", r.code, r.stderr)
	}
	var rows []levelRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("list --json: %v\n%s", err, r.stdout)
	}
	return rows
}

func TestClassificationVerb(t *testing.T) {
	db := newStore(t)

	t.Run("list shows the built-in levels lowest first", func(t *testing.T) {
		r := liaisondesk(t, db, "", "classification", "list")
		if r.code != 0 {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) != 5 || !strings.HasPrefix(lines[0], "LEVEL") || !strings.Contains(lines[0], "BUILT-IN") {
			t.Fatalf("list:\n%s", r.stdout)
		}
		for i, want := range []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"} {
			if f := strings.Fields(lines[i+1]); f[0] != want || f[len(f)-1] != "yes" {
				t.Errorf("line %d: %q", i+1, lines[i+1])
			}
		}
	})

	t.Run("list --json gives level, rank, colour and built-in", func(t *testing.T) {
		rows := listLevels(t, db)
		if len(rows) != 4 || rows[3] != (levelRow{"SECRET", 30, "#C8102E", true}) {
			t.Fatalf("rows %+v", rows)
		}
	})

	t.Run("add after CONFIDENTIAL goes between it and SECRET", func(t *testing.T) {
		r := liaisondesk(t, db, "", "classification", "add", "CONFIDENTIAL-NOFORN", "--after", "CONFIDENTIAL", "--colour", "#1565C0")
		if r.code != 0 {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "between CONFIDENTIAL and SECRET") {
			t.Errorf("said %q", r.stdout)
		}
		rows := listLevels(t, db)
		if len(rows) != 5 || rows[3].Level != "CONFIDENTIAL-NOFORN" || rows[3].Rank <= 20 || rows[3].Rank >= 30 ||
			rows[3].Colour != "#1565C0" || rows[3].BuiltIn {
			t.Fatalf("rows %+v", rows)
		}
	})

	t.Run("add after the top, a name of two words unquoted, a colour without #", func(t *testing.T) {
		r := liaisondesk(t, db, "", "classification", "add", "TOP", "SECRET", "--after", "SECRET", "--colour", "FF8C00")
		if r.code != 0 {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "above SECRET") {
			t.Errorf("said %q", r.stdout)
		}
		rows := listLevels(t, db)
		if top := rows[len(rows)-1]; top.Level != "TOP SECRET" || top.Rank <= 30 || top.Colour != "#FF8C00" {
			t.Fatalf("rows %+v", rows)
		}
	})

	t.Run("a record may then carry the new level", func(t *testing.T) {
		if r := liaisondesk(t, db, strings.Replace(meeting, `"RESTRICTED"`, `"TOP SECRET"`, 1), "add", "exchange"); r.code != 0 {
			t.Fatalf("%d %s", r.code, r.stderr)
		}
	})

	refusals := []struct {
		name  string
		args  []string
		code  int
		words string
	}{
		{"no subcommand", []string{"classification"}, 2, "list or add"},
		{"an unknown subcommand", []string{"classification", "move", "SECRET"}, 2, "move"},
		{"add without a level", []string{"classification", "add", "--after", "SECRET"}, 2, "LEVEL"},
		{"add without --after", []string{"classification", "add", "COSMIC"}, 2, "--after"},
		{"list with an argument", []string{"classification", "list", "SECRET"}, 2, "SECRET"},
		{"list with --after", []string{"classification", "list", "--after", "SECRET"}, 2, "--after"},
		{"a level already on the list", []string{"classification", "add", "SECRET", "--after", "TOP SECRET"}, 1, "SECRET is already on the classification list"},
		{"a level after one not on the list", []string{"classification", "add", "COSMIC", "--after", "ULTRA"}, 1, `"ULTRA" is not on the classification list`},
		{"a name in lower case", []string{"classification", "add", "cosmic", "--after", "SECRET"}, 1, "upper case"},
		{"a name with a slash", []string{"classification", "add", "SECRET/NOFORN", "--after", "SECRET"}, 1, "letters, digits, spaces and hyphens"},
		{"a bad colour", []string{"classification", "add", "COSMIC", "--after", "SECRET", "--colour", "red"}, 1, "#RRGGBB"},
	}
	for _, c := range refusals {
		t.Run("refuses "+c.name+" and changes nothing", func(t *testing.T) {
			before := listLevels(t, db)
			r := liaisondesk(t, db, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.words) {
				t.Fatalf("got %d %q, want exit %d saying %q", r.code, r.stderr, c.code, c.words)
			}
			if after := listLevels(t, db); len(after) != len(before) {
				t.Errorf("levels changed: %+v", after)
			}
		})
	}

	t.Run("the usage names the verb", func(t *testing.T) {
		r := liaisondesk(t, db, "", "help")
		if !strings.Contains(r.stdout, "classification add LEVEL --after LEVEL [--colour #RRGGBB]") {
			t.Errorf("usage:\n%s", r.stdout)
		}
	})
}

// Two officers who each add a level after SECRET before syncing give both
// rank 40. `classification list` says both are left off the order, why,
// what that means for their records and what the officer can do.
func TestClassificationListSaysWhenTwoLevelsShareARank(t *testing.T) {
	a, b := twoEnrolledStores(t)
	dir := t.TempDir()
	for _, c := range []struct{ db, level, to, from string }{{a, "NATO SECRET", "b", "a"}, {b, "COSMIC", "a", "b"}} {
		if r := liaisondesk(t, c.db, "", "classification", "add", c.level, "--after", "SECRET"); r.code != 0 {
			t.Fatalf("add %s: %s", c.level, r.stderr)
		}
	}
	for _, c := range []struct{ from, to, toName string }{{a, b, "b"}, {b, a, "a"}} {
		file := filepath.Join(dir, c.toName+".ldbundle")
		if r := liaisondesk(t, c.from, "", "bundle", "create", "--to", c.toName, "-o", file); r.code != 0 {
			t.Fatalf("bundle create: %s", r.stderr)
		}
		if r := liaisondesk(t, c.to, "", "bundle", "import", file); r.code != 0 || !strings.Contains(r.stdout, `"quarantined": 0`) {
			t.Fatalf("bundle import (nothing should be held): %d %s %s", r.code, r.stdout, r.stderr)
		}
	}
	t.Run("the list says both are left off and why", func(t *testing.T) {
		r := liaisondesk(t, a, "", "classification", "list")
		for _, want := range []string{
			"Left off the order: records marked with these levels count as an unknown level",
			"shares rank 40 with NATO SECRET", "shares rank 40 with COSMIC",
			"add it under another name",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("list does not say %q:\n%s", want, r.stdout)
			}
		}
		if lines := strings.Split(r.stdout, "\n"); !strings.HasPrefix(lines[4], "SECRET ") || lines[5] != "" {
			t.Errorf("the ordered list holds a tied level:\n%s", r.stdout)
		}
	})
	t.Run("list --json gives them last, with left_off", func(t *testing.T) {
		r := liaisondesk(t, a, "", "classification", "list", "--json")
		var rows []struct {
			Level   string `json:"level"`
			Rank    int    `json:"rank"`
			LeftOff string `json:"left_off"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 6 || rows[3].LeftOff != "" || rows[4].Level != "COSMIC" || rows[4].LeftOff != "shares rank 40 with NATO SECRET" ||
			rows[5].Rank != 40 || rows[5].LeftOff != "shares rank 40 with COSMIC" {
			t.Fatalf("rows %+v", rows)
		}
	})
}
