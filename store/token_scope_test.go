package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// pinClock makes every write of the test happen at the time *at holds when
// it runs, so a test moves time by assigning to it.
func pinClock(t *testing.T, start time.Time) *time.Time {
	t.Helper()
	at := start
	real := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = real })
	return &at
}

// keysOf returns the snapshot's keys of one token.
func keysOf(t *testing.T, s *Store, id string) []TokenKey {
	t.Helper()
	snap, err := s.ReadSnapshot(ctx)
	require.NoError(t, err)
	var out []TokenKey
	for _, k := range snap.Tokens {
		if k.ID == id {
			out = append(out, k)
		}
	}
	return out
}

func TestCreateTokenStoresItsScopeAndDefaultsToEveryWorkflowNoFile(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, plain, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "plain"})
		require.NoError(t, err)
		assert.Equal(t, model.DefaultScope(), plain.Scope)
		scoped := model.Scope{Workflows: []string{"send-*", "reset-pw"}, Files: []string{"/fileupload/u1/"}}
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenUser, Name: "app", UserID: "u1", Scope: &scoped})
		require.NoError(t, err)
		assert.Equal(t, scoped, tok.Scope)
		_, none, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "nothing", Scope: &model.Scope{}})
		require.NoError(t, err)
		assert.Equal(t, model.Scope{Workflows: []string{}, Files: []string{}}, none.Scope, "nil lists are stored as empty lists")

		toks, err := s.ListTokens(ctx)
		require.NoError(t, err)
		require.Len(t, toks, 3)
		byID := map[string]model.Scope{}
		for _, tk := range toks {
			byID[tk.ID] = tk.Scope
		}
		assert.Equal(t, model.DefaultScope(), byID[plain.ID])
		assert.Equal(t, scoped, byID[tok.ID])
		assert.Equal(t, none.Scope, byID[none.ID])
		assert.Equal(t, scoped, *keysOf(t, s, tok.ID)[0].Scope, "the checker gets the scope")

		for _, c := range []struct {
			scope model.Scope
			want  string
		}{
			{model.Scope{Workflows: []string{"bad name"}}, `invalid workflow pattern "bad name"`},
			{model.Scope{Files: []string{"/a/../b"}}, `invalid file pattern "/a/../b"`},
			{model.Scope{Files: []string{"relative/"}}, "absolute path"},
		} {
			_, _, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "bad", Scope: &c.scope})
			assert.ErrorContains(t, err, c.want)
		}
		toks, err = s.ListTokens(ctx)
		require.NoError(t, err)
		assert.Len(t, toks, 3, "an invalid scope writes nothing")
	})
}

func TestSetTokenScopeBumpsGenerationAndIsInTheTrail(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenUser, Name: "app", UserID: "u1"})
		require.NoError(t, err)
		before, err := s.Generation(ctx)
		require.NoError(t, err)

		who := WithSource(WithActor(ctx, "alice"), SourceEditor)
		got, err := s.SetTokenScope(who, tok.ID, model.Scope{Workflows: []string{"send-*"}, Files: []string{"/fileupload/u1/"}})
		require.NoError(t, err)
		assert.Equal(t, model.Scope{Workflows: []string{"send-*"}, Files: []string{"/fileupload/u1/"}}, got.Scope)
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, before, "checkers reload and apply the new scope")
		assert.Equal(t, got.Scope, *keysOf(t, s, tok.ID)[0].Scope)

		trail, err := s.HistoryOf(ctx, SubjectToken, tok.ID)
		require.NoError(t, err)
		require.Len(t, trail, 3)
		for _, c := range trail[:2] {
			assert.Equal(t, SubjectToken, c.SubjectKind)
			assert.Equal(t, tok.ID, c.SubjectID)
			assert.Equal(t, "alice", c.Actor)
			assert.Equal(t, SourceEditor, c.Source)
			assert.Equal(t, after, c.Generation, "the generation the write produced")
			assert.Empty(t, c.Workflow)
		}
		assert.Equal(t, [2][3]string{{"files", "", "/fileupload/u1/"}, {"workflows", "*", "send-*"}},
			[2][3]string{{trail[0].Field, trail[0].Old, trail[0].New}, {trail[1].Field, trail[1].Old, trail[1].New}})
		assert.Equal(t, "token", trail[2].Field)
		assert.Contains(t, trail[2].New, `created: name="app" kind=user user="u1"`)
		assert.Equal(t, SourceCLI, trail[2].Source, "without WithSource a write is the CLI's")
		assert.Empty(t, trail[2].Actor)

		// The same scope again writes nothing.
		_, err = s.SetTokenScope(ctx, tok.ID, got.Scope)
		require.NoError(t, err)
		same, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, after, same)
		trail, err = s.HistoryOf(ctx, SubjectToken, tok.ID)
		require.NoError(t, err)
		assert.Len(t, trail, 3)

		_, err = s.SetTokenScope(ctx, "tok_nope", model.DefaultScope())
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorContains(t, err, `no token with id "tok_nope"`)
		_, err = s.SetTokenScope(ctx, tok.ID, model.Scope{Workflows: []string{"a**"}})
		assert.ErrorContains(t, err, "** is not a wildcard")
		require.NoError(t, s.RevokeToken(ctx, tok.ID))
		_, err = s.SetTokenScope(ctx, tok.ID, model.DefaultScope())
		assert.ErrorContains(t, err, "is revoked")
	})
}

