package ui

import (
	"context"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// reviewApp has one finding of each workflow rule with a fix and two
// migrated workflows.
func reviewApp(t *testing.T, s *store.Store) {
	create(t, s, spec{name: "hook", public: true, auth: model.AuthUser, params: []model.Parameter{body("payload", "text"), body("auth_key", "text")}})
	create(t, s, spec{name: "signup", public: true, auth: model.AuthNone, params: []model.Parameter{body("password", "text")}})
	for _, name := range []string{"legacy-a", "legacy-b"} {
		w := model.NewWorkflow(name)
		w.Public, w.Auth, w.AuthMigrated = true, model.AuthAdmin, true
		_, err := s.CreateWorkflow(context.Background(), w, store.SourceImport)
		require.NoError(t, err)
	}
}

func TestReviewPageWaivesDraftsTheFixAndConfirmsMigratedInBulk(t *testing.T) {
	s := openStore(t)
	reviewApp(t, s)
	d := newDriver(t, s)
	d.keys("2")
	v := d.view()
	assert.Regexp(t, `info +2 workflows +keep the auth the old checkbox gave them: enter confirms`, v)
	assert.NotContains(t, v, "password", "a password is no shared secret")

	// w waives the first finding (signup's open) with a reason.
	d.keys("j", "w")
	assert.Contains(t, d.view(), "Waive open for signup")
	d.keys("enter") // an empty reason is not accepted
	assert.Contains(t, d.view(), "Waive open for signup")
	d.typeText("signup flow").keys("enter")
	ws, err := s.ListWaivers(context.Background())
	require.NoError(t, err)
	require.Len(t, ws, 1)
	assert.Equal(t, model.Waiver{Rule: model.RuleOpen, Workflow: "signup", Reason: "signup flow", CreatedAt: ws[0].CreatedAt}, ws[0])
	assert.Contains(t, d.view(), "waived   signup")

	// f drafts hook's fix: Admin only without auth_key, unsaved until ctrl+s.
	d.keys("g", "f")
	assert.Contains(t, d.view(), "Drafted the fix for hook (not saved)")
	assert.Equal(t, model.AuthUser, get(t, s, "hook").Auth, "nothing saved yet")
	d.keys("ctrl+s")
	hook := get(t, s, "hook")
	assert.Equal(t, model.AuthAdmin, hook.Auth)
	assert.Equal(t, []model.Parameter{body("payload", "text")}, hook.Parameters)

	// enter on the migrated line (above the waived one) asks, then confirms both in one go.
	d.keys("G", "k", "enter")
	assert.Contains(t, d.view(), "Keep the Authentication the old checkbox gave 2 workflows")
	d.keys("y")
	assert.False(t, get(t, s, "legacy-a").AuthMigrated)
	assert.False(t, get(t, s, "legacy-b").AuthMigrated)
	assert.NotContains(t, d.view(), "old checkbox")
	hist, err := s.History(context.Background(), "legacy-b")
	require.NoError(t, err)
	assert.Equal(t, store.SourceEditor, hist[0].Source)
	assert.Equal(t, "auth_migrated", hist[0].Field)
}

func TestGoldenReviewActions(t *testing.T) {
	s := openStore(t)
	reviewApp(t, s)
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "2", "j", "w")
		for _, r := range "signup flow" {
			press(tm, string(r))
		}
		press(tm, "enter")
		settle(t, tm, `waived: "signup flow"`)
		press(tm, "g", "f")
	})
	golden.RequireEqual(t, []byte(out))
}
