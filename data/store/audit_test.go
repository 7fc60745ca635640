package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"liaisondesk/data"
)

func mustAudit(t *testing.T, s *Store, q data.AuditQuery) []data.Audited {
	t.Helper()
	got, err := s.Audit(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// An output recorded is listed with who signed it, from which device and
// when, read from the change log; the days filter by that time.
func TestAnOutputRecordedIsListedWithItsOfficerDeviceAndTime(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	id, err := s.RecordOutput(ctx, data.AuditEntry{What: data.OutputReport, Name: "weekly", Format: "pdf",
		Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}, File: "weekly.pdf", Rows: 12})
	if err != nil {
		t.Fatal(err)
	}
	got := mustAudit(t, s, data.AuditQuery{})
	dev, _ := s.Device()
	if len(got) != 1 || got[0].ID != id || got[0].Officer != "Col. A. Sharma" || got[0].Device != dev.Site.ShortCode() ||
		got[0].Site != dev.Site.String() || got[0].At[:10] != "2026-11-25" || got[0].File != "weekly.pdf" ||
		got[0].Classification != "RESTRICTED" || len(got[0].Releasability) != 2 || got[0].Rows != 12 {
		t.Fatalf("audit = %+v", got)
	}
	if n := len(mustAudit(t, s, data.AuditQuery{From: "2026-11-25", To: "2026-11-25"})); n != 1 {
		t.Errorf("the day itself lists %d entries, want 1", n)
	}
	if n := len(mustAudit(t, s, data.AuditQuery{From: "2026-11-26"})); n != 0 {
		t.Errorf("a later day lists %d entries", n)
	}
	if n := len(mustAudit(t, s, data.AuditQuery{To: "2026-11-24"})); n != 0 {
		t.Errorf("an earlier day lists %d entries", n)
	}
	if _, err := s.Audit(ctx, data.AuditQuery{From: "25/11/2026"}); err == nil {
		t.Error("a malformed day was taken")
	}
}

// Nobody edits or deletes an audit entry: each way in is refused as
// append-only and writes nothing.
func TestAnAuditEntryIsNeverChangedOrDeleted(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	id, err := s.RecordOutput(ctx, data.AuditEntry{What: data.OutputExport, Name: "exchanges", Format: "csv", File: "x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Digest(ctx)
	rec := &data.AuditEntry{ID: id, What: data.OutputExport, Name: "exchanges", Format: "csv", File: "innocent.csv"}
	for name, err := range map[string]error{
		"save":   s.Save(ctx, rec),
		"amend":  s.Amend(ctx, rec),
		"update": s.Update(ctx, data.KindAudit, id, []byte(`{"file":"innocent.csv"}`)),
		"delete": s.Delete(ctx, data.KindAudit, id),
	} {
		if !errors.Is(err, data.ErrAppendOnly) {
			t.Errorf("%s: %v, want refused as append-only", name, err)
		}
	}
	if after, _ := s.Digest(ctx); after != before {
		t.Fatal("a refused change to the audit wrote to the log")
	}
	if got := mustAudit(t, s, data.AuditQuery{}); len(got) != 1 || got[0].File != "x.csv" {
		t.Fatalf("audit = %+v", got)
	}
	if r, err := s.Check(ctx); err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %v %v", err, r)
	}
}

// A backup records itself once, before the copy, so the backup holds its
// own entry; its ceiling is the highest level the store holds.
func TestABackupIsRecordedOnceAndHoldsItsOwnEntry(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if _, err := s.Add(ctx, sampleExchange(), sampleRequest()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "tuesday.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	got := mustAudit(t, s, data.AuditQuery{})
	if len(got) != 1 || got[0].What != data.OutputBackup || got[0].File != "tuesday.db" || got[0].Classification != "CONFIDENTIAL" {
		t.Fatalf("audit = %+v", got)
	}
	b, err := Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if in := mustAudit(t, b, data.AuditQuery{}); len(in) != 1 || in[0].ID != got[0].ID {
		t.Fatalf("the backup holds %+v", in)
	}
}

// A peer's change to an audit entry this store holds, or a delete of
// one, is held for review as invalid: only a crafted change does either.
func TestAPeersChangeToAnAuditEntryIsHeld(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	id, err := s.RecordOutput(ctx, data.AuditEntry{What: data.OutputBackup, File: "b.db"})
	if err != nil {
		t.Fatal(err)
	}
	for _, fields := range []map[string]json.RawMessage{{"file": json.RawMessage(`"other.db"`)}, {data.DeletedField: json.RawMessage("true")}} {
		err := checkAuditImport(ctx, s.rdb, nil, id, firstKey(fields), fields[firstKey(fields)])
		if !errors.Is(err, data.ErrAppendOnly) {
			t.Errorf("%v: %v, want held as append-only", fields, err)
		}
	}
	if err := checkAuditImport(ctx, s.rdb, nil, data.NewID(), "file", json.RawMessage(`"new.db"`)); err != nil {
		t.Errorf("a new entry from a peer: %v", err)
	}
}

func firstKey(m map[string]json.RawMessage) string {
	for k := range m {
		return k
	}
	return ""
}
