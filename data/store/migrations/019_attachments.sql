-- Attachments (docs/ARCHITECTURE.md §2, data/attachment.go). The metadata
-- is a synced kind, materialised from the change log like any other.
CREATE TABLE attachments (
    n              INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    record_kind    TEXT NOT NULL DEFAULT '',
    record_id      TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    size           INTEGER NOT NULL DEFAULT 0,
    media_type     TEXT NOT NULL DEFAULT '',
    sha256         TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachments_record ON attachments (record_id);
CREATE INDEX attachments_sha256 ON attachments (sha256);

-- The content, local and never in the change log: kept once per SHA-256,
-- in chunks of 1 MiB so no file is ever held whole in memory.
-- attachment_blobs lists content held whole and verified; chunks of
-- content not listed there are never read.
CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE attachment_content (
    sha256 TEXT NOT NULL,
    n      INTEGER NOT NULL,
    chunk  BLOB NOT NULL,
    PRIMARY KEY (sha256, n)
) WITHOUT ROWID;

-- Settings of this laptop alone, never synced.
CREATE TABLE local_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
