package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"liaisondesk/data"
	"liaisondesk/data/report"
)

// reportFlags are the flags report and export share.
type reportFlags struct {
	o      report.Options
	rel    string
	format string
	out    string
}

func (rf *reportFlags) register(fs *flag.FlagSet, withID bool) {
	fs.StringVar(&rf.o.From, "from", "", "first day of the period, YYYY-MM-DD")
	fs.StringVar(&rf.o.To, "to", "", "last day of the period, YYYY-MM-DD (inclusive)")
	fs.StringVar(&rf.o.Posting, "posting", "", "one posting (default: all)")
	fs.StringVar(&rf.o.Ceiling, "ceiling", "", "leave out records above this classification")
	fs.StringVar(&rf.rel, "rel", "", "leave out records not releasable to all these nations, e.g. USA,IND")
	fs.StringVar(&rf.format, "format", "", "pdf, xlsx, csv, ics or json (default: from the -o file's extension)")
	fs.StringVar(&rf.out, "o", "", "the file to write (- for standard output)")
	if withID {
		fs.StringVar(&rf.o.ID, "id", "", "the exchange of a memorandum for record")
		fs.StringVar(&rf.o.HomeZone, "home-tz", data.DefaultHomeZone, "also print times in this zone (memorandum, weekly report)")
	}
}

// resolve checks what needs no store: the kind, the format, the file,
// the dates and nations.
func (rf *reportFlags) resolve(kind string, export bool) (report.Kind, report.Format, error) {
	k, err := report.Lookup(kind, export)
	if err != nil {
		return k, "", usagef("KIND %s", problem(err))
	}
	rf.o.Kind, rf.o.Export = kind, export
	if rf.out == "" {
		return k, "", usagef("-o FILE is required (- for standard output)")
	}
	format := rf.format
	if format == "" {
		if ext := strings.TrimPrefix(filepath.Ext(rf.out), "."); ext != "" && rf.out != "-" {
			format = ext
		} else {
			format = string(k.Formats[0])
		}
	}
	f, err := report.ParseFormat(format)
	if err != nil {
		return k, "", usagef("--format %s", problem(err))
	}
	if !slices.Contains(k.Formats, f) {
		var fs []string
		for _, x := range k.Formats {
			fs = append(fs, string(x))
		}
		return k, "", usagef("--format %s: the %s can be written as %s", f, strings.ToLower(k.Title), strings.Join(fs, ", "))
	}
	if rf.rel != "" {
		for _, n := range strings.Split(rf.rel, ",") {
			if n = strings.ToUpper(strings.TrimSpace(n)); n != "" {
				rf.o.Rel = append(rf.o.Rel, n)
			}
		}
		if err := data.CheckNations("rel", rf.o.Rel); err != nil {
			return k, "", usagef("--%v", err)
		}
	}
	if _, err := data.HomeLocation(rf.o.HomeZone); err != nil {
		return k, "", usagef("--home-tz: %s", problem(err))
	}
	rf.o.Ceiling = strings.ToUpper(rf.o.Ceiling)
	return k, f, nil
}

func problem(err error) string {
	var fe *data.FieldError
	if errors.As(err, &fe) {
		return fe.Problem
	}
	return err.Error()
}

// argumentFields are the report options a user types: a problem with one
// is a mistyped command (exit 2), not a failure.
var argumentFields = []string{"from", "to", "posting", "ceiling", "rel", "format", "kind", "id"}

