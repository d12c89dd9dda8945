package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func reviewed(ws ...Workflow) []string {
	var out []string
	for _, f := range Review(ws) {
		out = append(out, f.Severity.String()+" "+f.Workflow+": "+f.Message)
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
		"high c-open-privacy: anyone can run it and it ignores privacy rules: require authentication or stop ignoring privacy rules",
		"medium b-open: anyone can run it without a token: keep None required only for signup/login flows, otherwise require User and admin",
		"low d-users-privacy: any user token can run it while it ignores privacy rules: make it Admin only or stop ignoring privacy rules",
	}, got)
}

func TestReviewSharedSecretParameter(t *testing.T) {
	got := reviewed(
		wf("hook", true, AuthUser, false, "payload", "API-Key"),
		wf("admin-hook", true, AuthAdmin, false, "secret"),
		wf("scheduled-hook", false, AuthUser, false, "token"),
		wf("notes", true, AuthUser, false, "keynote"),
	)
	assert.Equal(t, []string{"medium hook: uses a shared-secret parameter; make it Admin only and drop the parameter"}, got)
}

func TestReviewMigratedIsInfo(t *testing.T) {
	w := wf("legacy", true, AuthAdmin, false)
	w.AuthMigrated = true
	assert.Equal(t, []string{"info legacy: auth migrated from the old checkbox — confirm the choice"}, reviewed(w))
}

func TestCountExposuresHasEveryKey(t *testing.T) {
	counts := CountExposures([]Workflow{wf("a", true, AuthNone, false), wf("b", false, AuthNone, false)})
	assert.Equal(t, map[Exposure]int{ExposureOpen: 1, ExposureUsers: 0, ExposureAdmins: 0, ExposureScheduled: 1}, counts)
}
