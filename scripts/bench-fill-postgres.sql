-- scripts/bench-fill.sql for PostgreSQL: fills a flowgate database (schema
-- already created by `flowgate migrate`) with the settings of the reload
-- benchmarks: 100,000 public workflows that take a user token, and
-- 1,000,000 user tokens, one per user, with 32-byte hashes no secret
-- matches (SHA-256 of a number: they only weigh on loads and reloads).
-- Timestamps are the fixed-width nanosecond text every row holds
-- (store/time.go); scopes and the other columns take their defaults, as
-- in SQLite's fill. The rows go in through the schema's triggers, like any
-- write: they carry the generation of this one transaction. VACUUM
-- (ANALYZE) then does at once what autovacuum would do within a minute or
-- two (set the rows' hint bits, gather the planner's statistics), so that
-- the measures that follow see a database at rest, not one being vacuumed,
-- and the reloads' `gen > G` reads use their index. One statement per line
-- end ";": VACUUM cannot run in a transaction or a string of several
-- statements. Used by scripts/bench-reload.sh BACKEND=postgres and by the
-- checker's reload benchmarks.
BEGIN;
INSERT INTO workflows (name, public, auth, method, created_at, updated_at)
SELECT 'bench-wf-' || i, 1, 'user', 'POST', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z'
FROM generate_series(1, 100000) AS i;
INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at)
SELECT 'tok_b' || lpad(i::text, 11, '0'), 'bench-user-' || i, 'user', 'user-' || i, 'fgu_bnch',
       sha256(('bench-token-' || i)::bytea), '2026-01-01T00:00:00.000000000Z'
FROM generate_series(1, 1000000) AS i;
COMMIT;
VACUUM (ANALYZE) workflows, tokens;
