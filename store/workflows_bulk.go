package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"flowgate/model"
)

// ConflictsError reports a bulk update refused because some of its
// workflows changed (or were deleted) elsewhere since the caller read them.
// Nothing was written. It lists every such workflow, not just the first, so
// a person can look at all of them at once; errors.As still finds a
// *ConflictError in it for callers that handle one conflict.
type ConflictsError struct {
	// Conflicts are the workflows that moved on, in the order given.
	Conflicts []*ConflictError
}

func (e *ConflictsError) Error() string {
	parts := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		if c.Current == nil {
			parts[i] = c.Workflow + " was deleted"
		} else {
			parts[i] = fmt.Sprintf("%s is now version %d", c.Workflow, c.Current.Version)
		}
	}
	return fmt.Sprintf("conflict: %d of the workflows were changed by someone else (%s); nothing was written",
		len(e.Conflicts), strings.Join(parts, ", "))
}

// Unwrap lets errors.As and errors.Is see each conflict.
func (e *ConflictsError) Unwrap() []error {
	out := make([]error, len(e.Conflicts))
	for i, c := range e.Conflicts {
		out[i] = c
	}
	return out
}

// UpdateWorkflows saves every workflow of ws in one transaction: all of
// them or none. Each is checked against the version its caller read (see
// Tx.UpdateWorkflow), and every changed field is recorded in the change
// trail; saved is in the order of ws.
func (s *Store) UpdateWorkflows(ctx context.Context, ws []model.Workflow, src Source) (saved []model.Workflow, err error) {
	err = s.InTx(ctx, src, func(tx *Tx) error {
		saved, err = tx.UpdateWorkflows(ctx, ws)
		return err
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// UpdateWorkflows saves every workflow of ws inside the transaction. Every
// row is checked before any is written, so when some moved on since they
// were read the error is a *ConflictsError naming all of them (and the
// caller's rollback leaves the rest unwritten too). A workflow given twice
// is refused: the second would silently undo the first.
func (t *Tx) UpdateWorkflows(ctx context.Context, ws []model.Workflow) ([]model.Workflow, error) {
	seen := make(map[int64]bool, len(ws))
	var conflicts []*ConflictError
	for _, w := range ws {
		if seen[w.ID] {
			return nil, fmt.Errorf("workflow %s is given twice in one update", w.Name)
		}
		seen[w.ID] = true
		if err := w.Validate(); err != nil {
			return nil, err
		}
		if _, err := t.currentFor(ctx, w); err != nil {
			var conflict *ConflictError
			if !errors.As(err, &conflict) {
				return nil, err
			}
			conflicts = append(conflicts, conflict)
		}
	}
	if len(conflicts) > 0 {
		return nil, &ConflictsError{Conflicts: conflicts}
	}
	out := make([]model.Workflow, 0, len(ws))
	for _, w := range ws {
		saved, err := t.UpdateWorkflow(ctx, w)
		if err != nil {
			return nil, err
		}
		out = append(out, saved)
	}
	return out, nil
}
