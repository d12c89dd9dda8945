package store

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// threeUsersWorkflows creates a, b and c, public for users, and returns them
// as read.
func threeUsersWorkflows(t *testing.T, s *Store) []model.Workflow {
	t.Helper()
	var out []model.Workflow
	for _, name := range []string{"a", "b", "c"} {
		w := model.NewWorkflow(name)
		w.Public, w.Auth = true, model.AuthUser
		created, err := s.CreateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		out = append(out, created)
	}
	return out
}

func adminOnly(ws []model.Workflow) []model.Workflow {
	out := make([]model.Workflow, len(ws))
	for i, w := range ws {
		w.Auth = model.AuthAdmin
		out[i] = w
	}
	return out
}

func TestUpdateWorkflowsSavesAllInOneTransaction(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		read := threeUsersWorkflows(t, s)
		gen, err := s.Generation(ctx)
		require.NoError(t, err)

		saved, err := s.UpdateWorkflows(ctx, adminOnly(read), SourceEditor)
		require.NoError(t, err)
		require.Len(t, saved, 3)
		for i, w := range saved {
			assert.Equal(t, read[i].Name, w.Name, "in the order given")
			assert.Equal(t, int64(2), w.Version)
			got, err := s.GetWorkflow(ctx, w.Name)
			require.NoError(t, err)
			assert.Equal(t, model.AuthAdmin, got.Auth)
			changes, err := s.History(ctx, w.Name)
			require.NoError(t, err)
			assert.Equal(t, "auth", changes[0].Field)
			assert.Equal(t, SourceEditor, changes[0].Source)
		}
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, gen, "pollers see the change")
	})
}

// A conflict on one of three writes nothing at all, and the error names
// every workflow that moved on.
func TestUpdateWorkflowsConflictWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		read := threeUsersWorkflows(t, s)
		theirs := read[1]
		theirs.Description = "changed elsewhere"
		_, err := s.UpdateWorkflow(ctx, theirs, SourceCLI)
		require.NoError(t, err)
		require.NoError(t, s.DeleteWorkflow(ctx, read[2], SourceCLI))
		before, err := s.History(ctx, "")
		require.NoError(t, err)

		_, err = s.UpdateWorkflows(ctx, adminOnly(read), SourceEditor)
		var conflicts *ConflictsError
		require.ErrorAs(t, err, &conflicts)
		require.Len(t, conflicts.Conflicts, 2)
		assert.Equal(t, "b", conflicts.Conflicts[0].Workflow)
		assert.Equal(t, int64(2), conflicts.Conflicts[0].Current.Version)
		assert.Equal(t, "c", conflicts.Conflicts[1].Workflow)
		assert.Nil(t, conflicts.Conflicts[1].Current, "deleted")
		assert.EqualError(t, err, "conflict: 2 of the workflows were changed by someone else "+
			"(b is now version 2, c was deleted); nothing was written")
		var one *ConflictError
		assert.True(t, errors.As(err, &one), "a single-conflict caller still finds one")

		a, err := s.GetWorkflow(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, model.AuthUser, a.Auth, "the one without a conflict is not written either")
		assert.Equal(t, int64(1), a.Version)
		after, err := s.History(ctx, "")
		require.NoError(t, err)
		assert.Equal(t, len(before), len(after), "nothing recorded")
	})
}

func TestUpdateWorkflowsRefusesBadInputWritingNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		read := threeUsersWorkflows(t, s)

		twice := adminOnly([]model.Workflow{read[0], read[1], read[0]})
		_, err := s.UpdateWorkflows(ctx, twice, SourceEditor)
		assert.EqualError(t, err, "workflow a is given twice in one update")

		bad := adminOnly(read)
		bad[2].Auth = "root"
		_, err = s.UpdateWorkflows(ctx, bad, SourceEditor)
		require.Error(t, err)

		taken := adminOnly(read)
		taken[1].Name = "A"
		_, err = s.UpdateWorkflows(ctx, taken, SourceEditor)
		assert.ErrorIs(t, err, ErrNameTaken)

		for _, w := range read {
			got, err := s.GetWorkflow(ctx, w.Name)
			require.NoError(t, err)
			assert.Equal(t, int64(1), got.Version, "%s untouched", w.Name)
		}
	})
}
