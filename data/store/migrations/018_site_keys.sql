-- Key rotation (docs/ARCHITECTURE.md §4.4): each site's key history, as
-- rotation statements signed by the key they replace. A commit verifies
-- with the key valid at its first seq: the statement's new key from its
-- from_seq on, the old key before. Like the roster, statements are not in
-- the change log: each is self-authenticating, and every bundle and hub
-- sync carries them all, so a rotation reaches every replica.
CREATE TABLE site_keys (
    site_id     BLOB NOT NULL,
    from_seq    INTEGER NOT NULL,  -- the first of the site's changes the new key signs
    old_key     BLOB NOT NULL,     -- ed25519: signed the statement and the changes before from_seq
    new_key     BLOB NOT NULL,
    age         TEXT NOT NULL,     -- the new age recipient: bundles to the site go to it
    line        TEXT NOT NULL,     -- the statement as signed, carried unchanged
    hash        BLOB NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    PRIMARY KEY (site_id, from_seq)
) WITHOUT ROWID;
