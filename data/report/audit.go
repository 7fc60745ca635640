package report

import (
	"context"
	"path/filepath"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// recordOutput records a report or an export in the audit of what left
// the system: its name, format, banner and file. Write calls it once the
// output is complete and before it is kept (SaveFile renames after), so
// the command line and the window record each output once, and an output
// the store cannot record is not kept. Sensitive fields asked for by name
// (Options.Include) are named with it, so the audit shows who took them.
func recordOutput(ctx context.Context, s *store.Store, k Kind, f Format, file string, include []string, sum Summary) error {
	what := data.OutputReport
	if k.Export {
		what = data.OutputExport
	}
	if file != "" && file != "-" {
		file = filepath.Base(file)
	}
	name := k.Name
	if len(include) > 0 {
		name += " with " + joinList(include)
	}
	_, err := s.RecordOutput(ctx, data.AuditEntry{What: what, Name: name, Format: string(f),
		Classification: sum.Banner.Classification.ID, Releasability: sum.Banner.Releasability, File: file, Rows: int64(sum.Rows)})
	return err
}
