package data

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// jsonKeys are the JSON names a record of a kind marshals to.
func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func TestEveryKindsDescriptorAgreesWithItsRecord(t *testing.T) {
	empty := map[Kind]any{KindRequestLine: &Line{RequestID: "x"}, KindRequestStatus: &StatusEntry{RequestID: "x"},
		KindClassification: &Classification{}, KindDPASClock: &DPASClock{}}
	for _, info := range AllKinds() {
		t.Run(string(info.Kind), func(t *testing.T) {
			rec, ok := empty[info.Kind]
			if info.New != nil {
				r := info.New()
				if r.RecordKind() != info.Kind {
					t.Fatalf("New makes a %s record", r.RecordKind())
				}
				r.SetRecordID("some-id")
				if r.RecordID() != "some-id" {
					t.Fatalf("the id set is not the id read: %q", r.RecordID())
				}
				rec, ok = r, true
			}
			if !ok {
				t.Fatal("no record type to compare the descriptor with")
			}
			keys := jsonKeys(t, rec)
			for _, f := range info.Fields {
				if !slices.Contains(keys, f.Name) {
					t.Errorf("synced field %s is not a JSON field of the record", f.Name)
				}
			}
			for _, d := range info.Derived {
				if !slices.Contains(keys, d) {
					t.Errorf("derived field %s is not a JSON field of the record", d)
				}
			}
			if info.List != nil {
				for _, c := range append(slices.Clone(info.List.Columns), info.List.Brief...) {
					_, synced := info.Field(c)
					if !synced && c != "id" && c != "updated_at" && !slices.Contains(info.Derived, c) && !slices.Contains(info.SearchText, c) {
						t.Errorf("list column %s is no column of %s", c, info.Table)
					}
				}
				if !slices.Contains(info.List.Columns, info.List.Sort) {
					t.Errorf("the default sort %s is not a list column", info.List.Sort)
				}
			}
			for _, name := range info.Import {
				_, own := info.Field(name)
				_, line := Describe(KindRequestLine).Field(name) // a request's file has a line per row
				if !own && !(info.Kind == KindRequest && line) {
					t.Errorf("import field %s is not a field of %s", name, info.Kind)
				}
			}
		})
	}
}

func TestUserKindsAreTheKindsUsersName(t *testing.T) {
	for _, k := range Kinds() {
		info, err := UserKind(k)
		if err != nil || info.New == nil || info.List == nil {
			t.Errorf("%s: %v, %+v", k, err, info)
		}
	}
	for _, k := range []Kind{KindClassification, KindRequestLine, "memo"} {
		if _, err := UserKind(k); err == nil {
			t.Errorf("%s is accepted as a kind users name", k)
		}
	}
	for _, k := range SearchKinds() {
		if Describe(k).Search == nil {
			t.Errorf("%s is searched but describes no search", k)
		}
	}
}

func TestAKindMarshalsAsItsName(t *testing.T) {
	b, err := json.Marshal(Hit{Kind: KindExchange})
	if err != nil || !strings.Contains(string(b), `"kind":"exchange"`) {
		t.Fatal(string(b), err)
	}
	var h Hit
	if err := json.Unmarshal(b, &h); err != nil || h.Kind != KindExchange {
		t.Fatalf("%s read back as %q: %v", b, h.Kind, err)
	}
}
