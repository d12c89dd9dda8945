package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// Source says which part of flowgate made a change; it is recorded in the
// change trail so a reviewer can tell an import from a hand edit.
type Source string

// The sources a change can come from.
const (
	SourceCLI    Source = "cli"
	SourceEditor Source = "editor"
	SourceImport Source = "import"
)

// Tx is one write transaction. Every change made through it is recorded in
// the change trail with its Source and Detail, and either all of them land
// or none do.
type Tx struct {
	tx     txHandle
	source Source
	// actor is who made the changes (WithActor), "" when unknown; osUser
	// the operating-system account they ran under (WithOSUser).
	actor  string
	osUser string
	// Detail is written into the change rows made after it is set, such as
	// the file an import read a workflow from.
	Detail string
}

// InTx runs fn in one write transaction and commits it only if fn returns
// nil, so a failure anywhere leaves the database as it was. The changes are
// recorded as made by the actor of ctx (WithActor, WithOSUser) through src.
func (s *Store) InTx(ctx context.Context, src Source, fn func(tx *Tx) error) error {
	switch src {
	case SourceCLI, SourceEditor, SourceImport:
	default:
		return fmt.Errorf("invalid change source %q", src)
	}
	actor, osUser := actorFrom(ctx), osUserFrom(ctx)
	if err := validateLabel("actor", actor, maxActorLength); err != nil {
		return err
	}
	if err := validateLabel("operating-system user", osUser, maxActorLength); err != nil {
		return err
	}
	if err := s.writable(); err != nil {
		return err
	}
	sqlTx, err := s.conn().BeginTx(ctx, nil)
	if isBusy(err) {
		return fmt.Errorf("database %s is locked by another process (waited %s); nothing was written", s.path, s.lockWait())
	}
	if err != nil {
		return fmt.Errorf("%s: begin write: %w", s.path, err)
	}
	defer sqlTx.Rollback()
	if err := s.dialect.lockWrites(ctx, sqlTx); isBusy(err) {
		return fmt.Errorf("database %s is locked by another process (waited %s); nothing was written", s.path, s.lockWait())
	} else if err != nil {
		return fmt.Errorf("%s: begin write: %w", s.path, err)
	}
	if err := fn(&Tx{tx: sqlTx, source: src, actor: actor, osUser: osUser}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", s.path, err)
	}
	return nil
}

// write runs fn in one write transaction recorded as coming from the source
// of ctx (WithSource): the methods for tokens, prefixes and links, which
// take no Source parameter, write through it.
func (s *Store) write(ctx context.Context, fn func(tx *Tx) error) error {
	return s.InTx(ctx, sourceFrom(ctx), fn)
}

// Generation is a counter bumped by every change to workflows, tokens,
// protected prefixes or share links, in any process. Polling it is how the
// checker and the editor notice edits made elsewhere without re-reading
// everything.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	g, err := readGeneration(ctx, s.conn())
	if err != nil {
		return 0, fmt.Errorf("%s: %w", s.path, err)
	}
	return g, nil
}

// readGeneration reads the generation through q: the pool, a write
// transaction (after its writes: the generation they produced) or a read
// transaction (the generation of what it sees).
func readGeneration(ctx context.Context, q queryer) (int64, error) {
	var g int64
	if err := q.QueryRowContext(ctx, "SELECT generation FROM meta").Scan(&g); err != nil {
		return 0, fmt.Errorf("read generation: %w", err)
	}
	return g, nil
}

// isBusy reports "another connection holds the lock" errors (SQLite's busy
// and locked, PostgreSQL's lock timeout), which deserve a message a user
// can act on rather than the driver's wording.
func isBusy(err error) bool {
	var e sqlite3.Error
	return errors.As(err, &e) && (e.Code == sqlite3.ErrBusy || e.Code == sqlite3.ErrLocked) || isLockTimeout(err)
}