func TestRotateTokenKeepsTheOldSecretUntilTheOverlapEnds(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		t0 := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
		clock := pinClock(t, t0)
		expires := t0.Add(48 * time.Hour)
		scope := model.Scope{Workflows: []string{"send-*"}, Files: []string{}}
		oldSecret, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenUser, Name: "app", UserID: "u1", ExpiresAt: &expires, Scope: &scope})
		require.NoError(t, err)

		*clock = t0.Add(time.Hour)
		newSecret, rotated, err := s.RotateToken(ctx, tok.ID, 24*time.Hour)
		require.NoError(t, err)
		assert.True(t, model.WellFormedToken(newSecret))
		assert.Equal(t, model.TokenPrefixUser, newSecret[:4], "same kind")
		assert.NotEqual(t, oldSecret, newSecret)
		assert.Equal(t, []string{tok.ID, tok.Name, "u1"}, []string{rotated.ID, rotated.Name, rotated.UserID})
		assert.Equal(t, scope, rotated.Scope)
		assert.Equal(t, newSecret[:8], rotated.Prefix)
		overlapEnd := t0.Add(25 * time.Hour)
		require.NotNil(t, rotated.PreviousUntil)
		assert.True(t, overlapEnd.Equal(*rotated.PreviousUntil))

		keys := keysOf(t, s, tok.ID)
		require.Len(t, keys, 2, "both secrets work during the overlap")
		assert.Equal(t, TokenKey{Hash: model.HashToken(newSecret), ID: tok.ID, Kind: model.TokenUser, UserID: "u1",
			ExpiresAt: &expires, Scope: &scope}, keys[0])
		assert.Equal(t, TokenKey{Hash: model.HashToken(oldSecret), ID: tok.ID, Kind: model.TokenUser, UserID: "u1",
			ExpiresAt: &overlapEnd, Scope: &scope}, keys[1], "the old key expires when the overlap ends")

		listed, err := s.ListTokens(ctx)
		require.NoError(t, err)
		assert.Equal(t, rotated.Prefix, listed[0].Prefix)
		require.NotNil(t, listed[0].PreviousUntil)
		assert.True(t, overlapEnd.Equal(*listed[0].PreviousUntil))

		trail, err := s.HistoryOf(ctx, SubjectToken, tok.ID)
		require.NoError(t, err)
		assert.Equal(t, "secret", trail[0].Field)
		assert.Equal(t, "prefix "+oldSecret[:8], trail[0].Old)
		assert.Equal(t, "rotated to prefix "+newSecret[:8]+"; the old secret works until 2030-01-02T13:00:00Z", trail[0].New)

		*clock = overlapEnd
		keys = keysOf(t, s, tok.ID)
		require.Len(t, keys, 1, "once the overlap has ended only the new secret is left")
		assert.Equal(t, model.HashToken(newSecret), keys[0].Hash)

		// Overlap 0: the replaced secret stops at once.
		third, _, err := s.RotateToken(ctx, tok.ID, 0)
		require.NoError(t, err)
		keys = keysOf(t, s, tok.ID)
		require.Len(t, keys, 1)
		assert.Equal(t, model.HashToken(third), keys[0].Hash)
		listed, err = s.ListTokens(ctx)
		require.NoError(t, err)
		assert.Nil(t, listed[0].PreviousUntil)
	})
}

func TestRotatingAgainEndsTheEarlierOverlapAndNeverOutlivesTheToken(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		t0 := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
		pinClock(t, t0)
		expires := t0.Add(time.Hour)
		first, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci", ExpiresAt: &expires})
		require.NoError(t, err)
		second, _, err := s.RotateToken(ctx, tok.ID, 24*time.Hour)
		require.NoError(t, err)
		keys := keysOf(t, s, tok.ID)
		require.Len(t, keys, 2)
		assert.Equal(t, &expires, keys[1].ExpiresAt, "the old secret never outlives the token")

		third, _, err := s.RotateToken(ctx, tok.ID, 24*time.Hour)
		require.NoError(t, err)
		keys = keysOf(t, s, tok.ID)
		require.Len(t, keys, 2)
		assert.Equal(t, []model.TokenHash{model.HashToken(third), model.HashToken(second)}, []model.TokenHash{keys[0].Hash, keys[1].Hash})
		for _, k := range keys {
			assert.NotEqual(t, model.HashToken(first), k.Hash, "the first secret is gone")
		}
	})
}

func TestRotateTokenRefusesWhatCannotBeRotated(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		t0 := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
		clock := pinClock(t, t0)
		expires := t0.Add(time.Hour)
		_, short, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "short", ExpiresAt: &expires})
		require.NoError(t, err)
		_, gone, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "gone"})
		require.NoError(t, err)
		require.NoError(t, s.RevokeToken(ctx, gone.ID))
		gen, err := s.Generation(ctx)
		require.NoError(t, err)

		for _, c := range []struct {
			id      string
			overlap time.Duration
			want    string
		}{
			{short.ID, -time.Second, "invalid overlap -1s"},
			{short.ID, MaxRotationOverlap + time.Second, "invalid overlap"},
			{"tok_nope", 0, `no token with id "tok_nope"`},
			{gone.ID, 0, "token " + gone.ID + " is revoked"},
		} {
			_, _, err := s.RotateToken(ctx, c.id, c.overlap)
			assert.ErrorContains(t, err, c.want)
		}
		*clock = expires
		_, _, err = s.RotateToken(ctx, short.ID, 0)
		assert.ErrorContains(t, err, "token "+short.ID+" expired at 2030-01-01T13:00:00Z")
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, gen, after, "nothing was written")
	})
}
