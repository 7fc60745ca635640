-- The officer's registers (issue 14, items 4 and 6; data/document.go,
-- data/gift.go): documents and information received, and gifts and
-- hospitality. Materialised from the change log like every kind; a gift's
-- deposit_due is derived from its synced fields by the rule table of
-- data/gift.go, and recomputed when that table changes (derived_rules,
-- name 'gifts').
CREATE TABLE documents (
    n              INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    received_on    TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    releasability  TEXT NOT NULL DEFAULT '[]',
    disposition    TEXT NOT NULL DEFAULT '',
    disposition_on TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    caveats        TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    disclosure     TEXT NOT NULL DEFAULT '',
    originator     TEXT NOT NULL DEFAULT '',
    release_ref    TEXT NOT NULL DEFAULT '',
    control_number TEXT NOT NULL DEFAULT '',
    hq_route       TEXT NOT NULL DEFAULT '',
    exchange_id    TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_received ON documents (received_on);
CREATE INDEX documents_exchange ON documents (exchange_id) WHERE exchange_id <> '';
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, originator, release_ref, control_number, hq_route, notes,
    content = 'documents', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE gifts (
    n                INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    given_on         TEXT NOT NULL DEFAULT '',
    disposition      TEXT NOT NULL DEFAULT '',
    deposit_due      TEXT NOT NULL DEFAULT '', -- derived: data.Gift.Derive
    item             TEXT NOT NULL DEFAULT '',
    giver            TEXT NOT NULL DEFAULT '',
    recipient        TEXT NOT NULL DEFAULT '',
    recipient_nation TEXT NOT NULL DEFAULT '',
    value_usd        REAL NOT NULL DEFAULT 0,
    value_inr        REAL NOT NULL DEFAULT 0,
    occasion         TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gifts_given ON gifts (given_on);
CREATE INDEX gifts_deposit ON gifts (deposit_due) WHERE deposit_due <> '';
CREATE VIRTUAL TABLE gifts_fts USING fts5 (
    item, giver, recipient, occasion, notes,
    content = 'gifts', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);

-- Changes of these kinds that reached this store while its version did not
-- know them were kept in the log (docs/ARCHITECTURE.md §4.6): merge them
-- into the new tables when the store next opens (Store.remerge).
INSERT OR IGNORE INTO remerge (tbl, row_id)
SELECT DISTINCT tbl, row_id FROM changes WHERE tbl IN ('documents', 'gifts');
