-- Seqs the officer discarded from review that the vector counts as held
-- (held and discarded): a held commit of an enrolled author, verified with
-- its key, is the only version those seqs will ever have, so the gap it
-- leaves never fills and would stop this store relaying the author's later
-- work (issue 9). Versions of an author not enrolled are not listed: a
-- forgery may stand in for the genuine changes, which may still come.
CREATE TABLE discarded_seqs (
    author    BLOB NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    PRIMARY KEY (author, first_seq, last_seq)
) WITHOUT ROWID;
