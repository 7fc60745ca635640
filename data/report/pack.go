package report

// A handover pack (issue 13 §3): the handover PDF and the files attached
// to the records it lists, in one zip whose name and README carry the
// banner of the highest marking inside it, the PDF's and every file's.

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"path"
	"path/filepath"
	"strings"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// PackReadme is the name of the README inside a pack.
const PackReadme = "README.txt"

// covered is a record a handover lists, whose attached files its pack
// carries.
type covered struct {
	kind    data.Kind
	id      string
	label   string // how the README names it: exchange “Title” (id)
	marking data.Marking
}

// cover notes the records a handover lists: key exchanges, open requests
// and open actions.
func (b *builder) cover(acts []*data.ReportAction, reqs []*data.Request, exs []*data.Exchange) {
	for _, e := range exs {
		b.d.covered = append(b.d.covered, covered{data.KindExchange, e.ID, "exchange “" + e.Title + "” (" + e.ID + ")", e.Marking})
	}
	for _, r := range reqs {
		b.d.covered = append(b.d.covered, covered{data.KindRequest, r.ID, "request " + r.Ref + " (" + r.ID + ")", r.Marking})
	}
	for _, a := range acts {
		b.d.covered = append(b.d.covered, covered{data.KindAction, a.ID, "action “" + a.Title + "” (" + a.ID + ")", a.Marking})
	}
}

// PackFile is one file of a pack, or one left out of it.
type PackFile struct {
	data.Attachment
	Path    string       // inside the zip
	Record  string       // what it belongs to, as the README names it
	Marking data.Marking // its own level, with its record's releasability
	Why     string       // why it is left out; "" for a file in the pack
}

// Pack is what a handover pack holds.
type Pack struct {
	Report  Summary     // the handover report's own summary
	PDF     PackFile    // the handover report (its size and hash once written)
	Banner  data.Banner // the highest marking inside: the report's and every file's
	Files   []PackFile  // the attached files in the pack
	LeftOut []PackFile  // attached files of the records listed that are not in it
	Bytes   int64       // the attached files' total size
}

// planPack builds the handover and lists the files its pack carries,
// without reading any content. Files above the ceiling or not releasable
// are left out as records are; content not held here yet is left out and
// named.
func planPack(ctx context.Context, s *store.Store, o Options) (*doc, Pack, error) {
	if o.Export || o.Kind != "handover" {
		return nil, Pack{}, &data.FieldError{Field: "kind", Problem: "only the handover report carries the attached files"}
	}
	d, err := build(ctx, s, o)
	if err != nil {
		return nil, Pack{}, err
	}
	p := Pack{Report: d.summary()}
	p.PDF = PackFile{Path: FileName(o, PDF, d.banner), Record: "the handover report",
		Marking: data.Marking{Classification: d.banner.Classification.ID, Releasability: d.banner.Releasability}}
	p.PDF.Name, p.PDF.MediaType, p.PDF.Classification = p.PDF.Path, "application/pdf", d.banner.Classification.ID
	marks := &tally{c: d.ceiling, markings: maps.Clone(d.marks.markings)}
	used := map[string]bool{p.PDF.Path: true, PackReadme: true}
	for _, c := range d.covered {
		list, err := s.Attachments(ctx, c.kind, c.id)
		if err != nil {
			return nil, Pack{}, fmt.Errorf("handover pack: %w", err)
		}
		for _, a := range list {
			f := PackFile{Attachment: a, Record: c.label, Marking: attachmentMarking(c.marking, a)}
			if !d.ceiling.allows(f.Marking) {
				f.Why = d.ceiling.why()
				p.LeftOut = append(p.LeftOut, f)
				continue
			}
			held, err := s.ContentHeld(ctx, a.SHA256)
			if err != nil {
				return nil, Pack{}, fmt.Errorf("handover pack: %w", err)
			}
			if !held {
				f.Why = "its content has not arrived from the laptop that attached it"
				p.LeftOut = append(p.LeftOut, f)
				continue
			}
			f.Path = uniquePath(used, path.Join("attachments", string(c.kind)+"-"+c.id[:min(8, len(c.id))], a.Name))
			marks.note(f.Marking)
			p.Files = append(p.Files, f)
			p.Bytes += a.Size
		}
	}
	p.Banner = marks.banner(d.levels)
	return d, p, nil
}

// uniquePath is p, or p with " (2)", " (3)", … before its extension when
// a file of the pack already has that path (names repeat on a record).
func uniquePath(used map[string]bool, p string) string {
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	for n := 2; used[p]; n++ {
		p = fmt.Sprintf("%s (%d)%s", stem, n, ext)
	}
	used[p] = true
	return p
}

// CountPack says what a handover pack would hold, reading no content: for
// a preview.
func CountPack(ctx context.Context, s *store.Store, o Options) (Pack, error) {
	_, p, err := planPack(ctx, s, o)
	return p, err
}

