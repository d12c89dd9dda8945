package store

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestTokenLastUseIsWrittenOnceAMinuteWithoutABump(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		lastUsed := func() time.Time {
			t.Helper()
			toks, err := s.ListTokens(ctx)
			require.NoError(t, err)
			require.NotNil(t, toks[0].LastUsedAt)
			return *toks[0].LastUsedAt
		}
		use := func(at time.Time) {
			t.Helper()
			require.NoError(t, s.RecordCalls(ctx, []Call{{At: at, Workflow: "wf", TokenID: tok.ID, Status: 200}}))
		}

		first := callsEpoch.Add(10 * time.Second)
		use(first)
		assert.Equal(t, first, lastUsed())
		use(first.Add(40 * time.Second))
		assert.Equal(t, first, lastUsed(), "at most one write per clock minute")
		next := callsEpoch.Add(time.Minute + time.Second)
		use(next)
		assert.Equal(t, next, lastUsed(), "the next minute moves it")
		use(first)
		assert.Equal(t, next, lastUsed(), "never back")
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, gen, after, "bookkeeping must not make every checker reload")
	})
}

func TestATokenUpdateThatAlsoMovesLastUseStillBumps(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		for i, set := range []string{
			`revoked_at = '2030-01-01T00:00:00.000000000Z'`,
			`workflows = '["a"]'`,
			`expires_at = '2031-01-01T00:00:00.000000000Z'`,
			`hash = ?`,
		} {
			gen, err := s.Generation(ctx)
			require.NoError(t, err)
			used := formatTime(callsEpoch.Add(time.Duration(i) * time.Minute))
			args := []any{used, tok.ID}
			if strings.HasSuffix(set, "?") {
				other := model.HashToken("fga_another")
				args = []any{used, other[:], tok.ID}
			}
			_, err = s.conn().ExecContext(ctx, `UPDATE tokens SET last_used_at = ?, `+set+` WHERE id = ?`, args...)
			require.NoError(t, err)
			after, err := s.Generation(ctx)
			require.NoError(t, err)
			assert.Greater(t, after, gen, "SET last_used_at, %s", set)
		}
		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		_, err = s.conn().ExecContext(ctx, `UPDATE tokens SET name = 'renamed' WHERE id = ?`, tok.ID)
		require.NoError(t, err)
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, gen, "any update that leaves last_used_at alone bumps")
	})
}
