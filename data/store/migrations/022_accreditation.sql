-- Accreditation and the DDL (issue 14, docs/DOMAIN.md): one record per
-- officer (data/accreditation.go), the NDP-1 category names HQ edits, and
-- the exchange fields the DDL check reads and writes.
CREATE TABLE accreditations (
    n                          INTEGER PRIMARY KEY,
    id                         TEXT NOT NULL UNIQUE,
    officer                    TEXT NOT NULL DEFAULT '',
    certifying_command         TEXT NOT NULL DEFAULT '',
    starts_on                  TEXT NOT NULL DEFAULT '',
    ends_on                    TEXT NOT NULL DEFAULT '',
    functions                  TEXT NOT NULL DEFAULT '',
    contact_officer            TEXT NOT NULL DEFAULT '',
    foreign_disclosure_officer TEXT NOT NULL DEFAULT '',
    ddl_ceiling                TEXT NOT NULL DEFAULT '',
    ddl_methods                TEXT NOT NULL DEFAULT '[]',
    ddl_categories             TEXT NOT NULL DEFAULT '[]',
    ddl_limitations            TEXT NOT NULL DEFAULT '',
    ddl_review_on              TEXT NOT NULL DEFAULT '',
    eva_number                 TEXT NOT NULL DEFAULT '',
    eva_ends_on                TEXT NOT NULL DEFAULT '',
    badge_expires_on           TEXT NOT NULL DEFAULT '',
    created_at                 TEXT NOT NULL DEFAULT '',
    updated_at                 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX accreditations_officer ON accreditations (officer);
-- The reminders read each date by an index range (data/store/due.go).
CREATE INDEX accreditations_ends_on ON accreditations (ends_on);
CREATE INDEX accreditations_ddl_review_on ON accreditations (ddl_review_on);
CREATE INDEX accreditations_eva_ends_on ON accreditations (eva_ends_on);
CREATE INDEX accreditations_badge_expires_on ON accreditations (badge_expires_on);
CREATE VIRTUAL TABLE accreditations_fts USING fts5 (
    officer, certifying_command, functions, contact_officer, foreign_disclosure_officer, ddl_limitations, eva_number,
    content = 'accreditations', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);

-- The eight NDP-1 categories are fixed in code; a row holds a name HQ gave one.
CREATE TABLE ndp_categories (
    n          INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);

ALTER TABLE exchanges ADD COLUMN ndp_category TEXT NOT NULL DEFAULT '';
ALTER TABLE exchanges ADD COLUMN ddl_justification TEXT NOT NULL DEFAULT '';

-- Changes of these kinds that reached this store while its version did not
-- know them were kept in the log (docs/ARCHITECTURE.md §4.6): merge them
-- into the new tables when the store next opens (Store.remerge).
INSERT OR IGNORE INTO remerge (tbl, row_id)
SELECT DISTINCT tbl, row_id FROM changes WHERE tbl IN ('accreditations', 'ndp_categories');
