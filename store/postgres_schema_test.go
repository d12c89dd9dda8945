package store

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
	"flowgate/model"
)

// dumpPostgres is every table of the database's public schema with all
// its rows, as text: equal before and after means untouched.
func dumpPostgres(t *testing.T, raw *sql.DB) string {
	t.Helper()
	rows, err := raw.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	var b strings.Builder
	for _, table := range tables {
		var content sql.NullString
		require.NoError(t, raw.QueryRow(`SELECT string_agg(CAST(r AS TEXT), ' ' ORDER BY CAST(r AS TEXT)) FROM "`+table+`" r`).Scan(&content))
		fmt.Fprintf(&b, "%s: %s\n", table, content.String)
	}
	return b.String()
}

// assertRefusedUntouched checks that every opener refuses the database at
// url with an error naming it and saying want, and that it is unchanged.
func assertRefusedUntouched(t *testing.T, url string, openers map[string]func(string) error, want string) {
	t.Helper()
	raw := rawDB(t, url)
	before := dumpPostgres(t, raw)
	for how, open := range openers {
		err := open(url)
		require.Error(t, err, how)
		assert.Contains(t, err.Error(), want, how)
		assert.Contains(t, err.Error(), Redact(url), how)
	}
	assert.Equal(t, before, dumpPostgres(t, raw), "the database was left untouched")
}

// setSchemaVersion makes the database at url look as a later flowgate
// left it.
func setSchemaVersion(t *testing.T, url string, version, oldestReader int) {
	t.Helper()
	_, err := rawDB(t, url).Exec(`UPDATE flowgate_schema SET version = $1, oldest_reader = $2`, version, oldestReader)
	require.NoError(t, err)
}

func TestAPostgresDatabaseTooNewForThisBinaryIsRefusedAndLeftUntouched(t *testing.T) {
	url := freshPostgres(t)
	s := openAt(t, url)
	_, err := s.CreateWorkflow(ctx, model.NewWorkflow("kept"), SourceCLI)
	require.NoError(t, err)
	latest := PostgresSchemaVersion()
	setSchemaVersion(t, url, latest+2, latest+1)
	assertRefusedUntouched(t, url, openers, fmt.Sprintf("only knows up to %d: upgrade flowgate; the database was left untouched", latest))
}

// Two steps ahead is refused even when the database claims older binaries
// can read it: steps are additive for one version only.
func TestAPostgresDatabaseTwoStepsNewerIsRefusedWhateverItClaims(t *testing.T) {
	url := freshPostgres(t)
	latest := PostgresSchemaVersion()
	setSchemaVersion(t, url, latest+2, 1)
	assertRefusedUntouched(t, url, openers, fmt.Sprintf("has schema version %d but this flowgate only knows up to %d: upgrade flowgate", latest+2, latest))
}

// useEverything reads and writes through every kind of query a checker
// and the commands run, so that each is prepared on the store's
// connections.
func useEverything(t *testing.T, s *Store, name string) {
	t.Helper()
	w, err := s.CreateWorkflow(ctx, model.NewWorkflow(name), SourceCLI)
	require.NoError(t, err)
	w.Public = true
	_, err = s.UpdateWorkflow(ctx, w, SourceEditor)
	require.NoError(t, err)
	_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: name})
	require.NoError(t, err)
	require.NoError(t, s.RecordCalls(ctx, []Call{{At: time.Now(), Workflow: name, TokenID: tok.ID, Via: "proxy", Status: 200}}))
	snap, err := s.ReadSnapshot(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, snap.Workflows)
	_, err = s.ListWorkflows(ctx)
	require.NoError(t, err)
	_, err = s.ListTokens(ctx)
	require.NoError(t, err)
	_, err = s.History(ctx, name)
	require.NoError(t, err)
	_, err = s.ListCalls(ctx, CallFilter{Workflow: name})
	require.NoError(t, err)
}

