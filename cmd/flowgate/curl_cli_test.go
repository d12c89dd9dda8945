package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// curlFixture is a flowgate export with one public workflow per
// Authentication choice, both methods, body and query parameters, and one
// whose parameter keys and types try to break out of the printed command.
const curlFixture = `{"flowgate_export": 1, "workflows": [
 {"name": "signup", "public": true, "auth": "none", "method": "POST", "parameters": [
   {"key": "email", "type": "text", "in": "body"}, {"key": "age", "type": "number", "in": "body", "optional": true},
   {"key": "ref", "type": "text", "in": "query"}]},
 {"name": "get-invoice", "public": true, "auth": "user", "method": "GET", "parameters": [
   {"key": "invoice_id", "type": "text", "in": "query"}, {"key": "tags", "type": "text", "in": "body", "is_list": true}]},
 {"name": "refund", "public": true, "auth": "admin", "method": "POST", "parameters": [
   {"key": "paid", "type": "yes / no", "in": "body"}]},
 {"name": "hostile", "public": true, "auth": "user", "method": "POST", "parameters": [
   {"key": "a'; touch PWNED1; echo '", "type": "text", "in": "body"},
   {"key": "b\ntouch PWNED2", "type": "text\n$(touch PWNED3)", "in": "body"},
   {"key": "c\"$(touch PWNED4)", "type": "text", "in": "query"}]},
 {"name": "nightly", "public": false, "auth": "user", "method": "POST", "parameters": []}
]}`

// runPrintedCurl runs what `flowgate curl` printed with bash in dir, the
// token in $FLOWGATE_TOKEN, and curl told to print the status after the
// body; it returns the status line and the body.
func runPrintedCurl(t *testing.T, dir, printed, token string) (status, body string) {
	t.Helper()
	script := "curl() { command curl -sS -w '\\n%{http_code}' \"$@\"; }\n" + printed
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FLOWGATE_TOKEN="+token)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "bash: %s\n%s", out, printed)
	text := strings.TrimRight(string(out), "\n")
	i := strings.LastIndexByte(text, '\n')
	require.Positive(t, i, "no status line: %q", text)
	return text[i+1:], text[:i]
}

func TestCurlOutputRunAgainstServeGetsTheAnswerOfEachAuthentication(t *testing.T) {
	_, err := exec.LookPath("curl")
	require.NoError(t, err, "this test runs curl (.ci/run installs it)")
	dir := t.TempDir()
	db := filepath.Join(dir, "flowgate.db")
	fixture := filepath.Join(dir, "settings.json")
	require.NoError(t, os.WriteFile(fixture, []byte(curlFixture), 0o600))
	mustRun(t, db, "import", fixture)
	admin := newToken(t, db, "--admin", "--name", "ops")
	user := newToken(t, db, "--user", "u_1", "--name", "app")
	srv := startServe(t, db)
	base := "http://" + srv.addr

	for _, c := range []struct {
		workflow, token, want string
	}{
		{"signup", "", "200"},
		{"get-invoice", user, "200"},
		{"get-invoice", admin, "200"},
		{"refund", admin, "200"},
		{"hostile", user, "200"},
		{"get-invoice", "fgu_not-a-token", "401"},
		{"refund", user, "403"},
		// $FLOWGATE_TOKEN unset: the header is still sent, empty, as the
		// printed comment and README say.
		{"get-invoice", "", "400"},
		{"refund", "", "400"},
	} {
		printed := mustRun(t, db, "curl", c.workflow, "--base-url", base)
		status, body := runPrintedCurl(t, dir, printed, c.token)
		assert.Equal(t, c.want, status, "%s with token %.4s: %s\n%s", c.workflow, c.token, body, printed)
	}
	pwned, err := filepath.Glob(filepath.Join(dir, "PWNED*"))
	require.NoError(t, err)
	assert.Empty(t, pwned, "a parameter key ran a command")
}

func TestCurlPrintsMethodPathTokenKindAndPlaceholders(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "flowgate.db")
	fixture := filepath.Join(dir, "settings.json")
	require.NoError(t, os.WriteFile(fixture, []byte(curlFixture), 0o600))
	mustRun(t, db, "import", fixture)

	assert.Equal(t, `# POST /api/1.1/wf/signup: None required
# anyone may call it: no token needed
# parameters: email (text), age (number, optional), ref (text)
curl -X POST 'http://127.0.0.1:8420/api/1.1/wf/signup?ref=REF' \
  -H 'Content-Type: application/json' \
  -d '{"email": "EMAIL", "age": 0}'
`, mustRun(t, db, "curl", "signup"))

	get := mustRun(t, db, "curl", "get-invoice", "--base-url", "https://app.example.com/")
	assert.Contains(t, get, "curl -X GET 'https://app.example.com/api/1.1/wf/get-invoice?invoice_id=INVOICE_ID&tags=TAGS'")
	assert.Contains(t, get, "# needs a user or admin token in $FLOWGATE_TOKEN (flowgate token create --user ID, or --admin); unset, an empty Bearer is sent: 400\n")
	assert.Contains(t, get, `-H "Authorization: Bearer $FLOWGATE_TOKEN"`)
	assert.NotContains(t, get, "-d ", "a GET has no body")

	refund := mustRun(t, db, "curl", "refund")
	assert.Contains(t, refund, "# needs an admin token in $FLOWGATE_TOKEN (flowgate token create --admin); a user token gets 403; unset, an empty Bearer is sent: 400\n")
	assert.Contains(t, refund, `-d '{"paid": false}'`)

	hostile := mustRun(t, db, "curl", "hostile")
	assert.Contains(t, hostile, `# parameters: a'; touch PWNED1; echo ' (text), "b\ntouch PWNED2" ("text\n$(touch PWNED3)"), c"$(touch PWNED4) (text)`)

	r := runCLI(t, db, "curl", "nightly")
	assert.Equal(t, 1, r.Code)
	assert.Empty(t, r.Stdout)
	assert.Equal(t, "flowgate: nightly is scheduled-only (not public): it is not callable over HTTP; make it public with `flowgate set nightly --public`\n", r.Stderr)

	for _, args := range [][]string{
		{"curl", "nope"},
		{"curl", "signup", "--base-url", "ftp://x"},
		{"curl", "signup", "--base-url", "https://x/path"},
		{"curl"},
	} {
		r := runCLI(t, db, args...)
		assert.Equal(t, 2, r.Code, "%v: %s", args, r.Stderr)
		assert.Empty(t, r.Stdout, "%v", args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "%v: %q", args, r.Stderr)
	}
}
