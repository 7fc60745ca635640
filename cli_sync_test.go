package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// twoEnrolledStores makes stores a and b that trust each other as "b" and "a".
func twoEnrolledStores(t *testing.T) (a, b string) {
	t.Helper()
	a, b = newStore(t), filepath.Join(t.TempDir(), "b.db")
	if r := liaisondesk(t, b, "", "init", "--officer", "Cdr B", "--rank", "Commander", "--posting", "SOCOM"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	idA := strings.TrimSpace(liaisondesk(t, a, "", "identity").stdout)
	idB := strings.TrimSpace(liaisondesk(t, b, "", "identity").stdout)
	if r := liaisondesk(t, a, "", "peers", "add", "b", idB); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := liaisondesk(t, b, "", "peers", "add", "a", idA); r.code != 0 {
		t.Fatal(r.stderr)
	}
	return a, b
}

func TestBundleCommands(t *testing.T) {
	a, b := twoEnrolledStores(t)
	dir := t.TempDir()
	liaisondesk(t, a, meeting, "add", "exchange")
	file := filepath.Join(dir, "a-to-b.ldbundle")

	t.Run("create writes a bundle and prints what it holds", func(t *testing.T) {
		r := liaisondesk(t, a, "", "bundle", "create", "--to", "b", "-o", file)
		var res struct{ Changes int }
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Changes == 0 {
			t.Fatalf("got %d %q %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("import applies it, writes a receipt, and a second import is a visible no-op", func(t *testing.T) {
		receipt := filepath.Join(dir, "b.receipt")
		r := liaisondesk(t, b, "", "bundle", "import", file, "--receipt", receipt)
		if r.code != 0 || !strings.Contains(r.stdout, `"applied"`) {
			t.Fatalf("got %d %q %q", r.code, r.stdout, r.stderr)
		}
		// Windows has no mode bits (Go shows 0666): there the folder's ACL decides.
		if fi, err := os.Stat(receipt); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
			t.Errorf("the receipt is readable by others: %v %v", fi.Mode(), err)
		}
		if r := liaisondesk(t, a, "", "receipt", "import", receipt); r.code != 0 {
			t.Fatalf("receipt: %s", r.stderr)
		}
		r = liaisondesk(t, b, "", "bundle", "import", file)
		var again struct {
			Replay  bool
			Applied int
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &again) != nil || !again.Replay || again.Applied != 0 {
			t.Fatalf("re-import: %d %q", r.code, r.stdout)
		}
	})
	t.Run("the two stores print the same digest", func(t *testing.T) {
		liaisondesk(t, a, "", "bundle", "import", func() string {
			f := filepath.Join(dir, "b-to-a.ldbundle")
			liaisondesk(t, b, "", "bundle", "create", "--to", "a", "-o", f)
			return f
		}())
		da, db := liaisondesk(t, a, "", "digest").stdout, liaisondesk(t, b, "", "digest").stdout
		if da != db || len(strings.TrimSpace(da)) != 64 {
			t.Fatalf("digests %q %q", da, db)
		}
	})
	t.Run("a damaged bundle is refused with exit 1 and a message", func(t *testing.T) {
		raw, _ := os.ReadFile(file)
		raw[len(raw)/2] ^= 1
		bad := filepath.Join(dir, "bad.ldbundle")
		os.WriteFile(bad, raw, 0o600)
		r := liaisondesk(t, b, "", "bundle", "import", bad)
		if r.code != 1 || !strings.Contains(r.stderr, "damaged or truncated") {
			t.Fatalf("got %d %q", r.code, r.stderr)
		}
	})
	t.Run("a missing file, an unknown peer and a missing flag each say what is wrong", func(t *testing.T) {
		if r := liaisondesk(t, b, "", "bundle", "import", filepath.Join(dir, "nope")); r.code != 1 || !strings.Contains(r.stderr, "cannot read "+filepath.Join(dir, "nope")+": no such file or folder") {
			t.Fatalf("got %d %q", r.code, r.stderr)
		}
		if r := liaisondesk(t, a, "", "bundle", "create", "--to", "nobody", "-o", filepath.Join(dir, "x")); r.code != 1 || !strings.Contains(r.stderr, "no peer called") {
			t.Fatalf("got %d %q", r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
			t.Fatal("a refused create left a file")
		}
		if r := liaisondesk(t, a, "", "bundle", "create", "-o", filepath.Join(dir, "x")); r.code != 2 || !strings.Contains(r.stderr, "--to") {
			t.Fatalf("got %d %q", r.code, r.stderr)
		}
	})
}

func TestConflictCommands(t *testing.T) {
	a, b := twoEnrolledStores(t)
	dir := t.TempDir()
	id := strings.TrimSpace(liaisondesk(t, a, meeting, "add", "exchange").stdout)
	carry := func(from, to, peer string) {
		f := filepath.Join(dir, "x.ldbundle")
		if r := liaisondesk(t, from, "", "bundle", "create", "--to", peer, "-o", f); r.code != 0 {
			t.Fatal(r.stderr)
		}
		if r := liaisondesk(t, to, "", "bundle", "import", f); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	carry(a, b, "b")
	if r := liaisondesk(t, a, "", "conflicts", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("conflicts before any: %q", r.stdout)
	}
	liaisondesk(t, a, `{"title":"Title from A"}`, "update", "exchange", id)
	liaisondesk(t, b, `{"title":"Title from B"}`, "update", "exchange", id)
	carry(a, b, "b")
	carry(b, a, "a")
	var cs []struct {
		Kind, ID, Field string
		Values          []struct {
			Change, Officer, Device, At string
			Value                       json.RawMessage
		}
	}
	r := liaisondesk(t, b, "", "conflicts", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil || len(cs) != 1 || cs[0].Field != "title" || len(cs[0].Values) != 2 {
		t.Fatalf("conflicts: %q %v", r.stdout, err)
	}
	if v := cs[0].Values[0]; v.Officer == "" || v.Device == "" || v.At == "" {
		t.Fatalf("a value without who/when/device: %+v", v)
	}
	if r := liaisondesk(t, b, "", "resolve", "exchange", id, "title", "--value", "x", "--keep", "y"); r.code != 2 {
		t.Fatalf("both --value and --keep: %d %q", r.code, r.stderr)
	}
	if r := liaisondesk(t, b, "", "resolve", "exchange", id, "summary", "--value", "x"); r.code != 1 || !strings.Contains(r.stderr, "no conflict") {
		t.Fatalf("a field not in conflict: %d %q", r.code, r.stderr)
	}
	if r := liaisondesk(t, b, "", "resolve", "exchange", id, "title", "--keep", cs[0].Values[1].Change); r.code != 0 {
		t.Fatalf("resolve: %q", r.stderr)
	}
	carry(b, a, "a")
	for _, db := range []string{a, b} {
		if r := liaisondesk(t, db, "", "conflicts", "--json"); strings.TrimSpace(r.stdout) != "[]" {
			t.Fatalf("still in conflict: %q", r.stdout)
		}
	}
	if r := liaisondesk(t, a, "", "quarantine", "list"); r.code != 0 || !strings.Contains(r.stdout, "nothing held") {
		t.Fatalf("quarantine list: %d %q", r.code, r.stdout)
	}
}

func TestHubCommandRefusesPlainHTTPBeyondLoopback(t *testing.T) {
	db := newStore(t)
	r := liaisondesk(t, db, "", "hub", "--listen", "0.0.0.0:8443")
	if r.code != 2 || !strings.Contains(r.stderr, "--tls-cert") {
		t.Fatalf("got %d %q", r.code, r.stderr)
	}
}
