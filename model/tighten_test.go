package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tightened(ws []Workflow, tr Traffic) []string {
	var out []string
	for _, f := range TightenFromTraffic(ws, tr) {
		out = append(out, f.Workflow+" → "+string(f.Suggest)+": "+f.Message)
	}
	return out
}

func TestTightenSuggestsAdminOnlyWhereOnlyAdminTokensCalled(t *testing.T) {
	ws := []Workflow{publicWF("sync-a", AuthUser), publicWF("get-orders", AuthUser)}
	tr := fullTraffic(
		CallTally{Workflow: "sync-a", TokenID: "tok_ops", Count: 300},
		CallTally{Workflow: "sync-a", TokenID: "tok_ops", Code: "bad_gateway", Count: 12}, // admitted; the upstream failed
		CallTally{Workflow: "sync-a", Code: CodeMissingToken, Count: 40},                  // refused callers break nothing
		CallTally{Workflow: "get-orders", TokenID: "tok_ops", Count: 5},
		CallTally{Workflow: "get-orders", TokenID: "tok_mob", Count: 1},
	)
	fs := TightenFromTraffic(ws, tr)
	require.Len(t, fs, 1)
	assert.Equal(t, Finding{Rule: RuleTightenFromTraffic, Workflow: "sync-a", Severity: SeverityInfo, Suggest: AuthAdmin,
		Message: "only admin tokens called sync-a in the last 30 days (312 calls): Admin only would break no caller on record"}, fs[0])
	_, known := LookupRule(string(RuleTightenFromTraffic))
	assert.True(t, known, "the rule is in the catalogue, so it can be documented and waived")
}

func TestTightenSuggestsUserAndAdminForAnOpenWorkflowOnlyCalledWithTokens(t *testing.T) {
	ws := []Workflow{publicWF("report", AuthNone), publicWF("signup", AuthNone), publicWF("admin-only", AuthNone)}
	tr := fullTraffic(
		CallTally{Workflow: "report", TokenID: "tok_ops", Count: 2},
		CallTally{Workflow: "report", TokenID: "tok_zap", Count: 3},
		CallTally{Workflow: "signup", TokenID: "tok_zap", Count: 3},
		CallTally{Workflow: "signup", Count: 1},
		CallTally{Workflow: "admin-only", TokenID: "tok_ops", Count: 2},
	)
	assert.Equal(t, []string{
		"admin-only → admin: only admin tokens called admin-only in the last 30 days (2 calls): Admin only would break no caller on record",
		"report → user: only user and admin tokens called report in the last 30 days (5 calls): User and admin would break no caller on record",
	}, tightened(ws, tr))
}

func TestTightenNeedsEvidence(t *testing.T) {
	ws := []Workflow{publicWF("quiet", AuthUser), publicWF("gone-caller", AuthUser), publicWF("done", AuthAdmin), NewWorkflow("cron")}
	tr := fullTraffic(
		CallTally{Workflow: "gone-caller", TokenID: "tok_ops", Count: 9},
		CallTally{Workflow: "gone-caller", TokenID: "tok_deleted", Count: 1}, // unknown kind: it might be a user token
		CallTally{Workflow: "done", TokenID: "tok_ops", Count: 9},
		CallTally{Workflow: "cron", TokenID: "tok_ops", Count: 9, Code: CodeNotFound},
	)
	assert.Empty(t, tightened(ws, tr), "no record, an unknown caller, already Admin only, not public: no finding")
}

func TestTightenIgnoresCallersTheCurrentSettingsNoLongerAdmit(t *testing.T) {
	// Anonymous calls admitted while sync-a was open do not stop Admin only
	// now that it requires a token; the record's span is named when short.
	ws := []Workflow{publicWF("sync-a", AuthUser)}
	tr := NewTraffic([]CallTally{
		{Workflow: "sync-a", Count: 50},
		{Workflow: "sync-a", TokenID: "tok_ops", Count: 1},
	}, trafficTokens(), trafficNow.Add(-3*time.Minute), TrafficWindow, trafficNow)
	assert.Equal(t, []string{"sync-a → admin: only admin tokens called sync-a in the last 3 minutes, all the call record holds (1 call): Admin only would break no caller on record"},
		tightened(ws, tr))
}
