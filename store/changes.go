package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"flowgate/model"
)

// SubjectKind is what a change was made to. The trail covers everything
// that decides a request, since a token's scope or a share link matters as
// much as a workflow's settings when asking "who changed what".
type SubjectKind string

// The kinds of subject the change trail records.
const (
	SubjectWorkflow SubjectKind = "workflow"
	SubjectToken    SubjectKind = "token"
	SubjectLink     SubjectKind = "link"
	SubjectPrefix   SubjectKind = "files-prefix"
	// SubjectWaiver is a review waiver given or taken back; its id is
	// "RULE/workflow/ID" or "RULE/token/TOKEN_ID" (see waiverSubject).
	SubjectWaiver SubjectKind = "waiver"
)

// Change is one entry of the change trail: which field of which subject
// went from what to what, when, by whom, through which part of flowgate,
// and which database generation the write produced (so a decision logged
// under a generation can be tied to the settings it was made with).
type Change struct {
	ID int64
	At time.Time
	// SubjectKind and SubjectID name what changed: a workflow by its numeric
	// id (as text, stable across renames), a token or link by its public id
	// (tok_…, lnk_…), a protected prefix by itself.
	SubjectKind SubjectKind
	SubjectID   string
	// Workflow is the workflow's name at the time of the change; empty for
	// other subjects.
	Workflow string
	Field    string
	Old      string
	New      string
	Source   Source
	Detail   string
	// Actor is who made the change as they named themselves (see
	// WithActor); empty when unknown, as for every change made before
	// actors were recorded.
	Actor string
	// OSUser is the operating-system account the change was made under
	// (see WithOSUser): unlike Actor it is not self-asserted.
	OSUser string
	// Generation is the database generation right after the write; 0 for
	// changes made before generations were recorded.
	Generation int64
}

const changeColumns = `id, at, subject_kind, subject_id, workflow, field, old_value, new_value, source, detail, actor, os_user, generation`

// History returns the change trail of one workflow (ignoring case), or of
// all workflows, deleted ones included, when name is empty, newest first:
// its settings and the waivers of its review findings. For an existing
// workflow that includes what happened under its earlier names; for a
// deleted one, what was recorded under that name.
func (s *Store) History(ctx context.Context, name string) ([]Change, error) {
	if !s.dialect.canHold(name) {
		return nil, nil // no change was recorded under a name no workflow can have
	}
	query := `SELECT ` + changeColumns + ` FROM changes
		WHERE (subject_kind = 'workflow' OR (subject_kind = 'waiver' AND workflow != ''))`
	var args []any
	if name != "" {
		query += ` AND (workflow_id = coalesce((SELECT id FROM workflows WHERE nocase(name) = nocase(?)), -1)
			OR (nocase(workflow) = nocase(?) AND NOT EXISTS (SELECT 1 FROM workflows WHERE nocase(name) = nocase(?))))`
		args = append(args, name, name, name)
	}
	return s.listChanges(ctx, query+` ORDER BY id DESC`, args...)
}

// HistoryOf returns the change trail of one subject, newest first: kind ""
// means every kind, id "" every subject of the kind. A workflow's id is its
// numeric id as text (History finds a workflow by name); a token's or a
// link's is its public id; a protected prefix's is the prefix.
func (s *Store) HistoryOf(ctx context.Context, kind SubjectKind, id string) ([]Change, error) {
	if !s.dialect.canHold(string(kind), id) {
		return nil, nil // no subject has such a kind or id
	}
	query := `SELECT ` + changeColumns + ` FROM changes WHERE 1 = 1`
	var args []any
	if kind != "" {
		query += ` AND subject_kind = ?`
		args = append(args, kind)
	}
	if id != "" {
		query += ` AND subject_id = ?`
		args = append(args, id)
	}
	return s.listChanges(ctx, query+` ORDER BY id DESC`, args...)
}

// listChanges runs a query selecting changeColumns.
func (s *Store) listChanges(ctx context.Context, query string, args ...any) ([]Change, error) {
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: read history: %w", s.path, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at string
		if err := rows.Scan(&c.ID, &at, &c.SubjectKind, &c.SubjectID, &c.Workflow, &c.Field, &c.Old, &c.New,
			&c.Source, &c.Detail, &c.Actor, &c.OSUser, &c.Generation); err != nil {
			return nil, fmt.Errorf("%s: read history: %w", s.path, err)
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// subject names what a change row is about. workflowID and workflow fill
// the trail's original columns, which only workflow changes use.
type subject struct {
	kind       SubjectKind
	id         string
	workflowID int64
	workflow   string
}

// workflowSubject is the subject of a change to workflow id, now named name.
func workflowSubject(id int64, name string) subject {
	return subject{kind: SubjectWorkflow, id: strconv.FormatInt(id, 10), workflowID: id, workflow: name}
}

// record appends changes of one workflow to the trail inside the transaction.
func (t *Tx) record(ctx context.Context, at time.Time, id int64, workflow string, changes ...model.FieldChange) error {
	return t.recordSubject(ctx, at, workflowSubject(id, workflow), changes...)
}

// recordSubject appends changes to the trail inside the transaction, each
// with the generation the transaction's writes so far have produced: it
// must be called after the write it records.
func (t *Tx) recordSubject(ctx context.Context, at time.Time, sub subject, changes ...model.FieldChange) error {
	gen, err := readGeneration(ctx, t.tx)
	if err != nil {
		return fmt.Errorf("record change to %s %s: %w", sub.kind, sub.id, err)
	}
	for _, c := range changes {
		_, err := t.tx.ExecContext(ctx, `INSERT INTO changes (at, subject_kind, subject_id, workflow_id, workflow,
			field, old_value, new_value, source, detail, actor, os_user, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			formatTime(at), sub.kind, sub.id, sub.workflowID, sub.workflow, c.Field, c.Old, c.New, t.source, storable(t.Detail), t.actor, t.osUser, gen)
		if err != nil {
			return fmt.Errorf("record change to %s %s: %w", sub.kind, sub.id, err)
		}
	}
	return nil
}

// summary is a one-line picture of a workflow's settings for the trail.
func summary(w model.Workflow) string {
	return fmt.Sprintf("public=%t auth=%s method=%s ignore_privacy_rules=%t", w.Public, w.Auth, w.Method, w.IgnorePrivacyRules)
}
