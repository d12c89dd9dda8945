package model

import (
	"fmt"
	"strings"
	"time"
)

// ReviewTokens lists the risky scopes among the tokens usable at now
// (revoked and expired tokens grant nothing, so they are not reviewed),
// sorted like Review's findings. names are the workflows that exist, for
// patterns that reach none of them.
//
//   - An admin token that may call every workflow ('*') and never expires
//     is the "leak would be a disaster" token: low, so a --fail-on low gate
//     asks for a scope or an expiry.
//   - A workflow pattern that matches no workflow grants nothing today: a
//     typo, or a workflow still to come; info.
func ReviewTokens(tokens []TokenGrant, names []string, now time.Time) []Finding {
	var out []Finding
	for _, t := range tokens {
		if TokenStatus(t.ExpiresAt, t.RevokedAt, now) != TokenActive {
			continue
		}
		if t.Kind == TokenAdmin && t.ExpiresAt == nil && hasPattern(t.Scope.Workflows, "*") {
			out = append(out, Finding{Rule: RuleAdminTokenUnscoped, Token: t.ID, Severity: SeverityLow,
				Message: fmt.Sprintf("admin token %q may call every workflow and never expires: scope it or give it an expiry", t.Name)})
		}
		if unmatched := t.Scope.UnmatchedWorkflowPatterns(names); len(unmatched) > 0 {
			out = append(out, Finding{Rule: RuleTokenPatternMatchesNothing, Token: t.ID, Severity: SeverityInfo,
				Message: fmt.Sprintf("token %q: workflow pattern(s) %s match no workflow: fix a typo or drop them",
					t.Name, strings.Join(unmatched, ", "))})
		}
	}
	SortFindings(out)
	return out
}

// hasPattern reports whether patterns holds p exactly.
func hasPattern(patterns []string, p string) bool {
	for _, q := range patterns {
		if q == p {
			return true
		}
	}
	return false
}
