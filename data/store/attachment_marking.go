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
	return raisedLevel(table+".id", table+".classification")
}

// raisedLevel is the SQL for the classification level raised to the
// highest of the attachments of the record whose id is id.
func raisedLevel(id, level string) string {
	return fmt.Sprintf(`coalesce((SELECT att.classification FROM attachments att JOIN classifications lvl ON lvl.id = att.classification
		WHERE att.record_id = %[1]s AND lvl.rank > coalesce((SELECT rank FROM classifications WHERE id = %[2]s), -1)
		ORDER BY lvl.rank DESC LIMIT 1), %[2]s)`, id, level)
}

// raisedColumns is a report's column list with the record's
// classification raised by its attachments (withAttachments).
func raisedColumns(cols, table string) string {
	return strings.Replace(cols, " classification,", " "+withAttachments(table)+",", 1)
}

// actionLevel is an action's level in reports: its exchange's or
// request's, raised by the action's own attachments.
var actionLevel = raisedLevel("a.id", "coalesce(e.classification, r.classification, '')")
