package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilesAddListRm(t *testing.T) {
	db := emptyDB(t)
	out := mustRun(t, db, "files", "add", "/fileupload/", "--description", "user uploads")
	assert.Equal(t, "protected /fileupload/\n"+
		"note: every gateway configuration must send /fileupload/ to flowgate too, or it protects nothing behind it: see docs/gateways.md\n", out)
	mustRun(t, db, "files", "add", "/exports/")
	admin := newToken(t, db, "--admin", "--name", "ci")

	var list []map[string]any
	decodeJSON(t, mustRun(t, db, "files", "list", "--json"), &list)
	require.Len(t, list, 2)
	assert.ElementsMatch(t, []string{"prefix", "description", "created_at"}, mapKeys(list[0]))
	assert.Equal(t, "/exports/", list[0]["prefix"], "sorted")
	assert.Equal(t, "", list[0]["description"])
	assert.Equal(t, "user uploads", list[1]["description"])
	assert.Regexp(t, `(?m)^/fileupload/\s+user uploads\s+\d{4}-`, mustRun(t, db, "files", "list"))

	assert.Equal(t, "deny 403 insufficient_scope: this token may not read this file\n", runCLI(t, db, "check", "/exports/a.csv", "--token", admin).Stdout)
	assert.Equal(t, "removed /exports/: flowgate no longer treats paths under it as private files\n"+
		"  they get what any path that is no workflow gets: 404 not_found from serve and its forward-auth endpoints\n",
		mustRun(t, db, "files", "rm", "/exports/"))
	assert.Equal(t, "deny 404 not_found: no API workflow or protected file at this path\n",
		runCLI(t, db, "check", "/exports/a.csv", "--token", admin).Stdout, "what the message says: any other path's 404")
	decodeJSON(t, mustRun(t, db, "files", "list", "--json"), &list)
	require.Len(t, list, 1)

	mustRun(t, db, "files", "rm", "/fileupload/")
	assert.Equal(t, "[]\n", mustRun(t, db, "files", "list", "--json"))
	assert.Contains(t, mustRun(t, db, "files", "list"), "No protected prefixes yet")
}

func TestFilesRefuseBadInputWritingNothing(t *testing.T) {
	db := emptyDB(t)
	mustRun(t, db, "files", "add", "/fileupload/")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"files", "add", "/fileupload/"}, "prefix /fileupload/ already exists (see `flowgate files list`)"},
		{[]string{"files", "add", "/FileUpload/"}, "already exists as /fileupload/"},
		{[]string{"files", "add", "fileupload/"}, `invalid prefix "fileupload/"`},
		{[]string{"files", "add", "/fileupload"}, `invalid prefix "/fileupload"`},
		{[]string{"files", "add", "/a/../b/"}, `invalid prefix "/a/../b/"`},
		{[]string{"files", "add", "/api/1.1/wf/"}, `invalid prefix "/api/1.1/wf/"`},
		{[]string{"files", "add", "/x/", "--description", "a\tb"}, "control character"},
		{[]string{"files", "add"}, "expected one prefix"},
		{[]string{"files", "rm", "/nope/"}, `no protected prefix "/nope/"`},
		{[]string{"files", "rm", "/FILEUPLOAD/"}, `no protected prefix "/FILEUPLOAD/"`},
		{[]string{"files", "list", "extra"}, `unexpected argument "extra"`},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
		assert.Empty(t, r.Stdout)
	}
	var list []map[string]any
	decodeJSON(t, mustRun(t, db, "files", "list", "--json"), &list)
	require.Len(t, list, 1, "nothing written")
	assert.Equal(t, "/fileupload/", list[0]["prefix"])

	r := runCLI(t, tempDB(t), "files", "rm", "/fileupload/")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "does not exist", "rm never creates a database")
}

// linkURL matches the URL link create prints: the path and one fg_link
// secret in the token format (fgl_, 30 random and 6 checksum characters).
var linkURL = regexp.MustCompile(`^(https?://[^/]+)?(/[^?]*)\?fg_link=(fgl_[0-9A-Za-z]{36})$`)

