-- A hub's replica in PostgreSQL: the signed change log, what it knows of
-- each site and peer, and what it holds for review. It keeps no records:
-- a hub relays, and its digest is over commits (data/store/digest.go).

-- The hub's identity, one row: its keys sealed under the passphrase as a
-- store seals its own (data/store/keys.go), shared by every hub process.
CREATE TABLE hub (
    one           int PRIMARY KEY CHECK (one = 1),
    site_id       bytea NOT NULL,
    public_key    bytea NOT NULL,
    officer       text NOT NULL,
    rank          text NOT NULL DEFAULT '',
    posting       text NOT NULL DEFAULT '',
    age_recipient text NOT NULL,
    key_wrap      bytea NOT NULL,
    sealed_keys   bytea NOT NULL,
    created_at    text NOT NULL
);

-- Every site whose changes are held: its key as first checked, and held,
-- the highest seq below which every seq is held (its vector entry).
CREATE TABLE sites (
    site_id    bytea PRIMARY KEY,
    public_key bytea,
    officer    text NOT NULL DEFAULT '',
    held       bigint NOT NULL DEFAULT 0
);

CREATE TABLE commits (
    site_id   bytea NOT NULL,
    first_seq bigint NOT NULL,
    last_seq  bigint NOT NULL,
    hashes    bytea NOT NULL,
    signature bytea NOT NULL,
    PRIMARY KEY (site_id, first_seq)
);

-- Changes exactly as hashed and signed. content names the attachment
-- content an attachment change refers to, so the hub knows which content
-- it must keep.
CREATE TABLE changes (
    site_id bytea NOT NULL,
    seq     bigint NOT NULL,
    hlc     bigint NOT NULL,
    tbl     text NOT NULL,
    row_id  text NOT NULL,
    fields  bytea NOT NULL,
    parents bytea,
    schema  int NOT NULL,
    content text,
    PRIMARY KEY (site_id, seq)
);
CREATE INDEX changes_content ON changes (content) WHERE content IS NOT NULL;

CREATE TABLE peers (
    name          text PRIMARY KEY,
    site_id       bytea NOT NULL,
    public_key    bytea NOT NULL,
    age_recipient text NOT NULL,
    officer       text NOT NULL DEFAULT '',
    added_at      text NOT NULL,
    revoked_at    text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX peers_site ON peers (site_id);

CREATE TABLE peer_holds (
    peer bytea NOT NULL,
    site bytea NOT NULL,
    seq  bigint NOT NULL,
    PRIMARY KEY (peer, site)
);

CREATE TABLE peer_sync (
    peer     bytea PRIMARY KEY,
    acked_at text NOT NULL DEFAULT '',
    sent_at  text NOT NULL DEFAULT ''
);

CREATE TABLE bundles_seen (
    sender      bytea NOT NULL,
    bundle_id   text NOT NULL,
    imported_at text NOT NULL,
    applied     int NOT NULL,
    PRIMARY KEY (sender, bundle_id)
);

-- Commits held for review (unknown or revoked author, suspect, waiting
-- behind one), each version once, and their changes.
CREATE TABLE held_commits (
    id             bigserial PRIMARY KEY,
    author         bytea NOT NULL,
    first_seq      bigint NOT NULL,
    last_seq       bigint NOT NULL,
    hashes         bytea NOT NULL,
    signature      bytea NOT NULL,
    author_key     bytea,
    author_officer text NOT NULL DEFAULT '',
    claimed        boolean NOT NULL,
    sender         bytea NOT NULL,
    reason         text NOT NULL,
    detail         text NOT NULL DEFAULT '',
    received_at    text NOT NULL,
    -- sha256(hashes || signature): the version, short enough to index
    -- whatever the commit's size
    version        bytea NOT NULL,
    UNIQUE (author, first_seq, version)
);

CREATE TABLE held_changes (
    held    bigint NOT NULL REFERENCES held_commits ON DELETE CASCADE,
    seq     bigint NOT NULL,
    hlc     bigint NOT NULL,
    tbl     text NOT NULL,
    row_id  text NOT NULL,
    fields  bytea NOT NULL,
    parents bytea,
    schema  int NOT NULL,
    PRIMARY KEY (held, seq)
);

-- Attachment content, in chunks, never whole in memory: a blob row once
-- all its chunks are in and its hash checked.
CREATE TABLE content_blobs (
    sha256 text PRIMARY KEY,
    size   bigint NOT NULL
);
CREATE TABLE content_chunks (
    sha256 text NOT NULL,
    n      int NOT NULL,
    chunk  bytea NOT NULL,
    PRIMARY KEY (sha256, n)
);