// write runs a report or an export into the -o file atomically (or to
// standard output) and says what it wrote.
func (rf *reportFlags) write(ctx context.Context, c *cli, k report.Kind, f report.Format) error {
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	rf.o.File = rf.out // named in the audit entry Write records
	var sum report.Summary
	writeTo := func(w io.Writer) error {
		var err error
		sum, err = report.Write(ctx, s, rf.o, f, w)
		return err
	}
	if rf.out == "-" {
		err = writeTo(c.stdout)
	} else {
		err = report.SaveFile(rf.out, writeTo)
	}
	if err != nil {
		var fe *data.FieldError
		if errors.As(err, &fe) && slices.Contains(argumentFields, fe.Field) && !errors.Is(err, data.ErrNotFound) {
			return usagef("--%s: %s (no file written)", fe.Field, fe.Problem)
		}
		if rf.out != "-" {
			return noted{err, " (no file written)"}
		}
		return err
	}
	if rf.out == "-" {
		return nil
	}
	msg := fmt.Sprintf("wrote %s: %s, ", rf.out, strings.ToLower(k.Title))
	if k.Needs != "id" { // a memorandum is one record, not rows
		msg += fmt.Sprintf("%d %s, ", sum.Rows, plural(sum.Rows, "row"))
	}
	msg += sum.Banner.String()
	if left := sum.LeftOutText(); left != "" {
		msg += "; " + left
	}
	fmt.Fprintln(c.stdout, msg)
	return nil
}

func runReport(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var rf reportFlags
	rf.register(fs, true)
	attachments := fs.Bool("attachments", false, "handover: write a .zip of the PDF and the files attached to the records it lists")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "KIND"); err != nil {
		return err
	}
	if *attachments {
		return runPack(ctx, c, &rf, pos[0])
	}
	k, f, err := rf.resolve(pos[0], false)
	if err != nil {
		return err
	}
	return rf.write(ctx, c, k, f)
}

func runExport(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	var rf reportFlags
	rf.register(fs, false)
	include := registerInclude(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "KIND"); err != nil {
		return err
	}
	k, f, err := rf.resolve(pos[0], true)
	if err != nil {
		return err
	}
	if rf.o.Include, err = sensitiveKept(*include); err != nil {
		return err
	}
	return rf.write(ctx, c, k, f)
}

func runImport(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "check every row and say what would be created; change nothing")
	skip := fs.Bool("skip-rejected", false, "import the good rows even when some are rejected")
	format := fs.String("format", "", "csv or xlsx (default: from the file's extension)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "KIND", "FILE"); err != nil {
		return err
	}
	kind, path := pos[0], pos[1]
	if _, err := report.ImportFields(kind); err != nil {
		return usagef("KIND must be %s", strings.Join(report.ImportKinds, ", "))
	}
	fmtName := *format
	if fmtName == "" {
		fmtName = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	f, err := report.ParseFormat(fmtName)
	if err != nil || (f != report.CSV && f != report.XLSX) {
		return usagef("--format must be csv or xlsx (got %q)", fmtName)
	}
	in, err := os.Open(path)
	if err != nil {
		return data.Op("import", kind, fmt.Errorf("%s: %w", path, data.FileError(err)))
	}
	defer in.Close()
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	plan, err := report.ReadImport(ctx, s, kind, f, in, report.ImportOptions{})
	if err != nil {
		return err
	}
	verb := "would create"
	if !*dry {
		verb = "to create"
	}
	if len(plan.Ignored) > 0 {
		fmt.Fprintf(c.stdout, "columns not read (the store makes them): %s\n", strings.Join(plan.Ignored, ", "))
	}
	if *dry || len(plan.Rejected) > 0 {
		fmt.Fprintf(c.stdout, "%s %d %s:\n", verb, len(plan.Rows), plural(len(plan.Rows), kind))
		for _, r := range plan.Rows {
			fmt.Fprintf(c.stdout, "  row %d: %s\n", r.Row, r.Summary)
		}
	}
	rejected := plan.RejectedRows()
	if rejected > 0 {
		// A row is listed once per problem it has.
		fmt.Fprintf(c.stdout, "rejected %d %s:\n", rejected, plural(rejected, "row"))
		for _, r := range plan.Rejected {
			fmt.Fprintf(c.stdout, "  %s%s\n", r, advice(r.Err))
		}
	}
	if *dry {
		if rejected > 0 && !*skip {
			return fmt.Errorf("dry run: %d %s would be rejected, so nothing would be imported (fix them, or --skip-rejected)",
				rejected, plural(rejected, "row"))
		}
		fmt.Fprintln(c.stdout, "dry run: nothing was changed")
		return nil
	}
	ids, err := plan.Commit(ctx, s, *skip)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "imported %d %s from %s\n", len(ids), plural(len(ids), kind), path)
	return nil
}
