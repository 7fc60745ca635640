package report

import (
	"bytes"
	"testing"
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
