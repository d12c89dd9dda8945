package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestCallTalliesSumTheMinutesSinceAPointPerWorkflowCallerAndCode(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		start, ok, err := s.CallRecordStart(ctx)
		require.NoError(t, err)
		assert.False(t, ok, "an empty record has no start")
		assert.True(t, start.IsZero())

		at := func(m int) time.Time { return callsEpoch.Add(time.Duration(m) * time.Minute) }
		require.NoError(t, s.RecordCalls(ctx, []Call{
			{At: at(0), Workflow: "sync-a", TokenID: "tok_a", Via: "proxy", Status: 200, Count: 4}, // before since: left out
			{At: at(10), Workflow: "sync-a", TokenID: "tok_a", Via: "proxy", Status: 200, Count: 5},
			{At: at(11), Workflow: "sync-a", TokenID: "tok_a", Via: "auth", Status: 200, Count: 6},
			{At: at(12), Workflow: "SYNC-A", TokenID: "tok_a", Via: "proxy", Status: 200, Count: 1}, // logged before a re-case
			{At: at(12), Workflow: "sync-a", TokenID: "tok_a", Via: "proxy", Status: 502, Code: "bad_gateway"},
			{At: at(12), Workflow: "sync-a", Via: "proxy", Status: 401, Code: "missing_token", Count: 2},
			{At: at(13), Workflow: "get-orders", TokenID: "tok_u", Via: "proxy", Status: 200, Count: 7},
			{At: at(13), Workflow: "/fileupload/", TokenID: "tok_u", Via: "proxy", Status: 200},
			{At: at(13), Workflow: "-", Via: "proxy", Status: 404, Code: "not_found"},
		}))
		tallies, err := s.CallTallies(ctx, at(5))
		require.NoError(t, err)
		assert.Equal(t, []model.CallTally{
			{Workflow: "get-orders", TokenID: "tok_u", Count: 7},
			{Workflow: "sync-a", Code: "missing_token", Count: 2},
			{Workflow: "sync-a", TokenID: "tok_a", Count: 12},
			{Workflow: "sync-a", TokenID: "tok_a", Code: "bad_gateway", Count: 1},
		}, tallies, "summed over minutes, entry points and the case of the name; no files, no unknown names")

		start, ok, err = s.CallRecordStart(ctx)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, at(0), start)
	})
}
