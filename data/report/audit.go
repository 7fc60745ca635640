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
// the store cannot record is not kept.
func recordOutput(ctx context.Context, s *store.Store, k Kind, f Format, file string, sum Summary) error {
	what := data.OutputReport
	if k.Export {
		what = data.OutputExport
	}
	if file != "" && file != "-" {
		file = filepath.Base(file)
	}
	_, err := s.RecordOutput(ctx, data.AuditEntry{What: what, Name: k.Name, Format: string(f),
		Classification: sum.Banner.Classification.ID, Releasability: sum.Banner.Releasability, File: file, Rows: int64(sum.Rows)})
	return err
}
