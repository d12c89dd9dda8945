package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrationLock is the advisory lock key that makes two `flowgate
// migrate` runs against one database take turns ("FGAT" twice).
const migrationLock = 0x4647415446474154

// createSchemaTable records the schema version. It is created with the
// first step, in the same transaction.
const createSchemaTable = `CREATE TABLE IF NOT EXISTS flowgate_schema (
	singleton     BIGINT PRIMARY KEY CHECK (singleton = 1),
	version       BIGINT NOT NULL,
	oldest_reader BIGINT NOT NULL
);
INSERT INTO flowgate_schema (singleton, version, oldest_reader) VALUES (1, 0, 0) ON CONFLICT DO NOTHING`

// Migrate brings the database at location to this binary's schema and
// reports the version before and after. It is what `flowgate migrate`
// runs: the only way a PostgreSQL schema changes. A SQLite file is
// migrated as every open does (and created if missing).
func Migrate(ctx context.Context, location string) (from, to int, err error) {
	if !IsURL(location) {
		return migrateSQLiteFile(location)
	}
	db, _, err := connectPostgres(location)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	shown := Redact(location)
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("database %s: %w", shown, err)
	}
	defer conn.Close()
	if err := lockMigrations(ctx, conn, shown); err != nil {
		return 0, 0, err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	before, err := readPostgresSchema(ctx, conn, shown)
	if err != nil {
		return 0, 0, err
	}
	if before.version > len(postgresMigrations) {
		return before.version, before.version, fmt.Errorf("database %s has schema version %d but this flowgate only knows up to %d: upgrade flowgate; the database was left untouched",
			shown, before.version, len(postgresMigrations))
	}
	for step := before.version + 1; step <= len(postgresMigrations); step++ {
		if err := applyPostgresStep(ctx, conn, step); err != nil {
			return before.version, step - 1, fmt.Errorf("upgrade %s to schema version %d: %w", shown, step, err)
		}
	}
	return before.version, len(postgresMigrations), nil
}

// lockMigrations makes two `flowgate migrate` runs against one database
// take turns. The lock belongs to the session and is taken before any step
// begins: a step's transaction then starts after the other run committed,
// and sees its tables. (A lock taken inside the transaction would not do:
// PostgreSQL would keep the transaction's view of the catalog from before
// the other run's commit, and create the tables a second time.)
func lockMigrations(ctx context.Context, conn *sql.Conn, shown string) error {
	_, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock))
	if isLockTimeout(err) {
		return fmt.Errorf("database %s is being migrated by another `flowgate migrate` (waited %s); nothing was changed: run it again when that one has finished", shown, lockTimeout)
	}
	if err != nil {
		return fmt.Errorf("database %s: wait for other migrations: %w", shown, err)
	}
	return nil
}

// applyPostgresStep applies one step with its version bump in one
// transaction; the caller holds the migration lock.
func applyPostgresStep(ctx context.Context, conn *sql.Conn, step int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if step == 1 {
		if _, err := tx.ExecContext(ctx, createSchemaTable); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, postgresMigrations[step-1]); err != nil {
		return err
	}
	// Steps are additive for one version: a binary one step behind can
	// still use the database while a fleet is rolled.
	if _, err := tx.ExecContext(ctx, `UPDATE flowgate_schema SET version = $1, oldest_reader = $2`, step, max(1, step-1)); err != nil {
		return err
	}
	return tx.Commit()
}

// migrateSQLiteFile opens (and so migrates, creating it if missing) a
// SQLite file, reporting its version before and after.
func migrateSQLiteFile(path string) (from, to int, err error) {
	if err := createIfMissing(path); err != nil {
		return 0, 0, err
	}
	a, roErr := chooseAccess(path)
	if roErr != nil {
		return 0, 0, roErr
	}
	if from, err = inspect(path, a); err != nil {
		return 0, 0, err
	}
	s, err := open(path, true)
	if err != nil {
		return from, from, err
	}
	return from, len(migrations), s.Close()
}
