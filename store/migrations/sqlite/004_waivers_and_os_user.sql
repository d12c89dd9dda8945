-- flowgate schema step 4: review waivers, and the operating-system user
-- beside the self-asserted name of whoever made each change. It touches
-- nothing step 3 (the call record) adds, so it applies after it as well as
-- directly after step 2. Additive only: every existing row is kept.

-- A waiver accepts one review finding: a rule about one subject. A
-- workflow is named by its id, as text like the change trail's subject ids,
-- so a waiver follows a rename; a token by its public id (tok_…).
CREATE TABLE waivers (
    rule         TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('workflow', 'token')),
    subject_id   TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason != ''),
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    actor        TEXT NOT NULL DEFAULT '',
    os_user      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (rule, subject_kind, subject_id)
);

-- A deleted workflow's waivers go with it: its id may be given again to a
-- new workflow, which must not inherit an acceptance nobody gave it.
CREATE TRIGGER waivers_follow_deleted_workflow AFTER DELETE ON workflows
BEGIN DELETE FROM waivers WHERE subject_kind = 'workflow' AND subject_id = CAST(OLD.id AS TEXT); END;

-- The change trail gains the subject kind 'waiver' (a CHECK constraint,
-- so the table is rebuilt) and os_user. Until now the actor was always the
-- operating-system user, so old rows get it as their os_user.
CREATE TABLE changes_v4 (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    workflow_id  INTEGER NOT NULL,
    workflow     TEXT NOT NULL,
    field        TEXT NOT NULL,
    old_value    TEXT NOT NULL DEFAULT '',
    new_value    TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL CHECK (source IN ('cli', 'editor', 'import')),
    detail       TEXT NOT NULL DEFAULT '',
    subject_kind TEXT NOT NULL DEFAULT 'workflow'
        CHECK (subject_kind IN ('workflow', 'token', 'link', 'files-prefix', 'waiver')),
    subject_id   TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL DEFAULT '',
    generation   INTEGER NOT NULL DEFAULT 0,
    os_user      TEXT NOT NULL DEFAULT ''
);
INSERT INTO changes_v4 (id, at, workflow_id, workflow, field, old_value, new_value, source, detail,
        subject_kind, subject_id, actor, generation, os_user)
    SELECT id, at, workflow_id, workflow, field, old_value, new_value, source, detail,
        subject_kind, subject_id, actor, generation, actor FROM changes;
DROP TABLE changes;
ALTER TABLE changes_v4 RENAME TO changes;
CREATE INDEX changes_by_workflow_id ON changes (workflow_id, id);
CREATE INDEX changes_by_workflow ON changes (workflow COLLATE NOCASE, id);
CREATE INDEX changes_by_subject ON changes (subject_kind, subject_id, id);
