package main

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reviewDoc is `review --json` as a script reads it.
type reviewDoc struct {
	Findings []map[string]string `json:"findings"`
	Waived   []struct {
		Rule, Workflow, Token, Severity string
		Waiver                          waiverJSON `json:"waiver"`
	} `json:"waived"`
}

// reviewFindings runs `review --json` and returns "rule subject" of each
// open finding and of each waived one.
func reviewFindings(t *testing.T, db string) (open, waived []string) {
	t.Helper()
	var doc reviewDoc
	decodeJSON(t, mustRun(t, db, "review", "--json"), &doc)
	for _, f := range doc.Findings {
		open = append(open, f["rule"]+" "+f["workflow"]+f["token"])
	}
	for _, w := range doc.Waived {
		waived = append(waived, w.Rule+" "+w.Workflow+w.Token)
	}
	return open, waived
}

func TestFindingsHaveRulesAndEvidenceAndAPasswordIsNoSecret(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json") // signup takes email and password
	var doc reviewDoc
	decodeJSON(t, mustRun(t, db, "review", "--json"), &doc)
	byRule := map[string][]string{}
	for _, f := range doc.Findings {
		byRule[f["rule"]] = append(byRule[f["rule"]], f["workflow"])
		if f["rule"] == "shared-secret-parameter" {
			assert.Equal(t, "uses the shared-secret parameter `api_key`: make it Admin only and drop the parameter", f["message"])
		}
	}
	assert.Equal(t, map[string][]string{
		"open-ignores-privacy":    {"signup"},
		"open":                    {"stripe-webhook"},
		"shared-secret-parameter": {"stripe-webhook"},
		"migrated-auth":           {"list-invoices", "nightly-cleanup", "send-invoice", "signup", "stripe-webhook"},
	}, byRule, "signup's password is not a shared secret")

	text := mustRun(t, db, "review")
	assert.Contains(t, text, "MEDIUM  stripe-webhook  shared-secret-parameter  uses the shared-secret parameter `api_key`")
	assert.Contains(t, text, "\n5 workflows keep the auth the old checkbox gave them: confirm with `flowgate review confirm-migrated --all`\n")
	assert.NotContains(t, text, "migrated-auth", "one line stands for them all")
	help := mustRun(t, db, "review", "--help")
	for _, rule := range []string{"open", "open-ignores-privacy", "users-ignores-privacy", "shared-secret-parameter",
		"migrated-auth", "admin-token-unscoped", "token-pattern-matches-nothing"} {
		assert.Contains(t, help, "\n  "+rule+" ", "the help documents every rule")
	}
}

func TestWaiveAndUnwaiveRoundTripThroughReviewAndTheGate(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json")
	mustRun(t, db, "review", "confirm-migrated", "--all")
	gate := func(sev string) int { return runCLI(t, db, "review", "--fail-on", sev).Code }
	require.Equal(t, 1, gate("medium"))

	out := mustRun(t, db, "--by", "alice", "review", "waive", "open-ignores-privacy", "SIGNUP", "--reason", "login flow", "--expires", "30d")
	assert.Regexp(t, `^Waived open-ignores-privacy for signup \(until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\): review lists it as waived`, out)
	mustRun(t, db, "review", "waive", "open", "stripe-webhook", "--reason", "stripe signs its calls")
	assert.Equal(t, 1, gate("medium"), "the shared-secret finding of stripe-webhook is not waived")
	mustRun(t, db, "review", "waive", "shared-secret-parameter", "stripe-webhook", "--reason", "checked by the handler")
	assert.Equal(t, 0, gate("low"))

	open, waived := reviewFindings(t, db)
	assert.Empty(t, open)
	assert.Equal(t, []string{"open-ignores-privacy signup", "open stripe-webhook", "shared-secret-parameter stripe-webhook"}, waived)
	var doc reviewDoc
	decodeJSON(t, mustRun(t, db, "review", "--json"), &doc)
	assert.Equal(t, "login flow", doc.Waived[0].Waiver.Reason)
	assert.Equal(t, "alice", doc.Waived[0].Waiver.By)
	assert.Equal(t, osActor(), doc.Waived[0].Waiver.OSUser)
	assert.NotNil(t, doc.Waived[0].Waiver.ExpiresAt)
	assert.Nil(t, doc.Waived[1].Waiver.ExpiresAt)

	text := mustRun(t, db, "review")
	assert.Contains(t, text, "No findings.\nWaived (3, not counted by --fail-on")
	assert.Contains(t, text, "\nWAIVED  HIGH    signup          open-ignores-privacy     \"login flow\" by alice")

	mustRun(t, db, "review", "unwaive", "open", "stripe-webhook")
	assert.Equal(t, 1, gate("medium"))
	open, _ = reviewFindings(t, db)
	assert.Equal(t, []string{"open stripe-webhook"}, open)

	// An expired waiver stops applying and is listed as expired.
	raw, err := sql.Open("sqlite3", db)
	require.NoError(t, err)
	_, err = raw.Exec(`UPDATE waivers SET expires_at = '2000-01-01T00:00:00.000000000Z' WHERE rule = 'open-ignores-privacy'`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())
	assert.Equal(t, 1, gate("high"))
	var list struct{ Waivers []waiverJSON }
	decodeJSON(t, mustRun(t, db, "review", "--waived", "--json"), &list)
	require.Len(t, list.Waivers, 2)
	assert.Equal(t, "expired", list.Waivers[0].State)
	assert.Equal(t, "applies", list.Waivers[1].State)
	assert.Contains(t, mustRun(t, db, "review", "--waived"), "open-ignores-privacy     signup          \"login flow\"")

	trail := mustRun(t, db, "history", "stripe-webhook")
	assert.Contains(t, trail, "waiver open ")
	assert.Contains(t, trail, `"stripe signs its calls", never expires → removed`)
}

