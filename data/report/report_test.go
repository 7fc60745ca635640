package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// TestEveryReportInEveryFormatReadsBack writes every report and export in
// every format it offers over a month of demo data and reads each file
// back with that format's own reader.
func TestEveryReportInEveryFormatReadsBack(t *testing.T) {
	s := demoStore(t)
	id := anExchange(t, s)
	for _, k := range append(Reports(), Exports()...) {
		for _, f := range k.Formats {
			name := k.Name
			if k.Export {
				name = "export " + name
			}
			t.Run(name+" as "+string(f), func(t *testing.T) {
				o := optionsFor(k, id)
				b, sum := write(t, s, o, f)
				banner := sum.Banner.String()
				if sum.Banner.Classification.ID == "" {
					t.Fatal("no banner")
				}
				switch f {
				case PDF:
					checkPDF(t, b, k, sum)
				case XLSX:
					checkXLSX(t, b, banner, sum)
				case CSV:
					checkCSV(t, b, banner, sum, k)
				case JSON:
					checkJSON(t, b, banner, sum, k)
				case ICS:
					checkICS(t, b, banner)
				}
			})
		}
	}
}

func checkPDF(t *testing.T, b []byte, k Kind, sum Summary) {
	t.Helper()
	pages := pdfPages(t, b)
	banner := sum.Banner.String()
	for i, p := range pages {
		if n := strings.Count(p, banner); n < 2 {
			t.Errorf("page %d shows the banner %q %d times, want top and bottom", i+1, banner, n)
		}
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if !strings.Contains(p, "Generated") || !strings.Contains(p, "Col. A. Sharma") {
			t.Errorf("page %d lacks the generated line and officer", i+1)
		}
	}
	first := flat(pages[0])
	title := k.Title
	if k.Name == "exchange" {
		title = "MEMORANDUM FOR RECORD"
	}
	if !strings.Contains(first, title) {
		t.Errorf("first page lacks the title %q", title)
	}
	if k.Period && k.Needs == "period" && !strings.Contains(first, "1 Nov 2026 – 30 Nov 2026") {
		t.Errorf("first page lacks the period")
	}
	// Tables that ran onto another page repeat their header there.
	if len(pages) > 1 && k.Name != "exchange" {
		repeated := 0
		for _, p := range pages[1:] {
			for _, head := range []string{"Marking", "Owner", "Appointment", "Week of", "Kind", "Status"} {
				if strings.Contains(p, head) {
					repeated++
					break
				}
			}
		}
		if repeated == 0 {
			t.Errorf("no continuation page repeats a table header")
		}
	}
}

func checkXLSX(t *testing.T, b []byte, banner string, sum Summary) {
	t.Helper()
	f := xlsxFile(t, b)
	sheets := f.GetSheetList()
	if len(sheets) < 2 || sheets[0] != "Report" {
		t.Fatalf("sheets %v: want Report first, then one per section", sheets)
	}
	rowsSeen := 0
	for _, sh := range sheets {
		if v, _ := f.GetCellValue(sh, "A1"); v != banner {
			t.Errorf("sheet %s: A1 is %q, want the banner %q", sh, v, banner)
		}
		panes, err := f.GetPanes(sh)
		if err != nil || !panes.Freeze || panes.YSplit != 2 {
			t.Errorf("sheet %s: header not frozen: %+v %v", sh, panes, err)
		}
		tables, err := f.GetTables(sh)
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A2:") {
			t.Errorf("sheet %s: want one filtered table from row 2, got %+v %v", sh, tables, err)
		}
		rows, _ := f.GetRows(sh)
		if sh != "Report" {
			rowsSeen += max(0, len(rows)-2)
		}
	}
	if !strings.Contains(xlsxText(t, b), "<autoFilter") {
		t.Error("no autofilter in the workbook")
	}
	if rowsSeen < sum.Rows {
		t.Errorf("sheets hold %d data rows, the report %d", rowsSeen, sum.Rows)
	}
	// Dates are dates: a number with a date format, shown as YYYY-MM-DD.
	for _, sh := range sheets[1:] {
		head, _ := f.GetRows(sh)
		if len(head) < 3 {
			continue
		}
		for ci, h := range head[1] {
			if !slices.Contains([]string{"Due", "Required", "Raised", "required_by", "due_on", "Last contact", "Week of", "Date"}, h) {
				continue
			}
			for ri := 3; ri <= len(head); ri++ {
				cell, _ := excelize.CoordinatesToCellName(ci+1, ri)
				shown, _ := f.GetCellValue(sh, cell)
				if shown == "" {
					continue
				}
				raw, _ := f.GetCellValue(sh, cell, excelize.Options{RawCellValue: true})
				if _, err := strconv.ParseFloat(raw, 64); err != nil {
					t.Fatalf("sheet %s %s (%s): %q is not stored as a date number", sh, cell, h, raw)
				}
				if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(shown) {
					t.Fatalf("sheet %s %s (%s): shown as %q, want YYYY-MM-DD", sh, cell, h, shown)
				}
				return
			}
		}
	}
}

