-- The audit of what left the system (docs/ARCHITECTURE.md §1, data/audit.go):
-- one row per report, export, backup or opened attachment, materialised from
-- the change log like any kind. Who made it and when are read from the log.
CREATE TABLE audit (
    n              INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    what           TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    format         TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    releasability  TEXT NOT NULL DEFAULT '[]',
    file           TEXT NOT NULL DEFAULT '',
    rows           INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_created ON audit (created_at);
