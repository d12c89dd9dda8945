package store

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// createAtVersion makes a database file at schema version v, as a flowgate
// of that version left it, and runs fill on it to add that version's rows.
// It returns the file and its settings generation before any migration.
func createAtVersion(t *testing.T, v int, fill string) (path string, generation int64) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer raw.Close()
	for _, m := range migrations[:v] {
		_, err := raw.Exec(m)
		require.NoError(t, err)
	}
	_, err = raw.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", applicationID, v))
	require.NoError(t, err)
	_, err = raw.Exec(fill)
	require.NoError(t, err)
	require.NoError(t, raw.QueryRow(`SELECT generation FROM meta`).Scan(&generation))
	return path, generation
}

// version1Rows are rows as flowgate 1 wrote them: two workflows (one of
// them renamed), a change of a workflow deleted since, three tokens and
// two logged calls.
const version1Rows = `
INSERT INTO workflows (id, name, public, auth, created_at, updated_at, version)
	VALUES (1, 'send-invoice', 1, 'admin', '2024-01-01T00:00:00.000000000Z', '2024-01-02T00:00:00.000000000Z', 2),
	       (7, 'reset-pw', 1, 'none', '2024-01-01T00:00:00.000000000Z', '2024-01-01T00:00:00.000000000Z', 1);
INSERT INTO changes (id, at, workflow_id, workflow, field, old_value, new_value, source, detail) VALUES
	(1, '2024-01-01T00:00:00.000000000Z', 1, 'send-invoice', 'workflow', '', 'created', 'cli', ''),
	(2, '2024-01-02T00:00:00.000000000Z', 1, 'send-invoice', 'auth', 'user', 'admin', 'editor', ''),
	(3, '2024-01-03T00:00:00.000000000Z', 3, 'gone', 'workflow', 'x', 'deleted', 'import', 'app.json'),
	(4, '2024-01-04T00:00:00.000000000Z', 7, 'reset-password', 'name', 'reset-password', 'reset-pw', 'cli', '');
INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at, expires_at, revoked_at) VALUES
	('tok_admin', 'ci', 'admin', '', 'fga_AAAA', zeroblob(32), '2024-01-01T00:00:00.000000000Z', NULL, NULL),
	('tok_user', 'app', 'user', 'u1', 'fgu_BBBB', randomblob(32), '2024-01-01T00:00:00.000000000Z', '2099-01-01T00:00:00.000000000Z', NULL),
	('tok_gone', 'old', 'admin', '', 'fga_CCCC', randomblob(32), '2024-01-01T00:00:00.000000000Z', NULL, '2024-02-01T00:00:00.000000000Z');
INSERT INTO calls (at, workflow, token_id, status, code, remote_addr) VALUES
	('2024-03-01T00:00:00.000000000Z', 'send-invoice', 'tok_admin', 200, '', '10.0.0.1'),
	('2024-03-02T00:00:00.000000000Z', 'nope', '', 404, 'not_found', '10.0.0.2');
`

