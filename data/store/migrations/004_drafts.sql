-- Unsaved form drafts: local to this laptop, outside the change log, never
-- synced. One draft per form (kind and the record's id, '' for a new one).
CREATE TABLE drafts (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    body     TEXT NOT NULL, -- the form's record as JSON
    saved_at TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
