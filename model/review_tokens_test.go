package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestReviewTokensFlagsUnscopedEternalAdminTokensAndPatternsThatMatchNothing(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	later, past := now.Add(time.Hour), now.Add(-time.Hour)
	all := Scope{Workflows: []string{"*"}, Files: []string{}}
	got := []string{}
	for _, f := range ReviewTokens([]TokenGrant{
		{ID: "tok_a1", Name: "ci", Kind: TokenAdmin, Scope: all},
		{ID: "tok_a2", Name: "ci-expiring", Kind: TokenAdmin, Scope: all, ExpiresAt: &later},
		{ID: "tok_a3", Name: "ci-scoped", Kind: TokenAdmin, Scope: Scope{Workflows: []string{"send-*"}}},
		{ID: "tok_a4", Name: "old", Kind: TokenAdmin, Scope: all, RevokedAt: &past},
		{ID: "tok_a5", Name: "gone", Kind: TokenAdmin, Scope: Scope{Workflows: []string{"nope"}}, ExpiresAt: &past},
		{ID: "tok_u1", Name: "alice", Kind: TokenUser, UserID: "u1", Scope: all},
		{ID: "tok_u2", Name: "bob", Kind: TokenUser, UserID: "u2", Scope: Scope{Workflows: []string{"send-*", "reprot", "x-*"}}},
		{ID: "tok_u3", Name: "files-only", Kind: TokenUser, UserID: "u3", Scope: Scope{Workflows: []string{}, Files: []string{"/f/"}}},
	}, []string{"send-invoice", "report"}, now) {
		got = append(got, f.Severity.String()+" "+f.Subject()+": "+f.Message)
		assert.Empty(t, f.Workflow)
	}
	assert.Equal(t, []string{
		`low token tok_a1: admin token "ci" may call every workflow and never expires: scope it or give it an expiry`,
		`info token tok_u2: token "bob": workflow pattern(s) reprot, x-* match no workflow: fix a typo or drop them`,
	}, got)
}

func TestSortFindingsPutsWorkflowsBeforeTokensAtTheSameSeverity(t *testing.T) {
	fs := []Finding{
		{Token: "tok_b", Severity: SeverityLow},
		{Workflow: "Zeta", Severity: SeverityLow},
		{Token: "tok_a", Severity: SeverityLow},
		{Workflow: "alpha", Severity: SeverityLow},
		{Token: "tok_c", Severity: SeverityHigh},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Subject())
	}
	assert.Equal(t, []string{"token tok_c", "alpha", "Zeta", "token tok_a", "token tok_b"}, got)
}
