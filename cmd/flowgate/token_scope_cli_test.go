package main

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// listTokens reads `token list --json` into the type that prints it.
func listTokens(t *testing.T, db string) []tokenJSON {
	t.Helper()
	var toks []tokenJSON
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
	return toks
}

// tokenHistory is the change trail of one token, read through the store.
func tokenHistory(t *testing.T, db, id string) []store.Change {
	t.Helper()
	s, err := store.OpenExisting(db)
	require.NoError(t, err)
	defer s.Close()
	changes, err := s.HistoryOf(context.Background(), store.SubjectToken, id)
	require.NoError(t, err)
	return changes
}

func TestTokenCreateWithAScopeWarnsOncePerPatternThatReachesNothing(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public")
	mustRun(t, db, "files", "add", "/fileupload/")
	r := runCLI(t, db, "token", "create", "--user", "u-1", "--name", "llm", "--quiet",
		"--workflows", " send-* , sned-*,report", "--files", "/fileupload/invoices/,/private/x.pdf")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Regexp(t, `^fgu_\w{36}\n$`, r.Stdout)
	assert.Equal(t, `flowgate: warning: workflow pattern "sned-*" matches no workflow today (kept: check for a typo)
flowgate: warning: workflow pattern "report" matches no workflow today (kept: check for a typo)
flowgate: warning: file pattern "/private/x.pdf" is under no protected prefix, so it grants nothing (add one with `+"`flowgate files add PREFIX`"+`)
`, r.Stderr)

	toks := listTokens(t, db)
	require.Len(t, toks, 1)
	assert.Equal(t, []string{"send-*", "sned-*", "report"}, toks[0].Workflows)
	assert.Equal(t, []string{"/fileupload/invoices/", "/private/x.pdf"}, toks[0].Files)
	assert.Contains(t, mustRun(t, db, "token", "list"), "wf:send-*,sned-*,report files:/fileupload/invoices/,/private/x.pdf")

	// The default scope: every workflow, no file, and no warning.
	r = runCLI(t, db, "token", "create", "--admin", "--name", "ci")
	require.Equal(t, 0, r.Code)
	assert.Empty(t, r.Stderr)
	assert.Contains(t, r.Stdout, "workflows: *\nfiles:     none\n")
	// An empty --workflows is a token that may call no workflow.
	newToken(t, db, "--admin", "--name", "files-only", "--workflows", "", "--files", "/fileupload/")
	toks = listTokens(t, db)
	assert.Equal(t, []string{"*"}, toks[1].Workflows)
	assert.Equal(t, []string{}, toks[1].Files)
	assert.Equal(t, []string{}, toks[2].Workflows, "[] rather than null")
	assert.Contains(t, mustRun(t, db, "token", "list"), "wf:none files:/fileupload/")
}

func TestTokenScopeChangesOnlyTheGivenListsAndIsInTheTrail(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public")
	mustRun(t, db, "add", "report", "--public")
	user := newToken(t, db, "--user", "u-1", "--name", "app", "--files", "/fileupload/")
	id := listTokens(t, db)[0].ID
	check := func() string { return runCmdStdin(t, db, user, "check", "report", "--token", "-").Stdout }
	assert.Equal(t, "allow 200\n", check())

	assert.Equal(t, "scope of "+id+" is now workflows send-*; files /fileupload/\n",
		mustRun(t, db, "token", "scope", id, "--workflows", "send-*"))
	tok := listTokens(t, db)[0]
	assert.Equal(t, []string{"send-*"}, tok.Workflows)
	assert.Equal(t, []string{"/fileupload/"}, tok.Files, "the list not given is kept")

	assert.Equal(t, "scope of "+id+" is now workflows send-*; files none\n", mustRun(t, db, "token", "scope", id, "--files", ""))
	assert.Equal(t, "scope of "+id+" unchanged: workflows send-*; files none\n", mustRun(t, db, "token", "scope", id, "--files", ""))

	var fields []string
	for _, c := range tokenHistory(t, db, id) {
		assert.Equal(t, store.SourceCLI, c.Source)
		assert.NotZero(t, c.Generation)
		fields = append(fields, c.Field+": "+c.Old+" -> "+c.New)
	}
	assert.Equal(t, []string{"files: /fileupload/ -> ", "workflows: * -> send-*"}, fields[:2], "newest first; the unchanged run wrote nothing")
	assert.Len(t, fields, 3, "the creation, then the two changes")

	r := runCLI(t, db, "token", "scope", id, "--workflows", "report", "--files", "/nowhere/")
	require.Equal(t, 0, r.Code)
	assert.Contains(t, r.Stderr, `file pattern "/nowhere/" is under no protected prefix`)
	assert.Equal(t, 1, strings.Count(r.Stderr, "\n"))
}

