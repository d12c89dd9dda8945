package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mustRunAs is runCLIAs that fails the test unless the command exits 0.
func mustRunAs(t *testing.T, user, db string, args ...string) string {
	t.Helper()
	r := runCLIAs(t, user, db, args...)
	require.Equal(t, 0, r.Code, "flowgate %v: stderr %q", args, r.Stderr)
	return r.Stdout
}

func TestHistoryShowsTokensLinksPrefixesAndWaiversWithoutTheirSecrets(t *testing.T) {
	db := tempDB(t)
	mustRunAs(t, "alice", db, "add", "send-invoice", "--public")
	mustRunAs(t, "alice", db, "files", "add", "/fileupload/")
	created := mustRunAs(t, "bob", db, "token", "create", "--admin", "--name", "ci")
	m := regexp.MustCompile(`(?m)^token:\s+(fga_\S+)\nid:\s+(tok_\S+)$`).FindStringSubmatch(created)
	require.NotNil(t, m, created)
	secret, tok := m[1], m[2]
	mustRunAs(t, "carol", db, "review", "waive", "admin-token-unscoped", tok, "--reason", "rotated monthly")
	mustRunAs(t, "bob", db, "token", "scope", tok, "--workflows", "send-*")
	rotated := strings.TrimSpace(mustRunAs(t, "bob", db, "token", "rotate", tok, "--overlap", "0", "--quiet"))
	require.Regexp(t, `^fga_\w{36}$`, rotated)
	url := strings.TrimSpace(mustRunAs(t, "bob", db, "link", "create", "/fileupload/a.pdf", "--quiet"))
	linkSecret := linkURL.FindStringSubmatch(url)[3]
	var links []linkJSON
	decodeJSON(t, mustRun(t, db, "link", "list", "--json"), &links)
	require.Len(t, links, 1)
	lnk := links[0].ID
	mustRunAs(t, "bob", db, "link", "revoke", lnk)
	mustRunAs(t, "bob", db, "token", "revoke", tok)
	mustRunAs(t, "alice", db, "files", "rm", "/fileupload/")

	type row struct{ kind, id, workflow, field, by string }
	rowsOf := func(args ...string) []row {
		var trail []changeJSON
		decodeJSON(t, mustRun(t, db, append([]string{"history", "--json"}, args...)...), &trail)
		var got []row
		for _, c := range trail {
			got = append(got, row{c.SubjectKind, c.SubjectID, c.Workflow, c.Field, c.By})
		}
		return got
	}
	waiver := row{"waiver", "admin-token-unscoped/token/" + tok, "", "waiver admin-token-unscoped", "carol"}
	tokenRows := []row{
		{"token", tok, "", "revoked", "bob"},
		{"token", tok, "", "secret", "bob"},
		{"token", tok, "", "workflows", "bob"},
		waiver,
		{"token", tok, "", "token", "bob"},
	}
	assert.Equal(t, []row{
		{"files-prefix", "/fileupload/", "", "files-prefix", "alice"},
		tokenRows[0],
		{"link", lnk, "", "revoked", "bob"},
		{"link", lnk, "", "link", "bob"},
		tokenRows[1], tokenRows[2], waiver, tokenRows[4],
		{"files-prefix", "/fileupload/", "", "files-prefix", "alice"},
		{"workflow", "1", "send-invoice", "workflow", "alice"},
	}, rowsOf())
	assert.Equal(t, tokenRows, rowsOf("--token", tok), "a token's trail includes the waivers of its findings")
	assert.Equal(t, []row{{"link", lnk, "", "revoked", "bob"}, {"link", lnk, "", "link", "bob"}}, rowsOf("--link", lnk))
	assert.Equal(t, []row{
		{"files-prefix", "/fileupload/", "", "files-prefix", "alice"},
		{"files-prefix", "/fileupload/", "", "files-prefix", "alice"},
	}, rowsOf("--prefix", "/fileupload/"))

	// Each row carries the generation it produced, newest the highest (a
	// waiver decides nothing, so it leaves the generation where it was).
	var trail []changeJSON
	decodeJSON(t, mustRun(t, db, "history", "--json"), &trail)
	for i := 1; i < len(trail); i++ {
		assert.GreaterOrEqual(t, trail[i-1].Generation, trail[i].Generation, "row %d", i)
	}
	assert.Positive(t, trail[len(trail)-1].Generation)
	assert.Greater(t, trail[0].Generation, trail[1].Generation)

	all := mustRun(t, db, "history")
	assert.Regexp(t, `(?m)^TIME +SUBJECT +FIELD +CHANGE +SOURCE +BY$`, all)
	assert.Regexp(t, `(?m) token `+tok+` +secret +prefix fga_\w{4} → rotated to prefix fga_\w{4}; the old secret stopped at once +cli +bob`, all)
	assert.Regexp(t, `(?m) link `+lnk+` +revoked +— → revoked +cli +bob`, all)
	assert.Regexp(t, `(?m) files-prefix /fileupload/ +files-prefix +— → added`, all)
	assert.Regexp(t, `(?m) token `+tok+` +waiver admin-token-unscoped +— → "rotated monthly", never expires +cli +carol`, all)
	assert.Regexp(t, `(?m) workflow send-invoice +workflow +— → created`, all)
	one := mustRun(t, db, "history", "--token", tok)
	assert.Regexp(t, `^TIME +SUBJECT +FIELD +CHANGE +SOURCE +BY\n`, one)
	assert.Equal(t, 6, strings.Count(one, "\n"))

	for _, out := range []string{all, one, mustRun(t, db, "history", "--json"), mustRun(t, db, "history", "--token", tok, "--json")} {
		for _, s := range []string{secret, rotated, linkSecret, secret[4:], rotated[4:], linkSecret[4:]} {
			assert.NotContains(t, out, s, "a secret in the history")
		}
	}
}

