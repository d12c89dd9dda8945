package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestAWaiverFollowsItsWorkflowAndIsInItsHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		as := WithOSUser(WithActor(ctx, "alice"), "build")
		w, err := s.CreateWorkflow(as, model.NewWorkflow("signup"), SourceCLI)
		require.NoError(t, err)
		expires := time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)
		got, err := s.Waive(as, model.Waiver{Rule: model.RuleOpen, Workflow: "SIGNUP", Reason: "signup flow", ExpiresAt: &expires})
		require.NoError(t, err)
		assert.Equal(t, "signup", got.Workflow, "the stored spelling")
		assert.Equal(t, "alice", got.By)
		assert.Equal(t, "build", got.OSUser)

		w.Name = "register"
		_, err = s.UpdateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		list, err := s.ListWaivers(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, model.Waiver{Rule: model.RuleOpen, Workflow: "register", Reason: "signup flow", CreatedAt: got.CreatedAt,
			ExpiresAt: &expires, By: "alice", OSUser: "build"}, list[0])

		require.NoError(t, s.Unwaive(WithActor(ctx, "bob"), model.RuleOpen, "register", ""))
		list, err = s.ListWaivers(ctx)
		require.NoError(t, err)
		assert.Empty(t, list)
		assert.ErrorIs(t, s.Unwaive(ctx, model.RuleOpen, "register", ""), ErrNotFound)

		hist, err := s.History(ctx, "register")
		require.NoError(t, err)
		require.Len(t, hist, 4)
		type row struct {
			kind                                         SubjectKind
			id, field, old, new, actor, osUser, workflow string
		}
		var rows []row
		for _, c := range []Change{hist[0], hist[2]} { // hist[1] is the rename
			rows = append(rows, row{c.SubjectKind, c.SubjectID, c.Field, c.Old, c.New, c.Actor, c.OSUser, c.Workflow})
		}
		assert.Equal(t, []row{
			{SubjectWaiver, "open/workflow/1", "waiver open", `"signup flow", expires 2099-01-02T03:04:05Z`, "removed", "bob", "", "register"},
			{SubjectWaiver, "open/workflow/1", "waiver open", "", `"signup flow", expires 2099-01-02T03:04:05Z`, "alice", "build", "signup"},
		}, rows)
		assert.Equal(t, "build", hist[3].OSUser, "workflow changes keep the OS user too")
	})
}

func TestADeletedWorkflowTakesItsWaiversAlong(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		w, err := s.CreateWorkflow(ctx, model.NewWorkflow("hook"), SourceCLI)
		require.NoError(t, err)
		_, err = s.Waive(ctx, model.Waiver{Rule: model.RuleOpen, Workflow: "hook", Reason: "ok"})
		require.NoError(t, err)
		require.NoError(t, s.DeleteWorkflow(ctx, w, SourceCLI))
		again, err := s.CreateWorkflow(ctx, model.NewWorkflow("other"), SourceCLI)
		require.NoError(t, err)
		if !IsURL(loc) {
			require.Equal(t, w.ID, again.ID, "SQLite gives the freed id again")
		}
		list, err := s.ListWaivers(ctx)
		require.NoError(t, err)
		assert.Empty(t, list, "the new workflow inherits no acceptance")
		var left int
		require.NoError(t, rawDB(t, loc).QueryRow(`SELECT count(*) FROM waivers`).Scan(&left))
		assert.Zero(t, left, "the waiver went with its workflow, not just out of the list")
	})
}

func TestTokenWaiversAndRefusedWaiversWriteNothingWrong(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, err := s.CreateWorkflow(ctx, model.NewWorkflow("hook"), SourceCLI)
		require.NoError(t, err)
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		before, err := s.HistoryOf(ctx, "", "")
		require.NoError(t, err)

		for _, c := range []struct {
			w   model.Waiver
			err string
		}{
			{model.Waiver{Rule: "opn", Workflow: "hook", Reason: "x"}, `unknown review rule "opn": use one of open-ignores-privacy, open,`},
			{model.Waiver{Rule: model.RuleOpen, Token: tok.ID, Reason: "x"}, "rule open is about a workflow: name one"},
			{model.Waiver{Rule: model.RuleAdminTokenUnscoped, Workflow: "hook", Reason: "x"}, "rule admin-token-unscoped is about a token: name one"},
			{model.Waiver{Rule: model.RuleOpen, Workflow: "nope", Reason: "x"}, "nope"},
			{model.Waiver{Rule: model.RuleAdminTokenUnscoped, Token: "tok_nope", Reason: "x"}, `no token with id "tok_nope"`},
			{model.Waiver{Rule: model.RuleOpen, Workflow: "hook"}, "a waiver needs a reason"},
			{model.Waiver{Rule: model.RuleOpen, Workflow: "hook", Reason: "ok\x1b[2J"}, "invalid waiver reason"},
		} {
			_, err := s.Waive(ctx, c.w)
			assert.ErrorContains(t, err, c.err, "%+v", c.w)
		}
		after, err := s.HistoryOf(ctx, "", "")
		require.NoError(t, err)
		assert.Equal(t, before, after)

		_, err = s.Waive(ctx, model.Waiver{Rule: model.RuleAdminTokenUnscoped, Token: tok.ID, Reason: "the CI's deploy token"})
		require.NoError(t, err)
		_, err = s.Waive(ctx, model.Waiver{Rule: model.RuleAdminTokenUnscoped, Token: tok.ID, Reason: "replaced"})
		require.NoError(t, err, "waiving again replaces the reason")
		list, err := s.ListWaivers(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, tok.ID, list[0].Token)
		assert.Equal(t, "replaced", list[0].Reason)
		trail, err := s.HistoryOf(ctx, SubjectWaiver, "admin-token-unscoped/token/"+tok.ID)
		require.NoError(t, err)
		require.Len(t, trail, 2)
		assert.Equal(t, `"the CI's deploy token", never expires`, trail[0].Old)
		assert.Equal(t, `"replaced", never expires`, trail[0].New)
		workflows, err := s.History(ctx, "")
		require.NoError(t, err)
		assert.Len(t, workflows, 1, "a token's waiver is not in the workflows' history")
	})
}
