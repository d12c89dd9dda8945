package store

import (
	"context"
	"path/filepath"
	"testing"

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
	{"postgres", func(t *testing.T) string {
		url := pgtest.FreshDatabase(t)
		_, _, err := Migrate(context.Background(), url)
		require.NoError(t, err)
		return url
	}},
}

// eachBackend runs fn as a subtest per backend, with the location of a
// fresh store of that backend.
func eachBackend(t *testing.T, fn func(t *testing.T, location string)) {
	t.Helper()
	for _, b := range testBackends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.fresh(t)) })
	}
}

// openAt opens the store at location for the rest of the test.
func openAt(t *testing.T, location string) *Store {
	t.Helper()
	s, err := Open(location)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}
