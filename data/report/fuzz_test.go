package report

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzImportCSV feeds arbitrary bytes to the CSV import decoder for every
// kind: it must never panic, must refuse or read the file as a whole, and
// every record it accepts must pass its own validation again. Seeds are
// in testdata/fuzz/FuzzImportCSV.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(handContacts))
	f.Add([]byte("\ufeffname,rank\nLaura,CDR\n"))
	f.Add([]byte("ref,direction,posting,program,required_by,classification,description,quantity\nA,in_to_us,CMF,P-8I,2027-01-15,SECRET,Pump,2\nA,,,,,,Seal,x\n"))
	f.Add([]byte("posting,kind,title,occurred_at,time_zone,classification\nCMF,meeting,T,45981.5,Asia/Bahrain,RESTRICTED\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, kind := range ImportKinds {
			rows, err := readTable(CSV, bytes.NewReader(b))
			if err != nil {
				continue
			}
			p, err := planImport(kind, rows, ImportOptions{}, nil)
			if err != nil {
				continue
			}
			for _, r := range p.Rows {
				if r.Row < 1 || len(r.Rows) == 0 {
					t.Fatalf("accepted row without its row number: %+v", r)
				}
				if err := r.Record.Validate(); err != nil {
					t.Fatalf("accepted a record that fails validation: %v", err)
				}
			}
			for _, r := range p.Rejected {
				if r.Row < 1 || r.Reason == "" {
					t.Fatalf("rejection without row or reason: %+v", r)
				}
			}
		}
	})
}

// FuzzImportXLSX does the same for the XLSX decoder: a workbook is a zip
// of XML parts, so seeds are real workbooks (one written here, one with a
// damaged part) and the fuzzer mutates their bytes.
func FuzzImportXLSX(f *testing.F) {
	wb := excelize.NewFile()
	for i, row := range [][]any{{"name", "rank", "nation"}, {"Laura Walker", "CDR", "USA"}, {"", "Col", "XX"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		wb.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := readTable(XLSX, bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, kind := range ImportKinds {
			p, err := planImport(kind, rows, ImportOptions{}, nil)
			if err != nil {
				continue
			}
			for _, r := range p.Rows {
				if err := r.Record.Validate(); err != nil {
					t.Fatalf("accepted a record that fails validation: %v", err)
				}
			}
		}
	})
}
