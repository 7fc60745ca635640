package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleDocument() Document {
	return Document{Title: "CTF 150 threat assessment", ReceivedOn: "2026-11-20",
		Marking:  Marking{Classification: "CONFIDENTIAL", Releasability: []string{"USA", "IND"}},
		Category: "2", Disclosure: "documentary", Originator: "NAVCENT N2", ReleaseRef: "FDO-26-114", ControlNumber: "C-0042"}
}

func TestDocumentValidationNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		name, field, says string
		edit              func(*Document)
	}{
		{"a disposition other than held needs its date", "disposition_on", "required when the document was destroyed",
			func(d *Document) { d.Disposition = DispositionDestroyed }},
		{"a held document has no disposition date", "disposition_on", "only set",
			func(d *Document) { d.DispositionOn = "2026-11-21" }},
		{"a disposition before receipt", "disposition_on", "before received_on",
			func(d *Document) { d.Disposition, d.DispositionOn = DispositionReturned, "2026-11-19" }},
		{"a category outside NDP-1's eight", "category", "not one of",
			func(d *Document) { d.Category = "9" }},
		{"a method that is no disclosure method", "disclosure", "not one of",
			func(d *Document) { d.Disclosure = "telepathic" }},
		{"no classification", "classification", "required",
			func(d *Document) { d.Classification = "" }},
		{"no date of receipt", "received_on", "required",
			func(d *Document) { d.ReceivedOn = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sampleDocument()
			tc.edit(&d)
			err := d.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Problem, tc.says) {
				t.Fatalf("got %v, want %s: …%s…", err, tc.field, tc.says)
			}
		})
	}
	d := sampleDocument()
	if err := d.Validate(); err != nil || d.Disposition != DispositionHeld {
		t.Fatalf("a new document is held: %v, %q", err, d.Disposition)
	}
}

func TestDocumentDatesInTheFutureAreRefused(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	d := sampleDocument()
	d.Disposition, d.DispositionOn = DispositionForwarded, "2026-12-01"
	var fe *FieldError
	if err := d.CheckDates(now); !errors.As(err, &fe) || fe.Field != "disposition_on" || !strings.Contains(fe.Problem, "future") {
		t.Fatalf("got %v", err)
	}
	d.DispositionOn = "2026-11-25"
	if err := d.CheckDates(now); err != nil {
		t.Fatal(err)
	}
}
