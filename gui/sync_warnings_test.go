package gui

import (
	"strings"
	"testing"
	"time"

	"liaisondesk/data"
)

// A laptop whose clock ran days ahead keeps stamping the future after the
// clock is put right: the Sync screen says so, and says nothing otherwise.
func TestSyncScreenWarnsWhenThisLaptopStampsAhead(t *testing.T) {
	ui, s := newTestApp(t)
	if sc := openSync(ui); sc.clock.Visible() {
		t.Fatalf("a warning with the clock right: %q", sc.clock.Text)
	}
	s.Now = func() time.Time { return time.Now().Add(72 * time.Hour) }
	addTitled(t, s, "Written while the clock ran three days fast")
	s.Now = time.Now
	sc := openSync(ui)
	if !sc.clock.Visible() || !strings.Contains(sc.clock.Text, "ahead") {
		t.Fatalf("no warning of a clock stamping ahead: visible %v, %q", sc.clock.Visible(), sc.clock.Text)
	}
}

// The held list says why each entry is held in words, names a relayer's
// claim as such, and marks two versions of one author's changes.
func TestHeldEntriesSayWhy(t *testing.T) {
	for _, tc := range []struct {
		entry        data.QuarantineEntry
		word, detail string
	}{
		{data.QuarantineEntry{Reason: "unknown"}, "not enrolled", ""},
		{data.QuarantineEntry{Reason: "revoked"}, "revoked", ""},
		{data.QuarantineEntry{Reason: "invalid", Detail: "exchange 0193 (change 4): title is longer than 200 characters (250)"},
			"breaks a rule", "Why held: exchange 0193 (change 4): title is longer than 200 characters (250)."},
		{data.QuarantineEntry{Reason: "waits", Detail: "waits behind a held commit (4F93:4-4)"}, "waits", "Why held: waits behind a held commit (4F93:4-4)."},
		{data.QuarantineEntry{Reason: "unknown", Conflict: true}, "not enrolled, two versions", "a conflict of histories"},
		{data.QuarantineEntry{Reason: "unknown", Officer: "Maj. P. Rao", Claimed: true, Sender: "iyer"}, "not enrolled",
			"The name Maj. P. Rao is claimed by the relaying peer, iyer"},
	} {
		word, detail := heldReason(tc.entry)
		if word != tc.word || !strings.Contains(detail, tc.detail) || (tc.detail == "") != (detail == "") {
			t.Errorf("%+v: %q / %q, want %q / %q", tc.entry, word, detail, tc.word, tc.detail)
		}
	}
}

// After an import, the summary lists what was held and why, and clocks
// found running ahead.
func TestImportNotesNameWhatWasHeldAndClocksAhead(t *testing.T) {
	r := data.ImportResult{
		Held: []data.HeldCommit{{Officer: "Maj. P. Rao", Claimed: true, Device: "4F93", FirstSeq: 3, LastSeq: 3, Changes: 9,
			Reason: "invalid", Detail: "title is longer than 200 characters (250)"}},
		ClockWarnings: []string{"1 change from device ACCC (Col. A. Sharma) is stamped up to 3 days ahead of this laptop's clock"},
	}
	got := importNotes(r)
	for _, want := range []string{"Held for review: 9 changes by Maj. P. Rao (claimed by the relaying peer)", "title is longer than 200 characters",
		"Clock: 1 change from device ACCC"} {
		if !strings.Contains(got, want) {
			t.Errorf("notes %q lack %q", got, want)
		}
	}
	if importNotes(data.ImportResult{Applied: 3}) != "" {
		t.Error("notes for an import with nothing to say")
	}
}

// After an import that met changes of a kind this version does not know,
// the summary says they were kept and the officer should upgrade.
func TestImportNotesAskForAnUpgradeForUnknownKinds(t *testing.T) {
	got := importNotes(data.ImportResult{Applied: 4, UnknownKinds: map[string]int{"future_things": 3}})
	want := "3 changes of a kind this version does not know (future_things): upgrade Liaison Desk to see them; they are kept and passed on."
	if !strings.Contains(got, want) {
		t.Errorf("notes %q lack %q", got, want)
	}
}
