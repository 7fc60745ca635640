-- Rows to merge again now that a parent supersedes only a change stamped
-- before its child (issue 9, finding 6): those holding a change that names
-- a parent stamped at or after itself, which older versions made when a
-- peer's clock ran more than an hour ahead, and merged as superseded.
-- Opening the store merges them again (Store.remerge) and empties this.
CREATE TABLE remerge (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO remerge (tbl, row_id)
SELECT c.tbl, c.row_id
FROM changes c, json_each(c.parents) f, json_each(f.value) p
JOIN sites s ON lower(hex(s.site_id)) = substr(p.value, 1, instr(p.value, ':') - 1)
JOIN changes pc ON pc.id = (s.no << 40) + CAST(substr(p.value, instr(p.value, ':') + 1) AS INTEGER)
WHERE c.parents IS NOT NULL AND pc.hlc >= c.hlc;
