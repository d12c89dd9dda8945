-- Fills a flowgate database (schema already created by flowgate) with the
-- settings of the reload benchmarks: 100,000 public workflows that take a
-- user token, and 1,000,000 user tokens, one per user, with random hashes
-- (their secrets are unknown: they only weigh on loads and reloads). Used
-- by scripts/bench-reload.sh and by the checker's reload benchmarks.
PRAGMA cache_size = -400000;
BEGIN IMMEDIATE;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO workflows (name, public, auth, method, created_at, updated_at)
SELECT 'bench-wf-' || i, 1, 'user', 'POST', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at)
SELECT printf('tok_b%011d', i), 'bench-user-' || i, 'user', 'user-' || i, 'fgu_bnch', randomblob(32),
       '2026-01-01T00:00:00.000000000Z' FROM n;
COMMIT;
