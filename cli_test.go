package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// liaisondesk runs the command line in-process against a store and returns
// what it printed and its exit code.
type result struct {
	code   int
	stdout string
	stderr string
}

func liaisondesk(t *testing.T, db, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"--db", db}, args...), strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func newStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "store.db")
	if r := liaisondesk(t, db, "", "init", "--officer", "Col. A. Sharma", "--rank", "Colonel", "--posting", "CMF"); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	return db
}

const meeting = `{"posting":"CMF","kind":"meeting","title":"CTF 151 counter-piracy brief","occurred_at":"2026-11-20T06:00:00Z","classification":"RESTRICTED","releasability":["USA","IND"],"summary":"Piracy off Somalia"}`

func TestInit(t *testing.T) {
	t.Run("a second init on the same store is refused", func(t *testing.T) {
		db := newStore(t)
		r := liaisondesk(t, db, "", "init", "--officer", "B", "--rank", "Major", "--posting", "SOCOM")
		if r.code == 0 || !strings.Contains(r.stderr, "already initialised") {
			t.Fatalf("got %d %q", r.code, r.stderr)
		}
	})
	t.Run("an unknown posting is refused and creates no store", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "s.db")
		r := liaisondesk(t, db, "", "init", "--officer", "A", "--rank", "Colonel", "--posting", "NOWHERE")
		if r.code == 0 || !strings.Contains(r.stderr, "posting") {
			t.Fatalf("got %d %q", r.code, r.stderr)
		}
		if r := liaisondesk(t, db, "", "list", "exchange"); r.code == 0 || !strings.Contains(r.stderr, "no store") {
			t.Fatalf("store exists after refused init: %d %q", r.code, r.stderr)
		}
	})
}

func TestAddAndList(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, meeting+"\n"+strings.Replace(meeting, "CTF 151", "CTF 150", 1)+"\n", "add", "exchange")
	if r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	ids := strings.Fields(r.stdout)
	if len(ids) != 2 {
		t.Fatalf("want 2 ids, got %q", r.stdout)
	}
	for _, args := range [][]string{{"list", "exchange", "--json"}, {"list", "--json", "exchange"}, {"list", "exchange", "--json", "--limit", "0"}} {
		r := liaisondesk(t, db, "", args...)
		var got []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
			t.Fatalf("%v: not one JSON array: %v %q %s", args, err, r.stdout, r.stderr)
		}
		if len(got) != 2 {
			t.Fatalf("%v: want 2 records, got %d", args, len(got))
		}
		if got[0]["releasability"] == nil || got[0]["occurred_at"] != "2026-11-20T06:00:00Z" {
			t.Fatalf("JSON does not use the domain's field names: %v", got[0])
		}
	}
	r = liaisondesk(t, db, "", "list", "exchange", "--limit", "1")
	if r.code != 0 || !strings.Contains(r.stdout, "(1 exchange)") || !strings.Contains(r.stdout, "TITLE") {
		t.Fatalf("table: %s %s", r.stdout, r.stderr)
	}
}

func TestAddIsAllOrNothing(t *testing.T) {
	db := newStore(t)
	bad := strings.Replace(meeting, `"kind":"meeting"`, `"kind":"lunch"`, 1)
	r := liaisondesk(t, db, meeting+"\n"+bad+"\n", "add", "exchange")
	if r.code == 0 || !strings.Contains(r.stderr, "record 2") || !strings.Contains(r.stderr, "kind") {
		t.Fatalf("want refusal naming record 2 and kind, got %d %q", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "list", "exchange", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("a refused batch left records: %s", r.stdout)
	}
}

func TestBadInputNamesTheProblem(t *testing.T) {
	db := newStore(t)
	for name, c := range map[string]struct {
		stdin string
		args  []string
		want  string
	}{
		"malformed JSON":        {`{"title":`, []string{"add", "exchange"}, "not valid JSON"},
		"not an object":         {`[1,2]`, []string{"add", "exchange"}, "JSON object"},
		"unknown field":         {`{"titel":"x"}`, []string{"add", "contact"}, "titel"},
		"empty input":           {"", []string{"add", "contact"}, "no input"},
		"ASAP required date":    {`{"direction":"in_to_us","posting":"CMF","required_by":"ASAP","classification":"UNCLASSIFIED","lines":[{"description":"x","quantity":1}]}`, []string{"add", "request"}, "required_by"},
		"unknown kind":          {"", []string{"list", "widgets"}, "KIND"},
		"bad date filter":       {"", []string{"list", "exchange", "--from", "2026-13-01"}, "from"},
		"unknown record":        {"", []string{"show", "exchange", "0190a1b2-0000-7000-8000-000000000000"}, "not found"},
		"illegal search syntax": {"", []string{"search", "--fts", `"unbalanced AND (`}, "search syntax"},
		"missing status":        {"", []string{"status", "request", "x"}, "missing NEW_STATUS"},
		"unknown flag":          {"", []string{"list", "exchange", "--colour"}, "colour"},
		"update of a read-only": {`{"status":"closed"}`, []string{"update", "request", "0190a1b2-0000-7000-8000-000000000000"}, "status"},
	} {
		t.Run(name, func(t *testing.T) {
			r := liaisondesk(t, db, c.stdin, c.args...)
			if r.code == 0 || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("want a non-zero exit naming %q, got %d %q", c.want, r.code, r.stderr)
			}
		})
	}
}

