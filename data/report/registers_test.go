package report

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// registerStore holds an exchange, a CONFIDENTIAL document received in it
// carrying a SECRET attachment, one returned, and a gift to an Indian
// officer above the Toshakhana threshold.
func registerStore(t *testing.T) (*store.Store, map[string]string) {
	t.Helper()
	s := openStore(t)
	ctx := context.Background()
	ex := add(t, s, &data.Exchange{Posting: "CMF", Kind: "briefing_received", Title: "N2 threat brief", OccurredAt: "2026-11-18T06:00:00Z",
		Marking: data.Marking{Classification: "SECRET", Releasability: []string{"USA", "IND"}}})[0]
	ids := map[string]string{"exchange": ex}
	ids["held"] = add(t, s, &data.Document{Title: "CTF 150 threat assessment", ReceivedOn: "2026-11-18", ExchangeID: ex,
		Marking:  data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}},
		Category: "2", Disclosure: "documentary", Originator: "NAVCENT N2", ReleaseRef: "FDO-26-114", ControlNumber: "C-0042",
		HQRoute: "Defence Wing bag"})[0]
	ids["returned"] = add(t, s, &data.Document{Title: "Boarding drill slides", ReceivedOn: "2026-11-02",
		Marking: data.Marking{Classification: "UNCLASSIFIED"}, Disclosure: "visual", ControlNumber: "U-7",
		Disposition: data.DispositionReturned, DispositionOn: "2026-11-03"})[0]
	ids["gift"] = add(t, s, &data.Gift{GivenOn: "2026-11-10", Giver: "RADM B. Cooper", Recipient: "Cdr R. Iyer", RecipientNation: "IND",
		Item: "Silver salver", ValueINR: 18000})[0]
	p := filepath.Join(t.TempDir(), "annex-b.pdf")
	if err := os.WriteFile(p, []byte("%PDF-1.4 annex"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, data.KindDocument, ids["held"], p, store.AttachOptions{Classification: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	return s, ids
}

// TestTheDocumentsRegisterListsEachDocumentUnderTheHighestMarking: the PDF
// lists both documents with control numbers and dispositions, and its
// banner is SECRET, the attachment's level; a CONFIDENTIAL ceiling leaves
// that document out and says so.
func TestTheDocumentsRegisterListsEachDocumentUnderTheHighestMarking(t *testing.T) {
	s, _ := registerStore(t)
	b, sum := write(t, s, Options{Kind: "documents"}, PDF)
	if sum.Banner.Classification.ID != "SECRET" || sum.Rows != 2 {
		t.Fatalf("banner %s, rows %d", sum.Banner, sum.Rows)
	}
	pages := pdfPages(t, b)
	text := flat(strings.Join(pages, "\n"))
	for _, want := range []string{"Register of documents received", "CTF 150 threat assessment", "C-0042", "FDO-26-114",
		"returned", "2026-11-03", "documentary", "Boarding drill slides", "SECRET//REL TO USA, IND"} {
		if !strings.Contains(text, want) {
			t.Errorf("register lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "N2 threat brief") {
		t.Error("the register names the exchange's title, marked higher than the document may be")
	}
	_, low := write(t, s, Options{Kind: "documents", Ceiling: "CONFIDENTIAL"}, PDF)
	if low.Rows != 1 || low.LeftOut != 1 {
		t.Fatalf("under a CONFIDENTIAL ceiling: %d rows, %d left out", low.Rows, low.LeftOut)
	}
}

// TestTheDocumentsRegisterInOtherFormats: CSV and JSON carry the same rows.
func TestTheDocumentsRegisterInOtherFormats(t *testing.T) {
	s, _ := registerStore(t)
	b, _ := write(t, s, Options{Kind: "documents", From: "2026-11-10", To: "2026-11-30"}, CSV)
	text := string(b)
	if !strings.Contains(text, "C-0042") || strings.Contains(text, "U-7") {
		t.Fatalf("a period keeps documents received in it and those held:\n%s", text)
	}
	b, _ = write(t, s, Options{Kind: "documents"}, JSON)
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil || !strings.Contains(string(b), "FDO-26-114") {
		t.Fatalf("json: %v\n%s", err, b)
	}
	xlsxFile(t, write1(t, s, Options{Kind: "documents"}, XLSX))
}

func write1(t *testing.T, s *store.Store, o Options, f Format) []byte {
	b, _ := write(t, s, o, f)
	return b
}

// TestRegisterExportsCarryEveryField: the gift export has its derived
// deadline, the document export its attachments' metadata.
func TestRegisterExportsCarryEveryField(t *testing.T) {
	s, _ := registerStore(t)
	rows := csvRows(t, write1(t, s, Options{Kind: "gift", Export: true}, CSV))
	all := ""
	for _, r := range rows {
		all += strings.Join(r, ",") + "\n"
	}
	if !strings.Contains(all, ",deposit_due\n") || !strings.Contains(all, ",Silver salver,0,18000,,pending,,2026-12-10\n") {
		t.Fatalf("gift export: %q", rows)
	}
	b := write1(t, s, Options{Kind: "document", Export: true}, JSON)
	if !strings.Contains(string(b), "annex-b.pdf") || !strings.Contains(string(b), "control_number") {
		t.Fatalf("document export: %s", b)
	}
}

// A posting chosen (the Reports screen offers the officer's own) reads the
// whole register: documents and gifts belong to no posting.
func TestTheRegistersIgnoreAPosting(t *testing.T) {
	s, _ := registerStore(t)
	if _, sum := write(t, s, Options{Kind: "documents", Posting: "CMF"}, JSON); sum.Rows != 2 {
		t.Fatalf("with a posting the register holds %d documents", sum.Rows)
	}
	if _, sum := write(t, s, Options{Kind: "gift", Export: true, Posting: "CMF"}, CSV); sum.Rows != 1 {
		t.Fatalf("with a posting the export holds %d gifts", sum.Rows)
	}
}

// The register exports come back through import: gifts whole (the
// deadline derived again), documents without the exchange link (an id of
// the other store), which the file's column is ignored for.
func TestRegisterExportsComeBackThroughImport(t *testing.T) {
	src, _ := registerStore(t)
	for _, f := range []Format{CSV, XLSX} {
		dst := openStore(t)
		b := write1(t, src, Options{Kind: "gift", Export: true}, f)
		p := readImport(t, dst, "gift", f, b)
		if len(p.Rejected) != 0 {
			t.Fatalf("%s gifts rejected: %v", f, p.Rejected)
		}
		if _, err := p.Commit(context.Background(), dst, true); err != nil {
			t.Fatal(err)
		}
		var due []string
		if err := dst.List(context.Background(), data.KindGift, data.ListFilter{}, func(r data.Record) error {
			due = append(due, r.(*data.Gift).DepositDue)
			return nil
		}); err != nil || len(due) != 1 || due[0] != "2026-12-10" {
			t.Fatalf("%s: imported gifts due %v, %v", f, due, err)
		}
		b = write1(t, src, Options{Kind: "document", Export: true}, f)
		p = readImport(t, dst, "document", f, b)
		ids, err := p.Commit(context.Background(), dst, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2 || len(p.Rejected) != 0 || !slices.Contains(p.Ignored, "exchange_id") {
			t.Fatalf("%s documents: imported %d, rejected %+v, ignored %v", f, len(ids), p.Rejected, p.Ignored)
		}
	}
}
