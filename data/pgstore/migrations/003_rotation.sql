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
