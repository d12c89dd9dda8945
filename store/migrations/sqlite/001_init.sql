-- flowgate schema, version 1: workflows, their change trail, API tokens, the
-- call log, and a generation counter that readers poll to notice changes.

CREATE TABLE workflows (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    public               INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    auth                 TEXT    NOT NULL DEFAULT 'user' CHECK (auth IN ('none', 'user', 'admin')),
    ignore_privacy_rules INTEGER NOT NULL DEFAULT 0 CHECK (ignore_privacy_rules IN (0, 1)),
    method               TEXT    NOT NULL DEFAULT 'POST' CHECK (method IN ('POST', 'GET')),
    description          TEXT    NOT NULL DEFAULT '',
    parameters           TEXT    NOT NULL DEFAULT '[]',
    auth_migrated        INTEGER NOT NULL DEFAULT 0 CHECK (auth_migrated IN (0, 1)),
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);

-- changes keeps workflow_id (not a foreign key: the trail outlives a deleted
-- workflow) so a renamed workflow's whole history stays together.
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    workflow_id INTEGER NOT NULL,
    workflow    TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL CHECK (source IN ('cli', 'editor', 'import')),
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX changes_by_workflow_id ON changes (workflow_id, id);
CREATE INDEX changes_by_workflow ON changes (workflow COLLATE NOCASE, id);

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('admin', 'user')),
    user_id    TEXT NOT NULL DEFAULT '',
    prefix     TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);

CREATE TABLE calls (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    workflow    TEXT    NOT NULL,
    token_id    TEXT    NOT NULL DEFAULT '',
    status      INTEGER NOT NULL,
    code        TEXT    NOT NULL DEFAULT '',
    remote_addr TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX calls_by_workflow ON calls (workflow COLLATE NOCASE, id);
CREATE INDEX calls_by_token ON calls (token_id, id);

-- generation is bumped by every change to workflows or tokens, so a running
-- checker or editor can notice another process's write with one cheap read.
CREATE TABLE meta (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    generation INTEGER NOT NULL
);
INSERT INTO meta (singleton, generation) VALUES (1, 0);

CREATE TRIGGER workflows_insert_generation AFTER INSERT ON workflows
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER workflows_update_generation AFTER UPDATE ON workflows
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER workflows_delete_generation AFTER DELETE ON workflows
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER tokens_insert_generation AFTER INSERT ON tokens
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER tokens_update_generation AFTER UPDATE ON tokens
BEGIN UPDATE meta SET generation = generation + 1; END;
CREATE TRIGGER tokens_delete_generation AFTER DELETE ON tokens
BEGIN UPDATE meta SET generation = generation + 1; END;
