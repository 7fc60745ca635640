-- The change log: every write is a field-level change (docs/ARCHITECTURE.md §3). The
-- domain tables below are a view of it that can be rebuilt at any time.

-- Every site (database) whose changes we hold; no is a local short id.
CREATE TABLE sites (
    no         INTEGER PRIMARY KEY,
    site_id    BLOB NOT NULL UNIQUE,        -- 16 random bytes, new per database
    public_key BLOB,                        -- ed25519; NULL when only relayed
    officer    TEXT NOT NULL DEFAULT ''
);

-- This database's own identity: one row, written by init or restore.
CREATE TABLE device (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    site_no     INTEGER NOT NULL,
    private_key BLOB NOT NULL,              -- ed25519 seed
    officer     TEXT NOT NULL,
    rank        TEXT NOT NULL,
    posting     TEXT NOT NULL,
    hlc         INTEGER NOT NULL DEFAULT 0, -- last hybrid logical clock issued
    request_seq INTEGER NOT NULL DEFAULT 0, -- this device's request counter (refs)
    created_at  TEXT NOT NULL
);

-- One row per saved record: the fields it changed, as a JSON object. The
-- id packs (site no, seq) as site_no << 40 | seq, so the change id is the
-- rowid and needs no second index. parents maps each changed field to the
-- change ids ("<site hex>:<seq>") it supersedes.
CREATE TABLE changes (
    id      INTEGER PRIMARY KEY,
    hlc     INTEGER NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    fields  TEXT NOT NULL,
    parents TEXT,
    schema  INTEGER NOT NULL
);
CREATE INDEX changes_row ON changes (tbl, row_id);

-- A commit is one save or one batch: the signature covers the hashes of
-- its changes, so each change can be verified and relayed on its own.
CREATE TABLE commits (
    site      INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    hashes    BLOB NOT NULL,                -- 32-byte SHA-256 per change, in seq order
    signature BLOB NOT NULL,
    PRIMARY KEY (site, first_seq)
) WITHOUT ROWID;