func TestTokenFindingsAreWaivedByTokenID(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "sync", "--public", "--auth", "admin")
	newToken(t, db, "--admin", "--name", "deploy")
	id := listTokens(t, db)[0].ID
	assert.Equal(t, 1, runCLI(t, db, "review", "--fail-on", "low").Code)
	mustRun(t, db, "review", "waive", "admin-token-unscoped", id, "--reason", "the deploy token")
	mustRun(t, db, "review", "--fail-on", "low")
	_, waived := reviewFindings(t, db)
	assert.Equal(t, []string{"admin-token-unscoped " + id}, waived)
}

func TestBadWaiversAndConfirmationsExitTwoAndWriteNothing(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json")
	mustRun(t, db, "review", "waive", "open", "stripe-webhook", "--reason", "ok")
	mustRun(t, db, "review", "confirm-migrated", "list-invoices")
	before := mustRun(t, db, "history", "--json")
	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"review", "waive", "opn", "signup", "--reason", "x"}, `unknown rule "opn": use one of open-ignores-privacy, open,`},
		{[]string{"review", "waive", "open", "nope", "--reason", "x"}, `no workflow named "nope"`},
		{[]string{"review", "waive", "admin-token-unscoped", "tok_nope", "--reason", "x"}, `no token with id "tok_nope"`},
		{[]string{"review", "waive", "open", "signup", "--reason", "x"}, "signup has no open finding to waive (its findings: open-ignores-privacy, migrated-auth)"},
		{[]string{"review", "waive", "open", "send-invoice", "--reason", "x"}, "send-invoice has no open finding to waive"},
		{[]string{"review", "waive", "open-ignores-privacy", "signup"}, "--reason is required"},
		{[]string{"review", "waive", "open-ignores-privacy", "signup", "--reason", "x", "--expires", "soon"}, `--expires: invalid lifetime "soon"`},
		{[]string{"review", "waive", "open-ignores-privacy", "signup", "--reason", "bad\x1b[2J"}, "invalid waiver reason"},
		{[]string{"review", "waive", "open"}, "expected 2 arguments, got 1"},
		{[]string{"review", "unwaive", "open", "signup"}, "no waiver of open for signup"},
		{[]string{"review", "unwaive", "nope", "signup"}, `unknown rule "nope"`},
		{[]string{"review", "confirm-migrated"}, "name the workflows to confirm, or --all"},
		{[]string{"review", "confirm-migrated", "signup", "--all"}, "give workflow names or --all, not both"},
		{[]string{"review", "confirm-migrated", "signup", "list-invoices"}, "workflow list-invoices has no migrated auth to confirm; nothing was confirmed"},
		{[]string{"review", "confirm-migrated", "signup", "nope"}, `no workflow named "nope"`},
		{[]string{"review", "--waived", "--fail-on", "low"}, "--waived lists the waivers"},
		{[]string{"--by", "", "review", "waive", "open-ignores-privacy", "signup", "--reason", "x"}, "--by: the name is empty"},
		{[]string{"--by", "eve\x1b[2J", "review", "waive", "open-ignores-privacy", "signup", "--reason", "x"}, "--by: invalid name: control character U+001B at position 4 is not allowed"},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%q", c.args)
		assert.Contains(t, r.Stderr, c.stderr, "%q", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
	assert.Equal(t, before, mustRun(t, db, "history", "--json"), "nothing was written")
}

func TestConfirmMigratedClearsTheFindingsInOneRecordedTransaction(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json")
	out := mustRun(t, db, "--by", "carol", "review", "confirm-migrated", "send-invoice", "Send-Invoice", "signup")
	assert.Equal(t, "Confirmed the Authentication of send-invoice, signup.\n", out)
	assert.Contains(t, mustRun(t, db, "review"), "\n3 workflows keep the auth the old checkbox gave them")
	mustRun(t, db, "review", "confirm-migrated", "list-invoices", "nightly-cleanup")
	assert.Contains(t, mustRun(t, db, "review"),
		"\n1 workflow (stripe-webhook) keeps the auth the old checkbox gave it: confirm with `flowgate review confirm-migrated stripe-webhook`\n")
	mustRun(t, db, "review", "confirm-migrated", "--all")
	open, _ := reviewFindings(t, db)
	assert.NotContains(t, strings.Join(open, ","), "migrated-auth")
	assert.Equal(t, "No workflow has a migrated auth to confirm.\n", mustRun(t, db, "review", "confirm-migrated", "--all"))

	var trail []changeJSON
	decodeJSON(t, mustRun(t, db, "history", "signup", "--json"), &trail)
	assert.Equal(t, "auth_migrated", trail[0].Field)
	assert.Equal(t, "true", trail[0].Old)
	assert.Equal(t, "false", trail[0].New)
	assert.Equal(t, "carol", trail[0].By)
	shown := mustRun(t, db, "show", "signup", "--json")
	assert.Contains(t, shown, `"auth": "none"`, "the setting itself is kept")
}
