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
