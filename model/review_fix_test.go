package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEverySuggestedFixClearsItsFindingAndKeepsTheOriginal(t *testing.T) {
	hook := wf("hook", true, AuthUser, false, "payload", "auth_key")
	hook.AuthMigrated = true
	for _, w := range []Workflow{
		wf("open", true, AuthNone, false),
		wf("open-privacy", true, AuthNone, true),
		wf("users-privacy", true, AuthUser, true),
		hook,
	} {
		for _, f := range Review([]Workflow{w}) {
			fixed, ok := SuggestedFix(f, w)
			require.True(t, ok, "%s has a fix", f.Rule)
			for _, after := range Review([]Workflow{fixed}) {
				assert.NotEqual(t, f.Rule, after.Rule, "%s: the fix clears the finding", w.Name)
			}
		}
	}
	fixed, _ := SuggestedFix(Finding{Rule: RuleSharedSecretParameter, Workflow: "hook"}, hook)
	assert.Equal(t, []Parameter{{Key: "payload", Type: "text", In: ParamInBody}}, fixed.Parameters)
	assert.Equal(t, AuthAdmin, fixed.Auth)
	assert.Len(t, hook.Parameters, 2, "the original is untouched")
	_, ok := SuggestedFix(Finding{Rule: RuleAdminTokenUnscoped, Token: "tok_1"}, Workflow{})
	assert.False(t, ok)
}

func TestTheTightenFromTrafficFixTakesTheSuggestedAuthentication(t *testing.T) {
	w := wf("sync-a", true, AuthUser, false)
	fixed, ok := SuggestedFix(Finding{Rule: RuleTightenFromTraffic, Workflow: "sync-a", Suggest: AuthAdmin}, w)
	require.True(t, ok)
	assert.Equal(t, AuthAdmin, fixed.Auth)
	assert.Equal(t, AuthUser, w.Auth, "the original is untouched")
	_, ok = SuggestedFix(Finding{Rule: RuleTightenFromTraffic, Workflow: "sync-a"}, w)
	assert.False(t, ok, "no suggestion, no fix")
}