func TestHistoryOfOneWorkflowKeepsItsWorkflowColumnAndShowsNoOtherSubject(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public")
	mustRun(t, db, "files", "add", "/fileupload/")
	newToken(t, db, "--admin", "--name", "ci")
	out := mustRun(t, db, "history", "send-invoice")
	assert.Regexp(t, `^TIME +WORKFLOW +FIELD +CHANGE +SOURCE +BY\n`+
		`\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  send-invoice  workflow  — → created: public=true auth=user method=POST ignore_privacy_rules=false  cli +\S+\n$`, out)

	var trail []map[string]any
	decodeJSON(t, mustRun(t, db, "history", "send-invoice", "--json"), &trail)
	require.Len(t, trail, 1)
	for _, key := range []string{"time", "workflow", "field", "old", "new", "source", "detail", "by", "os_user"} {
		assert.Contains(t, trail[0], key)
	}
	assert.Equal(t, "workflow", trail[0]["subject_kind"])
	assert.Equal(t, "1", trail[0]["subject_id"])
	assert.Positive(t, trail[0]["generation"])
}

func TestHistoryRefusesTwoSubjectsOrAnUnknownOneInOneLine(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--token", "tok_nope"}, `no token "tok_nope" has any history (see ` + "`flowgate token list`)"},
		{[]string{"--link", "lnk_nope"}, `no share link "lnk_nope" has any history (see ` + "`flowgate link list`)"},
		{[]string{"--prefix", "/fileupload"}, `no protected prefix "/fileupload" has any history (see ` + "`flowgate files list`)"},
		{[]string{"--token", "\x1b[2J"}, `no token "\x1b[2J" has any history`},
		{[]string{"--token", ""}, "--token needs a value"},
		{[]string{"send-invoice", "--token", "tok_x"}, "name one subject"},
		{[]string{"--link", "lnk_x", "--prefix", "/x/"}, "name one subject"},
		{[]string{"a", "b"}, "expected at most one workflow name"},
		{[]string{"nope"}, `no workflow named "nope" has any history`},
	} {
		r := runCLI(t, db, append([]string{"history"}, tc.args...)...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want, "%v", tc.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "%v: %q", tc.args, r.Stderr)
		assert.NotContains(t, r.Stderr, "\x1b", "%v", tc.args)
		assert.Empty(t, r.Stdout, "%v", tc.args)
	}
}

func TestPrintableEscapesWhatWouldDriveTheTerminal(t *testing.T) {
	assert.Equal(t, "send-invoice → ü", printable("send-invoice → ü"))
	assert.Equal(t, `d\x1b[2Jx`, printable("d\x1b[2Jx"))
	assert.Equal(t, `a\tb\r\n`, printable("a\tb\r\n"))
	assert.Equal(t, `\xff`, printable("\xff"))
}
