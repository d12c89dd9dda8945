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
// workflow change without the token change committed with it. The
// transaction is deferred (a plain BEGIN), so it takes no write lock and
// never holds up an editor's save.
func (s *Store) ReadSnapshot(ctx context.Context) (Snapshot, error) {
	conn, err := s.conn().Conn(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: read snapshot: %w", s.path, err)
	}
	defer conn.Close()
	// The connections are opened with _txlock=immediate, which database/sql
	// transactions would use; a deferred BEGIN on a dedicated connection
	// gives a read-only snapshot instead.
	if _, err := conn.ExecContext(ctx, s.dialect.beginRead()); err != nil {
		return Snapshot{}, fmt.Errorf("%s: read snapshot: %w", s.path, err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	var snap Snapshot
	if err := conn.QueryRowContext(ctx, "SELECT generation FROM meta").Scan(&snap.Generation); err != nil {
		return Snapshot{}, fmt.Errorf("%s: read generation: %w", s.path, err)
	}
	if snap.Workflows, err = listWorkflows(ctx, conn); err != nil {
		return Snapshot{}, fmt.Errorf("%s: list workflows: %w", s.path, err)
	}
	at := now()
	if snap.Tokens, err = listTokenKeys(ctx, conn, at); err != nil {
		return Snapshot{}, fmt.Errorf("%s: list tokens: %w", s.path, err)
	}
	if snap.Prefixes, err = listPrefixStrings(ctx, conn); err != nil {
		return Snapshot{}, fmt.Errorf("%s: list protected prefixes: %w", s.path, err)
	}
	if snap.Links, err = listLinkKeys(ctx, conn, at); err != nil {
		return Snapshot{}, fmt.Errorf("%s: list links: %w", s.path, err)
	}
	return snap, nil
}
