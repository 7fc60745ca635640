package store

import (
	"encoding/json"
	"testing"

	"liaisondesk/data"
)

// The decoders of what users and peers type or paste are fuzzed: nothing
// may panic, and what they accept must be well formed.

func FuzzDecodeRecord(f *testing.F) {
	for _, kind := range data.Kinds() {
		rec, _ := NewRecord(kind)
		b, _ := json.Marshal(rec)
		f.Add(string(kind), b)
	}
	e, _ := json.Marshal(sampleExchange())
	f.Add("exchange", e)
	r, _ := json.Marshal(sampleRequest())
	f.Add("request", r)
	f.Add("exchange", []byte(`{"title":"x","title":"y"}`))
	f.Add("request", []byte(`{"lines":[{"nsn":"1650-01-345-6789","quantity":1e400}]}`))
	f.Fuzz(func(t *testing.T, kind string, raw []byte) {
		rec, err := DecodeRecord(data.Kind(kind), raw)
		if err != nil {
			return
		}
		if _, err := json.Marshal(rec); err != nil {
			t.Fatalf("decoded a record that does not encode: %v", err)
		}
		_ = rec.Validate() // must not panic, whatever it says
	})
}

func FuzzParseIdentity(f *testing.F) {
	f.Add("liaisondesk-identity-v1 a4d54a7a9d09bdf374ab708af91be9ef hub1 903b32d1633f2697d4608ee4bd99eb70ee0d9eede44a61995e91a9ec5d7f5201 age1nd9wjaup68sv9tax5cjsvvxnezkhlkprk5wjwy2c7pveyjm8aqrqdqg5dl")
	f.Add("liaisondesk-identity-v1 x y z w")
	f.Add("")
	f.Fuzz(func(t *testing.T, line string) {
		id, err := data.ParseIdentity(line)
		if err != nil {
			return
		}
		again, err := data.ParseIdentity(id.String())
		if err != nil || again.String() != id.String() {
			t.Fatalf("identity does not survive its own line: %q → %q (%v)", line, id.String(), err)
		}
	})
}

func FuzzParseChangeID(f *testing.F) {
	f.Add("a4d54a7a9d09bdf374ab708af91be9ef:12")
	f.Add(":")
	f.Add("a4d54a7a9d09bdf374ab708af91be9ef:-1")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := data.ParseChangeID(s)
		if err != nil {
			return
		}
		again, err := data.ParseChangeID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q → %v → %v (%v)", s, id, again, err)
		}
	})
}
