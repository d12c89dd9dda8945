package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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

// freshPostgres is a new database of its own on the test cluster, with the
// current schema; the test is skipped (or fails under CI) without a
// cluster. It is a copy of a database migrated once per run of the tests
// (see postgresTemplate), which is several times faster than migrating
// each; the tests of Migrate itself start from pgtest.FreshDatabase.
func freshPostgres(t *testing.T) string {
	base := pgtest.URL(t)
	postgresTemplate.once.Do(func() { postgresTemplate.name, postgresTemplate.err = createTemplate(base) })
	require.NoError(t, postgresTemplate.err, "create the migrated template database")
	return pgtest.FreshDatabaseFrom(t, postgresTemplate.name)
}

// postgresTemplate is the migrated database freshPostgres copies, created
// at its first use and dropped by TestMain.
var postgresTemplate struct {
	once sync.Once
	name string
	err  error
}

// createTemplate creates and migrates the template database on the
// cluster at base.
func createTemplate(base string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := "fgt_template_store_" + hex.EncodeToString(b[:])
	if err := onCluster(base, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path, u.RawPath = "/"+name, ""
	_, _, err = Migrate(context.Background(), u.String()) // closes its connections: the template is free to copy
	return name, err
}

// onCluster runs one statement on a connection of its own to base.
func onCluster(base, statement string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, statement)
	return err
}

// TestMain drops the template database once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if postgresTemplate.name != "" {
		if err := onCluster(os.Getenv(pgtest.EnvURL), "DROP DATABASE IF EXISTS "+pgx.Identifier{postgresTemplate.name}.Sanitize()); err != nil {
			fmt.Fprintln(os.Stderr, "drop the template database:", err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
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
