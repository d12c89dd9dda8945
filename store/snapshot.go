package store

import (
	"context"
	"fmt"

	"flowgate/model"
)

// Snapshot is everything the runtime checker decides from, read at one
// instant: a consistent set of workflows, token keys, protected prefixes
// and share link keys, and the generation they belong to.
type Snapshot struct {
	Generation int64
	Workflows  []model.Workflow
	Tokens     []TokenKey
	// Prefixes are the protected prefixes, sorted.
	Prefixes []string
	// Links are the share links neither revoked nor expired.
	Links []LinkKey
}

// ReadSnapshot reads workflows, unrevoked token keys, prefixes, link keys
// and the generation in one read transaction, so the checker never sees a
// workflow change without the token change committed with it.
func (s *Store) ReadSnapshot(ctx context.Context) (Snapshot, error) {
	var snap Snapshot
	err := s.readTx(ctx, "read snapshot", func(q queryer) error {
		var err error
		if snap.Generation, err = readGeneration(ctx, q); err != nil {
			return err
		}
		if snap.Workflows, err = listWorkflows(ctx, q); err != nil {
			return fmt.Errorf("list workflows: %w", err)
		}
		at := now()
		if snap.Tokens, err = listTokenKeys(ctx, q, at); err != nil {
			return fmt.Errorf("list tokens: %w", err)
		}
		if snap.Prefixes, err = listPrefixStrings(ctx, q); err != nil {
			return fmt.Errorf("list protected prefixes: %w", err)
		}
		if snap.Links, err = listLinkKeys(ctx, q, at); err != nil {
			return fmt.Errorf("list links: %w", err)
		}
		return nil
	})
	if err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

// readTx runs read in one read transaction on a dedicated connection. The
// transaction is deferred (a plain BEGIN), so it takes no write lock and
// never holds up an editor's save; what names the work in errors.
func (s *Store) readTx(ctx context.Context, what string, read func(q queryer) error) error {
	conn, err := s.conn().Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", s.path, what, err)
	}
	defer conn.Close()
	// The connections are opened with _txlock=immediate, which database/sql
	// transactions would use; a deferred BEGIN on a dedicated connection
	// gives a read-only snapshot instead.
	if _, err := conn.ExecContext(ctx, s.dialect.beginRead()); err != nil {
		return fmt.Errorf("%s: %s: %w", s.path, what, err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	if err := read(conn); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return nil
}
