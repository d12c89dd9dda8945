package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

var ctx = context.Background()

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flowgate.db")
	s, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenCreatesPrivateMigratedDatabase(t *testing.T) {
	s, path := openTemp(t)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	var version, appID int
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&version))
	require.NoError(t, s.db.QueryRow("PRAGMA application_id").Scan(&appID))
	assert.Equal(t, len(migrations), version)
	assert.Equal(t, applicationID, appID)

	ws, err := s.ListWorkflows(ctx)
	require.NoError(t, err)
	assert.Empty(t, ws)
}

func TestReopenKeepsData(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		w := model.NewWorkflow("send-invoice")
		w.Public, w.Auth = true, model.AuthAdmin
		w.Parameters = []model.Parameter{{Key: "amount", Type: "number", In: model.ParamInBody}}
		_, err := s.CreateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		require.NoError(t, s.Close())

		s2, err := Open(loc)
		require.NoError(t, err)
		defer s2.Close()
		got, err := s2.GetWorkflow(ctx, "SEND-INVOICE")
		require.NoError(t, err)
		assert.Equal(t, "send-invoice", got.Name)
		assert.True(t, got.Public)
		assert.Equal(t, model.AuthAdmin, got.Auth)
		assert.Equal(t, w.Parameters, got.Parameters)
		assert.Equal(t, int64(1), got.Version)
	})
}

func fileBytes(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func TestOpenRefusesNewerDatabaseAndLeavesItUntouched(t *testing.T) {
	s, path := openTemp(t)
	_, err := s.db.Exec("PRAGMA user_version = 99")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	before := fileBytes(t, path)

	_, err = Open(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "schema version 99")
	assert.Equal(t, before, fileBytes(t, path))
}

func TestOpenRefusesNonDatabaseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	content := []byte("these are not the settings you are looking for\n")
	require.NoError(t, os.WriteFile(path, content, 0o644))

	_, err := Open(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "not a flowgate database")
	assert.Equal(t, content, fileBytes(t, path))
}

func TestOpenRefusesAnotherProgramsSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	_, err = db.Exec("CREATE TABLE customers (id INTEGER)")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before := fileBytes(t, path)

	_, err = Open(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another program's SQLite file")
	assert.Equal(t, before, fileBytes(t, path))
}

func TestNamesAreUniqueIgnoringCase(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s := openAt(t, loc)
		_, err := s.CreateWorkflow(ctx, model.NewWorkflow("Signup"), SourceCLI)
		require.NoError(t, err)
		_, err = s.CreateWorkflow(ctx, model.NewWorkflow("signup"), SourceCLI)
		assert.ErrorIs(t, err, ErrNameTaken)

		_, err = s.CreateWorkflow(ctx, model.NewWorkflow("bad name"), SourceCLI)
		assert.ErrorContains(t, err, "position 4")
	})
}

func TestConcurrentUpdateConflictLosesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, path := openAt(t, loc), loc
		created, err := s.CreateWorkflow(ctx, model.NewWorkflow("charge"), SourceCLI)
		require.NoError(t, err)

		// A second process (a second Store on the same file) reads the same version.
		other, err := Open(path)
		require.NoError(t, err)
		defer other.Close()
		theirs, err := other.GetWorkflow(ctx, "charge")
		require.NoError(t, err)

		mine := created
		mine.Public, mine.Auth = true, model.AuthAdmin
		saved, err := s.UpdateWorkflow(ctx, mine, SourceEditor)
		require.NoError(t, err)
		assert.Equal(t, int64(2), saved.Version)

		theirs.Description = "charges a card"
		_, err = other.UpdateWorkflow(ctx, theirs, SourceCLI)
		var conflict *ConflictError
		require.ErrorAs(t, err, &conflict)
		assert.Contains(t, err.Error(), "charge")
		require.NotNil(t, conflict.Current)
		assert.Equal(t, model.AuthAdmin, conflict.Current.Auth)

		got, err := s.GetWorkflow(ctx, "charge")
		require.NoError(t, err)
		assert.Equal(t, saved.Version, got.Version)
		assert.Equal(t, model.AuthAdmin, got.Auth)
		assert.Empty(t, got.Description, "the conflicting write must not land")

		// Deleting with a stale version is a conflict too.
		err = other.DeleteWorkflow(ctx, theirs, SourceCLI)
		require.ErrorAs(t, err, &conflict)
		_, err = s.GetWorkflow(ctx, "charge")
		require.NoError(t, err)
	})
}

func TestUpdateOfDeletedWorkflowIsAConflict(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		w, err := s.CreateWorkflow(ctx, model.NewWorkflow("gone"), SourceCLI)
		require.NoError(t, err)
		require.NoError(t, s.DeleteWorkflow(ctx, w, SourceCLI))
		w.Public = true
		_, err = s.UpdateWorkflow(ctx, w, SourceEditor)
		var conflict *ConflictError
		require.ErrorAs(t, err, &conflict)
		assert.Nil(t, conflict.Current)
		_, err = s.GetWorkflow(ctx, "gone")
		assert.ErrorIs(t, err, ErrNotFound)
	})
}

