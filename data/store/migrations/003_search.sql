-- Full-text search (FTS5, external content). The store keeps these in step
-- with their tables itself (no triggers), so bulk loads index a whole batch
-- with one statement instead of paying a trigger per row.
CREATE VIRTUAL TABLE exchanges_fts USING fts5 (
    title, summary, outcome, participants, location, counterpart_names, rfi_question, rfi_response, tags,
    content = 'exchanges', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE requests_fts USING fts5 (
    ref, program, end_user, justification, supplier, line_text,
    content = 'requests', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    name, appointment, organisation, directorate, notes,
    content = 'contacts', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE actions_fts USING fts5 (
    title, owner, notes,
    content = 'actions', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2'
);
