-- Visit requests (issue 14 item 5, data/visit.go): the visit, its
-- visitors (a JSON array of objects; passport and date of birth are
-- sensitive and never indexed), its Foreign Visits System case and the
-- state of the request. visitor_names is derived for search and lists.
CREATE TABLE visits (
    n             INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    posting       TEXT NOT NULL DEFAULT '',
    visit_type    TEXT NOT NULL DEFAULT '',
    facility      TEXT NOT NULL DEFAULT '',
    starts_on     TEXT NOT NULL DEFAULT '',
    ends_on       TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL DEFAULT '',
    program       TEXT NOT NULL DEFAULT '',
    fms_case      TEXT NOT NULL DEFAULT '',
    us_contact    TEXT NOT NULL DEFAULT '',
    fvs_case      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT '',
    status_notes  TEXT NOT NULL DEFAULT '',
    visitors      TEXT NOT NULL DEFAULT '[]',
    visitor_names TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX visits_starts ON visits (starts_on);

CREATE VIRTUAL TABLE visits_fts USING fts5 (
    facility, purpose, program, fms_case, us_contact, fvs_case, visitor_names,
    content = 'visits', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);

-- A posting's visit lead time, set by HQ (data/posting.go).
ALTER TABLE postings ADD COLUMN visit_lead_days INTEGER NOT NULL DEFAULT 30;

-- Changes of these kinds that reached this store while its version did not
-- know them were kept in the log (docs/ARCHITECTURE.md §4.6): merge them
-- into the new tables when the store next opens (Store.remerge).
INSERT OR IGNORE INTO remerge (tbl, row_id)
SELECT DISTINCT tbl, row_id FROM changes WHERE tbl IN ('visits');
