-- Releasability groups and nation flags (issue 14 item 7,
-- data/relgroup.go): reference data only HQ's store sets; changes to them
-- from any other author are held for review (data/store/relgroup.go).
CREATE TABLE rel_groups (
    n          INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL DEFAULT '',
    nations    TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE nation_flags (
    n          INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);

-- Changes of these kinds that reached this store while its version did not
-- know them were kept in the log (docs/ARCHITECTURE.md §4.6): merge them
-- into the new tables when the store next opens (Store.remerge).
INSERT OR IGNORE INTO remerge (tbl, row_id)
SELECT DISTINCT tbl, row_id FROM changes WHERE tbl IN ('rel_groups', 'nation_flags');
