package store

import (
	"errors"
	"fmt"
	"time"

	"flowgate/model"
)

// ErrNotFound reports a workflow or token that does not exist; callers test
// for it with errors.Is to give a "no such workflow" answer.
var ErrNotFound = errors.New("not found")

// ErrNameTaken reports a create or rename onto a name that another workflow
// already has (names are unique ignoring case).
var ErrNameTaken = errors.New("name already taken")

// ConflictError reports an update based on a version that is no longer the
// current one: someone else saved the workflow in between. Nothing was
// written; Current lets the caller show both versions.
type ConflictError struct {
	// Workflow is the name the caller was editing.
	Workflow string
	// Current is the workflow as it is now, or nil if it was deleted.
	Current *model.Workflow
}

func (e *ConflictError) Error() string {
	if e.Current == nil {
		return fmt.Sprintf("conflict: workflow %s was deleted by someone else; nothing was written", e.Workflow)
	}
	return fmt.Sprintf("conflict: workflow %s was changed by someone else (now version %d); nothing was written", e.Workflow, e.Current.Version)
}

// notFound wraps ErrNotFound with the workflow's name.
func notFound(name string) error {
	return fmt.Errorf("no workflow named %q: %w", name, ErrNotFound)
}

// ErrNoDatabase reports that OpenExisting found no file at the path: only
// the commands that create settings may create the database, so a
// mistyped path is an error rather than an empty database.
var ErrNoDatabase = errors.New("database does not exist")

// ReadOnlyError reports a write to a database that this process can only
// read, and why. Nothing was written.
type ReadOnlyError struct {
	// Path is the database file.
	Path string
	// Reason says what prevents writing, such as a read-only file system.
	Reason string
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("database %s is read-only: %s; nothing was written", e.Path, e.Reason)
}

// ErrAlreadyRevoked reports a revocation of a token or share link that was
// already revoked. Nothing was written; callers test for it with errors.Is
// to answer "already revoked" rather than fail.
var ErrAlreadyRevoked = errors.New("already revoked")

// alreadyRevoked wraps ErrAlreadyRevoked with what was revoked and when.
func alreadyRevoked(what, id string, at time.Time) error {
	return fmt.Errorf("%s %s was revoked at %s: %w", what, id, at.UTC().Format(time.RFC3339), ErrAlreadyRevoked)
}

// ErrExists reports an add of something that is already there, such as a
// protected prefix. Nothing was written.
var ErrExists = errors.New("already exists")
