package store

import (
	"context"
	"fmt"
)

// What a copy does to the target besides inserting rows: its generation,
// PostgreSQL's identity counters, and the check that the two stores are
// not one.

// finishGeneration moves the target's generation to at least atLeast and
// returns it. The triggers stamped the copied rows with the copy's
// generation when they were inserted; a generation at least the source's
// keeps a copied trail from naming generations the target gives again.
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
	return gen, nil
}

func tableNames() []string {
	out := make([]string, len(dataTables))
	for i, t := range dataTables {
		out[i] = t.name
	}
	return out
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
