package store

import (
	"fmt"
	"testing"

	"liaisondesk/data"
)

// The spool keeps a run of changes written back to back as one ref, and
// reads back exactly the changes its refs name, in order, whether they
// are one run (a commit's changes) or scattered (its classifications).
func TestTheImportSpoolKeepsRunsAndReadsBackWhatTheyName(t *testing.T) {
	sp, err := newImportSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	var site data.SiteID
	site[0] = 7
	var all, every, odd []spoolRef
	for i := range 300 {
		c := &data.RawChange{ID: data.ChangeID{Site: site, Seq: int64(i + 1)}, HLC: data.HLC(1000 + i), Schema: 1,
			Table: "exchanges", RowID: fmt.Sprintf("row-%d", i), Fields: []byte(fmt.Sprintf(`{"title":"%d"}`, i))}
		if i%3 == 0 {
			c.Parents = []byte(`["x"]`)
		}
		ref, err := sp.add(c)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ref)
		every = appendRef(every, ref)
		if i%2 == 1 {
			odd = appendRef(odd, ref)
		}
	}
	if len(every) != 1 || every[0].count != 300 {
		t.Fatalf("300 changes written back to back make %d refs (%+v), want one run of 300", len(every), every)
	}
	if len(odd) != 150 {
		t.Fatalf("every other change makes %d refs, want 150", len(odd))
	}
	for _, tc := range []struct {
		name string
		refs []spoolRef
		want int
		seqs func(i int) int64
	}{
		{"one run", every, 300, func(i int) int64 { return int64(i + 1) }},
		{"a ref a change", all, 300, func(i int) int64 { return int64(i + 1) }},
		{"scattered", odd, 150, func(i int) int64 { return int64(2*i + 2) }},
	} {
		cs, err := sp.read(site, tc.refs)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(cs) != tc.want {
			t.Fatalf("%s: read back %d changes, want %d", tc.name, len(cs), tc.want)
		}
		for i, c := range cs {
			n := tc.seqs(i) - 1
			if c.ID.Site != site || c.ID.Seq != n+1 || c.RowID != fmt.Sprintf("row-%d", n) || string(c.Fields) != fmt.Sprintf(`{"title":"%d"}`, n) ||
				(n%3 == 0) != (c.Parents != nil) || c.HLC != data.HLC(1000+n) {
				t.Fatalf("%s: change %d read back as %+v", tc.name, i, c)
			}
		}
	}
}