func checkCSV(t *testing.T, b []byte, banner string, sum Summary, k Kind) {
	t.Helper()
	rows := csvRows(t, b)
	if len(rows) < 3 {
		t.Fatalf("CSV has %d rows", len(rows))
	}
	if rows[0][0] != banner || rows[len(rows)-1][0] != banner {
		t.Errorf("first and last rows must carry the banner %q: %q … %q", banner, rows[0][0], rows[len(rows)-1][0])
	}
	if !strings.Contains(rows[0][1], k.Title) {
		t.Errorf("first row does not say what the file is: %q", rows[0][1])
	}
	multi := rows[1][0] == "summary" || len(sum.Sections) > 1
	for _, sc := range sum.Sections {
		n := len(rows) - 3 // banner, header, banner
		if multi {
			n = -1 // its header row
			for _, r := range rows {
				if r[0] == sc.Name {
					n++
				}
			}
		}
		if k.Name == "request" {
			continue // one row per line
		}
		if n != sc.Rows {
			t.Errorf("section %s: CSV holds %d rows, the report %d", sc.Name, n, sc.Rows)
		}
	}
}

func checkJSON(t *testing.T, b []byte, banner string, sum Summary, k Kind) {
	t.Helper()
	var doc struct {
		Report   string `json:"report"`
		Banner   string `json:"banner"`
		LeftOut  int    `json:"left_out"`
		Sections []struct {
			Name string           `json:"name"`
			Rows []map[string]any `json:"rows"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("JSON does not decode: %v\n%s", err, b[:min(len(b), 400)])
	}
	if doc.Banner != banner || doc.Report != k.Name {
		t.Errorf("JSON says report %q banner %q, want %q %q", doc.Report, doc.Banner, k.Name, banner)
	}
	for _, sc := range sum.Sections {
		i := slices.IndexFunc(doc.Sections, func(s struct {
			Name string           `json:"name"`
			Rows []map[string]any `json:"rows"`
		}) bool {
			return s.Name == sc.Name
		})
		if i < 0 {
			t.Fatalf("JSON lacks section %s", sc.Name)
		}
		if got := len(doc.Sections[i].Rows); got != sc.Rows {
			t.Errorf("section %s: %d rows in JSON, %d in the report", sc.Name, got, sc.Rows)
		}
	}
	if k.Export && len(doc.Sections[0].Rows) > 0 {
		if _, ok := doc.Sections[0].Rows[0]["id"]; !ok {
			t.Errorf("an export's rows must be whole records with the domain's field names: %v", doc.Sections[0].Rows[0])
		}
	}
}

func checkICS(t *testing.T, b []byte, banner string) {
	t.Helper()
	cal, comps := readICS(t, b)
	if cal["VERSION"] != "2.0" || !strings.Contains(strings.ReplaceAll(cal["X-WR-CALNAME"], `\,`, ","), banner) {
		t.Errorf("calendar head: %v", cal)
	}
	if len(comps) == 0 {
		t.Fatal("no events or to-dos")
	}
	uids := map[string]bool{}
	for _, c := range comps {
		uid := c.props["UID"]
		if uid == "" || uids[uid] {
			t.Fatalf("missing or repeated UID %q", uid)
		}
		uids[uid] = true
		date := c.props["DUE;VALUE=DATE"] + c.props["DTSTART;VALUE=DATE"]
		if _, err := time.Parse("20060102", date); err != nil {
			t.Fatalf("%s %s: date %q", c.kind, uid, date)
		}
		if c.props["DTSTAMP"] != "20261125T090000Z" {
			t.Fatalf("DTSTAMP %q", c.props["DTSTAMP"])
		}
		if !strings.HasPrefix(c.props["SUMMARY"], "(") {
			t.Fatalf("summary does not start with its marking: %q", c.props["SUMMARY"])
		}
	}
}

// markedStore holds records at every level whose titles name their
// marking, so a test can tell from the text what got into a file.
func markedStore(t *testing.T) (*store.Store, map[string]string) {
	t.Helper()
	s := openStore(t)
	ids := map[string]string{}
	contact := add(t, s, &data.Contact{Name: "Laura Walker", Rank: "CDR", Appointment: "Deputy N3", Organisation: "CTF 151", Nation: "USA"})[0]
	marks := []struct {
		key   string
		level string
		rel   []string
	}{
		{"UNCLASSXMARK", "UNCLASSIFIED", nil},
		{"RESTRICTEDXMARK", "RESTRICTED", []string{"USA", "IND"}},
		{"CONFXMARK", "CONFIDENTIAL", []string{"USA", "IND", "GBR"}},
		{"NOFORNXMARK", "CONFIDENTIAL", []string{"USA"}},
		{"SECRETXMARK", "SECRET", []string{"USA", "IND"}},
	}
	for i, m := range marks {
		mk := data.Marking{Classification: m.level, Releasability: m.rel}
		e := &data.Exchange{Posting: "CMF", Kind: "rfi_out", Title: m.key + " exchange", OccurredAt: fmt.Sprintf("2026-11-%02dT06:00:00Z", 10+i),
			Counterparts: []string{contact}, Outcome: m.key + " outcome", RFIQuestion: m.key + " question",
			RFIDue: "2026-11-20T12:00:00Z", Marking: mk}
		ids[m.key] = add(t, s, e)[0]
		r := &data.Request{Direction: data.InToUS, Posting: "CMF", Program: m.key, RequiredBy: "2027-01-15",
			Lines:   []data.Line{{Description: m.key + " pump", Quantity: 1}},
			Marking: mk}
		rid := add(t, s, r)[0]
		add(t, s, &data.Document{Title: m.key + " document", ReceivedOn: fmt.Sprintf("2026-11-%02d", 10+i), Marking: mk})
		add(t, s, &data.Action{ExchangeID: ids[m.key], Title: m.key + " action", Owner: "Col. A. Sharma", DueOn: "2026-11-22"},
			&data.Action{RequestID: rid, Title: m.key + " request action", Owner: "Maj. B. Rao", DueOn: "2026-11-23"})
		if err := s.SetStatusAt(context.Background(), rid, "submitted", m.key+" note", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	return s, ids
}

// fileText is what a reader finds in a file of a format.
func fileText(t *testing.T, b []byte, f Format) string {
	t.Helper()
	switch f {
	case PDF:
		return flat(strings.Join(pdfPages(t, b), "\n"))
	case XLSX:
		return xlsxText(t, b)
	}
	return string(b)
}

// TestCeilingLeavesOutEverythingAboveIt: with a ceiling, nothing above it
// or not releasable to the nations appears anywhere in any file, the
// banner stays within it, and the file says how many were left out.
func TestCeilingLeavesOutEverythingAboveIt(t *testing.T) {
	s, ids := markedStore(t)
	for _, k := range append(Reports(), Exports()...) {
		for _, f := range k.Formats {
			t.Run(k.Name+fmt.Sprint(k.Export)+" "+string(f), func(t *testing.T) {
				o := optionsFor(k, ids["RESTRICTEDXMARK"])
				o.Ceiling, o.Rel = "CONFIDENTIAL", []string{"USA", "IND"}
				b, sum := write(t, s, o, f)
				text := fileText(t, b, f)
				for _, above := range []string{"SECRETXMARK", "NOFORNXMARK"} {
					if strings.Contains(text, above) {
						t.Errorf("%s is above the ceiling but appears in the file", above)
					}
				}
				if strings.Contains(text, "SECRET") {
					t.Errorf("the word SECRET appears in a file whose ceiling is CONFIDENTIAL")
				}
				if sum.Banner.Classification.Rank > 20 {
					t.Errorf("banner %s is above the ceiling", sum.Banner)
				}
				if k.Name == "exchange" && !k.Export {
					return // one record: nothing to leave out
				}
				unmarked := k.Name == "contacts" || k.Name == "contact" || k.Name == "visit" || k.Name == "gift" || k.Name == "accreditation" // nothing to leave out
				if !unmarked && sum.LeftOut == 0 {
					t.Errorf("nothing was left out")
				}
				if f != ICS && !strings.Contains(strings.ToLower(text), "left out") && !strings.Contains(text, `"left_out": `+strconv.Itoa(sum.LeftOut)) {
					t.Errorf("the file does not say how many were left out")
				}
			})
		}
	}
	t.Run("a memorandum of an exchange above the ceiling is refused and writes nothing", func(t *testing.T) {
		var buf bytes.Buffer
		_, err := Write(context.Background(), s, Options{Kind: "exchange", ID: ids["SECRETXMARK"], Ceiling: "CONFIDENTIAL"}, PDF, &buf)
		if data.FieldOf(err) != "ceiling" || buf.Len() != 0 {
			t.Fatalf("got %v and %d bytes", err, buf.Len())
		}
	})
	t.Run("a record without a REL TO list goes only at the lowest level", func(t *testing.T) {
		_, sum := write(t, s, Options{Kind: "exchange", Export: true, Rel: []string{"USA", "IND"}}, CSV)
		// Left out: SECRET? no (REL USA, IND); NOFORN (REL USA only). The
		// unclassified one has no list and still goes.
		if sum.LeftOut != 1 || sum.Rows != 4 {
			t.Fatalf("left out %d, rows %d; want 1 and 4", sum.LeftOut, sum.Rows)
		}
	})
}

// TestLeftOutSaysWhy: what was left out is put down to its cause, the
// ceiling's level or the nations it must be releasable to, and never to a
// ceiling that was not given.
func TestLeftOutSaysWhy(t *testing.T) {
	s, _ := markedStore(t)
	for _, c := range []struct {
		ceiling string
		rel     []string
		want    string
	}{
		{"", []string{"GBR"}, "not releasable to GBR"},
		{"RESTRICTED", nil, "above the ceiling RESTRICTED"},
		{"RESTRICTED", []string{"USA", "IND"}, "above the ceiling RESTRICTED or not releasable to USA, IND"},
	} {
		for _, f := range []Format{PDF, CSV, XLSX} {
			t.Run(c.want+" "+string(f), func(t *testing.T) {
				b, sum := write(t, s, Options{Kind: "rfi", Ceiling: c.ceiling, Rel: c.rel}, f)
				if sum.LeftOut == 0 || sum.LeftOutWhy != c.want {
					t.Fatalf("left out %d because %q, want %q", sum.LeftOut, sum.LeftOutWhy, c.want)
				}
				if got, want := sum.LeftOutText(), fmt.Sprintf("%d left out: %s", sum.LeftOut, c.want); got != want {
					t.Errorf("summary says %q, want %q", got, want)
				}
				text := fileText(t, b, f)
				if !strings.Contains(text, fmt.Sprintf("%d records left out: %s", sum.LeftOut, c.want)) {
					t.Errorf("the file does not say %q", c.want)
				}
				if f == PDF && !strings.Contains(text, fmt.Sprintf("%d left out: %s.", sum.LeftOut, c.want)) {
					t.Errorf("the section note does not say %q", c.want)
				}
				if c.ceiling == "" && strings.Contains(strings.ToLower(text), "ceiling") {
					t.Errorf("a file with no ceiling names one")
				}
			})
		}
	}
	t.Run("nothing left out", func(t *testing.T) {
		_, sum := write(t, s, Options{Kind: "rfi", Ceiling: "SECRET"}, CSV)
		if sum.LeftOut != 0 || sum.LeftOutText() != "nothing left out" {
			t.Fatalf("%d left out, says %q", sum.LeftOut, sum.LeftOutText())
		}
		if _, sum := write(t, s, Options{Kind: "rfi"}, CSV); sum.LeftOutText() != "" || sum.LeftOutWhy != "" {
			t.Fatalf("without a ceiling: %q", sum.LeftOutText())
		}
	})
}

// TestEmptyBecauseLeftOutSaysSo: a section with nothing in it because
// everything was left out says so, not that there was nothing.
func TestEmptyBecauseLeftOutSaysSo(t *testing.T) {
	s := openStore(t)
	conf := data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}}
	for _, title := range []string{"Port visit", "Staff talks"} {
		add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: title, OccurredAt: "2026-11-18T06:00:00Z", Marking: conf})
	}
	rid := add(t, s, &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", RequiredBy: "2027-01-15",
		Lines: []data.Line{{Description: "Pump", Quantity: 1}}, Marking: conf})[0]
	if err := s.SetStatusAt(context.Background(), rid, "submitted", "", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b, _ := write(t, s, Options{Kind: "weekly", From: "2026-11-16", To: "2026-11-22", Ceiling: "RESTRICTED"}, PDF)
	text := fileText(t, b, PDF)
	for _, want := range []string{"All 2 were left out: above the ceiling RESTRICTED.", "The only record was left out: above the ceiling RESTRICTED."} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q", want)
		}
	}
	for _, wrong := range []string{"No exchanges in this period", "No request changed status in this period", "2 left out", "1 left out"} {
		if strings.Contains(text, wrong) {
			t.Errorf("the PDF says %q", wrong)
		}
	}
	if !strings.Contains(text, "No actions due.") {
		t.Errorf("a section empty of itself no longer says so")
	}
}

// TestDeviceIsItsCode: the JSON head and the XLSX Report sheet give the
// device as its code; the PDF and CSV say "device" before it.
func TestDeviceIsItsCode(t *testing.T) {
	s := openStore(t)
	dev, err := s.Device()
	if err != nil {
		t.Fatal(err)
	}
	code := dev.Site.ShortCode()
	b, _ := write(t, s, Options{Kind: "contacts"}, JSON)
	var head struct{ Device string }
	if err := json.Unmarshal(b, &head); err != nil || head.Device != code {
		t.Fatalf("JSON device %q, want %q (%v)", head.Device, code, err)
	}
	b, _ = write(t, s, Options{Kind: "contacts"}, XLSX)
	if v, _ := xlsxFile(t, b).GetCellValue("Report", "B8"); v != code {
		t.Errorf("XLSX device %q, want %q", v, code)
	}
	b, _ = write(t, s, Options{Kind: "contacts"}, CSV)
	if !strings.Contains(string(b), "device "+code) || strings.Contains(string(b), "device device") {
		t.Errorf("CSV statement: %q", csvRows(t, b)[0][1])
	}
	b, _ = write(t, s, Options{Kind: "contacts"}, PDF)
	if text := fileText(t, b, PDF); !strings.Contains(text, "device "+code) || strings.Contains(text, "device device") {
		t.Errorf("PDF: %q", text)
	}
}

// TestBannerIsHighestMarkingAndCommonReleasability checks the banner of
// DOMAIN §6 on what a report holds.
func TestBannerIsHighestMarkingAndCommonReleasability(t *testing.T) {
	s := openStore(t)
	add(t, s,
		&data.Exchange{Posting: "CMF", Kind: "meeting", Title: "A", OccurredAt: "2026-11-10T06:00:00Z",
			Marking: data.Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND", "GBR"}}},
		&data.Exchange{Posting: "CMF", Kind: "call", Title: "B", OccurredAt: "2026-11-11T06:00:00Z",
			Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"IND", "USA"}}},
		&data.Exchange{Posting: "SOCOM", Kind: "call", Title: "C", OccurredAt: "2026-11-12T06:00:00Z",
			Marking: data.Marking{Classification: "SECRET", Releasability: []string{"USA"}}})
	for _, c := range []struct {
		posting, want string
	}{{"CMF", "CONFIDENTIAL//REL TO USA, IND"}, {"", "SECRET//REL TO USA"}, {"INDOPACOM", "UNCLASSIFIED"}} {
		_, sum := write(t, s, Options{Kind: "weekly", From: "2026-11-09", To: "2026-11-15", Posting: c.posting}, JSON)
		if sum.Banner.String() != c.want {
			t.Errorf("posting %q: banner %q, want %q", c.posting, sum.Banner, c.want)
		}
	}
	b, sum := write(t, s, Options{Kind: "weekly", From: "2026-11-09", To: "2026-11-15", Posting: "CMF"}, PDF)
	if sum.Banner.Classification.Colour != "#0033A0" {
		t.Errorf("confidential banner colour %s, want blue", sum.Banner.Classification.Colour)
	}
	if pages := pdfPages(t, b); !strings.Contains(pages[0], "CONFIDENTIAL//REL TO USA, IND") {
		t.Error("PDF lacks the banner")
	}
}

func TestCSVNeutralisesFormulasAndQuotes(t *testing.T) {
	s := openStore(t)
	titles := []string{`=HYPERLINK("http://x","click")`, "+44 20 7946 0000", "-2 days", "@SUM(A1:A2)", `Quote "this", and, commas`, "Line one\nline two"}
	for i, title := range titles {
		add(t, s, &data.Exchange{Posting: "CMF", Kind: "email", Title: strings.ReplaceAll(title, "\n", " "), OccurredAt: fmt.Sprintf("2026-11-%02dT06:00:00Z", 10+i),
			Summary: title, Marking: data.Marking{Classification: "UNCLASSIFIED"}})
	}
	b, _ := write(t, s, Options{Kind: "exchange", Export: true}, CSV)
	rows := csvRows(t, b)
	head := rows[1]
	ti, si := slices.Index(head, "title"), slices.Index(head, "summary")
	got := map[string]bool{}
	for _, r := range rows[2 : len(rows)-1] {
		got[r[si]] = true
		if c := r[ti][0]; c == '=' || c == '+' || c == '-' || c == '@' {
			t.Errorf("cell %q is not neutralised", r[ti])
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://x","click")`, "'+44 20 7946 0000", "'-2 days", "'@SUM(A1:A2)", `Quote "this", and, commas`, "Line one\nline two"} {
		if !got[want] {
			t.Errorf("summary %q did not come back; got %v", want, got)
		}
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("CSV lines must end in CRLF (RFC 4180)")
	}
}

func TestICSUIDsStayTheSameAcrossExports(t *testing.T) {
	s, _ := markedStore(t)
	uids := func(kind string, now time.Time) map[string]string {
		b, _ := write(t, s, Options{Kind: kind, Now: now}, ICS)
		_, comps := readICS(t, b)
		out := map[string]string{}
		for _, c := range comps {
			out[c.props["UID"]] = c.props["DUE;VALUE=DATE"] + c.props["DTSTART;VALUE=DATE"]
		}
		return out
	}
	for _, kind := range []string{"actions", "requests"} {
		a, b := uids(kind, testNow), uids(kind, testNow.Add(48*time.Hour))
		if len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: UIDs or dates changed between two exports:\n%v\n%v", kind, a, b)
		}
	}
	dates := uids("requests", testNow)
	n := 0
	for uid, d := range dates {
		if strings.HasSuffix(uid, "-required-by@liaisondesk") {
			n++
			if d != "20270115" {
				t.Errorf("%s: date %s, want the required date 20270115", uid, d)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d required-by events, want one per request (5)", n)
	}
}

func TestMemorandumShowsTheRecord(t *testing.T) {
	s, ids := markedStore(t)
	b, sum := write(t, s, Options{Kind: "exchange", ID: ids["CONFXMARK"]}, PDF)
	if sum.Banner.String() != "CONFIDENTIAL//REL TO USA, GBR, IND" {
		t.Errorf("banner %s", sum.Banner)
	}
	text := flat(strings.Join(pdfPages(t, b), "\n"))
	for _, want := range []string{"MEMORANDUM FOR RECORD", "SUBJECT: (C//REL TO USA, IND, GBR) CONFXMARK exchange", "CDR Laura Walker, Deputy N3, CTF 151 (USA)",
		"CONFXMARK outcome", "CONFXMARK question", "CONFXMARK action", "Asia/Bahrain", "COL. A. SHARMA", "Liaison Officer, Combined Maritime Forces"} {
		if !strings.Contains(text, want) {
			t.Errorf("memorandum lacks %q", want)
		}
	}
	for _, f := range []Format{CSV, XLSX, JSON, ICS} {
		if _, err := Write(context.Background(), s, Options{Kind: "exchange", ID: ids["CONFXMARK"]}, f, io.Discard); data.FieldOf(err) != "format" {
			t.Errorf("memorandum as %s: %v, want a format error", f, err)
		}
	}
	if _, err := Write(context.Background(), s, Options{Kind: "exchange", ID: "0190a1b2-0000-7000-8000-000000000000"}, PDF, io.Discard); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("unknown exchange: %v", err)
	}
}

func TestRequestTrackerShowsTheClocks(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	mk := data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}
	dx := add(t, s, &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "P-8I", Rating: "DX-A1", RequiredBy: "2027-02-01",
		Lines: []data.Line{{Description: "Hydraulic pump", Quantity: 2}}, Marking: mk})[0]
	do := add(t, s, &data.Request{Direction: data.InToUS, Posting: "CMF", Program: "MH-60R", Rating: "DO-A1", RequiredBy: "2027-01-01",
		Lines: []data.Line{{Description: "Rotor blade", Quantity: 1}}, Marking: mk})[0]
	for _, st := range []string{"submitted", "forwarded_to_dod", "program_determined", "rating_authorized", "order_placed"} {
		if err := s.SetStatusAt(ctx, dx, data.RequestStatus(st), "", time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	// Received 3 Nov: DX acceptance is due 10 working days later, 18 Nov
	// (Veterans Day, 11 Nov, is a holiday): overdue by 5 working days on 25 Nov.
	if err := s.Update(ctx, "request", dx, []byte(`{"order_received_on":"2026-11-03","spa_case":"BIS-999-0042","promised_by":"2027-02-10"}`)); err != nil {
		t.Fatal(err)
	}
	b, _ := write(t, s, Options{Kind: "requests"}, JSON)
	var doc struct {
		Sections []struct {
			Name string           `json:"name"`
			Rows []map[string]any `json:"rows"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	rows := doc.Sections[1].Rows
	if len(rows) != 2 || rows[0]["program"] != "P-8I" || rows[1]["program"] != "MH-60R" {
		t.Fatalf("want DX before DO: %v", rows)
	}
	got := rows[0]
	for k, want := range map[string]any{"acceptance_due": "2026-11-18", "acceptance_clock": "OVERDUE 5 wd", "spa": "BIS-999-0042",
		"slip_days": 9.0, "days_in_state": 23.0, "status": "order placed", "rating": "DX-A1"} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if !strings.HasPrefix(got["last_action"].(string), "2026-11-02 order placed") {
		t.Errorf("last action %v", got["last_action"])
	}
	_ = do
	pdf, _ := write(t, s, Options{Kind: "requests"}, PDF)
	text := flat(strings.Join(pdfPages(t, pdf), " "))
	for _, want := range []string{"OVERDUE 5 wd", "BIS-999-0042", "DX-A1", "DO-A1", "to US"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF tracker lacks %q", want)
		}
	}
}

// TestLongTablesBreakAcrossPagesWithTheirHeader: a tracker of many
// requests runs over pages, each with the header and the banner, and
// every request's ref is in it.
func TestLongTablesBreakAcrossPagesWithTheirHeader(t *testing.T) {
	s := openStore(t)
	var recs []data.Record
	for i := range 120 {
		recs = append(recs, &data.Request{Direction: data.InToUS, Posting: "CMF", Program: fmt.Sprintf("PROG-%03d", i), RequiredBy: "2027-01-15",
			Lines: []data.Line{{Description: "Seal kit", Quantity: 4}}, Marking: data.Marking{Classification: "UNCLASSIFIED"}})
	}
	add(t, s, recs...)
	b, _ := write(t, s, Options{Kind: "requests"}, PDF)
	pages := pdfPages(t, b)
	if len(pages) < 3 {
		t.Fatalf("%d pages for 120 requests", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "Acceptance") || !strings.Contains(p, "Marking") {
			t.Errorf("page %d lacks the table header", i+1)
		}
	}
	all := strings.Join(pages, "\n")
	for i := range 120 {
		if !strings.Contains(all, fmt.Sprintf("PROG-%03d", i)) {
			t.Errorf("request PROG-%03d is missing", i)
		}
	}
}

func TestBadOptionsNameTheirField(t *testing.T) {
	s := openStore(t)
	for name, c := range map[string]struct {
		o     Options
		f     Format
		field string
	}{
		"an unknown report":              {Options{Kind: "monthly"}, PDF, "kind"},
		"a format the report lacks":      {Options{Kind: "contacts"}, ICS, "format"},
		"a weekly report with no period": {Options{Kind: "weekly"}, PDF, "from"},
		"a date that is not one":         {Options{Kind: "rfi", From: "2026-13-01"}, CSV, "from"},
		"to before from":                 {Options{Kind: "rfi", From: "2026-11-10", To: "2026-11-01"}, CSV, "to"},
		"an unknown posting":             {Options{Kind: "rfi", Posting: "NOWHERE"}, CSV, "posting"},
		"an unknown ceiling":             {Options{Kind: "rfi", Ceiling: "TOP SECRET"}, CSV, "ceiling"},
		"a nation that is not one":       {Options{Kind: "rfi", Rel: []string{"XXX"}}, CSV, "rel"},
		"a period for the register":      {Options{Kind: "contacts", From: "2026-11-01"}, CSV, "from"},
		"a memorandum without an id":     {Options{Kind: "exchange"}, PDF, "id"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := Write(context.Background(), s, c.o, c.f, &buf)
			if data.FieldOf(err) != c.field || buf.Len() != 0 {
				t.Fatalf("got %v (%d bytes), want an error naming %s and nothing written", err, buf.Len(), c.field)
			}
		})
	}
}

func TestCountPreviewsWhatWriteWrites(t *testing.T) {
	s, _ := markedStore(t)
	o := Options{Kind: "exchange", Export: true, Ceiling: "RESTRICTED"}
	pre, err := Count(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	_, sum := write(t, s, o, JSON)
	if pre.Rows != 2 || pre.LeftOut != 3 || pre.Rows != sum.Rows || pre.Banner.String() != sum.Banner.String() {
		t.Fatalf("preview %+v, written %+v", pre, sum)
	}
	var ticks [][2]int
	o.Progress = func(done, total int) { ticks = append(ticks, [2]int{done, total}) }
	if _, err := Write(context.Background(), s, o, CSV, io.Discard); err != nil {
		t.Fatal(err)
	}
	if len(ticks) == 0 || ticks[len(ticks)-1] != [2]int{2, 2} {
		t.Fatalf("progress %v, want it to end at 2 of 2", ticks)
	}
}

func TestFileNameSaysWhatAndHowMarked(t *testing.T) {
	b := data.Banner{Classification: data.Classification{ID: "CONFIDENTIAL"}}
	for _, c := range []struct {
		o    Options
		f    Format
		want string
	}{
		{Options{Kind: "requests", Now: testNow}, PDF, "2026-11-25_request-tracker_CONFIDENTIAL.pdf"},
		{Options{Kind: "weekly", Posting: "CMF", Now: testNow}, XLSX, "2026-11-25_weekly-activity_CMF_CONFIDENTIAL.xlsx"},
		{Options{Kind: "exchange", Export: true, Now: testNow}, CSV, "2026-11-25_exchanges_CONFIDENTIAL.csv"},
	} {
		if got := FileName(c.o, c.f, b); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}

func TestSaveFileLeavesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.pdf")
	err := SaveFile(path, func(w io.Writer) error {
		w.Write([]byte("half a report"))
		return errors.New("disk on fire")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	SaveFile(path, func(w io.Writer) error { return errors.New("again") })
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("a failed save changed the existing file: %q", b)
	}
	if err := SaveFile(path, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("got %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

func TestWriteStopsWhenCancelled(t *testing.T) {
	s, _ := markedStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Write(ctx, s, Options{Kind: "exchange", Export: true}, CSV, io.Discard); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
