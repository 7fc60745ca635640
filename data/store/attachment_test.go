package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"liaisondesk/data"
)

// writeFile writes a file for a test to attach and returns its path.
func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func sumOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// countRows counts rows of a local table.
func countLocal(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// bigContent is content over one chunk, so chunking is exercised.
func bigContent() []byte {
	b := make([]byte, contentChunk*2+12345)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestAttachingTheSameContentTwiceKeepsItOnce(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	content := bigContent()
	first, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "minutes.pdf", content), AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if first.SHA256 != sumOf(content) || first.Size != int64(len(content)) || first.MediaType != "application/pdf" {
		t.Fatalf("attached %+v", first)
	}
	if first.Classification != "RESTRICTED" {
		t.Fatalf("the marking defaults to the record's: got %q", first.Classification)
	}
	if _, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "minutes-copy.pdf", content), AttachOptions{Classification: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	list, err := s.Attachments(ctx, data.KindExchange, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "minutes-copy.pdf" || list[1].Name != "minutes.pdf" || list[0].Classification != "SECRET" {
		t.Fatalf("two attachments by name: %+v", list)
	}
	if n := countLocal(t, s, `SELECT count(*) FROM attachment_blobs`); n != 1 {
		t.Fatalf("content held %d times", n)
	}
	if n := len(contentFiles(t, s)); n != 1 {
		t.Fatalf("content in %d files, want one", n)
	}
	if n := countLocal(t, s, `SELECT count(*) FROM changes WHERE tbl = 'attachments' AND instr(fields, 'chunk') > 0`); n != 0 {
		t.Fatal("content went into the change log")
	}
	out := filepath.Join(t.TempDir(), "saved.pdf")
	if _, err := s.SaveAttachment(ctx, first.SHA256[:12], out); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, content) {
		t.Fatal("saved content differs from the file attached")
	}
	clCheckClean(t, s, "after attaching")

	t.Run("detaching one keeps the content the other refers to; detaching both removes it", func(t *testing.T) {
		if _, err := s.Detach(ctx, data.KindExchange, id, "minutes.pdf"); err != nil {
			t.Fatal(err)
		}
		if n := len(contentFiles(t, s)); n != 1 {
			t.Fatalf("content still referred to was removed: %d files", n)
		}
		if _, err := s.Detach(ctx, data.KindExchange, id, first.SHA256[:12]); err != nil {
			t.Fatal(err)
		}
		if n := len(contentFiles(t, s)) + countLocal(t, s, `SELECT count(*) FROM attachment_blobs`); n != 0 {
			t.Fatalf("content no one refers to is kept: %d files and rows", n)
		}
		list, _ := s.Attachments(ctx, data.KindExchange, id)
		if len(list) != 0 {
			t.Fatalf("left %+v", list)
		}
		clCheckClean(t, s, "after detaching")
	})
}

func TestAFileOverTheLimitIsRefusedAndNothingChanges(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	if err := s.SetAttachLimit(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	before := countLocal(t, s, `SELECT count(*) FROM changes`)
	_, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "slides.pptx", make([]byte, 1001)), AttachOptions{})
	if !errors.Is(err, data.ErrTooLarge) || !strings.Contains(err.Error(), "more than the 1000 bytes this laptop attaches") {
		t.Fatalf("got %v", err)
	}
	if after := countLocal(t, s, `SELECT count(*) FROM changes`); after != before {
		t.Fatalf("%d changes written", after-before)
	}
	if n := len(contentFiles(t, s)) + countLocal(t, s, `SELECT count(*) FROM attachment_blobs`); n != 0 {
		t.Fatalf("%d files or rows written", n)
	}
	if _, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "slides.pptx", make([]byte, 1000)), AttachOptions{}); err != nil {
		t.Fatalf("a file at the limit: %v", err)
	}
	if err := s.SetAttachLimit(ctx, data.MaxAttachmentSize+1); err == nil {
		t.Fatal("a setting above the hard limit was taken")
	}
}

