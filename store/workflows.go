package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"flowgate/model"
)

// queryer is what both *sql.DB and *sql.Tx offer for reading, so reads are
// written once and used inside and outside transactions.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const workflowColumns = `id, name, public, auth, ignore_privacy_rules, method, description,
	parameters, auth_migrated, version, created_at, updated_at`

// ListWorkflows returns every workflow ordered by name, ignoring case.
func (s *Store) ListWorkflows(ctx context.Context) ([]model.Workflow, error) {
	ws, err := listWorkflows(ctx, s.conn())
	if err != nil {
		return nil, fmt.Errorf("%s: list workflows: %w", s.path, err)
	}
	return ws, nil
}

// GetWorkflow returns the workflow with that name (ignoring case), or an
// error wrapping ErrNotFound.
func (s *Store) GetWorkflow(ctx context.Context, name string) (model.Workflow, error) {
	return getWorkflow(ctx, s.conn(), name)
}

// CreateWorkflow adds a new workflow in its own transaction.
func (s *Store) CreateWorkflow(ctx context.Context, w model.Workflow, src Source) (created model.Workflow, err error) {
	err = s.InTx(ctx, src, func(tx *Tx) error {
		created, err = tx.CreateWorkflow(ctx, w)
		return err
	})
	return created, err
}

// UpdateWorkflow saves w in its own transaction; see Tx.UpdateWorkflow.
func (s *Store) UpdateWorkflow(ctx context.Context, w model.Workflow, src Source) (saved model.Workflow, err error) {
	err = s.InTx(ctx, src, func(tx *Tx) error {
		saved, err = tx.UpdateWorkflow(ctx, w)
		return err
	})
	return saved, err
}

// DeleteWorkflow removes w in its own transaction; see Tx.DeleteWorkflow.
func (s *Store) DeleteWorkflow(ctx context.Context, w model.Workflow, src Source) error {
	return s.InTx(ctx, src, func(tx *Tx) error { return tx.DeleteWorkflow(ctx, w) })
}

// ListWorkflows reads every workflow inside the transaction.
func (t *Tx) ListWorkflows(ctx context.Context) ([]model.Workflow, error) {
	return listWorkflows(ctx, t.tx)
}

// GetWorkflow reads one workflow inside the transaction.
func (t *Tx) GetWorkflow(ctx context.Context, name string) (model.Workflow, error) {
	return getWorkflow(ctx, t.tx, name)
}

// CreateWorkflow inserts w (validated first) at version 1 and records its
// creation in the change trail.
func (t *Tx) CreateWorkflow(ctx context.Context, w model.Workflow) (model.Workflow, error) {
	if err := w.Validate(); err != nil {
		return model.Workflow{}, err
	}
	if err := t.checkNameFree(ctx, w.Name, 0); err != nil {
		return model.Workflow{}, err
	}
	params, err := encodeParameters(w.Parameters)
	if err != nil {
		return model.Workflow{}, err
	}
	at := now()
	w.CreatedAt, w.UpdatedAt, w.Version = at, at, 1
	err = t.tx.QueryRowContext(ctx, `INSERT INTO workflows
		(name, public, auth, ignore_privacy_rules, method, description, parameters, auth_migrated, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		w.Name, w.Public, w.Auth, w.IgnorePrivacyRules, w.Method, w.Description, params, w.AuthMigrated,
		formatTime(at), formatTime(at)).Scan(&w.ID)
	if err != nil {
		return model.Workflow{}, fmt.Errorf("create workflow %s: %w", w.Name, err)
	}
	if err := t.record(ctx, at, w.ID, w.Name, model.FieldChange{Field: "workflow", New: "created: " + summary(w)}); err != nil {
		return model.Workflow{}, err
	}
	return w, nil
}

