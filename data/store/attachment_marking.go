package store

import (
	"fmt"
	"strings"
)

// withAttachments is the SQL for a record's classification raised to the
// highest of its attachments': a report or export holding the record
// holds their names, so its banner, its ceiling and the record's marking
// in it take the highest (table is the record's table, as the query
// names it).
func withAttachments(table string) string {
	return fmt.Sprintf(`coalesce((SELECT a.classification FROM attachments a JOIN classifications l ON l.id = a.classification
		WHERE a.record_id = %[1]s.id AND l.rank > coalesce((SELECT rank FROM classifications WHERE id = %[1]s.classification), -1)
		ORDER BY l.rank DESC LIMIT 1), %[1]s.classification)`, table)
}

// raisedColumns is a report's column list with the record's
// classification raised by its attachments (withAttachments).
func raisedColumns(cols, table string) string {
	return strings.Replace(cols, " classification,", " "+withAttachments(table)+",", 1)
}
