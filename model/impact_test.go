package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var trafficNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// trafficTokens are the callers of the traffic tests, named after what
// they are.
func trafficTokens() []TokenGrant {
	all := Scope{Workflows: []string{"*"}, Files: []string{}}
	return []TokenGrant{
		{ID: "tok_ops", Name: "ops", Kind: TokenAdmin, Scope: all},
		{ID: "tok_mob", Name: "mobile-app", UserID: "u1", Kind: TokenUser, Scope: all},
		{ID: "tok_zap", Name: "zapier", UserID: "u2", Kind: TokenUser, Scope: all},
		{ID: "tok_syncr", Name: "sync-reader", UserID: "u3", Kind: TokenUser, Scope: Scope{Workflows: []string{"sync-*"}, Files: []string{}}},
	}
}

// fullTraffic is a record that covers the whole window.
func fullTraffic(calls ...CallTally) Traffic {
	return NewTraffic(calls, trafficTokens(), trafficNow.Add(-40*24*time.Hour), TrafficWindow, trafficNow)
}

func publicWF(name string, auth Auth) Workflow {
	w := NewWorkflow(name)
	w.Public, w.Auth = true, auth
	return w
}

func withAuth(w Workflow, a Auth) Workflow {
	w.Auth = a
	return w
}

func TestImpactNamesTheUserTokensAStricterAuthWouldHaveDenied(t *testing.T) {
	w := publicWF("get-orders", AuthUser)
	tr := fullTraffic(
		CallTally{Workflow: "get-orders", TokenID: "tok_mob", Count: 1000},
		CallTally{Workflow: "GET-ORDERS", TokenID: "tok_zap", Count: 204},
		CallTally{Workflow: "get-orders", TokenID: "tok_ops", Count: 50},
		CallTally{Workflow: "get-orders", TokenID: "tok_zap", Code: CodeInsufficientScope, Count: 7}, // denied then: not counted
		CallTally{Workflow: "other", TokenID: "tok_mob", Count: 99},
	)
	im := ImpactOf(w, withAuth(w, AuthAdmin), tr)
	assert.True(t, im.CanDeny)
	assert.Equal(t, int64(1261), im.Recorded)
	assert.Equal(t, int64(1204), im.DeniedCalls())
	assert.Equal(t, "would have denied 1,204 calls from 2 user tokens (mobile-app, zapier) in the last 30 days", im.String())
}

func TestImpactCountsCallsWithoutATokenApartFromTokens(t *testing.T) {
	w := publicWF("signup", AuthNone)
	tr := fullTraffic(
		CallTally{Workflow: "signup", Count: 96},
		CallTally{Workflow: "signup", TokenID: "tok_mob", Count: 4},
		CallTally{Workflow: "signup", TokenID: "tok_ops", Count: 1},
	)
	im := ImpactOf(w, withAuth(w, AuthAdmin), tr)
	assert.Equal(t, "would have denied 100 calls in the last 30 days: 4 from 1 user token (mobile-app), 96 without a token", im.String())
	assert.Equal(t, "would have denied 96 calls without a token in the last 30 days", ImpactOf(w, withAuth(w, AuthUser), tr).String())
}

func TestImpactSaysWhenNoRecordedCallerWouldHaveBeenDenied(t *testing.T) {
	w := publicWF("sync-a", AuthUser)
	tr := fullTraffic(CallTally{Workflow: "sync-a", TokenID: "tok_ops", Count: 312})
	assert.Equal(t, "no recorded caller would have been denied in the last 30 days", ImpactOf(w, withAuth(w, AuthAdmin), tr).String())
}

func TestImpactIsUnknownWithoutARecordAndSaysHowShortTheRecordIs(t *testing.T) {
	w := publicWF("sync-a", AuthUser)
	empty := NewTraffic(nil, trafficTokens(), time.Time{}, TrafficWindow, trafficNow)
	im := ImpactOf(w, withAuth(w, AuthAdmin), empty)
	assert.False(t, im.Known())
	assert.Equal(t, "no calls recorded in the last 30 days (the call record is empty): the impact is unknown", im.String())

	// Calls exist, but not to this workflow.
	other := fullTraffic(CallTally{Workflow: "other", Count: 5})
	assert.Equal(t, "no calls recorded in the last 30 days: the impact is unknown", ImpactOf(w, withAuth(w, AuthAdmin), other).String())

	// A record of five hours (a new install, or a short retention) is no
	// record of the month: the message says how short it is.
	short := NewTraffic([]CallTally{{Workflow: "sync-a", TokenID: "tok_ops", Count: 3}}, trafficTokens(),
		trafficNow.Add(-5*time.Hour), TrafficWindow, trafficNow)
	assert.Equal(t, "no recorded caller would have been denied in the last 5 hours, all the call record holds",
		ImpactOf(w, withAuth(w, AuthAdmin), short).String())
}

func TestImpactOfAChangeThatDeniesNoKindOfCallerNeedsNoRecord(t *testing.T) {
	w := publicWF("get-orders", AuthAdmin)
	empty := NewTraffic(nil, nil, time.Time{}, TrafficWindow, trafficNow)
	for _, after := range []Workflow{withAuth(w, AuthUser), withAuth(w, AuthNone), func() Workflow { d := w; d.Description = "x"; return d }()} {
		im := ImpactOf(w, after, empty)
		assert.False(t, im.CanDeny)
		assert.True(t, im.Known())
		assert.Equal(t, "no caller can lose access: the new settings admit every caller the current ones do", im.String())
	}
	scheduled := NewWorkflow("cron")
	assert.False(t, ImpactOf(scheduled, withAuth(scheduled, AuthAdmin), empty).CanDeny, "nothing can call a scheduled workflow")
}

