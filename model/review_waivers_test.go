package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWaiversAcceptOnlyTheirRuleAndSubjectUntilTheyExpire(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Second)
	findings := []Finding{
		{Rule: RuleOpen, Workflow: "signup", Severity: SeverityMedium},
		{Rule: RuleSharedSecretParameter, Workflow: "signup", Severity: SeverityMedium},
		{Rule: RuleOpen, Workflow: "hook", Severity: SeverityMedium},
		{Rule: RuleAdminTokenUnscoped, Token: "tok_1", Severity: SeverityLow},
		{Rule: RuleOpen, Workflow: "old", Severity: SeverityMedium},
	}
	waivers := []Waiver{
		{Rule: RuleOpen, Workflow: "SignUp", ExpiresAt: &later},
		{Rule: RuleAdminTokenUnscoped, Token: "tok_1"},
		{Rule: RuleOpen, Workflow: "old", ExpiresAt: &earlier},
		{Rule: RuleAdminTokenUnscoped, Workflow: "tok_1"}, // a workflow named like the token
	}
	open, waived := ApplyWaivers(findings, waivers, now)
	assert.Equal(t, []Finding{findings[1], findings[2], findings[4]}, open)
	if assert.Len(t, waived, 2) {
		assert.Equal(t, findings[0], waived[0].Finding)
		assert.Equal(t, "SignUp", waived[0].Waiver.Workflow)
		assert.Equal(t, findings[3], waived[1].Finding)
	}
	assert.True(t, WaiverApplies(waivers[0], findings, now))
	assert.False(t, WaiverApplies(waivers[0], findings, later), "expired at its expiry")
	assert.False(t, WaiverApplies(waivers[3], findings, now))
	assert.Equal(t, "token tok_1", waivers[1].Subject())
}
