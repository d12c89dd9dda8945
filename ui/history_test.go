package ui

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

func TestHistoryShowsAllWorkflowsDeletedOnesIncludedAndWhoChangedThem(t *testing.T) {
	s := openStore(t)
	as := store.WithOSUser(store.WithActor(context.Background(), "alice"), "build")
	_, err := s.CreateWorkflow(as, model.NewWorkflow("kept"), store.SourceCLI)
	require.NoError(t, err)
	gone, err := s.CreateWorkflow(context.Background(), model.NewWorkflow("gone"), store.SourceCLI)
	require.NoError(t, err)
	require.NoError(t, s.DeleteWorkflow(context.Background(), gone, store.SourceCLI))

	d := newDriver(t, s)
	d.send(teaSize(140, 30))
	d.keys("3")
	v := d.view()
	assert.Contains(t, v, "History of kept")
	assert.Contains(t, v, "alice (os: build)")
	assert.NotContains(t, v, "gone")
	assert.Contains(t, v, "a all workflows")

	d.keys("a")
	v = d.view()
	assert.Contains(t, v, "History of all workflows")
	assert.Contains(t, v, "deleted", "a deleted workflow's changes are listed")
	assert.Contains(t, v, "gone")
	assert.Contains(t, v, "a selected workflow")
	d.keys("a")
	assert.Contains(t, d.view(), "History of kept")
}
