-- A bundle id is remembered with its sender, so a peer cannot make another
-- sender's bundle look like a replay by sending one with the same id; and
-- changes discarded from review stay discarded when relayed again.
CREATE TABLE bundles_seen_by_sender (
    sender      BLOB NOT NULL,
    bundle_id   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    applied     INTEGER NOT NULL,
    PRIMARY KEY (sender, bundle_id)
) WITHOUT ROWID;
INSERT INTO bundles_seen_by_sender (sender, bundle_id, imported_at, applied)
    SELECT sender, bundle_id, imported_at, applied FROM bundles_seen;
DROP TABLE bundles_seen;
ALTER TABLE bundles_seen_by_sender RENAME TO bundles_seen;

-- Changes of an unknown or revoked author the officer chose to discard:
-- relayed again, they are not held again (once the author is enrolled and
-- they arrive verified, they apply like any other).
CREATE TABLE quarantine_discarded (
    author       BLOB NOT NULL,
    seq          INTEGER NOT NULL,
    discarded_at TEXT NOT NULL,
    PRIMARY KEY (author, seq)
) WITHOUT ROWID;
