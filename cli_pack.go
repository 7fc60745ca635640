package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"liaisondesk/data"
	"liaisondesk/data/report"
)

// runPack is report handover --attachments -o FILE.zip: the handover PDF
// with the files attached to the records it lists, in a zip whose name
// carries the banner of the highest marking inside (report.WritePack).
// It prints the path actually written, which may differ from -o.
func runPack(ctx context.Context, c *cli, rf *reportFlags, kind string) error {
	if kind != "handover" {
		return usagef("--attachments: only the handover report carries the attached files (not %s)", kind)
	}
	if rf.out == "" || rf.out == "-" || !strings.EqualFold(filepath.Ext(rf.out), ".zip") {
		return usagef("--attachments writes a .zip file: give -o FILE.zip (no file written)")
	}
	if rf.format != "" && !strings.EqualFold(rf.format, string(report.PDF)) {
		return usagef("--attachments: the handover goes into the pack as a PDF, not %s (no file written)", rf.format)
	}
	rf.format = string(report.PDF)
	k, _, err := rf.resolve(kind, false)
	if err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	path, p, err := report.WritePack(ctx, s, rf.o, rf.out)
	if err != nil {
		var fe *data.FieldError
		if errors.As(err, &fe) && slices.Contains(argumentFields, fe.Field) && !errors.Is(err, data.ErrNotFound) {
			return usagef("--%s: %s (no file written)", fe.Field, fe.Problem)
		}
		return noted{err, " (no file written)"}
	}
	msg := fmt.Sprintf("wrote %s: %s, %d %s, and %d attached %s (%s), %s", path, strings.ToLower(k.Title),
		p.Report.Rows, plural(p.Report.Rows, "row"), len(p.Files), plural(len(p.Files), "file"), data.FormatSize(p.Bytes), p.Banner)
	if left := p.Report.LeftOutText(); left != "" {
		msg += "; " + left
	}
	if len(p.LeftOut) > 0 {
		msg += fmt.Sprintf("; %d attached %s not in the pack (see %s)", len(p.LeftOut), plural(len(p.LeftOut), "file"), report.PackReadme)
	}
	fmt.Fprintln(c.stdout, msg)
	return nil
}
