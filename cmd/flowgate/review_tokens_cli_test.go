package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReviewListsTokenFindingsWithATokenKeyAndGatesOnThem(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin")
	mustRun(t, db, "review", "--fail-on", "low")
	newToken(t, db, "--admin", "--name", "ci")
	newToken(t, db, "--admin", "--name", "ci-scoped", "--workflows", "send-*")
	newToken(t, db, "--admin", "--name", "ci-expiring", "--expires", "30d")
	newToken(t, db, "--user", "u-1", "--name", "app", "--workflows", "send-*,sned-*")
	toks := listTokens(t, db)

	var doc struct {
		Findings []map[string]string `json:"findings"`
	}
	decodeJSON(t, mustRun(t, db, "review", "--json"), &doc)
	require.Len(t, doc.Findings, 2)
	assert.Equal(t, map[string]string{"rule": "admin-token-unscoped", "token": toks[0].ID, "severity": "low",
		"message": `admin token "ci" may call every workflow and never expires: scope it or give it an expiry`}, doc.Findings[0])
	assert.Equal(t, map[string]string{"rule": "token-pattern-matches-nothing", "token": toks[3].ID, "severity": "info",
		"message": `token "app": workflow pattern(s) sned-* match no workflow: fix a typo or drop them`}, doc.Findings[1])

	text := mustRun(t, db, "review")
	assert.Contains(t, text, "LOW   token "+toks[0].ID+"  admin-token-unscoped           admin token \"ci\"")
	assert.Contains(t, text, "INFO  token "+toks[3].ID+"  token-pattern-matches-nothing  token \"app\"")

	r := runCLI(t, db, "review", "--fail-on", "low")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "flowgate: review gate failed: 1 finding(s) at or above low\n", r.Stderr)
	// Revoking the token clears its finding.
	mustRun(t, db, "token", "revoke", toks[0].ID)
	mustRun(t, db, "review", "--fail-on", "low")
}