func TestLinkCreateListRevoke(t *testing.T) {
	db := emptyDB(t)
	mustRun(t, db, "files", "add", "/fileupload/")
	out := mustRun(t, db, "link", "create", "/fileupload/invoices/march report.pdf", "--name", "llm",
		"--expires", "2h", "--base-url", "https://app.example.com/")
	m := regexp.MustCompile(`(?m)^url:\s+(\S+)\nid:\s+(lnk_\w{12})\npath:\s+(.+)\nexpires:\s+(.+)\n`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	u := linkURL.FindStringSubmatch(m[1])
	require.NotNil(t, u, m[1])
	assert.Equal(t, "https://app.example.com", u[1])
	assert.Equal(t, "/fileupload/invoices/march%20report.pdf", u[2], "the path escaped as a URL")
	assert.Equal(t, "/fileupload/invoices/march report.pdf", m[3])
	assert.Contains(t, out, "only time the link is shown")
	id, secret := m[2], u[3]

	quiet := strings.TrimSpace(mustRun(t, db, "link", "create", "/fileupload/a.pdf", "--quiet"))
	q := linkURL.FindStringSubmatch(quiet)
	require.NotNil(t, q, quiet)
	assert.Equal(t, "", q[1], "no base URL: the path alone")
	assert.NotEqual(t, secret, q[3])

	var links []map[string]any
	decodeJSON(t, mustRun(t, db, "link", "list", "--json"), &links)
	require.Len(t, links, 2)
	assert.ElementsMatch(t, []string{"id", "name", "path", "created_at", "expires_at", "last_used_at", "revoked_at"}, mapKeys(links[0]))
	assert.Equal(t, id, links[0]["id"])
	assert.Equal(t, "llm", links[0]["name"])
	assert.Equal(t, "/fileupload/invoices/march report.pdf", links[0]["path"])
	assert.Nil(t, links[0]["last_used_at"])
	assert.Nil(t, links[0]["revoked_at"])
	text := mustRun(t, db, "link", "list")
	assert.Contains(t, text, id)
	assert.NotContains(t, text, secret[4:], "a listing never shows a secret")
	assert.NotContains(t, mustRun(t, db, "link", "list", "--json"), secret[4:])

	assert.Equal(t, "revoked "+id+"\n", mustRun(t, db, "link", "revoke", id))
	again := mustRun(t, db, "link", "revoke", id)
	assert.Regexp(t, `^already revoked: link `+id+` was revoked at \S+; nothing changed\n$`, again)
	decodeJSON(t, mustRun(t, db, "link", "list", "--json"), &links)
	assert.NotNil(t, links[0]["revoked_at"])

	// Removing the prefix revokes the links it alone covered, and says so.
	assert.Contains(t, mustRun(t, db, "files", "rm", "/fileupload/"), "revoked 1 share link that no protected prefix covers any more")
}

func TestLinkRefusesBadInputWritingNothing(t *testing.T) {
	db := emptyDB(t)
	mustRun(t, db, "files", "add", "/fileupload/")
	secret := linkURL.FindStringSubmatch(strings.TrimSpace(mustRun(t, db, "link", "create", "/fileupload/a.pdf", "--quiet")))[3]
	before := mustRun(t, db, "link", "list", "--json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"link", "create", "/other/a.pdf"}, "path /other/a.pdf is not under a protected prefix"},
		{[]string{"link", "create", "/fileupload/"}, "a link opens one file, not a folder"},
		{[]string{"link", "create", "/fileupload/*.pdf"}, "* is not allowed"},
		{[]string{"link", "create", "/fileupload/../etc/passwd"}, `invalid link path "/fileupload/../etc/passwd"`},
		{[]string{"link", "create", "fileupload/a.pdf"}, `invalid link path "fileupload/a.pdf"`},
		{[]string{"link", "create", "/fileupload/a.pdf", "--expires", "8d"}, "a share link lasts at most 7d"},
		{[]string{"link", "create", "/fileupload/a.pdf", "--expires", "0"}, `--expires: invalid lifetime "0"`},
		{[]string{"link", "create", "/fileupload/a.pdf", "--name", "a\nb"}, "control character"},
		{[]string{"link", "create", "/fileupload/a.pdf", "--base-url", "app.example.com"}, "it is not http or https"},
		{[]string{"link", "create", "/fileupload/a.pdf", "--base-url", "https://app.example.com/files"}, "it has a path, query or fragment"},
		{[]string{"link", "create", "/fileupload/a.pdf", "--base-url", "https://app.example.com?x=1"}, "it has a path, query or fragment"},
		{[]string{"link", "create", "/fileupload/a.pdf", "--base-url", "https://me@app.example.com"}, "it has a user name"},
		{[]string{"link", "create", "/fileupload/a.pdf", "--base-url", "https://"}, "it has no host"},
		{[]string{"link", "create"}, "expected one file path"},
		{[]string{"link", "revoke", "lnk_missing"}, `no link with id "lnk_missing"`},
		{[]string{"link", "revoke", secret}, "that is a secret, not a link id"},
		{[]string{"link", "revoke"}, "expected one link id"},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
		assert.NotContains(t, r.Stderr, secret[4:], "a pasted secret is not echoed")
		assert.Empty(t, r.Stdout)
	}
	assert.Equal(t, before, mustRun(t, db, "link", "list", "--json"), "nothing written")
}
