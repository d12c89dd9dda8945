package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// What a copy does to the target besides inserting rows: its generation,
// PostgreSQL's triggers and identity counters, and the check that the two
// stores are not one.

// genColumn is the per-row generation stamp of the incremental reloads
// (see bookkeepingColumns), where the schema has it.
const genColumn = "gen"

// finishGeneration moves the target's generation to at least atLeast and
// returns it. On PostgreSQL, whose triggers were off, it also does once
// what they would have done for every row: stamps the rows with the new
// generation, marks every older generation as needing a full reload
// (the replaced rows left no tombstones), and notifies the listening
// checkers, which hear it when the copy commits.
func (c copier) finishGeneration(ctx context.Context, atLeast int64) (int64, error) {
	cur, err := readGeneration(ctx, c.dst)
	if err != nil {
		return 0, err
	}
	gen := max(cur, atLeast)
	if gen != cur {
		if _, err := c.dst.ExecContext(ctx, "UPDATE meta SET generation = ?", gen); err != nil {
			return 0, fmt.Errorf("move the generation: %w", err)
		}
	}
	if !c.postgres {
		return gen, nil // SQLite's triggers did the rest, row by row
	}
	stamped, err := c.pgColumnTables(ctx, genColumn, tableNames())
	if err != nil {
		return 0, err
	}
	for _, t := range stamped {
		if _, err := c.dst.ExecContext(ctx, "UPDATE "+t+" SET "+genColumn+" = ?", gen); err != nil {
			return 0, fmt.Errorf("stamp table %s: %w", t, err)
		}
	}
	pruned, err := c.pgColumnTables(ctx, "pruned_generation", []string{"meta"})
	if err != nil {
		return 0, err
	}
	if len(pruned) > 0 {
		if _, err := c.dst.ExecContext(ctx, "UPDATE meta SET pruned_generation = ?", gen); err != nil {
			return 0, fmt.Errorf("mark older generations for a full reload: %w", err)
		}
	}
	if _, err := c.dst.ExecContext(ctx, "SELECT pg_notify(?, '')", notifyChannel); err != nil {
		return 0, fmt.Errorf("notify the checkers: %w", err)
	}
	return gen, nil
}

func tableNames() []string {
	out := make([]string, len(dataTables))
	for i, t := range dataTables {
		out[i] = t.name
	}
	return out
}

