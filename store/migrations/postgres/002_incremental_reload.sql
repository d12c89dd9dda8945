-- flowgate PostgreSQL schema, version 2: incremental reloads, as SQLite's
-- step 5. A checker that loaded the settings at generation G asks only for
-- what changed after G: the rows whose gen is greater (to add or replace)
-- and the tombstones whose gen is greater (keys to remove). Additive only:
-- every existing row is kept, and a checker one version behind keeps
-- working (it ignores the new columns and table).

-- gen is the generation of the row's last change that decides requests.
-- Only the triggers below write it. Rows that exist now get 0: they are in
-- every snapshot loaded from now on.
ALTER TABLE workflows ADD COLUMN gen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN gen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE file_prefixes ADD COLUMN gen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE links ADD COLUMN gen BIGINT NOT NULL DEFAULT 0;
CREATE INDEX workflows_by_gen ON workflows (gen);
CREATE INDEX tokens_by_gen ON tokens (gen);
CREATE INDEX file_prefixes_by_gen ON file_prefixes (gen);
CREATE INDEX links_by_gen ON links (gen);

-- A tombstone is a key a reader must remove (see SQLite's step 5): the old
-- name of a workflow (its UTF-8 bytes), the old hashes of a token, the old
-- hash of a link, the old text of a prefix. at is Unix seconds, for
-- pruning.
CREATE TABLE tombstones (
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('workflow', 'token', 'link', 'prefix')),
    key  BYTEA  NOT NULL,
    gen  BIGINT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX tombstones_by_gen ON tombstones (gen);
CREATE INDEX tombstones_by_at ON tombstones (at);

-- Every tombstone with a gen up to pruned_generation may have been pruned.
ALTER TABLE meta ADD COLUMN pruned_generation BIGINT NOT NULL DEFAULT 0;
UPDATE meta SET pruned_generation = generation;

-- The triggers run before each row is written: they stamp the new row
-- with its transaction's generation (flowgate_tx_generation, taken under
-- the lock on meta's row, so generations follow commit order) and record
-- the keys the old row held.
CREATE FUNCTION flowgate_tombstone(kind TEXT, key BYTEA, gen BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tombstones (kind, key, gen, at)
    SELECT kind, key, gen, CAST(extract(epoch FROM now()) AS BIGINT) WHERE key IS NOT NULL
$$;

-- One function for the four tables: the keys an old row held depend on its
-- table (PL/pgSQL reads OLD's fields only in the branch that runs).
CREATE FUNCTION flowgate_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g BIGINT := flowgate_tx_generation();
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        CASE TG_TABLE_NAME
        WHEN 'workflows' THEN
            PERFORM flowgate_tombstone('workflow', convert_to(OLD.name, 'UTF8'), g);
        WHEN 'tokens' THEN
            PERFORM flowgate_tombstone('token', OLD.hash, g);
            PERFORM flowgate_tombstone('token', OLD.previous_hash, g);
        WHEN 'links' THEN
            PERFORM flowgate_tombstone('link', OLD.hash, g);
        WHEN 'file_prefixes' THEN
            PERFORM flowgate_tombstone('prefix', convert_to(OLD.prefix, 'UTF8'), g);
        END CASE;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    NEW.gen := g;
    RETURN NEW;
END
$$;

-- They replace step 1's triggers, which only bumped the generation.
DROP TRIGGER workflows_generation ON workflows;
DROP TRIGGER tokens_insert_delete_generation ON tokens;
DROP TRIGGER tokens_update_generation ON tokens;
DROP TRIGGER file_prefixes_generation ON file_prefixes;
DROP TRIGGER links_insert_delete_generation ON links;
DROP TRIGGER links_update_generation ON links;

CREATE TRIGGER workflows_generation BEFORE INSERT OR UPDATE OR DELETE ON workflows
    FOR EACH ROW EXECUTE FUNCTION flowgate_row_changed();
CREATE TRIGGER tokens_insert_delete_generation BEFORE INSERT OR DELETE ON tokens
    FOR EACH ROW EXECUTE FUNCTION flowgate_row_changed();
-- As in step 1: moving last_used_at alone (the call log's bookkeeping) is
-- not a change that decides requests.
CREATE TRIGGER tokens_update_generation BEFORE UPDATE ON tokens
    FOR EACH ROW WHEN (OLD.last_used_at IS NOT DISTINCT FROM NEW.last_used_at
        OR OLD.id IS DISTINCT FROM NEW.id OR OLD.kind IS DISTINCT FROM NEW.kind
        OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.hash IS DISTINCT FROM NEW.hash
        OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
        OR OLD.workflows IS DISTINCT FROM NEW.workflows OR OLD.files IS DISTINCT FROM NEW.files
        OR OLD.previous_hash IS DISTINCT FROM NEW.previous_hash
        OR OLD.previous_until IS DISTINCT FROM NEW.previous_until)
    EXECUTE FUNCTION flowgate_row_changed();
CREATE TRIGGER file_prefixes_generation BEFORE INSERT OR UPDATE OR DELETE ON file_prefixes
    FOR EACH ROW EXECUTE FUNCTION flowgate_row_changed();
CREATE TRIGGER links_insert_delete_generation BEFORE INSERT OR DELETE ON links
    FOR EACH ROW EXECUTE FUNCTION flowgate_row_changed();
CREATE TRIGGER links_update_generation
    BEFORE UPDATE OF id, name, path, hash, created_at, expires_at, revoked_at ON links
    FOR EACH ROW EXECUTE FUNCTION flowgate_row_changed();
