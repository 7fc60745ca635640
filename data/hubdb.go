package data

import "strings"

// IsDatabaseURL reports whether a --db value names a PostgreSQL database,
// which only a hub keeps its replica in: postgres:// and postgresql://
// URLs do; anything else (C:\…, a relative path) is a file path.
func IsDatabaseURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}
