-- Domain tables, materialised from the change log. Column names are the
-- JSON field names of docs/DOMAIN.md §2-§5. No foreign keys: a child may arrive before
-- its parent during sync. created_at/updated_at and the columns marked
-- derived are computed, never synced.

CREATE TABLE postings (
    n         INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL DEFAULT '',
    location  TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE classifications (
    n      INTEGER PRIMARY KEY,
    id     TEXT NOT NULL UNIQUE,
    rank   INTEGER NOT NULL DEFAULT 0,
    colour TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE contacts (
    n            INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    rank         TEXT NOT NULL DEFAULT '',
    appointment  TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    directorate  TEXT NOT NULL DEFAULT '',
    nation       TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    past_appointments TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contacts_name ON contacts (name);

-- Columns a list shows or filters on come first and long text last: a
-- list reads rows by index in date order, and a column behind a long
-- summary would cost a read of the row's overflow pages.
CREATE TABLE exchanges (
    n              INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    posting        TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL DEFAULT '',
    occurred_at    TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    releasability  TEXT NOT NULL DEFAULT '[]',
    state          TEXT NOT NULL DEFAULT '',
    rfi_status     TEXT NOT NULL DEFAULT '',
    rfi_due        TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    counterpart_names TEXT NOT NULL DEFAULT '', -- derived: names of the counterparts, for lists and search
    ended_at       TEXT NOT NULL DEFAULT '',
    time_zone      TEXT NOT NULL DEFAULT '',
    direction      TEXT NOT NULL DEFAULT '',
    disclosure     TEXT NOT NULL DEFAULT '',
    caveats        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL DEFAULT '',
    location       TEXT NOT NULL DEFAULT '',
    counterparts   TEXT NOT NULL DEFAULT '[]',
    tags           TEXT NOT NULL DEFAULT '[]',
    participants   TEXT NOT NULL DEFAULT '',
    summary        TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL DEFAULT '',
    rfi_question   TEXT NOT NULL DEFAULT '',
    rfi_response   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exchanges_posting_time ON exchanges (posting, occurred_at);
CREATE INDEX exchanges_time ON exchanges (occurred_at);
CREATE INDEX exchanges_rfi ON exchanges (rfi_status, rfi_due) WHERE rfi_status <> '';

-- Derived: which exchanges met which contact, kept with the exchange rows.
-- It feeds the counterpart register and keeps counterpart_names current
-- when a contact is renamed.
CREATE TABLE exchange_counterparts (
    contact_id  TEXT NOT NULL,
    exchange_id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    PRIMARY KEY (contact_id, exchange_id)
) WITHOUT ROWID;

CREATE TABLE actions (
    n           INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    exchange_id TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    due_on      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    done_at     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_due ON actions (status, due_on);
CREATE INDEX actions_exchange ON actions (exchange_id) WHERE exchange_id <> '';
CREATE INDEX actions_request ON actions (request_id) WHERE request_id <> '';

CREATE TABLE requests (
    n                 INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    ref               TEXT NOT NULL DEFAULT '',
    direction         TEXT NOT NULL DEFAULT '',
    posting           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    rating            TEXT NOT NULL DEFAULT '',
    required_by       TEXT NOT NULL DEFAULT '',
    acceptance_due    TEXT NOT NULL DEFAULT '', -- derived: DPAS acceptance clock
    classification    TEXT NOT NULL DEFAULT '',
    releasability     TEXT NOT NULL DEFAULT '[]',
    program           TEXT NOT NULL DEFAULT '',
    supplier          TEXT NOT NULL DEFAULT '',
    updated_at        TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL DEFAULT '',
    end_user          TEXT NOT NULL DEFAULT '',
    supplier_country  TEXT NOT NULL DEFAULT '',
    coc_participant   TEXT NOT NULL DEFAULT '',
    contract_number   TEXT NOT NULL DEFAULT '',
    order_received_on TEXT NOT NULL DEFAULT '',
    promised_by       TEXT NOT NULL DEFAULT '',
    delayed           INTEGER NOT NULL DEFAULT 0,
    delay_reported_on TEXT NOT NULL DEFAULT '',
    delay_confirm_due TEXT NOT NULL DEFAULT '', -- derived: written confirmation of a delay
    spa_case          TEXT NOT NULL DEFAULT '',
    spa_requested_on  TEXT NOT NULL DEFAULT '',
    caveats           TEXT NOT NULL DEFAULT '',
    business_confidential INTEGER NOT NULL DEFAULT 0,
    justification     TEXT NOT NULL DEFAULT '',
    line_text         TEXT NOT NULL DEFAULT ''  -- derived: the lines, for search
);
CREATE INDEX requests_posting_status ON requests (posting, status);
CREATE INDEX requests_status ON requests (status);
CREATE INDEX requests_acceptance ON requests (acceptance_due) WHERE acceptance_due <> '';

CREATE TABLE request_lines (
    n                  INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    request_id         TEXT NOT NULL DEFAULT '',
    line_no            INTEGER NOT NULL DEFAULT 0,
    description        TEXT NOT NULL DEFAULT '',
    nsn                TEXT NOT NULL DEFAULT '',
    part_number        TEXT NOT NULL DEFAULT '',
    cage               TEXT NOT NULL DEFAULT '',
    quantity           REAL NOT NULL DEFAULT 0,
    unit               TEXT NOT NULL DEFAULT '',
    delivered_quantity REAL NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL DEFAULT '',
    updated_at         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_lines_request ON request_lines (request_id, line_no);

CREATE TABLE request_history (
    n          INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    request_id TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL DEFAULT '',
    by         TEXT NOT NULL DEFAULT '',
    "from"     TEXT NOT NULL DEFAULT '',
    "to"       TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_history_request ON request_history (request_id, at);

-- Conflicts: fields whose leaves disagree, recomputed whenever a row is
-- materialised.
CREATE TABLE conflicts (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field  TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;
