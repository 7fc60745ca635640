-- Held for review (docs/ARCHITECTURE.md §4.5), stored once per commit: a held commit
-- keeps its signed hash list and signature once, and its changes name it.
-- (007 kept the whole commit with every change: a held commit of n
-- changes cost n² hashes.) Two different versions of one author's seqs are
-- two held commits, both kept: a conflict of histories, shown as such.
CREATE TABLE held_commits (
    id             INTEGER PRIMARY KEY,
    author         BLOB NOT NULL,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    hashes         BLOB NOT NULL,
    signature      BLOB NOT NULL,
    author_key     BLOB,              -- as the relaying sender claimed it
    author_officer TEXT NOT NULL DEFAULT '',
    sender         BLOB NOT NULL,
    reason         TEXT NOT NULL,     -- unknown | revoked | invalid | waits | forged
    detail         TEXT NOT NULL DEFAULT '', -- why, in words, e.g. "title longer than 200 characters"
    received_at    TEXT NOT NULL
);
CREATE INDEX held_commits_author ON held_commits (author, first_seq);

CREATE TABLE held_changes (
    held    INTEGER NOT NULL,         -- held_commits.id
    seq     INTEGER NOT NULL,
    hlc     INTEGER NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    fields  TEXT NOT NULL,
    parents TEXT,
    schema  INTEGER NOT NULL,
    PRIMARY KEY (held, seq)
) WITHOUT ROWID;

-- Versions the officer discarded, by their author, range and a digest of
-- their hash list and signature: a different version of the same seqs (the
-- genuine one, when a forgery was discarded) is still held when relayed.
CREATE TABLE held_discarded (
    author       BLOB NOT NULL,
    first_seq    INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL,
    version      BLOB NOT NULL,       -- sha256(hashes || signature)
    discarded_at TEXT NOT NULL,
    PRIMARY KEY (author, first_seq, version)
) WITHOUT ROWID;

-- What 007 held moves over, one held commit per distinct commit.
INSERT INTO held_commits (author, first_seq, last_seq, hashes, signature, author_key, author_officer, sender, reason, received_at)
    SELECT author, commit_first, commit_last, commit_hashes, commit_sig, max(author_key), max(author_officer), max(sender), max(reason), max(received_at)
    FROM quarantine GROUP BY author, commit_first, commit_last, commit_hashes, commit_sig;
INSERT INTO held_changes (held, seq, hlc, tbl, row_id, fields, parents, schema)
    SELECT h.id, q.seq, q.hlc, q.tbl, q.row_id, q.fields, q.parents, q.schema
    FROM quarantine q JOIN held_commits h ON h.author = q.author AND h.first_seq = q.commit_first
        AND h.last_seq = q.commit_last AND h.hashes = q.commit_hashes AND h.signature = q.commit_sig;
-- The old table stays, empty and no longer written, so the schema only grows.
DELETE FROM quarantine;
