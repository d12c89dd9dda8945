package main

// These tests need the checker of issue 10 (token scopes in decisions, file
// prefixes, share links), merged to main from branch h10c.

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckDecidesAFileWithATokenOrAShareLink(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public")
	mustRun(t, db, "add", "report", "--public")
	mustRun(t, db, "files", "add", "/fileupload/")
	admin := newToken(t, db, "--admin", "--name", "ci")
	reader := newToken(t, db, "--user", "u-1", "--name", "reader", "--workflows", "send-*", "--files", "/fileupload/invoices/")
	url := strings.TrimSpace(mustRun(t, db, "link", "create", "/fileupload/invoices/a.pdf", "--quiet"))
	link := linkURL.FindStringSubmatch(url)[3]
	const (
		allow     = "allow 200\n"
		invalid   = "deny 401 invalid_token: the token is unknown, expired or revoked\n"
		notFound  = "deny 404 not_found: no such file path: the path is not in canonical form\n"
		fileScope = "deny 403 insufficient_scope: this token may not read this file\n"
	)
	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"/fileupload/invoices/a.pdf", "--token", reader}, "", allow},
		{[]string{"/fileupload/invoices/b.pdf", "--token", "-"}, reader, allow},
		{[]string{"/fileupload/invoices/a.pdf", "--token", reader, "--method", "head"}, "", allow},
		{[]string{"/fileupload/other/a.pdf", "--token", reader}, "", fileScope},
		{[]string{"/fileupload/invoices/a.pdf", "--token", admin}, "", fileScope},
		{[]string{"/fileupload/invoices/a.pdf"}, "", "deny 401 missing_token: this file requires a bearer token or a share link\n"},
		{[]string{"/fileupload/invoices/a.pdf", "--token", reader, "--method", "put"}, "", "deny 405 method_not_allowed: files only accept GET and HEAD\n"},
		{[]string{"/fileupload/invoices/../other/a.pdf", "--token", reader}, "", notFound},
		{[]string{"/fileupload/invoices%2Fa.pdf", "--token", reader}, "", notFound},
		{[]string{"/fileupload/invoices/a.pdf", "--link", link}, "", allow},
		{[]string{"/fileupload/invoices/a.pdf", "--link", "-"}, link, allow},
		{[]string{"/fileupload/invoices/b.pdf", "--link", link}, "", invalid},
		{[]string{"send-invoice", "--link", link}, "", invalid},
		{[]string{"/fileupload/invoices/a.pdf", "--link", "fgl_garbage"}, "", invalid},
		{[]string{"report", "--token", reader}, "", "deny 403 insufficient_scope: this token may not call report\n"},
		{[]string{"/api/1.1/wf/send-invoice", "--token", reader}, "", allow},
	} {
		r := runCmdStdin(t, db, c.stdin, append([]string{"check"}, c.args...)...)
		assert.Equal(t, c.want, r.Stdout, "%v", c.args)
		assert.Equal(t, map[bool]int{true: 0, false: 1}[c.want == allow], r.Code, "%v", c.args)
		assert.Empty(t, r.Stderr)
	}

	var links []struct{ ID string }
	decodeJSON(t, mustRun(t, db, "link", "list", "--json"), &links)
	mustRun(t, db, "link", "revoke", links[0].ID)
	assert.Equal(t, invalid, runCLI(t, db, "check", "/fileupload/invoices/a.pdf", "--link", link).Stdout, "refused once revoked")
	mustRun(t, db, "token", "scope", listTokens(t, db)[1].ID, "--files", "")
	assert.Equal(t, fileScope, runCLI(t, db, "check", "/fileupload/invoices/a.pdf", "--token", reader).Stdout, "refused once out of scope")
}