func TestRequestWorkflow(t *testing.T) {
	db := newStore(t)
	req := `{"direction":"in_to_us","posting":"CMF","program":"MH-60R","required_by":"2027-02-01","classification":"CONFIDENTIAL","releasability":["USA","IND"],"lines":[{"description":"Main rotor blade","nsn":"1615015555555","quantity":2}]}`
	r := liaisondesk(t, db, req, "add", "request")
	if r.code != 0 {
		t.Fatalf("add: %s", r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	if r := liaisondesk(t, db, "", "status", "request", id, "delivered"); r.code == 0 || !strings.Contains(r.stderr, "cannot go from draft to delivered") {
		t.Fatalf("illegal transition: %d %q", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "request", id, "submitted", "--note", "sent to J4"); r.code != 0 {
		t.Fatalf("legal transition: %s", r.stderr)
	}
	r = liaisondesk(t, db, "", "show", "request", id, "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("show --json is not one object: %v", err)
	}
	hist := got["history"].([]any)
	if got["status"] != "submitted" || len(hist) != 1 || hist[0].(map[string]any)["note"] != "sent to J4" {
		t.Fatalf("status/history wrong: %v", got)
	}
	if line := got["lines"].([]any)[0].(map[string]any); line["nsn"] != "1615-01-555-5555" {
		t.Fatalf("NSN not normalised: %v", line["nsn"])
	}
	r = liaisondesk(t, db, "", "history", "request", id)
	if r.code != 0 || !strings.Contains(r.stdout, "status") || !strings.Contains(r.stdout, "draft → submitted") {
		t.Fatalf("history: %s %s", r.stdout, r.stderr)
	}
}

func TestUpdateDeleteAndHistory(t *testing.T) {
	db := newStore(t)
	id := strings.TrimSpace(liaisondesk(t, db, meeting, "add", "exchange").stdout)
	if r := liaisondesk(t, db, `{"title":"CTF 151 brief (amended)"}`, "update", "exchange", id); r.code != 0 {
		t.Fatalf("update: %s", r.stderr)
	}
	r := liaisondesk(t, db, "", "history", "exchange", id, "--json")
	var h []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &h); err != nil {
		t.Fatal(err)
	}
	last := h[len(h)-1]
	if last["field"] != "title" || last["old"] != "CTF 151 counter-piracy brief" || last["new"] != "CTF 151 brief (amended)" || last["officer"] != "Col. A. Sharma" {
		t.Fatalf("last history entry: %v", last)
	}
	if r := liaisondesk(t, db, "", "delete", "exchange", id); r.code != 0 {
		t.Fatalf("delete: %s", r.stderr)
	}
	if r := liaisondesk(t, db, "", "show", "exchange", id); r.code == 0 {
		t.Fatal("a deleted exchange is still shown")
	}
	if r := liaisondesk(t, db, "", "check"); r.code != 0 || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("check: %s %s", r.stdout, r.stderr)
	}
}

func TestSearch(t *testing.T) {
	db := newStore(t)
	liaisondesk(t, db, meeting, "add", "exchange")
	r := liaisondesk(t, db, "", "search", "piracy", "--json")
	var hits []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &hits); err != nil || len(hits) != 1 {
		t.Fatalf("search: %v %q", err, r.stdout)
	}
	if !strings.Contains(strings.ToLower(hits[0]["snippet"].(string)), "[piracy]") {
		t.Fatalf("snippet does not mark the match: %v", hits[0]["snippet"])
	}
	for _, q := range []string{`"`, `AND OR NOT`, `*`, `NEAR(`, `'; DROP TABLE exchanges; --`, "\x00"} {
		if r := liaisondesk(t, db, "", "search", q, "--json"); r.code != 0 && !strings.Contains(r.stderr, "query") {
			t.Fatalf("query %q: %d %s", q, r.code, r.stderr)
		}
	}
	if r := liaisondesk(t, db, "", "search", "nothingmatches", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("no hits must be [], got %q", r.stdout)
	}
}

