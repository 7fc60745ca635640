-- Sync trust (docs/ARCHITECTURE.md §4.4): this device's age identity, to which bundles
-- are encrypted, and the peers (devices and hubs) it trusts.
ALTER TABLE device ADD COLUMN age_identity TEXT NOT NULL DEFAULT '';

CREATE TABLE peers (
    name          TEXT PRIMARY KEY,
    site_id       BLOB NOT NULL UNIQUE,
    public_key    BLOB NOT NULL,   -- ed25519: verifies the peer's commits and requests
    age_recipient TEXT NOT NULL,   -- bundles for the peer are encrypted to it
    officer       TEXT NOT NULL DEFAULT '',
    added_at      TEXT NOT NULL,
    revoked_at    TEXT NOT NULL DEFAULT ''
);
