package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrations are the SQLite schema steps in order; step i (from 1) brings
// the database to user_version i. Files are never edited once released: a
// change to the schema is a new numbered file. PostgreSQL has its own
// numbered steps (postgresMigrations): the two schemas hold the same data
// but are spelled differently, and each counts its own versions.
var migrations = mustLoadMigrations("migrations/sqlite")

func mustLoadMigrations(dir string) []string {
	names, err := fs.Glob(migrationFiles, dir+"/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out = append(out, string(b))
	}
	return out
}

// migrate applies every step the database has not seen yet, each in its own
// transaction together with its user_version bump, so a crash leaves the
// schema at a whole step.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	for {
		var version int
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return fmt.Errorf("read schema version of %s: %w", path, err)
		}
		if version >= len(migrations) {
			return nil
		}
		if err := applyMigration(ctx, db, version+1); err != nil {
			return fmt.Errorf("upgrade %s to schema version %d: %w", path, version+1, err)
		}
	}
}

func applyMigration(ctx context.Context, db *sql.DB, step int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Re-read inside the write lock: another process may have migrated.
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version >= step {
		return nil
	}
	if _, err := tx.ExecContext(ctx, migrations[step-1]); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", applicationID, step)); err != nil {
		return err
	}
	return tx.Commit()
}