func TestAPeersAttachmentOverTheHardLimitIsInvalid(t *testing.T) {
	a := data.Attachment{ParentKind: data.KindExchange, ParentID: "x", Name: "huge.bin", Size: data.MaxAttachmentSize + 1,
		MediaType: "application/octet-stream", SHA256: strings.Repeat("a", 64), Classification: "UNCLASSIFIED"}
	if err := a.Validate(); !errors.Is(err, data.ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	a.Size = data.MaxAttachmentSize
	if err := a.Validate(); err != nil {
		t.Fatalf("at the hard limit: %v", err)
	}
	a.Name = "../etc/passwd"
	if err := a.Validate(); err == nil {
		t.Fatal("a name with a folder was taken")
	}
}

func TestAttachRefusesAMissingRecordAndAnUnknownLevel(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	f := writeFile(t, "a.txt", []byte("hello"))
	if _, err := s.Attach(ctx, data.KindAction, "no-such-id", f, AttachOptions{}); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	id := addOne(t, s, sampleExchange())
	if _, err := s.Attach(ctx, data.KindExchange, id, f, AttachOptions{Classification: "ULTRA"}); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Attach(ctx, data.KindContact, id, f, AttachOptions{}); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("a contact took an attachment: %v", err)
	}
	if n := countLocal(t, s, `SELECT count(*) FROM attachment_blobs`); n != 0 {
		t.Fatalf("%d contents kept", n)
	}
}

func TestCheckCatchesAttachmentContentChangedOnDisk(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	a, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "photo.png", bigContent()), AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	clCheckClean(t, s, "before")
	f, err := os.OpenFile(s.contentFile(a.SHA256), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, 4096), 1<<20); err != nil { // zeros over the second MiB's start
		t.Fatal(err)
	}
	f.Close()
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "attachment content "+a.SHA256[:12]+" does not match") {
		t.Fatalf("problems %q", rep.Problems)
	}
	out := filepath.Join(t.TempDir(), "photo.png")
	if _, err := s.SaveAttachment(ctx, a.SHA256, out); err == nil {
		t.Fatal("damaged content was saved")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a damaged copy was left behind")
	}
}

func TestABackupCarriesAttachmentContent(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	content := bigContent()
	a, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "minutes.pdf", content), AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := s.Backup(ctx, filepath.Join(dir, "b.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := RestoreBackup(ctx, filepath.Join(dir, "b.db"), filepath.Join(dir, "r.db"), false); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	clCheckClean(t, r, "restored")
	out := filepath.Join(dir, "out.pdf")
	if _, err := r.SaveAttachment(ctx, a.SHA256, out); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, content) {
		t.Fatal("restored content differs")
	}
}

func TestSavingAnAttachmentIsAudited(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	a, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "minutes.pdf", []byte("%PDF-1.4 minutes")), AttachOptions{Classification: "SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAttachment(ctx, a.SHA256, filepath.Join(t.TempDir(), "out.pdf")); err != nil {
		t.Fatal(err)
	}
	entries, err := s.Audit(ctx, data.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].What != data.OutputAttachment || entries[0].Name != "minutes.pdf" ||
		entries[0].Classification != "SECRET" || entries[0].File != "out.pdf" || entries[0].Format != "pdf" {
		t.Fatalf("audit %+v", entries)
	}
}