func TestAPostgresDatabaseOneStepNewerIsUsedWhileTheFleetRolls(t *testing.T) {
	url := freshPostgres(t)
	latest := PostgresSchemaVersion()
	running := openAt(t, url) // a checker of this release, running through the upgrade
	useEverything(t, running, "before")

	// The next step is additive: a new table and new columns with
	// defaults, which this binary neither reads nor writes.
	_, err := rawDB(t, url).Exec(`CREATE TABLE future_things (id BIGINT);
		ALTER TABLE workflows ADD COLUMN future TEXT NOT NULL DEFAULT '';
		ALTER TABLE tokens ADD COLUMN future TEXT NOT NULL DEFAULT '';
		ALTER TABLE calls ADD COLUMN future TEXT NOT NULL DEFAULT ''`)
	require.NoError(t, err)
	setSchemaVersion(t, url, latest+1, latest)

	useEverything(t, running, "during")
	for how, open := range map[string]func(string) (*Store, error){"Open": Open, "OpenExisting": OpenExisting} {
		s, err := open(url)
		require.NoError(t, err, how)
		useEverything(t, s, "after-"+strings.ToLower(how))
		require.NoError(t, s.Close())
	}
	// Only a newer binary migrates it further.
	assertRefusedUntouched(t, url, map[string]func(string) error{"Migrate": openers["Migrate"]}, "upgrade flowgate")
}

func TestAnEmptyPostgresDatabaseIsRefusedUntilMigrated(t *testing.T) {
	url := pgtest.FreshDatabase(t)
	assertRefusedUntouched(t, url, map[string]func(string) error{"Open": openers["Open"], "OpenExisting": openers["OpenExisting"]},
		"holds no flowgate schema yet: create it with `flowgate migrate --db URL`")
	assert.Equal(t, "", dumpPostgres(t, rawDB(t, url)), "nothing was created")

	from, to, err := Migrate(ctx, url)
	require.NoError(t, err)
	assert.Equal(t, [2]int{0, PostgresSchemaVersion()}, [2]int{from, to})
	openAt(t, url)
}

func TestAnotherProgramsPostgresDatabaseIsRefusedAndLeftUntouched(t *testing.T) {
	url := pgtest.FreshDatabase(t)
	_, err := rawDB(t, url).Exec(`CREATE TABLE workflows (id INT PRIMARY KEY, title TEXT);
		INSERT INTO workflows VALUES (1, 'quarterly close')`)
	require.NoError(t, err)
	assertRefusedUntouched(t, url, openers, "is not a flowgate database: it has tables named workflows but no flowgate schema; it was left untouched")
}

func TestMigrateIsIdempotentAndConcurrentRunsAgreeOnOneSchema(t *testing.T) {
	url := pgtest.FreshDatabase(t)
	const runs = 4
	var wg sync.WaitGroup
	errs := make([]error, runs)
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = Migrate(ctx, url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "run %d", i)
	}
	raw := rawDB(t, url)
	var version, rows int
	require.NoError(t, raw.QueryRow(`SELECT max(version), count(*) FROM flowgate_schema`).Scan(&version, &rows))
	assert.Equal(t, [2]int{PostgresSchemaVersion(), 1}, [2]int{version, rows}, "one schema row at the latest version")
	require.NoError(t, raw.QueryRow(`SELECT count(*) FROM meta`).Scan(&rows))
	assert.Equal(t, 1, rows, "one generation row")

	s := openAt(t, url)
	_, err := s.CreateWorkflow(ctx, model.NewWorkflow("kept"), SourceCLI)
	require.NoError(t, err)
	before := dumpPostgres(t, raw)
	from, to, err := Migrate(ctx, url)
	require.NoError(t, err)
	assert.Equal(t, [2]int{PostgresSchemaVersion(), PostgresSchemaVersion()}, [2]int{from, to})
	assert.Equal(t, before, dumpPostgres(t, raw), "migrating an up-to-date database changes nothing")
}

// A database one schema ahead stays usable by this binary (steps are
// additive for one version), but not by a copy, which would leave out what
// the newer schema holds and still verify: copy-store refuses it as a
// source and as a target, and writes nothing.
func TestACopyRefusesADatabaseAtANewerSchema(t *testing.T) {
	latest := PostgresSchemaVersion()
	newer := freshPostgres(t)
	ahead := openAt(t, newer)
	_, err := ahead.CreateWorkflow(ctx, model.NewWorkflow("kept"), SourceCLI)
	require.NoError(t, err)
	require.NoError(t, ahead.Close())
	setSchemaVersion(t, newer, latest+1, latest)
	ahead = openAt(t, newer)
	before := dumpPostgres(t, rawDB(t, newer))

	file, _ := openTemp(t)
	_, err = Copy(ctx, ahead, file, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("has schema version %d, newer than this flowgate's %d", latest+1, latest))
	_, err = Copy(ctx, richSource(t), ahead, true)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "newer than this flowgate's")

	assert.Equal(t, before, dumpPostgres(t, rawDB(t, newer)), "the newer database was left untouched")
	snap, err := file.ReadSnapshot(ctx)
	require.NoError(t, err)
	assert.Empty(t, snap.Workflows, "nothing was copied into the file")
}
