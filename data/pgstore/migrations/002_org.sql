-- The organisation the hub trusts (docs/ARCHITECTURE.md §4.4) and every
-- roster entry it has seen, each verified against the organisation's key
-- when it first came; every sync carries them all on.
CREATE TABLE org (
    one        int PRIMARY KEY CHECK (one = 1),
    name       text NOT NULL,
    public_key bytea NOT NULL,
    trusted_at text NOT NULL
);

CREATE TABLE org_roster (
    hash        bytea PRIMARY KEY,
    kind        text NOT NULL,
    site_id     bytea NOT NULL,
    line        text NOT NULL,
    received_at text NOT NULL
);
