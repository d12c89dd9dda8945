-- flowgate schema step 5: incremental reloads. A checker that loaded the
-- settings at generation G asks only for what changed after G: the rows
-- whose gen is greater (to add or replace) and the tombstones whose gen is
-- greater (keys to remove). Additive only: every existing row is kept.

-- gen is the generation of the row's last change that decides requests.
-- Only the triggers below write it. Rows that exist now get 0: they are in
-- every snapshot loaded from now on.
ALTER TABLE workflows ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE file_prefixes ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE links ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX workflows_by_gen ON workflows (gen);
CREATE INDEX tokens_by_gen ON tokens (gen);
CREATE INDEX file_prefixes_by_gen ON file_prefixes (gen);
CREATE INDEX links_by_gen ON links (gen);

-- A tombstone is a key a reader must remove: the old name of an updated or
-- deleted workflow (as stored: the reader folds its case), the old hash and
-- old previous hash of an updated or deleted token, the old hash of an
-- updated or deleted link, the old text of an updated or deleted protected
-- prefix (prefixes are few: a reader re-reads them all). at is Unix
-- seconds, for pruning.
CREATE TABLE tombstones (
    kind TEXT    NOT NULL CHECK (kind IN ('workflow', 'token', 'link', 'prefix')),
    key  BLOB    NOT NULL,
    gen  INTEGER NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX tombstones_by_gen ON tombstones (gen);
CREATE INDEX tombstones_by_at ON tombstones (at);

-- pruned_generation: every tombstone with a gen up to it may have been
-- pruned, so a reader that loaded an older generation must read
-- everything again. Nothing before this step left tombstones.
ALTER TABLE meta ADD COLUMN pruned_generation INTEGER NOT NULL DEFAULT 0;
UPDATE meta SET pruned_generation = generation;

-- Every trigger bumps the generation first, then records the tombstones
-- and stamps the row with the new generation, all inside the writing
-- transaction, which holds SQLite's write lock: generations are given in
-- commit order. The stamping UPDATE changes only gen, which no update
-- trigger reacts to (the WHEN clauses and the UPDATE OF list), so it fires
-- nothing even with recursive triggers on.

DROP TRIGGER workflows_insert_generation;
CREATE TRIGGER workflows_insert_generation AFTER INSERT ON workflows
BEGIN
    UPDATE meta SET generation = generation + 1;
    UPDATE workflows SET gen = (SELECT generation FROM meta) WHERE id = NEW.id;
END;
DROP TRIGGER workflows_update_generation;
CREATE TRIGGER workflows_update_generation AFTER UPDATE ON workflows
WHEN OLD.gen IS NEW.gen
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'workflow', CAST(OLD.name AS BLOB), generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
    UPDATE workflows SET gen = (SELECT generation FROM meta) WHERE id = NEW.id;
END;
DROP TRIGGER workflows_delete_generation;
CREATE TRIGGER workflows_delete_generation AFTER DELETE ON workflows
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'workflow', CAST(OLD.name AS BLOB), generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
END;

DROP TRIGGER tokens_insert_generation;
CREATE TRIGGER tokens_insert_generation AFTER INSERT ON tokens
BEGIN
    UPDATE meta SET generation = generation + 1;
    UPDATE tokens SET gen = (SELECT generation FROM meta) WHERE id = NEW.id;
END;
-- As in step 3: an UPDATE that moves last_used_at (bookkeeping of the call
-- log) changes nothing for a checker unless it also changes a column that
-- decides requests; every other UPDATE counts, whatever columns a later
-- schema adds, except the stamping of gen itself.
DROP TRIGGER tokens_update_generation;
CREATE TRIGGER tokens_update_generation AFTER UPDATE ON tokens
WHEN OLD.gen IS NEW.gen AND (OLD.last_used_at IS NEW.last_used_at
    OR OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind OR OLD.user_id IS NOT NEW.user_id
    OR OLD.hash IS NOT NEW.hash OR OLD.expires_at IS NOT NEW.expires_at OR OLD.revoked_at IS NOT NEW.revoked_at
    OR OLD.workflows IS NOT NEW.workflows OR OLD.files IS NOT NEW.files
    OR OLD.previous_hash IS NOT NEW.previous_hash OR OLD.previous_until IS NOT NEW.previous_until)
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'token', OLD.hash, generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'token', OLD.previous_hash, generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta
        WHERE OLD.previous_hash IS NOT NULL;
    UPDATE tokens SET gen = (SELECT generation FROM meta) WHERE id = NEW.id;
END;
DROP TRIGGER tokens_delete_generation;
CREATE TRIGGER tokens_delete_generation AFTER DELETE ON tokens
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'token', OLD.hash, generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'token', OLD.previous_hash, generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta
        WHERE OLD.previous_hash IS NOT NULL;
END;

DROP TRIGGER file_prefixes_insert_generation;
CREATE TRIGGER file_prefixes_insert_generation AFTER INSERT ON file_prefixes
BEGIN
    UPDATE meta SET generation = generation + 1;
    UPDATE file_prefixes SET gen = (SELECT generation FROM meta) WHERE prefix = NEW.prefix;
END;
DROP TRIGGER file_prefixes_update_generation;
CREATE TRIGGER file_prefixes_update_generation AFTER UPDATE ON file_prefixes
WHEN OLD.gen IS NEW.gen
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'prefix', CAST(OLD.prefix AS BLOB), generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
    UPDATE file_prefixes SET gen = (SELECT generation FROM meta) WHERE prefix = NEW.prefix;
END;
DROP TRIGGER file_prefixes_delete_generation;
CREATE TRIGGER file_prefixes_delete_generation AFTER DELETE ON file_prefixes
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'prefix', CAST(OLD.prefix AS BLOB), generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
END;

DROP TRIGGER links_insert_generation;
CREATE TRIGGER links_insert_generation AFTER INSERT ON links
BEGIN
    UPDATE meta SET generation = generation + 1;
    UPDATE links SET gen = (SELECT generation FROM meta) WHERE id = NEW.id;
END;
-- As in step 2: last_used_at is bookkeeping, so it is not in the list.
DROP TRIGGER links_update_generation;
CREATE TRIGGER links_update_generation AFTER UPDATE OF id, name, path, hash, created_at, expires_at, revoked_at ON links
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'link', OLD.hash, generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
    UPDATE links SET gen = (SELECT generation FROM meta) WHERE id = NEW.id;
END;
DROP TRIGGER links_delete_generation;
CREATE TRIGGER links_delete_generation AFTER DELETE ON links
BEGIN
    UPDATE meta SET generation = generation + 1;
    INSERT INTO tombstones (kind, key, gen, at)
        SELECT 'link', OLD.hash, generation, CAST(strftime('%s', 'now') AS INTEGER) FROM meta;
END;
