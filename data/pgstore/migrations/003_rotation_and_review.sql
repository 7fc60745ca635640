-- Key rotation (docs/ARCHITECTURE.md §4.4), as the SQLite store keeps it
-- (data/store migration 018): every rotation statement the hub has taken,
-- each checked against the site's key history when it first came; every
-- sync carries them all on, so a rotation reaches laptops through the hub.
CREATE TABLE site_keys (
    site_id     bytea NOT NULL,
    from_seq    bigint NOT NULL,
    old_key     bytea NOT NULL,
    new_key     bytea NOT NULL,
    age         text NOT NULL,
    line        text NOT NULL,
    hash        bytea NOT NULL UNIQUE,
    received_at text NOT NULL,
    PRIMARY KEY (site_id, from_seq)
);

-- Review (data/store migrations 008 and 014): each version of a commit the
-- operator discarded, so the same changes relayed again are not held
-- again; and the seqs of discarded versions the author's key signed,
-- which count as held (the vector moves over them), so the gap they leave
-- does not stop the hub relaying the author's later work.
CREATE TABLE held_discarded (
    author       bytea NOT NULL,
    first_seq    bigint NOT NULL,
    last_seq     bigint NOT NULL,
    version      bytea NOT NULL,
    discarded_at text NOT NULL,
    PRIMARY KEY (author, first_seq, version)
);

CREATE TABLE discarded_seqs (
    author    bytea NOT NULL,
    first_seq bigint NOT NULL,
    last_seq  bigint NOT NULL,
    PRIMARY KEY (author, first_seq)
);
