-- Sync (docs/ARCHITECTURE.md §3-§4): what each replica holds, what peers told us they
-- hold, the bundles already imported, and relayed changes held for review.

-- held: the highest seq of the site such that every lower one is here too
-- (the site's entry in this replica's vector).
ALTER TABLE sites ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
UPDATE sites SET held = coalesce((SELECT max(last_seq) FROM commits WHERE commits.site = sites.no), 0);

-- What a peer holds, as it last told us (a bundle's header, a receipt, a
-- hub's reply): per site, a seq it holds with every lower one.
CREATE TABLE peer_holds (
    peer BLOB NOT NULL,     -- the peer's site id
    site BLOB NOT NULL,     -- an author's site id
    seq  INTEGER NOT NULL,
    PRIMARY KEY (peer, site)
) WITHOUT ROWID;

-- When we last heard from a peer and last sent to it.
CREATE TABLE peer_sync (
    peer        BLOB PRIMARY KEY,
    acked_at    TEXT NOT NULL DEFAULT '',
    sent_at     TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Bundles imported, so a second import is a visible no-op.
CREATE TABLE bundles_seen (
    bundle_id   TEXT PRIMARY KEY,
    sender      BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    applied     INTEGER NOT NULL
) WITHOUT ROWID;

-- Changes authored by an unknown or revoked device, relayed by a trusted
-- sender: kept with their signed commit, listed, not applied.
CREATE TABLE quarantine (
    author         BLOB NOT NULL,
    seq            INTEGER NOT NULL,
    hlc            INTEGER NOT NULL,
    tbl            TEXT NOT NULL,
    row_id         TEXT NOT NULL,
    fields         TEXT NOT NULL,
    parents        TEXT,
    schema         INTEGER NOT NULL,
    commit_first   INTEGER NOT NULL,
    commit_last    INTEGER NOT NULL,
    commit_hashes  BLOB NOT NULL,
    commit_sig     BLOB NOT NULL,
    author_key     BLOB,            -- as the sender vouched for it
    author_officer TEXT NOT NULL DEFAULT '',
    sender         BLOB NOT NULL,
    reason         TEXT NOT NULL,   -- unknown | revoked
    received_at    TEXT NOT NULL,
    PRIMARY KEY (author, seq)
) WITHOUT ROWID;
