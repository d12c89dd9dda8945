package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckTakesAWorkflowPathAsTheNameItNames(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin")
	mustRun(t, db, "add", "feed", "--public", "--auth", "none", "--method", "GET")
	admin := newToken(t, db, "--admin", "--name", "ci")
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"/api/1.1/wf/send-invoice", "--token", admin}, "allow 200\n", 0},
		{[]string{"/version-test/api/1.1/wf/send-invoice", "--token", admin}, "allow 200\n", 0},
		{[]string{"/api/1.1/wf/send-invoice"}, "deny 401 missing_token: this workflow requires a bearer token\n", 1},
		{[]string{"/api/1.1/wf/feed"}, "allow 200\n", 0},
		{[]string{"/api/1.1/wf/feed", "--method", "post"}, "deny 405 method_not_allowed: this workflow only accepts GET\n", 1},
		// A path is decided as sent, as a live call would be: no such
		// workflow, or a spelling the checker refuses, is a denial, not bad input.
		{[]string{"/api/1.1/wf/nope", "--token", admin}, "deny 404 not_found: no public API workflow with this name\n", 1},
		{[]string{"/api/1.1/wf//send-invoice", "--token", admin}, "deny 404 not_found: no public API workflow with this name\n", 1},
		{[]string{"/api/1.1/wf/send%2Dinvoice", "--token", admin}, "deny 404 not_found: no public API workflow with this name\n", 1},
	} {
		r := runCLI(t, db, append([]string{"check"}, c.args...)...)
		assert.Equal(t, c.want, r.Stdout, "%v", c.args)
		assert.Equal(t, c.code, r.Code, "%v", c.args)
		assert.Empty(t, r.Stderr)
	}
}

func TestCheckRefusesBadInputInOneLine(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public")
	mustRun(t, db, "files", "add", "/fileupload/")
	admin := newToken(t, db, "--admin", "--name", "ci")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/fileupload/a.pdf?fg_link=x"}, "give the path without a query or fragment"},
		{[]string{"/fileupload/a.pdf#top"}, "give the path without a query or fragment"},
		{[]string{"/fileupload/a.pdf", "--token", admin, "--link", "fgl_x"}, "--token and --link exclude each other"},
		{[]string{"/fileupload/a.pdf", "--link", "-"}, "--link -: nothing on stdin"},
		{[]string{"send-invoice", "--token", "-"}, "--token -: nothing on stdin"},
		{[]string{"/fileupload/a.pdf", "--method", "G T"}, `--method: invalid method "G T"`},
		{[]string{"nope"}, `no workflow named "nope"`},
		{[]string{}, "expected one workflow name or path"},
	} {
		r := runCLI(t, db, append([]string{"check"}, c.args...)...) // stdin is empty
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
		assert.NotContains(t, r.Stderr, admin[4:])
		assert.Empty(t, r.Stdout)
	}
	// An empty line on stdin (an unset variable piped in) is bad input,
	// not an empty credential to decide on.
	for _, c := range []struct{ target, flag, stdin string }{
		{"send-invoice", "--token", "\n"}, {"send-invoice", "--token", "  \r\n"}, {"/fileupload/a.pdf", "--link", "\n"},
	} {
		cmd := exec.Command(flowgateBin, "--db", db, "check", c.target, c.flag, "-")
		r := runCmd(t, cmd, c.stdin)
		assert.Equal(t, 2, r.Code, "%v", c)
		assert.Equal(t, "flowgate: "+c.flag+" -: the secret on stdin is empty\n", r.Stderr, "%v", c)
		assert.Empty(t, r.Stdout)
	}
}
