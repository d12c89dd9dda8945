-- flowgate schema, version 2: scoped and rotatable tokens, protected file
-- prefixes, share links, a change trail for every kind of subject, and the
-- link behind each logged call. Additive only: every existing row is kept.

-- Every token gets a scope (JSON arrays of patterns). Existing tokens get
-- what they could reach before scopes existed: every workflow, no file.
ALTER TABLE tokens ADD COLUMN workflows TEXT NOT NULL DEFAULT '["*"]'
    CHECK (json_valid(workflows) AND json_type(workflows) = 'array');
ALTER TABLE tokens ADD COLUMN files TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(files) AND json_type(files) = 'array');
-- Rotation: the secret replaced by the last rotation keeps working until
-- previous_until, so that callers can switch without downtime.
ALTER TABLE tokens ADD COLUMN previous_hash BLOB;
ALTER TABLE tokens ADD COLUMN previous_until TEXT;
CREATE UNIQUE INDEX tokens_by_previous_hash ON tokens (previous_hash);

CREATE TABLE file_prefixes (
    prefix      TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- links stores only the SHA-256 of each share link, like tokens.
CREATE TABLE links (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- The change trail names its subject. Old rows are all workflow changes:
-- their subject id is the workflow id, as text like every other subject id.
ALTER TABLE changes ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'workflow'
    CHECK (subject_kind IN ('workflow', 'token', 'link', 'files-prefix'));
ALTER TABLE changes ADD COLUMN subject_id TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
UPDATE changes SET subject_id = CAST(workflow_id AS TEXT);
CREATE INDEX changes_by_subject ON changes (subject_kind, subject_id, id);

ALTER TABLE calls ADD COLUMN link_id TEXT NOT NULL DEFAULT '';
CREATE INDEX calls_by_link ON calls (link_id, id) WHERE link_id != '';

-- Prefixes and links decide requests, so changing them bumps the generation
-- like workflows and tokens. A link's last_used_at is bookkeeping written by
-- the call log: it must not make every checker reload.
CREATE TRIGGER file_prefixes_insert_generation AFTER INSERT ON file_prefixes
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER file_prefixes_update_generation AFTER UPDATE ON file_prefixes
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER file_prefixes_delete_generation AFTER DELETE ON file_prefixes
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER links_insert_generation AFTER INSERT ON links
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER links_update_generation AFTER UPDATE OF id, name, path, hash, created_at, expires_at, revoked_at ON links
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER links_delete_generation AFTER DELETE ON links
BEGIN UPDATE meta SET generation = generation + 1; END;
