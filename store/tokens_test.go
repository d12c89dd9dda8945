package store

import (
	"bytes"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestCreateTokenStoresOnlyTheHash(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		secret, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "deploy bot"})
		require.NoError(t, err)
		assert.True(t, model.WellFormedToken(secret))
		assert.Equal(t, "fga_", secret[:4])
		assert.Equal(t, secret[:8], tok.Prefix)
		assert.Regexp(t, `^tok_`, tok.ID)

		s.Close()
		assertStoredAsHashOnly(t, loc, `SELECT hash FROM tokens WHERE id = ?`, tok.ID, secret)
	})
}

// assertStoredAsHashOnly checks that the row found by query (selecting a
// hash, with arg) holds the SHA-256 of the first secret, and that no
// secret's random part is anywhere in the database at loc: not in a SQLite
// file or its WAL, even after a checkpoint has moved everything into the
// file; not in any row of any PostgreSQL table. The store must be closed.
func assertStoredAsHashOnly(t *testing.T, loc, query, arg string, secrets ...string) {
	t.Helper()
	raw := rawDB(t, loc)
	var hash []byte
	require.NoError(t, raw.QueryRow(rawSQL(loc, query), arg).Scan(&hash))
	want := model.HashToken(secrets[0])
	assert.Equal(t, want[:], hash)
	stored := map[string][]byte{}
	if IsURL(loc) {
		for _, table := range flowgateTables {
			var rows sql.NullString
			require.NoError(t, raw.QueryRow(`SELECT string_agg(CAST(r AS TEXT), ' ') FROM `+table+` r`).Scan(&rows))
			stored["table "+table] = []byte(rows.String)
		}
	} else {
		_, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		require.NoError(t, err)
		for _, f := range []string{loc, loc + "-wal"} {
			stored[f], _ = os.ReadFile(f)
		}
	}
	for where, b := range stored {
		for _, secret := range secrets {
			assert.False(t, bytes.Contains(b, []byte(secret[4:])), "no secret may be in %s", where)
		}
	}
}

func TestCreateTokenValidatesAndWritesNothingOnError(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		past := time.Now().Add(-time.Hour)
		for _, c := range []struct {
			nt   NewToken
			want string
		}{
			{NewToken{Kind: "root", Name: "x"}, `invalid token kind "root"`},
			{NewToken{Kind: model.TokenAdmin}, "needs a name"},
			{NewToken{Kind: model.TokenAdmin, Name: "x", UserID: "u1"}, "admin token does not belong to a user"},
			{NewToken{Kind: model.TokenUser, Name: "x"}, "needs the id of the user"},
			{NewToken{Kind: model.TokenUser, Name: "x", UserID: "u 1"}, `character ' ' at position 2`},
			{NewToken{Kind: model.TokenUser, Name: "a\nb", UserID: "u1"}, "control character"},
			{NewToken{Kind: model.TokenUser, Name: "x", UserID: "u1", ExpiresAt: &past}, "not in the future"},
		} {
			_, _, err := s.CreateToken(ctx, c.nt)
			assert.ErrorContains(t, err, c.want)
		}
		toks, err := s.ListTokens(ctx)
		require.NoError(t, err)
		assert.Empty(t, toks)

		tokenRandom = bytes.NewReader(nil)
		defer func() { tokenRandom = realRandom }()
		_, _, err = s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "x"})
		assert.ErrorContains(t, err, "read randomness")
		toks, err = s.ListTokens(ctx)
		require.NoError(t, err)
		assert.Empty(t, toks)
	})
}

var realRandom = tokenRandom

func TestListRevokeAndLastUsed(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		expires := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Microsecond)
		_, admin, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		_, user, err := s.CreateToken(ctx, NewToken{Kind: model.TokenUser, Name: "app", UserID: "1700x42", ExpiresAt: &expires})
		require.NoError(t, err)

		used := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		require.NoError(t, s.RecordCalls(ctx, []Call{
			{At: used.Add(-time.Minute), Workflow: "a", TokenID: user.ID, Status: 200},
			{At: used, Workflow: "b", TokenID: user.ID, Status: 403, Code: model.CodeInsufficientScope},
		}))
		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		require.NoError(t, s.RevokeToken(ctx, admin.ID))
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, gen, "revoking bumps the generation so checkers reload")

		toks, err := s.ListTokens(ctx)
		require.NoError(t, err)
		require.Len(t, toks, 2)
		assert.Equal(t, admin.ID, toks[0].ID)
		assert.Equal(t, model.TokenAdmin, toks[0].Kind)
		require.NotNil(t, toks[0].RevokedAt)
		assert.Nil(t, toks[0].LastUsedAt)
		assert.Equal(t, model.TokenUser, toks[1].Kind)
		assert.Equal(t, "1700x42", toks[1].UserID)
		require.NotNil(t, toks[1].ExpiresAt)
		assert.True(t, expires.Equal(*toks[1].ExpiresAt))
		require.NotNil(t, toks[1].LastUsedAt)
		assert.True(t, used.Equal(*toks[1].LastUsedAt))
		assert.Nil(t, toks[1].RevokedAt)

		first := *toks[0].RevokedAt
		genBefore, err := s.Generation(ctx)
		require.NoError(t, err)
		err = s.RevokeToken(ctx, admin.ID)
		assert.ErrorIs(t, err, ErrAlreadyRevoked, "revoking twice says so")
		assert.ErrorContains(t, err, admin.ID+" was revoked at ")
		genAfter, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, genBefore, genAfter, "a second revocation writes nothing")
		toks, err = s.ListTokens(ctx)
		require.NoError(t, err)
		assert.True(t, first.Equal(*toks[0].RevokedAt), "the first revocation time is kept")

		err = s.RevokeToken(ctx, "tok_nope")
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorContains(t, err, `no token with id "tok_nope"`)
	})
}

func TestReadSnapshotHasWorkflowsAndOnlyUnrevokedTokenKeys(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		w := model.NewWorkflow("Send-Invoice")
		w.Public = true
		_, err := s.CreateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		secret, kept, err := s.CreateToken(ctx, NewToken{Kind: model.TokenUser, Name: "app", UserID: "u1"})
		require.NoError(t, err)
		_, gone, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "old"})
		require.NoError(t, err)
		require.NoError(t, s.RevokeToken(ctx, gone.ID))

		snap, err := s.ReadSnapshot(ctx)
		require.NoError(t, err)
		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, gen, snap.Generation)
		require.Len(t, snap.Workflows, 1)
		assert.Equal(t, "Send-Invoice", snap.Workflows[0].Name)
		require.Len(t, snap.Tokens, 1)
		defaultScope := model.DefaultScope()
		assert.Equal(t, TokenKey{Hash: model.HashToken(secret), ID: kept.ID, Kind: model.TokenUser, UserID: "u1",
			Scope: &defaultScope}, snap.Tokens[0])

		// The snapshot's connection went back to the pool without its read
		// transaction: a write right after succeeds.
		_, _, err = s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "after"})
		require.NoError(t, err)
	})
}