// PackPath is where a pack of banner b asked for at file is written: the
// banner's classification before the .zip, in place of a level the name
// already ends with (the suggested name carries one, and an officer may
// type one), so the name never under-states what the zip holds.
func PackPath(file string, levels []data.Classification, b data.Banner) string {
	dir, base := filepath.Split(file)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	for _, l := range data.OrderedLevels(levels) {
		if tok := "_" + fileToken(l.ID); len(stem) > len(tok) && strings.EqualFold(stem[len(stem)-len(tok):], tok) {
			stem = stem[:len(stem)-len(tok)]
			break
		}
	}
	return filepath.Join(dir, stem+"_"+fileToken(b.Classification.ID)+".zip")
}

// fileToken is a level as a file name carries it: letters, digits and
// dashes.
func fileToken(level string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return '-'
	}, level)
}

// WritePack writes a handover pack for the zip file asked for: the
// handover PDF, each attached file streamed from the store chunk by chunk,
// and a README naming the banner and every file's record, name, size,
// SHA-256 and marking. The banner's classification goes into the name
// (PackPath), and the file is written atomically and audited like every
// report. It returns the path written; on any error nothing is written.
func WritePack(ctx context.Context, s *store.Store, o Options, file string) (string, Pack, error) {
	if !strings.EqualFold(filepath.Ext(file), ".zip") {
		return "", Pack{}, &data.FieldError{Field: "file", Problem: fmt.Sprintf("%s: a handover pack with its attached files is a .zip file", filepath.Base(file))}
	}
	d, p, err := planPack(ctx, s, o)
	if err != nil {
		return "", Pack{}, err
	}
	final := PackPath(file, d.levels, p.Banner)
	err = SaveFile(final, func(w io.Writer) error {
		if err := writePack(ctx, s, d, &p, &stopWriter{ctx: ctx, w: w}); err != nil {
			return fmt.Errorf("handover pack: %w", err)
		}
		// Recorded once the zip is whole, before it is kept (as Write does).
		_, err := s.RecordOutput(ctx, data.AuditEntry{What: data.OutputReport, Name: "handover", Format: "zip",
			Classification: p.Banner.Classification.ID, Releasability: p.Banner.Releasability,
			File: filepath.Base(final), Rows: int64(p.Report.Rows)})
		return err
	})
	if err != nil {
		return "", Pack{}, err
	}
	return final, p, nil
}

func writePack(ctx context.Context, s *store.Store, d *doc, p *Pack, w io.Writer) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed) // most attachments are compressed already
	})
	entry := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.generated})
	}
	pw, err := entry(p.PDF.Path)
	if err != nil {
		return err
	}
	hw := &hashingWriter{w: pw, h: sha256.New()}
	if err := writePDF(ctx, d, hw); err != nil {
		return err
	}
	d.progress(true)
	p.PDF.Size, p.PDF.SHA256 = hw.n, hex.EncodeToString(hw.h.Sum(nil))
	for _, f := range p.Files {
		fw, err := entry(f.Path)
		if err != nil {
			return err
		}
		if err := s.WriteContent(ctx, f.SHA256, fw); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	rw, err := entry(PackReadme)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(rw, packReadme(d, p)); err != nil {
		return err
	}
	return zw.Close()
}

// packReadme is the README of a pack: its banner at the top and the
// bottom, what it is, and each file with its record, size, SHA-256 and
// marking. Lines end in CRLF so any Windows editor shows them.
func packReadme(d *doc, p *Pack) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\r\n", args...) }
	banner := p.Banner.String()
	line("%s", banner)
	line("")
	line("HANDOVER PACK")
	line("Written %s UTC by %s", d.generated.UTC().Format("2 Jan 2006 15:04"), d.officer)
	line("Postings: %s", d.subtitle)
	if d.period != "" {
		line("Period: %s", d.period)
	}
	line("")
	line("This pack is marked %s: the highest marking of anything in it,", banner)
	line("the handover report and every attached file. Handle it, and every file")
	line("taken out of it, at that marking; each file's own marking is below.")
	line("")
	line("It holds %d %s besides this README:", len(p.Files)+1, plural(len(p.Files)+1, "file"))
	for i, f := range append([]PackFile{p.PDF}, p.Files...) {
		line("")
		line("%d. %s", i+1, f.Path)
		line("   Record:  %s", f.Record)
		line("   Name:    %s", f.Name)
		size := data.FormatSize(f.Size)
		if f.Size >= 1<<10 {
			size += fmt.Sprintf(" (%d bytes)", f.Size)
		}
		line("   Size:    %s", size)
		line("   SHA-256: %s", f.SHA256)
		line("   Marking: %s", f.Marking.Text())
	}
	if len(p.LeftOut) > 0 {
		line("")
		line("Not in this pack: %d attached %s of the records listed:", len(p.LeftOut), plural(len(p.LeftOut), "file"))
		for _, f := range p.LeftOut {
			line("   - %s (%s), of %s: %s", f.Name, data.FormatSize(f.Size), f.Record, f.Why)
		}
	}
	line("")
	line("%s", banner)
	return b.String()
}

// hashingWriter counts and hashes what passes through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashingWriter) Write(b []byte) (int, error) {
	n, err := hw.w.Write(b)
	hw.h.Write(b[:n])
	hw.n += int64(n)
	return n, err
}

// stopWriter refuses to write once its context is cancelled, so a
// cancelled pack stops at its next write.
type stopWriter struct {
	ctx context.Context
	w   io.Writer
}

func (s *stopWriter) Write(b []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	return s.w.Write(b)
}