// pgColumnTables returns which of tables (in the store's schema) have the
// column.
func (c copier) pgColumnTables(ctx context.Context, column string, tables []string) ([]string, error) {
	rows, err := c.dst.QueryContext(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = ? AND table_name = ANY(?) ORDER BY table_name`, column, tables)
	if err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("read the schema: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// disableTriggers disables the enabled user triggers of the data tables,
// for this transaction only, and returns the statements that enable them
// again (a trigger an administrator had disabled stays so). PostgreSQL's
// ALTER TABLE is transactional: a failed copy leaves them as they were,
// and other sessions never see them off. It needs the owner of the
// tables.
func (c copier) disableTriggers(ctx context.Context) (enable []string, err error) {
	rows, err := c.dst.QueryContext(ctx, `SELECT c.relname, g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE NOT g.tgisinternal AND g.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace
		AND c.relname = ANY(?) ORDER BY c.relname, g.tgname`, tableNames())
	if err != nil {
		return nil, fmt.Errorf("%s: read the triggers: %w", c.target, err)
	}
	var disable []string
	for rows.Next() {
		var table, trigger string
		if err := rows.Scan(&table, &trigger); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: read the triggers: %w", c.target, err)
		}
		alter := "ALTER TABLE " + pgx.Identifier{table}.Sanitize() + " %s TRIGGER " + pgx.Identifier{trigger}.Sanitize()
		disable = append(disable, fmt.Sprintf(alter, "DISABLE"))
		enable = append(enable, fmt.Sprintf(alter, "ENABLE"))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: read the triggers: %w", c.target, err)
	}
	if err := c.alterTriggers(ctx, disable); err != nil {
		return nil, err
	}
	return enable, nil
}

// alterTriggers runs ALTER TABLE statements on triggers, naming the role
// needed when the user lacks it.
func (c copier) alterTriggers(ctx context.Context, alters []string) error {
	for _, alter := range alters {
		if _, err := c.dst.ExecContext(ctx, alter); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "42501" {
				return fmt.Errorf("%s: copying into PostgreSQL switches flowgate's triggers off for the copy, which only the owner of its tables can (the role that ran `flowgate migrate`): %v; nothing was copied", c.target, pgErr.Message)
			}
			return fmt.Errorf("%s: %s: %w", c.target, alter, err)
		}
	}
	return nil
}

// advanceIdentities moves PostgreSQL's identity counters past the ids the
// copy inserted, so that the next workflow or change gets a new id instead
// of colliding with a copied one. A workflow's counter also moves past
// every workflow id the change trail names, as it would have in a store
// that was always PostgreSQL: a new workflow never takes a deleted one's
// id, and so never its history. (SQLite picks max(id)+1 by itself.)
func (c copier) advanceIdentities(ctx context.Context) error {
	for _, a := range []struct{ table, highest string }{
		{"workflows", "greatest((SELECT max(id) FROM workflows), (SELECT max(workflow_id) FROM changes))"},
		{"changes", "(SELECT max(id) FROM changes)"},
	} {
		_, err := c.dst.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+a.table+"', 'id'), coalesce("+a.highest+", 0) + 1, false)")
		if err != nil {
			return fmt.Errorf("%s: advance the ids of table %s: %w", c.target, a.table, err)
		}
	}
	return nil
}

// sameStore reports whether a and b are one database: the same file (by
// device and inode, whatever path names it), or the same PostgreSQL
// database and schema of the same running server, however its URL is
// spelled.
func sameStore(ctx context.Context, a, b *Store) (bool, error) {
	if a.dialect.backend != b.dialect.backend {
		return false, nil
	}
	if a.dialect.backend == BackendSQLite {
		ida, err := statFile(a.path)
		if err != nil {
			return false, fmt.Errorf("database %s: %w", a.path, err)
		}
		idb, err := statFile(b.path)
		if err != nil {
			return false, fmt.Errorf("database %s: %w", b.path, err)
		}
		return ida.sameFile(idb), nil
	}
	ida, err := postgresIdentity(ctx, a)
	if err != nil {
		return false, err
	}
	idb, err := postgresIdentity(ctx, b)
	if err != nil {
		return false, err
	}
	return ida == idb, nil
}

// postgresIdentity names the database and schema a store uses on the
// server that runs now: the start time of the server tells two servers
// apart even where both listen on the same port of different hosts.
func postgresIdentity(ctx context.Context, s *Store) (string, error) {
	var id string
	err := s.conn().QueryRowContext(ctx, `SELECT concat_ws('/', current_database(), current_schema(),
		(SELECT oid FROM pg_database WHERE datname = current_database())::text, pg_postmaster_start_time()::text)`).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.path, err)
	}
	return id, nil
}

// CreateSchemaIfNone gives the PostgreSQL database at location flowgate's
// schema when it has none at all (no flowgate table), reporting true, so
// that `flowgate copy-store` can move a store into a new, empty database
// in one command. A database with any other schema version is left as it
// is: upgrades stay the deliberate act of `flowgate migrate`, and Open
// refuses what this binary cannot use. A file path is left alone (opening
// it creates and migrates it).
func CreateSchemaIfNone(ctx context.Context, location string) (bool, error) {
	if !IsURL(location) {
		return false, nil
	}
	db, _, err := connectPostgres(location)
	if err != nil {
		return false, err
	}
	v, err := readPostgresSchema(ctx, db, Redact(location))
	db.Close()
	if err != nil || v.version != 0 {
		return false, err
	}
	if _, _, err := Migrate(ctx, location); err != nil {
		return false, err
	}
	return true, nil
}
