package report

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"liaisondesk/data"
)

// Every report and export written records one audit entry with its
// banner and the file's name (not its folder); counting for a preview,
// and a write that fails, record nothing.
func TestEachReportAndExportWrittenIsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	add(t, s, &data.Exchange{Posting: "CMF", Kind: "meeting", Title: "Boarding drills", OccurredAt: "2026-11-20T06:00:00Z",
		TimeZone: "Asia/Bahrain", Marking: data.Marking{Classification: "RESTRICTED", Releasability: []string{"USA", "IND"}}})
	if _, err := Count(ctx, s, Options{Kind: "exchange", Export: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(ctx, s, Options{Kind: "nonsense"}, CSV, io.Discard); err == nil {
		t.Fatal("a report of no kind was written")
	}
	write(t, s, Options{Kind: "exchange", Export: true, File: filepath.Join(t.TempDir(), "all.csv")}, CSV)
	write(t, s, Options{Kind: "weekly", From: "2026-11-16", To: "2026-11-22", File: "-"}, PDF)
	got, err := s.Audit(ctx, data.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("audit holds %d entries, want 2: %+v", len(got), got)
	}
	ex, wk := got[0], got[1]
	if ex.What != data.OutputExport || ex.Name != "exchange" || ex.Format != "csv" || ex.File != "all.csv" ||
		ex.Classification != "RESTRICTED" || len(ex.Releasability) != 2 || ex.Rows != 1 || ex.Officer != "Col. A. Sharma" {
		t.Errorf("export entry = %+v", ex)
	}
	if wk.What != data.OutputReport || wk.Name != "weekly" || wk.Format != "pdf" || wk.File != "-" {
		t.Errorf("report entry = %+v", wk)
	}
}

// A report cancelled while writing records nothing.
func TestACancelledReportIsNotRecorded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := openStore(t)
	cancel()
	if _, err := Write(ctx, s, Options{Kind: "exchange", Export: true, File: "x.csv"}, CSV, io.Discard); !errors.Is(err, context.Canceled) {
		t.Fatalf("write: %v", err)
	}
	if got, err := s.Audit(context.Background(), data.AuditQuery{}); err != nil || len(got) != 0 {
		t.Fatalf("audit = %+v, %v", got, err)
	}
}