func TestImpactOfUnpublishingARenameOrAMethodChangeDeniesEveryCaller(t *testing.T) {
	w := publicWF("sync-a", AuthUser)
	tr := fullTraffic(CallTally{Workflow: "sync-a", TokenID: "tok_ops", Count: 2}, CallTally{Workflow: "sync-a", TokenID: "tok_syncr", Count: 3})
	private := w
	private.Public = false
	renamed := w
	renamed.Name = "sync-b"
	get := w
	get.Method = MethodGET
	for _, after := range []Workflow{private, renamed, get} {
		assert.Equal(t, int64(5), ImpactOf(w, after, tr).DeniedCalls(), "%+v", after)
	}
	// Only the case of the name changes: callers still reach it.
	recased := w
	recased.Name = "SYNC-A"
	assert.Equal(t, int64(0), ImpactOf(w, recased, tr).DeniedCalls())
}

func TestImpactReplaysCallersWithTheirScopeAndLeavesOutCallsTheCurrentSettingsDeny(t *testing.T) {
	// sync-reader may call sync-* only: its calls to get-orders, recorded
	// as admitted, are outside its scope today, so the current settings
	// deny them already; a stricter Authentication is not what breaks them.
	w := publicWF("get-orders", AuthNone)
	tr := fullTraffic(CallTally{Workflow: "get-orders", TokenID: "tok_syncr", Count: 9}, CallTally{Workflow: "get-orders", Count: 1})
	im := ImpactOf(w, withAuth(w, AuthUser), tr)
	assert.Equal(t, []CallerImpact{{Kind: CredentialNone, Calls: 1}}, im.Denied)
}

func TestImpactOfCallsByATokenTheStoreDoesNotKnowIsUnknown(t *testing.T) {
	w := publicWF("get-orders", AuthUser)
	tr := fullTraffic(CallTally{Workflow: "get-orders", TokenID: "tok_gone", Count: 5}, CallTally{Workflow: "get-orders", TokenID: "tok_mob", Count: 1})
	im := ImpactOf(w, withAuth(w, AuthAdmin), tr)
	assert.Equal(t, "would have denied 1 call from 1 user token (mobile-app) in the last 30 days; "+
		"5 calls from 1 unknown token (tok_gone): the store does not know the token, so the impact on them is unknown", im.String())
}

func TestImpactNeverCountsShareLinksOrDenialsAsCallers(t *testing.T) {
	w := publicWF("get-orders", AuthNone)
	tr := fullTraffic(
		CallTally{Workflow: "get-orders", LinkID: "lnk_x", Code: CodeInvalidToken, Count: 3},
		CallTally{Workflow: "get-orders", TokenID: "tok_mob", Code: CodeMethodNotAllowed, Count: 3},
	)
	im := ImpactOf(w, withAuth(w, AuthAdmin), tr)
	assert.Empty(t, im.Denied)
	assert.Empty(t, im.Unknown)
	assert.Equal(t, int64(6), im.Recorded)
}

func TestTotalImpactSumsWorkflowsAndNamesThoseWithoutARecord(t *testing.T) {
	a, b, c := publicWF("a", AuthUser), publicWF("b", AuthUser), publicWF("c", AuthUser)
	tr := fullTraffic(
		CallTally{Workflow: "a", TokenID: "tok_mob", Count: 1000},
		CallTally{Workflow: "b", TokenID: "tok_mob", Count: 1000},
		CallTally{Workflow: "b", TokenID: "tok_zap", Count: 204},
	)
	ims := []Impact{ImpactOf(a, withAuth(a, AuthAdmin), tr), ImpactOf(b, withAuth(b, AuthAdmin), tr), ImpactOf(c, withAuth(c, AuthAdmin), tr)}
	assert.Equal(t, "in total: would have denied 2,204 calls to 2 of 3 workflows from 2 user tokens (mobile-app, zapier); "+
		"no calls on record for 1 workflow (c): the impact there is unknown", TotalImpact(ims))
	assert.Equal(t, "in total: no recorded caller would have been denied", TotalImpact(ims[:0]))
	assert.Equal(t, "in total: the impact is unknown: no calls on record for 1 workflow (c)", TotalImpact(ims[2:]))

	signup := publicWF("signup", AuthNone)
	tr = fullTraffic(CallTally{Workflow: "a", TokenID: "tok_mob", Count: 3}, CallTally{Workflow: "signup", Count: 2})
	assert.Equal(t, "in total: would have denied 5 calls to 2 of 2 workflows: 3 from 1 user token (mobile-app), 2 without a token",
		TotalImpact([]Impact{ImpactOf(a, withAuth(a, AuthAdmin), tr), ImpactOf(signup, withAuth(signup, AuthAdmin), tr)}))
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1204: "1,204", 1234567: "1,234,567", -1204: "-1,204"} {
		assert.Equal(t, want, thousands(n))
	}
}