func TestBackupAndRestore(t *testing.T) {
	db := newStore(t)
	liaisondesk(t, db, meeting, "add", "exchange")
	oldID := strings.Fields(liaisondesk(t, db, "", "identity").stdout) // makes the age key
	backup := filepath.Join(t.TempDir(), "backup.db")
	if r := liaisondesk(t, db, "", "backup", backup); r.code != 0 {
		t.Fatalf("backup: %s", r.stderr)
	}
	if r := liaisondesk(t, db, "", "restore", backup); r.code == 0 || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("restore over an existing store must need --force: %d %s", r.code, r.stderr)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	r := liaisondesk(t, restored, "", "restore", backup)
	if r.code != 0 || !strings.Contains(r.stdout, "new identity") {
		t.Fatalf("restore: %s %s", r.stdout, r.stderr)
	}
	if oldCode := strings.ToUpper(oldID[1][:4]); !strings.Contains(r.stdout, "revoke") || !strings.Contains(r.stdout, "device code "+oldCode) {
		t.Fatalf("restore does not say to revoke the old device %s: %s", oldCode, r.stdout)
	}
	if raw, _ := os.ReadFile(backup); strings.Contains(string(raw), "AGE-SECRET-KEY-") {
		t.Fatal("the backup holds the age secret key")
	}
	if r := liaisondesk(t, backup, "", "list", "exchange"); r.code == 0 || !strings.Contains(r.stderr, "is a backup, which holds no keys") {
		t.Fatalf("a backup used as a store: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, restored, "", "list", "exchange", "--json"); !strings.Contains(r.stdout, "CTF 151") {
		t.Fatalf("restored store lacks the exchange: %s", r.stdout)
	}
	notABackup := filepath.Join(t.TempDir(), "junk.db")
	if r := liaisondesk(t, notABackup, "", "restore", "cli_test.go"); r.code == 0 || !strings.Contains(r.stderr, "not a Liaison Desk backup") {
		t.Fatalf("junk restore: %d %s", r.code, r.stderr)
	}
}

func TestUsage(t *testing.T) {
	if r := liaisondesk(t, "x.db", "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Fatalf("unknown verb: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, "x.db", "", "help"); r.code != 0 || !strings.Contains(r.stdout, "search") {
		t.Fatalf("help: %d %s", r.code, r.stdout)
	}
	// Issue 10: the default store where this system keeps it.
	want := "~/.config/liaisondesk/store.db"
	if runtime.GOOS == "windows" {
		want = `%AppData%\liaisondesk\store.db`
	}
	if r := liaisondesk(t, "x.db", "", "help"); !strings.Contains(r.stdout, "else "+want+".") {
		t.Fatalf("help does not name %s:\n%s", want, r.stdout)
	}
	if r := liaisondesk(t, "x.db", "", "--frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "else "+want+".") {
		t.Fatalf("a bad flag: %d %s", r.code, r.stderr)
	}
}

func TestStatusRecordedAfterTheFact(t *testing.T) {
	db := newStore(t)
	req := `{"direction":"in_to_us","posting":"CMF","program":"P-8I","required_by":"2027-02-01","classification":"UNCLASSIFIED","lines":[{"description":"Sonobuoy","quantity":40}]}`
	id := strings.TrimSpace(liaisondesk(t, db, req, "add", "request").stdout)
	if r := liaisondesk(t, db, "", "status", "request", id, "submitted", "--at", "2026-11-02"); r.code != 0 {
		t.Fatalf("past date refused: %s", r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "request", id, "forwarded_to_dod", "--at", "2026-10-01"); r.code == 0 || !strings.Contains(r.stderr, "before the request's previous status change") {
		t.Fatalf("a transition dated before the previous one: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "request", id, "forwarded_to_dod", "--at", "2099-01-01"); r.code == 0 || !strings.Contains(r.stderr, "future") {
		t.Fatalf("a future transition: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "status", "request", id, "forwarded_to_dod", "--at", "last tuesday"); r.code == 0 || !strings.Contains(r.stderr, "at:") {
		t.Fatalf("a bad --at: %d %s", r.code, r.stderr)
	}
	var got map[string]any
	_ = json.Unmarshal([]byte(liaisondesk(t, db, "", "show", "request", id, "--json").stdout), &got)
	hist := got["history"].([]any)
	if len(hist) != 1 || hist[0].(map[string]any)["at"] != "2026-11-02T12:00:00Z" || got["status"] != "submitted" {
		t.Fatalf("history %v, status %v", hist, got["status"])
	}
}

func TestIdentityAndPeers(t *testing.T) {
	a, b := newStore(t), newStore(t)
	idA := strings.TrimSpace(liaisondesk(t, a, "", "identity").stdout)
	idB := strings.TrimSpace(liaisondesk(t, b, "", "identity").stdout)
	idC := strings.TrimSpace(liaisondesk(t, newStore(t), "", "identity").stdout)
	if !strings.HasPrefix(idA, "liaisondesk-identity-v1 ") || strings.Count(idA, " ") != 4 || idA == idB {
		t.Fatalf("identity lines %q %q", idA, idB)
	}
	if again := strings.TrimSpace(liaisondesk(t, a, "", "identity").stdout); again != idA {
		t.Fatal("the identity changed between two calls")
	}
	if r := liaisondesk(t, a, "", "peers", "add", "bahrain-2", idB); r.code != 0 {
		t.Fatalf("peers add: %s", r.stderr)
	}
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"the same device twice":  {[]string{"peers", "add", "other", idB}, "already a peer"},
		"a name taken":           {[]string{"peers", "add", "bahrain-2", idC}, "already trusted"},
		"itself":                 {[]string{"peers", "add", "me", idA}, "own identity"},
		"a line that is not one": {[]string{"peers", "add", "x", "hello world"}, "not a Liaison Desk identity"},
		"a bad name":             {[]string{"peers", "add", "../x", idB}, "not a peer name"},
		"revoking nobody":        {[]string{"peers", "revoke", "nobody"}, "not found"},
	} {
		t.Run(name, func(t *testing.T) {
			r := liaisondesk(t, a, "", c.args...)
			if r.code == 0 || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("want a refusal naming %q, got %d %q", c.want, r.code, r.stderr)
			}
		})
	}
	if r := liaisondesk(t, a, "", "peers", "revoke", "bahrain-2"); r.code != 0 {
		t.Fatalf("revoke: %s", r.stderr)
	}
	var peers []map[string]any
	if err := json.Unmarshal([]byte(liaisondesk(t, a, "", "peers", "list", "--json").stdout), &peers); err != nil || len(peers) != 1 {
		t.Fatalf("peers list: %v %v", peers, err)
	}
	if peers[0]["name"] != "bahrain-2" || peers[0]["revoked_at"] == "" || peers[0]["identity"] != idB {
		t.Fatalf("peer %v", peers[0])
	}
}

func TestFinalExchangeNeedsAnAmendment(t *testing.T) {
	db := newStore(t)
	id := strings.TrimSpace(liaisondesk(t, db, strings.Replace(meeting, `"summary"`, `"state":"final","summary"`, 1), "add", "exchange").stdout)
	if r := liaisondesk(t, db, `{"title":"quietly changed"}`, "update", "exchange", id); r.code == 0 || !strings.Contains(r.stderr, "final") {
		t.Fatalf("a final exchange was updated: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "delete", "exchange", id); r.code == 0 {
		t.Fatal("a final exchange was deleted")
	}
	if r := liaisondesk(t, db, `{"title":"CTF 151 brief (amended)"}`, "update", "exchange", id, "--amend"); r.code != 0 {
		t.Fatalf("amend: %s", r.stderr)
	}
	if r := liaisondesk(t, db, "", "history", "exchange", id); !strings.Contains(r.stdout, "CTF 151 brief (amended)") {
		t.Fatalf("the amendment is not in the history: %s", r.stdout)
	}
}

// Issue 10: a file that is not there is said in the same words on every
// system, never the system's own ("The system cannot find the file
// specified." on Windows).
func TestAMissingFileReadsTheSameOnEverySystem(t *testing.T) {
	db := newStore(t)
	missing := filepath.Join(t.TempDir(), "none.json")
	for name, args := range map[string][]string{
		"add --file":     {"add", "exchange", "--file", missing},
		"receipt import": {"receipt", "import", missing},
		"restore":        {"restore", missing},
	} {
		t.Run(name, func(t *testing.T) {
			store := db
			if name == "restore" {
				store = filepath.Join(t.TempDir(), "new.db")
			}
			r := liaisondesk(t, store, "", args...)
			if r.code == 0 || !strings.Contains(r.stderr, missing+": no such file or folder") {
				t.Fatalf("%d %q", r.code, r.stderr)
			}
		})
	}
}