func TestTokenRotateKeepsTheTokenAndTheOldSecretForTheOverlap(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin")
	old := newToken(t, db, "--admin", "--name", "ci", "--workflows", "send-*")
	before := listTokens(t, db)[0]

	out := mustRun(t, db, "token", "rotate", before.ID)
	m := regexp.MustCompile(`(?m)^token:\s+(fga_\w{36})\nid:\s+(tok_\w+)\n`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	rotated := m[1]
	assert.Equal(t, before.ID, m[2])
	assert.Regexp(t, `(?m)^old secret: works until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`, out)
	assert.Contains(t, out, "only time the new token is shown")
	after := listTokens(t, db)[0]
	assert.Equal(t, before.Name, after.Name)
	assert.Equal(t, before.Kind, after.Kind)
	assert.Equal(t, before.Workflows, after.Workflows)
	assert.Equal(t, rotated[:8], after.Prefix)

	for _, secret := range []string{old, rotated} {
		assert.Equal(t, "allow 200\n", runCmdStdin(t, db, secret, "check", "send-invoice", "--token", "-").Stdout)
	}
	// Rotating with no overlap stops the secret just replaced at once.
	third := strings.TrimSpace(mustRun(t, db, "token", "rotate", before.ID, "--overlap", "0", "--quiet"))
	assert.Regexp(t, `^fga_\w{36}$`, third)
	assert.Equal(t, "allow 200\n", runCmdStdin(t, db, third, "check", "send-invoice", "--token", "-").Stdout)
	for _, secret := range []string{old, rotated} {
		assert.Equal(t, "deny 401 invalid_token: the token is unknown, expired or revoked\n",
			runCmdStdin(t, db, secret, "check", "send-invoice", "--token", "-").Stdout)
	}
	assert.Len(t, tokenHistory(t, db, before.ID), 3, "the creation and two rotations")
}

func TestTokenScopeAndRotateRefuseBadInputWritingNothing(t *testing.T) {
	db := tempDB(t)
	secret := newToken(t, db, "--admin", "--name", "ci")
	revoked := newToken(t, db, "--user", "u", "--name", "gone")
	toks := listTokens(t, db)
	id, gone := toks[0].ID, toks[1].ID
	mustRun(t, db, "token", "revoke", gone)
	before := mustRun(t, db, "token", "list", "--json")
	trail := len(tokenHistory(t, db, id))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"token", "scope", id}, "say what to change: --workflows, --files or both"},
		{[]string{"token", "scope", id, "--workflows", "a b"}, `--workflows: invalid workflow pattern "a b"`},
		{[]string{"token", "scope", id, "--workflows", "a,,b"}, "an item is empty"},
		{[]string{"token", "scope", id, "--workflows", "send,SEND"}, `"SEND" is listed twice`},
		{[]string{"token", "scope", id, "--workflows", "**"}, "** is not a wildcard here"},
		{[]string{"token", "scope", id, "--files", "fileupload/"}, `--files: invalid file pattern "fileupload/"`},
		{[]string{"token", "scope", id, "--files", "/a/../b"}, `--files: invalid file pattern "/a/../b"`},
		{[]string{"token", "scope", "tok_missing", "--files", ""}, `no token with id "tok_missing"`},
		{[]string{"token", "scope", gone, "--files", ""}, "is revoked"},
		{[]string{"token", "scope", secret, "--files", ""}, "that is a secret, not a token id"},
		{[]string{"token", "scope"}, "expected one token id"},
		{[]string{"token", "create", "--admin", "--name", "x", "--workflows", "a/b"}, `--workflows: invalid workflow pattern "a/b"`},
		{[]string{"token", "create", "--admin", "--name", "x", "--files", "/a//b"}, `--files: invalid file pattern "/a//b"`},
		{[]string{"token", "rotate", id, "--overlap", "soon"}, `--overlap: invalid lifetime "soon"`},
		{[]string{"token", "rotate", id, "--overlap", "-1h"}, `--overlap: invalid lifetime "-1h"`},
		{[]string{"token", "rotate", id, "--overlap", "31d"}, "--overlap: 31d is longer than the 30d"},
		{[]string{"token", "rotate", gone}, "is revoked"},
		{[]string{"token", "rotate", "tok_missing"}, `no token with id "tok_missing"`},
		{[]string{"token", "rotate", revoked}, "that is a secret, not a token id"},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
		assert.NotContains(t, r.Stderr, secret[4:], "a pasted secret is not echoed")
		assert.Empty(t, r.Stdout, "%v", c.args)
	}
	assert.Equal(t, before, mustRun(t, db, "token", "list", "--json"), "nothing written")
	assert.Len(t, tokenHistory(t, db, id), trail)
}

// runCmdStdin runs the binary with stdin, for secrets given as "-".
func runCmdStdin(t *testing.T, db, stdin string, args ...string) cliResult {
	t.Helper()
	return runCmd(t, exec.Command(flowgateBin, append([]string{"--db", db}, args...)...), stdin+"\n")
}
