package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The attachment verbs end to end: attach twice (one content kept), list
// as JSON with the documented fields, save by a 12-digit prefix, refuse an
// over-limit file with advice, detach by name.
func TestAttachListSaveAndDetach(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, meeting, "add", "exchange")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	dir := t.TempDir()
	content := []byte("%PDF-1.4\nsigned minutes of the CTF 150 meeting\n")
	file := filepath.Join(dir, "minutes.pdf")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	if r := liaisondesk(t, db, "", "attach", "exchange", id, file); r.code != 0 || !strings.Contains(r.stdout, hash) {
		t.Fatalf("attach: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := liaisondesk(t, db, "", "attach", "exchange", id, file, "--name", "minutes-signed.pdf", "--marking", "SECRET"); r.code != 0 {
		t.Fatalf("attach again: %d %s", r.code, r.stderr)
	}
	r = liaisondesk(t, db, "", "attachments", "exchange", id, "--json")
	var list []map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) != 2 {
		t.Fatalf("attachments: %d %s %s", r.code, r.stdout, r.stderr)
	}
	for _, a := range list {
		if len(a) != 5 || a["sha256"] != hash || a["size"] != float64(len(content)) || a["media_type"] != "application/pdf" {
			t.Fatalf("attachment %v", a)
		}
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(a["sha256"].(string)) {
			t.Fatalf("sha256 %v", a["sha256"])
		}
	}
	if list[0]["name"] != "minutes-signed.pdf" || list[0]["marking"] != "SECRET" || list[1]["marking"] != "RESTRICTED" {
		t.Fatalf("list %v", list)
	}
	out := filepath.Join(dir, "saved.pdf")
	if r := liaisondesk(t, db, "", "attachment", "save", hash[:12], "-o", out); r.code != 0 {
		t.Fatalf("save: %d %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, content) {
		t.Fatal("saved content differs")
	}
	if r := liaisondesk(t, db, "", "attachment", "save", hash[:11], "-o", out); r.code != 1 || !strings.Contains(r.stderr, "at least its first 12") {
		t.Fatalf("a short prefix: %d %s", r.code, r.stderr)
	}

	t.Run("over the limit: refused with advice, nothing changed", func(t *testing.T) {
		if r := liaisondesk(t, db, "", "attachment", "limit", "40"); r.code != 0 || !strings.Contains(r.stdout, "40 bytes") {
			t.Fatalf("limit: %d %s %s", r.code, r.stdout, r.stderr)
		}
		before := liaisondesk(t, db, "", "digest").stdout
		r := liaisondesk(t, db, "", "attach", "exchange", id, file)
		if r.code != 1 || !strings.Contains(r.stderr, "more than the 40 bytes this laptop attaches") || !strings.Contains(r.stderr, "attachment limit SIZE") {
			t.Fatalf("got %d %s", r.code, r.stderr)
		}
		if after := liaisondesk(t, db, "", "digest").stdout; after != before {
			t.Fatal("a refused attach changed the store")
		}
	})

	if r := liaisondesk(t, db, "", "detach", "exchange", id, "minutes.pdf"); r.code != 0 {
		t.Fatalf("detach: %d %s", r.code, r.stderr)
	}
	if r := liaisondesk(t, db, "", "attachments", "exchange", id); r.code != 0 || strings.Contains(r.stdout, "minutes.pdf ") || !strings.Contains(r.stdout, "minutes-signed.pdf") {
		t.Fatalf("after detach: %s %s", r.stdout, r.stderr)
	}
	if r := liaisondesk(t, db, "", "check"); r.code != 0 {
		t.Fatalf("check: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

// A bundle split with --max-size imports part by part in reverse order:
// no part exceeds the limit (a file larger than it is split too), the
// parts wait until the last arrives, and both stores end equal.
func TestASplitBundleImportsInReverseOrder(t *testing.T) {
	a, b := twoEnrolledStores(t)
	r := liaisondesk(t, a, meeting, "add", "exchange")
	id := strings.TrimSpace(r.stdout)
	dir := t.TempDir()
	big := make([]byte, 300_000)
	for i := range big {
		big[i] = byte(i*7 + i/1000)
	}
	file := filepath.Join(dir, "slides.pdf")
	os.WriteFile(file, big, 0o600)
	if r := liaisondesk(t, a, "", "attach", "exchange", id, file); r.code != 0 {
		t.Fatal(r.stderr)
	}
	out := filepath.Join(dir, "a-to-b.ldbundle")
	r = liaisondesk(t, a, "", "bundle", "create", "--to", "b", "-o", out, "--max-size", "64KB")
	var res struct{ Parts []string }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || len(res.Parts) < 5 {
		t.Fatalf("create: %d %s %s", r.code, r.stdout, r.stderr)
	}
	for i, p := range res.Parts {
		st, err := os.Stat(p)
		if err != nil || st.Size() > 64<<10 || p != out+"."+strconv.Itoa(i+1) {
			t.Fatalf("part %s: %v %v", p, st.Size(), err)
		}
	}
	for i := len(res.Parts) - 1; i >= 0; i-- {
		r := liaisondesk(t, b, "", "bundle", "import", res.Parts[i])
		if r.code != 0 {
			t.Fatalf("import part %d: %s", i+1, r.stderr)
		}
		if i > 0 && !strings.Contains(r.stdout, `"missing"`) {
			t.Fatalf("part %d did not wait for the others: %s", i+1, r.stdout)
		}
		if i == 0 && !strings.Contains(r.stdout, `"applied"`) {
			t.Fatalf("the last part did not import the bundle: %s", r.stdout)
		}
	}
	back := filepath.Join(dir, "b-to-a.ldbundle")
	if r := liaisondesk(t, b, "", "bundle", "create", "--to", "a", "-o", back); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := liaisondesk(t, a, "", "bundle", "import", back); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if da, db := liaisondesk(t, a, "", "digest").stdout, liaisondesk(t, b, "", "digest").stdout; da != db {
		t.Fatalf("digests differ: %s %s", da, db)
	}
	saved := filepath.Join(dir, "saved.pdf")
	sum := sha256.Sum256(big)
	if r := liaisondesk(t, b, "", "attachment", "save", hex.EncodeToString(sum[:])[:12], "-o", saved); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if got, _ := os.ReadFile(saved); !bytes.Equal(got, big) {
		t.Fatal("content differs after the split bundle")
	}
	if _, err := os.Stat(b + ".parts"); err == nil {
		entries, _ := os.ReadDir(b + ".parts")
		if len(entries) != 0 {
			t.Fatalf("staged parts left behind: %v", entries)
		}
	}
}
