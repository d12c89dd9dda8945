package store

import (
	"context"
	"fmt"
	"time"

	"flowgate/model"
)

// Change is one entry of the change trail: which field of which workflow
// went from what to what, when, and through which part of flowgate.
type Change struct {
	ID       int64
	At       time.Time
	Workflow string
	Field    string
	Old      string
	New      string
	Source   Source
	Detail   string
}

// History returns the change trail of one workflow (ignoring case), or of
// all workflows when name is empty, newest first. For an existing workflow
// that includes what happened under its earlier names; for a deleted one,
// what was recorded under that name.
func (s *Store) History(ctx context.Context, name string) ([]Change, error) {
	query := `SELECT id, at, workflow, field, old_value, new_value, source, detail FROM changes`
	var args []any
	if name != "" {
		query += ` WHERE workflow_id = coalesce((SELECT id FROM workflows WHERE name = ?), -1)
			OR (workflow = ? COLLATE NOCASE AND NOT EXISTS (SELECT 1 FROM workflows WHERE name = ?))`
		args = append(args, name, name, name)
	}
	query += ` ORDER BY id DESC`
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: read history: %w", s.path, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at string
		if err := rows.Scan(&c.ID, &at, &c.Workflow, &c.Field, &c.Old, &c.New, &c.Source, &c.Detail); err != nil {
			return nil, err
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// record appends changes to the trail inside the transaction.
func (t *Tx) record(ctx context.Context, at time.Time, id int64, workflow string, changes ...model.FieldChange) error {
	for _, c := range changes {
		_, err := t.tx.ExecContext(ctx, `INSERT INTO changes (at, workflow_id, workflow, field, old_value, new_value, source, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, formatTime(at), id, workflow, c.Field, c.Old, c.New, t.source, t.Detail)
		if err != nil {
			return fmt.Errorf("record change to %s: %w", workflow, err)
		}
	}
	return nil
}

// summary is a one-line picture of a workflow's settings for the trail.
func summary(w model.Workflow) string {
	return fmt.Sprintf("public=%t auth=%s method=%s ignore_privacy_rules=%t", w.Public, w.Auth, w.Method, w.IgnorePrivacyRules)
}
