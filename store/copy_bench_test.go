package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
)

// Sizes of the large store the copy benchmark moves: the 100,000
// workflows, a change row each, user tokens and many call-count rows.
const (
	benchWorkflows = 100_000
	benchTokens    = 20_000
	benchCalls     = 300_000
)

// fillLarge fills an empty SQLite store with generated rows straight in
// SQL (the store's own writes would take minutes to make them).
func fillLarge(b *testing.B, s *Store) {
	b.Helper()
	const ts = `'2031-03-04T05:06:07.123456789Z'`
	series := func(n int) string {
		return fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, n)
	}
	for _, q := range []string{
		series(benchWorkflows) + `INSERT INTO workflows (name, public, auth, description, parameters, created_at, updated_at)
			SELECT 'workflow-' || i, i % 2, 'user', 'generated', '[{"key":"id","type":"text","in":"body","is_list":false,"optional":false}]', ` + ts + `, ` + ts + ` FROM n`,
		series(benchWorkflows) + `INSERT INTO changes (at, workflow_id, workflow, field, new_value, source, subject_kind, subject_id, generation)
			SELECT ` + ts + `, i, 'workflow-' || i, 'workflow', 'created', 'import', 'workflow', CAST(i AS TEXT), i FROM n`,
		series(benchTokens) + `INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at, last_used_at)
			SELECT 'tok_' || i, 'user ' || i, 'user', 'u_' || i, 'fgu_abcd', randomblob(32), ` + ts + `, ` + ts + ` FROM n`,
		series(benchCalls) + `INSERT INTO calls (minute, workflow, token_id, status, via, count, first_at, last_at, last_remote)
			SELECT 1930367160 + 60 * (i / 1000), 'workflow-' || (i % 1000), 'tok_' || (i % 500), 200, 'proxy', i, ` + ts + `, ` + ts + `, '10.0.0.1' FROM n`,
	} {
		_, err := s.conn().ExecContext(ctx, q)
		require.NoError(b, err)
	}
}

// freshLocation is a new, empty store of the backend, removed at the end of
// tb (testBackends' makers take a *testing.T).
func freshLocation(tb testing.TB, backend Backend) string {
	if backend == BackendPostgres {
		url := pgtest.FreshDatabase(tb)
		_, _, err := Migrate(ctx, url)
		require.NoError(tb, err)
		return url
	}
	return filepath.Join(tb.TempDir(), "target.db")
}

// BenchmarkCopyLargeStore copies 100,000 workflows, 100,000 changes, 20,000
// tokens and 300,000 call rows between the backends, verification
// included; each iteration copies into a fresh target.
func BenchmarkCopyLargeStore(b *testing.B) {
	src, err := Open(filepath.Join(b.TempDir(), "large.db"))
	require.NoError(b, err)
	defer src.Close()
	fillLarge(b, src)
	var onPostgres *Store // the large store on PostgreSQL, made by the first copy there
	outer := b
	for _, c := range []struct {
		name     string
		from     func() *Store
		toSQLite bool
	}{
		{"sqlite-to-sqlite", func() *Store { return src }, true},
		{"sqlite-to-postgres", func() *Store { return src }, false},
		{"postgres-to-sqlite", func() *Store { return onPostgres }, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			from := c.from()
			if from == nil {
				b.Skip("needs the PostgreSQL copy of the sqlite-to-postgres run")
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				backend := BackendPostgres
				if c.toSQLite {
					backend = BackendSQLite
				}
				to, err := Open(freshLocation(outer, backend))
				require.NoError(b, err)
				b.StartTimer()
				res, err := Copy(ctx, from, to, false)
				require.NoError(b, err)
				b.StopTimer()
				require.EqualValues(b, benchCalls, res.Tables[5].Rows)
				if onPostgres == nil && !c.toSQLite {
					onPostgres = to
					outer.Cleanup(func() { to.Close() })
				} else {
					to.Close()
				}
				b.StartTimer()
			}
		})
	}
}