// UpdateWorkflow saves w over the row with w.ID, provided that row is still
// at w.Version (the version the caller read). Otherwise nothing is written
// and a *ConflictError carries the current row. Each changed field is
// recorded in the change trail; an update that changes nothing writes
// nothing and returns the row unchanged.
func (t *Tx) UpdateWorkflow(ctx context.Context, w model.Workflow) (model.Workflow, error) {
	if err := w.Validate(); err != nil {
		return model.Workflow{}, err
	}
	current, err := t.currentFor(ctx, w)
	if err != nil {
		return model.Workflow{}, err
	}
	changes := model.DiffSettings(current, w)
	if len(changes) == 0 {
		return current, nil
	}
	if w.Name != current.Name {
		if err := t.checkNameFree(ctx, w.Name, w.ID); err != nil {
			return model.Workflow{}, err
		}
	}
	params, err := encodeParameters(w.Parameters)
	if err != nil {
		return model.Workflow{}, err
	}
	at := now()
	res, err := t.tx.ExecContext(ctx, `UPDATE workflows SET name = ?, public = ?, auth = ?,
		ignore_privacy_rules = ?, method = ?, description = ?, parameters = ?, auth_migrated = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		w.Name, w.Public, w.Auth, w.IgnorePrivacyRules, w.Method, w.Description, params, w.AuthMigrated,
		formatTime(at), w.ID, w.Version)
	if err != nil {
		return model.Workflow{}, fmt.Errorf("update workflow %s: %w", w.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return model.Workflow{}, &ConflictError{Workflow: current.Name, Current: &current}
	}
	if err := t.record(ctx, at, w.ID, current.Name, changes...); err != nil {
		return model.Workflow{}, err
	}
	w.Version, w.UpdatedAt, w.CreatedAt = current.Version+1, at, current.CreatedAt
	return w, nil
}

// DeleteWorkflow removes the row with w.ID if it is still at w.Version, and
// records what it was in the change trail.
func (t *Tx) DeleteWorkflow(ctx context.Context, w model.Workflow) error {
	current, err := t.currentFor(ctx, w)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM workflows WHERE id = ? AND version = ?`, w.ID, w.Version); err != nil {
		return fmt.Errorf("delete workflow %s: %w", current.Name, err)
	}
	return t.record(ctx, now(), current.ID, current.Name, model.FieldChange{Field: "workflow", Old: summary(current), New: "deleted"})
}

// currentFor reads the row w was loaded from and checks it is still at the
// version the caller read.
func (t *Tx) currentFor(ctx context.Context, w model.Workflow) (model.Workflow, error) {
	row := t.tx.QueryRowContext(ctx, `SELECT `+workflowColumns+` FROM workflows WHERE id = ?`, w.ID)
	current, err := scanWorkflow(row)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Workflow{}, &ConflictError{Workflow: w.Name}
	}
	if err != nil {
		return model.Workflow{}, fmt.Errorf("read workflow %s: %w", w.Name, err)
	}
	if current.Version != w.Version {
		return model.Workflow{}, &ConflictError{Workflow: w.Name, Current: &current}
	}
	return current, nil
}

// checkNameFree fails with ErrNameTaken if a workflow other than exceptID
// already has name (ignoring case).
func (t *Tx) checkNameFree(ctx context.Context, name string, exceptID int64) error {
	var id int64
	err := t.tx.QueryRowContext(ctx, `SELECT id FROM workflows WHERE nocase(name) = nocase(?) AND id != ?`, name, exceptID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("workflow name %q: %w (names are unique ignoring case)", name, ErrNameTaken)
}

func listWorkflows(ctx context.Context, q queryer) ([]model.Workflow, error) {
	// Sizing the slice up front avoids copying a large list again and again
	// while it grows; the count is cheap (it reads only the name index).
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM workflows`).Scan(&n); err != nil {
		return nil, err
	}
	return readWorkflows(ctx, q, make([]model.Workflow, 0, n), `SELECT `+workflowColumns+` FROM workflows ORDER BY nocase(name)`)
}

func getWorkflow(ctx context.Context, q queryer, name string) (model.Workflow, error) {
	if noRowHolds(q, name) {
		return model.Workflow{}, notFound(name)
	}
	row := q.QueryRowContext(ctx, `SELECT `+workflowColumns+` FROM workflows WHERE nocase(name) = nocase(?)`, name)
	w, err := scanWorkflow(row)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Workflow{}, notFound(name)
	}
	if err != nil {
		return model.Workflow{}, fmt.Errorf("read workflow %q: %w", name, err)
	}
	return w, nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanWorkflow(r scanner) (model.Workflow, error) {
	var w model.Workflow
	var params, created, updated string
	err := r.Scan(&w.ID, &w.Name, &w.Public, &w.Auth, &w.IgnorePrivacyRules, &w.Method, &w.Description,
		&params, &w.AuthMigrated, &w.Version, &created, &updated)
	if err != nil {
		return w, err
	}
	if w.Parameters, err = decodeParameters(params); err != nil {
		return w, fmt.Errorf("workflow %s: parameters: %w", w.Name, err)
	}
	if w.CreatedAt, err = parseTime(created); err != nil {
		return w, fmt.Errorf("workflow %s: created_at: %w", w.Name, err)
	}
	if w.UpdatedAt, err = parseTime(updated); err != nil {
		return w, fmt.Errorf("workflow %s: updated_at: %w", w.Name, err)
	}
	return w, nil
}

func encodeParameters(ps []model.Parameter) (string, error) {
	if len(ps) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(ps)
	return string(b), err
}

// decodeParameters skips JSON for the common empty case, which keeps
// listing large databases fast.
func decodeParameters(s string) ([]model.Parameter, error) {
	if s == "[]" || s == "" {
		return []model.Parameter{}, nil
	}
	var ps []model.Parameter
	err := json.Unmarshal([]byte(s), &ps)
	return ps, err
}