// A report or export holding a record holds its attachments' names, so the
// record counts at the highest marking of it and its attachments.
func TestAnAttachmentsMarkingRaisesTheRecordInReports(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange()) // RESTRICTED
	rid := addOne(t, s, sampleRequest()) // CONFIDENTIAL
	lower := writeFile(t, "agenda.txt", []byte("agenda"))
	if _, err := s.Attach(ctx, data.KindExchange, id, lower, AttachOptions{Classification: "UNCLASSIFIED"}); err != nil {
		t.Fatal(err)
	}
	levels := func() string {
		var out []string
		counts, err := s.ReportExchangeMarkings(ctx, data.ExchangeQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counts {
			out = append(out, c.Marking.Classification)
		}
		err = s.ReportExchanges(ctx, data.ExchangeQuery{}, func(e *data.Exchange) error {
			out = append(out, e.Classification)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := s.ReportRequestMarkings(ctx, data.RequestQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rc {
			out = append(out, c.Marking.Classification)
		}
		return strings.Join(out, " ")
	}
	if got := levels(); got != "RESTRICTED RESTRICTED CONFIDENTIAL" {
		t.Fatalf("a lower attachment changed the marking: %s", got)
	}
	if _, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "photo.png", []byte("png")), AttachOptions{Classification: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, data.KindRequest, rid, writeFile(t, "letter.pdf", []byte("pdf")), AttachOptions{Classification: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	if got := levels(); got != "SECRET SECRET SECRET" {
		t.Fatalf("a SECRET attachment did not raise its records: %s", got)
	}
	if rec := getExchange(t, s, id); rec.Classification != "RESTRICTED" {
		t.Fatalf("the record itself changed: %s", rec.Classification)
	}
}

// Attachment names are found by search: the hit is the record, marked at
// the attachment's level when that is higher.
func TestSearchFindsARecordByItsAttachmentsName(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	if _, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "Whiteboard_Photo.png", []byte("png")), AttachOptions{Classification: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, "whiteboard photo", data.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].ID != id || hits[0].Kind != data.KindExchange || hits[0].Classification != "SECRET" ||
		!strings.Contains(hits[0].Snippet, "«Whiteboard_Photo.png»") {
		t.Fatalf("hits %+v", hits)
	}
	if hits, err := s.Search(ctx, "whiteboard", data.SearchOptions{Kinds: []data.Kind{data.KindRequest}}); err != nil || len(hits) != 0 {
		t.Fatalf("a request search found %+v (%v)", hits, err)
	}
	if hits, err := s.Search(ctx, "50%_", data.SearchOptions{}); err != nil || len(hits) != 0 {
		t.Fatalf("LIKE wildcards matched: %+v (%v)", hits, err)
	}
}

// An action's reports take the highest of its source's marking and its
// own attachments'.
func TestAnActionsAttachmentRaisesItInReports(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	eid := addOne(t, s, sampleExchange()) // RESTRICTED
	aid := addOne(t, s, &data.Action{ExchangeID: eid, Title: "Send the signed minutes", Owner: "Cdr Rao", Status: "open"})
	level := func() string {
		var out []string
		counts, err := s.ReportActionMarkings(ctx, data.ActionQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counts {
			out = append(out, c.Marking.Classification)
		}
		err = s.ReportActions(ctx, data.ActionQuery{}, func(a *data.ReportAction) error {
			out = append(out, a.Classification)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, " ")
	}
	if got := level(); got != "RESTRICTED RESTRICTED" {
		t.Fatalf("before: %s", got)
	}
	if _, err := s.Attach(ctx, data.KindAction, aid, writeFile(t, "minutes.pdf", []byte("pdf")), AttachOptions{Classification: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	if got := level(); got != "SECRET SECRET" {
		t.Fatalf("after: %s", got)
	}
}

// contentFiles lists the content files of a store, temporary ones too.
func contentFiles(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(s.contentDir(), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// A content file no row lists (what a crash or a refused import leaves)
// is never read as held, and the next detach sweeps it with temporary
// files and the detached content.
func TestAContentFileNoRowListsIsNeverReadAndIsSwept(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id := addOne(t, s, sampleExchange())
	if _, err := s.Attach(ctx, data.KindExchange, id, writeFile(t, "minutes.pdf", []byte("minutes")), AttachOptions{}); err != nil {
		t.Fatal(err)
	}
	stray := []byte("left by a crash")
	sum := sumOf(stray)
	if err := s.writeContentFile(sum, int64(len(stray)), bytes.NewReader(stray)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.contentDir(), sum[:2], ".half.tmp"), stray[:4], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteContent(ctx, sum, io.Discard); !errors.Is(err, data.ErrNoContent) {
		t.Fatalf("a file no row lists was read: %v", err)
	}
	if _, err := s.Detach(ctx, data.KindExchange, id, "minutes.pdf"); err != nil {
		t.Fatal(err)
	}
	if left := contentFiles(t, s); len(left) != 0 {
		t.Fatalf("left %v", left)
	}
}
