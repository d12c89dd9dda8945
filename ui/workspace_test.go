package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// The workspace is plain data: these tests drive it without Bubble Tea or
// a database, as the rules it keeps are the editor's promises about drafts.

// stored is a workflow as the database would return it.
func stored(id int64, name string, version int64) model.Workflow {
	w := model.NewWorkflow(name)
	w.ID, w.Version = id, version
	return w
}

func loaded(list ...model.Workflow) workspace {
	ws := newWorkspace()
	ws.load(list)
	return ws
}

func TestWorkspaceLoadOrdersByNameAndReportsReordering(t *testing.T) {
	ws := newWorkspace()
	assert.True(t, ws.load([]model.Workflow{stored(2, "alpha", 1), stored(1, "Beta", 1)}), "a first load is new rows")
	assert.Equal(t, []int64{2, 1}, ws.order)

	assert.False(t, ws.load([]model.Workflow{stored(2, "alpha", 2), stored(1, "Beta", 1)}), "same rows, same order")
	assert.Equal(t, int64(2), ws.entries[2].stored.Version, "rows without a draft take the new values")

	assert.True(t, ws.load([]model.Workflow{stored(2, "gamma", 3), stored(1, "Beta", 1)}), "a renamed row needs a new list row")
	assert.True(t, ws.load([]model.Workflow{stored(1, "Beta", 1)}), "a row deleted elsewhere")
	assert.Nil(t, ws.entries[2])
	assert.Equal(t, []int64{1}, ws.order)
}

func TestWorkspaceRefreshNeverOverwritesADraft(t *testing.T) {
	ws := loaded(stored(1, "wf", 1))
	mine := ws.entries[1].effective()
	mine.Public = true
	ws.edit(mine)

	theirs := stored(1, "wf", 2)
	theirs.Description = "from the CLI"
	ws.load([]model.Workflow{theirs})
	e := ws.entries[1]
	require.NotNil(t, e.draft)
	assert.True(t, e.draft.Public, "the draft is kept")
	assert.Equal(t, int64(1), e.draft.Version, "the draft stays based on the version it started from")
	assert.True(t, e.stale, "the database moved on under the draft")
	assert.Equal(t, "from the CLI", e.stored.Description)
}

func TestWorkspaceKeepsADraftOfAWorkflowDeletedElsewhere(t *testing.T) {
	ws := loaded(stored(1, "a", 1), stored(2, "b", 1))
	mine := ws.entries[2].effective()
	mine.Public = true
	ws.edit(mine)

	ws.load(nil)
	assert.Nil(t, ws.entries[1], "no draft: gone with the row")
	e := ws.entries[2]
	require.NotNil(t, e)
	assert.True(t, e.gone)
	assert.True(t, e.stale)
	assert.Equal(t, []int64{2}, ws.order)
	assert.Empty(t, ws.storedList(), "review judges only what the database holds")

	assert.True(t, ws.discard(2), "discarding the draft of a deleted workflow drops it")
	assert.Nil(t, ws.entries[2])
	assert.Empty(t, ws.order)
}

func TestWorkspaceUndoneEditIsNoDraft(t *testing.T) {
	ws := loaded(stored(1, "wf", 1))
	w := ws.entries[1].effective()
	w.Public = true
	ws.edit(w)
	assert.Equal(t, 1, ws.unsavedCount())
	assert.Equal(t, 1, ws.counts[model.ExposureUsers], "counts follow the draft")

	w.Public = false
	ws.edit(w)
	assert.Zero(t, ws.unsavedCount())
	assert.Nil(t, ws.entries[1].draft)
	assert.Equal(t, 1, ws.counts[model.ExposureScheduled])
	assert.Zero(t, ws.counts[model.ExposureUsers])
}

func TestWorkspaceRecordSave(t *testing.T) {
	ws := loaded(stored(1, "wf", 1))
	w := ws.entries[1].effective()
	w.Public = true
	ws.edit(w)
	pending := ws.drafts()
	require.Len(t, pending, 1)

	savedAs := pending[0].w
	savedAs.Version = 2
	ws.recordSave(1, pending[0].rev, savedAs)
	assert.Nil(t, ws.entries[1].draft, "saved as taken: nothing left to save")
	assert.Equal(t, int64(2), ws.entries[1].stored.Version)

	// The user keeps typing while a save runs: the newer draft stays,
	// now based on the version just saved.
	w = ws.entries[1].effective()
	w.Description = "first"
	ws.edit(w)
	pending = ws.drafts()
	w.Description = "second"
	ws.edit(w)
	savedAs = pending[0].w
	savedAs.Version = 3
	ws.recordSave(1, pending[0].rev, savedAs)
	e := ws.entries[1]
	require.NotNil(t, e.draft)
	assert.Equal(t, "second", e.draft.Description)
	assert.Equal(t, int64(3), e.draft.Version)
	assert.False(t, e.stale)
}

func TestWorkspaceTakeTheirsDropsTheDraft(t *testing.T) {
	ws := loaded(stored(1, "wf", 1))
	w := ws.entries[1].effective()
	w.Public = true
	ws.edit(w)

	theirs := stored(1, "wf", 2)
	theirs.Description = "theirs"
	ws.takeTheirs(1, &theirs)
	assert.Nil(t, ws.entries[1].draft)
	assert.Equal(t, "theirs", ws.entries[1].stored.Description)
	assert.Zero(t, ws.unsavedCount())

	ws.takeTheirs(1, nil)
	assert.Nil(t, ws.entries[1], "theirs was deleted")
}

func TestWorkspaceAddRemoveAndNames(t *testing.T) {
	ws := loaded(stored(1, "alpha", 1), stored(3, "gamma", 1))
	ws.add(stored(2, "Beta", 1))
	assert.Equal(t, []int64{1, 2, 3}, ws.order, "added in name order, ignoring case")

	w := ws.entries[3].effective()
	w.Name = "delta"
	ws.edit(w)
	assert.True(t, ws.nameTaken("BETA", 0))
	assert.True(t, ws.nameTaken("Delta", 1), "a draft's name is taken too")
	assert.True(t, ws.nameTaken("gamma", 1), "and so is the stored name it replaces")
	assert.False(t, ws.nameTaken("delta", 3), "a workflow may keep its own name")
	assert.Equal(t, []string{"delta"}, ws.unsavedNames())

	id, ok := ws.byName("ALPHA")
	assert.True(t, ok)
	assert.Equal(t, int64(1), id)

	ws.remove(2)
	assert.Equal(t, []int64{1, 3}, ws.order)
	assert.Equal(t, 2, ws.counts[model.ExposureScheduled])
}
