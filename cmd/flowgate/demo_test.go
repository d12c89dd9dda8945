package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

func TestFillDemoHasEveryKind(t *testing.T) {
	s, err := store.Open(tempDB(t))
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	sum, err := fillDemo(ctx, s, time.Now())
	require.NoError(t, err)
	assert.Equal(t, demoSummary{Workflows: 13, Tokens: 2, Calls: 12}, sum)

	ws, err := s.ListWorkflows(ctx)
	require.NoError(t, err)
	for e, n := range model.CountExposures(ws) {
		assert.Positive(t, n, "some %s workflows", e)
	}
	severities := map[model.Severity]bool{}
	for _, f := range model.Review(ws) {
		severities[f.Severity] = true
	}
	assert.Len(t, severities, 4, "review shows high, medium, low and info findings")

	calls, err := s.ListCalls(ctx, store.CallFilter{})
	require.NoError(t, err)
	statuses := map[int]bool{}
	for _, c := range calls {
		statuses[c.Status] = true
	}
	assert.True(t, statuses[200] && statuses[401] && statuses[403] && statuses[404] && statuses[405], "%v", statuses)

	_, err = fillDemo(ctx, s, time.Now())
	assert.ErrorContains(t, err, "is not a new database")
}
