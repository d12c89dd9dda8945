package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for rawDB
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
)

// testBackend is one kind of database the store's suite runs against.
type testBackend struct {
	name string
	// fresh returns the location (file path or URL) of a new, empty store
	// with the current schema, removed when the test ends.
	fresh func(t *testing.T) string
}

// testBackends are both backends: one suite, run against each. The
// PostgreSQL one is skipped, saying how to run it, when no test cluster is
// configured (and fails under CI=true: see pgtest.URL).
var testBackends = []testBackend{
	{"sqlite", func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "flowgate.db")
		s, err := Open(path)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		return path
	}},
	{"postgres", freshPostgres},
}

// freshPostgres is a new database of its own on the test cluster, migrated
// to the current schema; the test is skipped (or fails under CI) without a
// cluster.
func freshPostgres(t *testing.T) string {
	url := pgtest.FreshDatabase(t)
	_, _, err := Migrate(context.Background(), url)
	require.NoError(t, err)
	return url
}

// eachBackend runs fn as a subtest per backend, with the location of a
// fresh store of that backend.
func eachBackend(t *testing.T, fn func(t *testing.T, location string)) {
	t.Helper()
	for _, b := range testBackends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.fresh(t)) })
	}
}

// eachStore runs fn as a subtest per backend with a fresh store open at
// location (closed when the subtest ends).
func eachStore(t *testing.T, fn func(t *testing.T, s *Store, location string)) {
	t.Helper()
	eachBackend(t, func(t *testing.T, location string) { fn(t, openAt(t, location), location) })
}

// openAt opens the store at location for the rest of the test.
func openAt(t *testing.T, location string) *Store {
	t.Helper()
	s, err := Open(location)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// rawDB opens the database at location behind the store's back, to look at
// (or damage) rows as another program would: SQLite's driver for a file,
// pgx's for a URL. Queries go through rawSQL for their placeholders.
func rawDB(t *testing.T, location string) *sql.DB {
	t.Helper()
	driver := "sqlite3"
	if IsURL(location) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, location)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// rawSQL spells a query written as the store writes its own (`?`
// placeholders, nocase) for the backend at location.
func rawSQL(location, query string) string {
	if IsURL(location) {
		return postgresDialect.sql(query)
	}
	return sqliteDialect.sql(query)
}