func TestMigrationFromVersion1KeepsEveryRowAndGivesTokensTheDefaultScope(t *testing.T) {
	path, genBefore := createAtVersion(t, 1, version1Rows)

	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	var version int
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&version))
	assert.Equal(t, len(migrations), version)

	toks, err := s.ListTokens(ctx)
	require.NoError(t, err)
	require.Len(t, toks, 3)
	for _, tok := range toks {
		assert.Equal(t, model.DefaultScope(), tok.Scope, "token %s: every workflow, no file, as before scopes", tok.ID)
		assert.Nil(t, tok.PreviousUntil)
	}
	assert.Equal(t, []string{"tok_admin", "tok_gone", "tok_user"}, []string{toks[0].ID, toks[1].ID, toks[2].ID})
	assert.Equal(t, "fga_AAAA", toks[0].Prefix)
	require.NotNil(t, toks[0].LastUsedAt, "the call log still names the token")
	require.NotNil(t, toks[1].RevokedAt)
	assert.Equal(t, "u1", toks[2].UserID)
	require.NotNil(t, toks[2].ExpiresAt)
	assert.True(t, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC).Equal(*toks[2].ExpiresAt))

	snap, err := s.ReadSnapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, genBefore, snap.Generation, "migrating changes no setting, so checkers need not reload")
	require.Len(t, snap.Tokens, 2, "the revoked token still has no key")
	for _, k := range snap.Tokens {
		assert.Equal(t, model.DefaultScope(), *k.Scope)
	}
	assert.Equal(t, model.TokenHash{}, snap.Tokens[0].Hash, "hashes are kept byte for byte")
	assert.Empty(t, snap.Prefixes)
	assert.Empty(t, snap.Links)

	all, err := s.HistoryOf(ctx, "", "")
	require.NoError(t, err)
	type row struct {
		id         int64
		kind       SubjectKind
		subject    string
		workflow   string
		field      string
		source     Source
		detail     string
		actor      string
		generation int64
	}
	var got []row
	for _, c := range all {
		got = append(got, row{c.ID, c.SubjectKind, c.SubjectID, c.Workflow, c.Field, c.Source, c.Detail, c.Actor, c.Generation})
	}
	assert.Equal(t, []row{
		{4, SubjectWorkflow, "7", "reset-password", "name", SourceCLI, "", "", 0},
		{3, SubjectWorkflow, "3", "gone", "workflow", SourceImport, "app.json", "", 0},
		{2, SubjectWorkflow, "1", "send-invoice", "auth", SourceEditor, "", "", 0},
		{1, SubjectWorkflow, "1", "send-invoice", "workflow", SourceCLI, "", "", 0},
	}, got)

	renamed, err := s.History(ctx, "reset-pw")
	require.NoError(t, err)
	assert.Len(t, renamed, 1, "History still follows a workflow across renames")
	gone, err := s.History(ctx, "gone")
	require.NoError(t, err)
	assert.Len(t, gone, 1, "and still finds a deleted workflow by its old name")
	byID, err := s.HistoryOf(ctx, SubjectWorkflow, "1")
	require.NoError(t, err)
	assert.Len(t, byID, 2)

	calls, err := s.ListCalls(ctx, CallFilter{})
	require.NoError(t, err)
	require.Len(t, calls, 2)
	at := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, Call{At: at, Workflow: "nope", Via: "-", Status: 404, Code: "not_found", RemoteAddr: "10.0.0.2",
		Count: 1, FirstAt: at, LastAt: at}, calls[0], "an old call becomes a count of one, its entry point unknown")

	// New writes work on the migrated file: a scope change of an old token.
	_, err = s.SetTokenScope(ctx, "tok_user", model.Scope{Workflows: []string{"send-*"}})
	require.NoError(t, err)
}

func TestMigrationToWaiversKeepsTheTrailAndTakesTheActorAsTheOSUser(t *testing.T) {
	path, _ := createAtVersion(t, 2, `
INSERT INTO workflows (id, name, public, auth, created_at, updated_at) VALUES
	(1, 'signup', 1, 'none', '2024-01-01T00:00:00.000000000Z', '2024-01-01T00:00:00.000000000Z');
INSERT INTO changes (id, at, workflow_id, workflow, field, new_value, source, subject_kind, subject_id, actor, generation) VALUES
	(1, '2024-01-01T00:00:00.000000000Z', 1, 'signup', 'workflow', 'created', 'cli', 'workflow', '1', 'carol', 1),
	(2, '2024-01-02T00:00:00.000000000Z', 0, '', 'token', 'created', 'editor', 'token', 'tok_a', '', 2);`)
	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	all, err := s.HistoryOf(ctx, "", "")
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, Change{ID: 2, At: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), SubjectKind: SubjectToken, SubjectID: "tok_a",
		Field: "token", New: "created", Source: SourceEditor, Generation: 2}, all[0])
	assert.Equal(t, "carol", all[1].Actor)
	assert.Equal(t, "carol", all[1].OSUser, "until now the actor was the OS user")
	_, err = s.Waive(WithActor(ctx, "dana"), model.Waiver{Rule: model.RuleOpen, Workflow: "signup", Reason: "signup flow"})
	require.NoError(t, err, "the trail takes waivers")
	hist, err := s.History(ctx, "signup")
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, SubjectWaiver, hist[0].SubjectKind)
	assert.Greater(t, hist[0].ID, int64(2), "ids go on from the old trail")
}