func TestChangeTrailRecordsEveryFieldWithSource(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		w, err := s.CreateWorkflow(ctx, model.NewWorkflow("reset-password"), SourceCLI)
		require.NoError(t, err)
		w.Public, w.Auth = true, model.AuthNone
		w, err = s.UpdateWorkflow(ctx, w, SourceEditor)
		require.NoError(t, err)
		w.Name = "reset-pw"
		w, err = s.UpdateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		err = s.InTx(ctx, SourceImport, func(tx *Tx) error {
			tx.Detail = "app.json"
			w.Method = model.MethodGET
			_, err := tx.UpdateWorkflow(ctx, w)
			return err
		})
		require.NoError(t, err)

		all, err := s.History(ctx, "")
		require.NoError(t, err)
		type row struct{ workflow, field, old, new, source, detail string }
		var got []row
		for _, c := range all {
			got = append(got, row{c.Workflow, c.Field, c.Old, c.New, string(c.Source), c.Detail})
		}
		assert.Equal(t, []row{
			{"reset-pw", "method", "POST", "GET", "import", "app.json"},
			{"reset-password", "name", "reset-password", "reset-pw", "cli", ""},
			{"reset-password", "auth", "user", "none", "editor", ""},
			{"reset-password", "public", "false", "true", "editor", ""},
			{"reset-password", "workflow", "", "created: public=false auth=user method=POST ignore_privacy_rules=false", "cli", ""},
		}, got)

		renamed, err := s.History(ctx, "reset-pw")
		require.NoError(t, err)
		assert.Len(t, renamed, 5, "the new name shows the whole history, from before the rename too")
		oldName, err := s.History(ctx, "reset-password")
		require.NoError(t, err)
		assert.Len(t, oldName, 4, "the old name, now free, shows what was recorded under it")
	})
}

func TestFailedTransactionWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		for why, second := range map[string]func(tx *Tx) error{
			"refused by the store": func(tx *Tx) error {
				_, err := tx.CreateWorkflow(ctx, model.NewWorkflow("FIRST"))
				require.ErrorIs(t, err, ErrNameTaken)
				return err
			},
			"refused by the database": func(tx *Tx) error {
				_, err := tx.tx.ExecContext(ctx, `UPDATE workflows SET auth = 'root'`) // violates a CHECK
				require.Error(t, err)
				return err
			},
		} {
			err = s.InTx(ctx, SourceImport, func(tx *Tx) error {
				if _, err := tx.CreateWorkflow(ctx, model.NewWorkflow("first")); err != nil {
					return err
				}
				return second(tx)
			})
			require.Error(t, err, why)
			ws, err := s.ListWorkflows(ctx)
			require.NoError(t, err)
			assert.Empty(t, ws, why)
			hist, err := s.History(ctx, "")
			require.NoError(t, err)
			assert.Empty(t, hist, why)
			after, err := s.Generation(ctx)
			require.NoError(t, err)
			assert.Equal(t, gen, after, why)
		}
	})
}

func TestGenerationSeesOtherProcessesWrites(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		before, err := s.Generation(ctx)
		require.NoError(t, err)
		other, err := Open(loc)
		require.NoError(t, err)
		defer other.Close()
		_, err = other.CreateWorkflow(ctx, model.NewWorkflow("x"), SourceCLI)
		require.NoError(t, err)
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, before)
	})
}

func TestUnchangedUpdateWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		w, err := s.CreateWorkflow(ctx, model.NewWorkflow("same"), SourceCLI)
		require.NoError(t, err)
		got, err := s.UpdateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		assert.Equal(t, int64(1), got.Version)
		hist, err := s.History(ctx, "same")
		require.NoError(t, err)
		assert.Len(t, hist, 1)
	})
}

func TestInvalidSourceIsRefused(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		err := s.InTx(ctx, Source("robot"), func(*Tx) error { return errors.New("must not run") })
		assert.ErrorContains(t, err, `invalid change source "robot"`)
	})
}

func TestLockedDatabaseGivesClearErrorAndWritesNothing(t *testing.T) {
	s, path := openTemp(t)
	holder, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer holder.Close()
	conn, err := holder.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	require.NoError(t, err)

	short, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=50&_txlock=immediate")
	require.NoError(t, err)
	defer short.Close()
	locked := &Store{db: short, path: path, dialect: sqliteDialect}
	_, err = locked.CreateWorkflow(ctx, model.NewWorkflow("blocked"), SourceCLI)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is locked by another process")
	assert.Contains(t, err.Error(), path)

	_, err = conn.ExecContext(ctx, "ROLLBACK")
	require.NoError(t, err)
	_, err = s.GetWorkflow(ctx, "blocked")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestALockedPostgresDatabaseGivesClearErrorAndWritesNothing(t *testing.T) {
	loc := freshPostgres(t)
	holder, err := rawDB(t, loc).BeginTx(ctx, nil)
	require.NoError(t, err)
	defer holder.Rollback()
	_, err = holder.ExecContext(ctx, `SELECT generation FROM meta FOR UPDATE`) // another writer's transaction
	require.NoError(t, err)

	short, err := url.Parse(loc)
	require.NoError(t, err)
	q := short.Query()
	q.Set("lock_timeout", "50")
	short.RawQuery = q.Encode()
	locked := openAt(t, short.String())
	_, err = locked.CreateWorkflow(ctx, model.NewWorkflow("blocked"), SourceCLI)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is locked by another process (waited 50ms); nothing was written")
	assert.Contains(t, err.Error(), Redact(short.String()))

	require.NoError(t, holder.Rollback())
	_, err = openAt(t, loc).GetWorkflow(ctx, "blocked")
	assert.ErrorIs(t, err, ErrNotFound)
}
