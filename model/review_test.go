package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func reviewed(ws ...Workflow) []string {
	var out []string
	for _, f := range Review(ws) {
		out = append(out, f.Severity.String()+" "+f.Workflow+" "+string(f.Rule)+": "+f.Message)
	}
	return out
}

func wf(name string, public bool, auth Auth, ignorePrivacy bool, params ...string) Workflow {
	w := NewWorkflow(name)
	w.Public, w.Auth, w.IgnorePrivacyRules = public, auth, ignorePrivacy
	for _, p := range params {
		w.Parameters = append(w.Parameters, Parameter{Key: p, Type: "text", In: ParamInBody})
	}
	return w
}

func TestReviewSeverities(t *testing.T) {
	got := reviewed(
		wf("a-users", true, AuthUser, false),
		wf("b-open", true, AuthNone, false),
		wf("c-open-privacy", true, AuthNone, true),
		wf("d-users-privacy", true, AuthUser, true),
		wf("e-admin-privacy", true, AuthAdmin, true),
		wf("f-scheduled-open-privacy", false, AuthNone, true),
	)
	assert.Equal(t, []string{
		"high c-open-privacy open-ignores-privacy: anyone can run it (public, None required) and it ignores privacy rules: require authentication or stop ignoring privacy rules",
		"medium b-open open: anyone can run it without a token (public, None required): keep None required only for signup/login flows, otherwise require User and admin",
		"low d-users-privacy users-ignores-privacy: any user token can run it (User and admin) while it ignores privacy rules: make it Admin only or stop ignoring privacy rules",
	}, got)
}

func TestReviewSharedSecretParameter(t *testing.T) {
	got := reviewed(
		wf("hook", true, AuthUser, false, "payload", "API-Key"),
		wf("admin-hook", true, AuthAdmin, false, "secret"),
		wf("scheduled-hook", false, AuthUser, false, "token"),
		wf("notes", true, AuthUser, false, "keynote"),
		wf("webhook", true, AuthUser, false, "auth_key", "payload", "apiKey"),
	)
	assert.Equal(t, []string{
		"medium hook shared-secret-parameter: uses the shared-secret parameter `API-Key`: make it Admin only and drop the parameter",
		"medium webhook shared-secret-parameter: uses the shared-secret parameters `auth_key`, `apiKey`: make it Admin only and drop the parameters",
	}, got)
}

func TestAPasswordParameterIsNotASharedSecret(t *testing.T) {
	assert.Empty(t, reviewed(wf("login", true, AuthUser, false, "email", "password"), wf("change-pw", true, AuthUser, false, "Password")))
}

func TestReviewMigratedIsInfo(t *testing.T) {
	w := wf("legacy", true, AuthAdmin, false)
	w.AuthMigrated = true
	assert.Equal(t, []string{"info legacy migrated-auth: Authentication Admin only was derived from the old checkbox: confirm the choice"}, reviewed(w))
}

func TestCountExposuresHasEveryKey(t *testing.T) {
	counts := CountExposures([]Workflow{wf("a", true, AuthNone, false), wf("b", false, AuthNone, false)})
	assert.Equal(t, map[Exposure]int{ExposureOpen: 1, ExposureUsers: 0, ExposureAdmins: 0, ExposureScheduled: 1}, counts)
}

func TestEveryRuleIsListedOnceAndFindingsCarryListedRules(t *testing.T) {
	seen := map[Rule]bool{}
	for _, r := range Rules {
		assert.False(t, seen[r.Rule], "rule %s listed twice", r.Rule)
		seen[r.Rule] = true
		got, ok := LookupRule(string(r.Rule))
		assert.True(t, ok)
		assert.Equal(t, r, got)
	}
	_, ok := LookupRule("Open")
	assert.False(t, ok, "ids are exact")
	legacy := wf("legacy", true, AuthNone, true, "token")
	legacy.AuthMigrated = true
	for _, f := range Review([]Workflow{legacy, wf("u", true, AuthUser, true)}) {
		info, ok := LookupRule(string(f.Rule))
		if assert.True(t, ok, "finding %+v has a listed rule", f) {
			assert.Equal(t, info.Severity, f.Severity, "rule %s", f.Rule)
			assert.Equal(t, RuleAboutWorkflow, info.Subject)
		}
	}
}
