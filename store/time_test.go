package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestParseTimeRoundTripsAndRefusesGarbage(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 11, 29, 3, 4, 5, 123456789, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 2, 29, 0, 0, 0, 1, time.FixedZone("X", 3600)),
	} {
		got, err := parseTime(formatTime(tm))
		require.NoError(t, err)
		assert.True(t, tm.Equal(got), "%v != %v", tm, got)
		want, err := time.Parse(timeFormat, formatTime(tm))
		require.NoError(t, err)
		assert.Equal(t, want, got, "same as the standard parser")
	}
	for _, bad := range []string{"", "2026-11-29", "2026-13-29T03:04:05.000000000Z", "2026-11-29T03:04:05.00000000xZ", "2026-11-29 03:04:05.000000000Z"} {
		_, err := parseTime(bad)
		assert.Error(t, err, bad)
	}
}

func TestTimestampsKeepTheirNanosecondsOnEveryBackend(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		at := time.Date(2031, 7, 8, 9, 10, 11, 123456789, time.UTC)
		pinClock(t, at)
		s := openAt(t, loc)
		w, err := s.CreateWorkflow(ctx, model.NewWorkflow("precise"), SourceCLI)
		require.NoError(t, err)
		expires := at.Add(time.Hour + 987654321)
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci", ExpiresAt: &expires})
		require.NoError(t, err)
		used := at.Add(3*time.Second + 1)
		require.NoError(t, s.RecordCalls(ctx, []Call{{At: used, Workflow: w.Name, TokenID: tok.ID, Via: "proxy", Status: 200}}))

		got, err := s.GetWorkflow(ctx, "precise")
		require.NoError(t, err)
		assert.Equal(t, [2]time.Time{at, at}, [2]time.Time{got.CreatedAt, got.UpdatedAt})
		toks, err := s.ListTokens(ctx)
		require.NoError(t, err)
		require.Len(t, toks, 1)
		require.NotNil(t, toks[0].ExpiresAt)
		require.NotNil(t, toks[0].LastUsedAt)
		assert.Equal(t, [3]time.Time{at, expires, used}, [3]time.Time{toks[0].CreatedAt, *toks[0].ExpiresAt, *toks[0].LastUsedAt})
		calls, err := s.ListCalls(ctx, CallFilter{})
		require.NoError(t, err)
		require.Len(t, calls, 1)
		assert.Equal(t, [2]time.Time{used, used}, [2]time.Time{calls[0].FirstAt, calls[0].LastAt})
		trail, err := s.HistoryOf(ctx, "", "")
		require.NoError(t, err)
		require.Len(t, trail, 2)
		assert.Equal(t, [2]time.Time{at, at}, [2]time.Time{trail[0].At, trail[1].At})
	})
}
