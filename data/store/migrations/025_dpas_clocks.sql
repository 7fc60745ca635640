-- HQ-set DPAS clocks (issue 14, docs/DOMAIN.md §4.4): where the current
-- text of a rule could not be confirmed, HQ sets its working days. One
-- synced row per clock, named by the rule (data/dpas_clock.go). Only
-- changes by a device the organisation certifies as staff count
-- (data/store/dpas_clock.go); the code's table stands until HQ sets one.
CREATE TABLE dpas_clocks (
    n            INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    working_days INTEGER NOT NULL DEFAULT 0,
    source       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL DEFAULT ''
);
