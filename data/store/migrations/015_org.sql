-- The organisation (docs/ARCHITECTURE.md §4.4): the organisation this store
-- trusts, with its signing key when this is HQ's store, and the roster:
-- certificates and revocations signed by that key. The roster is not in the
-- change log: each entry is signed by the organisation itself, so any
-- replica may carry it, and every bundle and hub sync carries them all.
CREATE TABLE org (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL,  -- ed25519: verifies every roster entry
    private_key BLOB,           -- ed25519 seed, only in the store that issues (HQ)
    trusted_at  TEXT NOT NULL
);

CREATE TABLE org_roster (
    hash        BLOB PRIMARY KEY,  -- sha256 of the line: the same entry is stored once
    kind        TEXT NOT NULL,     -- certificate | revocation
    site_id     BLOB NOT NULL,
    line        TEXT NOT NULL,     -- as signed, carried unchanged
    received_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX org_roster_site ON org_roster (site_id);
