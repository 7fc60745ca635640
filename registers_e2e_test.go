package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The registers through the real binary: a document received in an
// exchange, with a file attached, and a gift; both listed as JSON; the
// documents register written as a PDF that lists the document under the
// attachment's higher marking. The refusals name their field.
func TestDocumentAndGiftRegistersThroughTheBinary(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing: install poppler-utils")
	}
	e := newE2E(t)
	e.must("a.db", "init", "--officer", "Cdr R. Iyer", "--rank", "Commander", "--posting", "CMF")
	ex := strings.TrimSpace(e.mustIn("a.db", meeting, "add", "exchange"))
	doc := `{"title":"CTF 150 threat assessment","received_on":"2026-11-20","classification":"CONFIDENTIAL","releasability":["USA","IND"],` +
		`"category":"2","disclosure":"documentary","originator":"NAVCENT N2","release_ref":"FDO-26-114","control_number":"C-0042",` +
		`"hq_route":"Defence Wing bag","exchange_id":"` + ex + `"}`
	id := strings.TrimSpace(e.mustIn("a.db", doc, "add", "document"))
	file := e.path("annex-b.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4 annex B"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must("a.db", "attach", "document", id, file, "--marking", "SECRET")
	gift := `{"given_on":"2026-11-10","giver":"RADM B. Cooper","recipient":"Cdr R. Iyer","recipient_nation":"IND","item":"Silver salver","value_inr":18000}`
	e.mustIn("a.db", gift, "add", "gift")

	var docs []map[string]any
	if err := json.Unmarshal([]byte(e.must("a.db", "list", "document", "--json")), &docs); err != nil || len(docs) != 1 ||
		docs[0]["control_number"] != "C-0042" || docs[0]["exchange_id"] != ex || docs[0]["disposition"] != "held" {
		t.Fatalf("list document: %v %v", docs, err)
	}
	var gifts []map[string]any
	if err := json.Unmarshal([]byte(e.must("a.db", "list", "gift", "--json")), &gifts); err != nil || len(gifts) != 1 ||
		gifts[0]["item"] != "Silver salver" || gifts[0]["deposit_due"] != "2026-12-10" {
		t.Fatalf("list gift: %v %v", gifts, err)
	}

	pdf := e.path("register.pdf")
	if out := e.must("a.db", "report", "documents", "-o", pdf); !strings.Contains(out, "wrote "+pdf) {
		t.Fatalf("report documents: %s", out)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Register of documents received", "CTF 150 threat assessment", "C-0042", "FDO-26-114", "SECRET//REL TO USA, IND"} {
		if !strings.Contains(text, want) {
			t.Errorf("the register lacks %q:\n%s", want, text)
		}
	}

	for _, c := range []struct{ name, kind, json, field string }{
		{"an exchange that does not exist", "document", strings.Replace(doc, ex, "0190c0de-0000-7000-8000-000000000001", 1), "exchange_id"},
		{"a disposition without its date", "document", strings.Replace(doc, `"exchange_id"`, `"disposition":"destroyed","exchange_id"`, 1), "disposition_on"},
		{"a gift dated next year", "gift", strings.Replace(gift, "2026-11-10", "2099-11-10", 1), "given_on"},
	} {
		_, stderr, err := e.run("a.db", c.json, "add", c.kind)
		if err == nil || !strings.Contains(stderr, c.field) {
			t.Errorf("%s: %v %s", c.name, err, stderr)
		}
	}
	if err := json.Unmarshal([]byte(e.must("a.db", "list", "document", "--json")), &docs); err != nil || len(docs) != 1 {
		t.Errorf("a refused add changed the register: %d documents, %v", len(docs), err)
	}
}
