-- flowgate schema, version 3: the call log keeps per-minute counts instead
-- of one row per call (per-call detail goes to the access log), and a
-- token's last use lives on its row, so pruning old minutes never makes a
-- token look unused. Nothing is lost: old rows become counts.

-- One row counts the calls of one minute that share a key. workflow is the
-- stored workflow name, the protected file prefix of a file request (it
-- starts with /), or '-' for anything else: only names that exist become
-- keys. via is the entry point (proxy, middleware, auth, nginx-auth).
-- minute is the Unix time of the minute's first second (UTC). The table is
-- its key's B-tree (WITHOUT ROWID): one B-tree, not a table and an index.
CREATE TABLE call_minutes (
    minute      INTEGER NOT NULL,
    workflow    TEXT    NOT NULL,
    token_id    TEXT    NOT NULL DEFAULT '',
    link_id     TEXT    NOT NULL DEFAULT '',
    status      INTEGER NOT NULL,
    code        TEXT    NOT NULL DEFAULT '',
    via         TEXT    NOT NULL,
    count       INTEGER NOT NULL CHECK (count > 0),
    first_at    TEXT    NOT NULL,
    last_at     TEXT    NOT NULL,
    last_remote TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (minute, workflow, token_id, link_id, status, code, via)
) WITHOUT ROWID;

-- Old rows did not record their entry point: they are counted under via
-- '-'. A call that named no workflow was logged with an empty workflow; it
-- is counted under '-' like every such call from now on. Old names are
-- kept as logged. `at` is fixed-width (30 characters), so the greatest
-- at || remote_addr of a group ends with the remote of its latest call.
INSERT INTO call_minutes (minute, workflow, token_id, link_id, status, code, via, count, first_at, last_at, last_remote)
SELECT CAST(strftime('%s', substr(at, 1, 16)) AS INTEGER),
       CASE workflow WHEN '' THEN '-' ELSE workflow END,
       token_id, link_id, status, code, '-',
       count(*), min(at), max(at), substr(max(at || remote_addr), 31)
FROM calls
GROUP BY 1, 2, 3, 4, 5, 6;

-- A token's last use moves to its row before the per-call rows go.
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
-- last_used_at is bookkeeping written by the call log at most once a
-- minute: it must not make every checker reload. An UPDATE that moves
-- last_used_at bumps the generation only if it also changes a column that
-- decides requests; every other UPDATE bumps it, whatever columns a later
-- schema adds.
DROP TRIGGER tokens_update_generation;
CREATE TRIGGER tokens_update_generation AFTER UPDATE ON tokens
WHEN OLD.last_used_at IS NEW.last_used_at
    OR OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind OR OLD.user_id IS NOT NEW.user_id
    OR OLD.hash IS NOT NEW.hash OR OLD.expires_at IS NOT NEW.expires_at OR OLD.revoked_at IS NOT NEW.revoked_at
    OR OLD.workflows IS NOT NEW.workflows OR OLD.files IS NOT NEW.files
    OR OLD.previous_hash IS NOT NEW.previous_hash OR OLD.previous_until IS NOT NEW.previous_until
BEGIN UPDATE meta SET generation = generation + 1; END;
UPDATE tokens SET last_used_at = (SELECT max(c.at) FROM calls c WHERE c.token_id = tokens.id)
WHERE EXISTS (SELECT 1 FROM calls c WHERE c.token_id = tokens.id);

DROP TABLE calls;
ALTER TABLE call_minutes RENAME TO calls;
-- What `flowgate calls --workflow` and `--token` read, newest first.
-- Retention deletes by minute, the key's first column.
CREATE INDEX calls_by_workflow ON calls (workflow COLLATE NOCASE, minute);
CREATE INDEX calls_by_token ON calls (token_id, minute) WHERE token_id != '';
