package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newToken creates a token with the real binary and returns its secret.
func newToken(t *testing.T, db string, args ...string) string {
	t.Helper()
	out := mustRun(t, db, append([]string{"token", "create", "--quiet"}, args...)...)
	secret := strings.TrimSpace(out)
	require.Regexp(t, `^fg[au]_[0-9A-Za-z]{36}$`, secret)
	return secret
}

func TestTokenCreateListRevoke(t *testing.T) {
	db := tempDB(t)
	out := mustRun(t, db, "token", "create", "--admin", "--name", "ci")
	m := regexp.MustCompile(`(?m)^token:\s+(fga_\S+)\nid:\s+(tok_\S+)\nprefix:\s+(\S+)$`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	secret, id, prefix := m[1], m[2], m[3]
	assert.Equal(t, secret[:8], prefix)
	assert.Contains(t, out, "only time the token is shown")
	user := newToken(t, db, "--user", "u-1", "--name", "app", "--expires", "30d")
	assert.Equal(t, "fgu_", user[:4])

	list := mustRun(t, db, "token", "list")
	assert.Contains(t, list, "ID  ")
	assert.Contains(t, list, id)
	assert.NotContains(t, list, secret, "a listing never shows a secret")

	mustRun(t, db, "token", "revoke", id)
	var toks []map[string]any
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
	require.Len(t, toks, 2)
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return ks
	}
	assert.ElementsMatch(t, []string{"id", "name", "kind", "user", "prefix", "workflows", "files", "created_at", "expires_at", "last_used_at", "revoked_at"}, keys(toks[0]))
	assert.Equal(t, []any{"*"}, toks[0]["workflows"], "the default scope: every workflow")
	assert.Equal(t, []any{}, toks[0]["files"], "and no file, as an empty list")
	assert.Equal(t, "admin", toks[0]["kind"])
	assert.NotNil(t, toks[0]["revoked_at"], "revoked tokens stay listed")
	assert.Nil(t, toks[0]["expires_at"])
	assert.Equal(t, "user", toks[1]["kind"])
	assert.Equal(t, "u-1", toks[1]["user"])
	assert.NotNil(t, toks[1]["expires_at"])
	assert.Nil(t, toks[1]["last_used_at"])
}

func TestTokenBadInput(t *testing.T) {
	db := tempDB(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"token", "create", "--name", "x"}, "--admin, or --user USER_ID"},
		{[]string{"token", "create", "--admin", "--user", "u", "--name", "x"}, "exclude each other"},
		{[]string{"token", "create", "--admin"}, "--name is required"},
		{[]string{"token", "create", "--user", "", "--name", "x"}, "--user: the user id is empty"},
		{[]string{"token", "create", "--user", "a b", "--name", "x"}, `invalid user id "a b"`},
		{[]string{"token", "create", "--admin", "--name", "x", "--expires", "soon"}, `--expires: invalid lifetime "soon"`},
		{[]string{"token", "create", "--admin", "--name", "x", "--expires", "-5d"}, `--expires: invalid lifetime "-5d"`},
		{[]string{"token", "revoke", "tok_missing"}, `no token with id "tok_missing"`},
		{[]string{"token", "revoke"}, "expected one token id"},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
	var toks []any
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
	assert.Empty(t, toks, "nothing written by bad input")

	secret := newToken(t, db, "--admin", "--name", "x")
	r := runCLI(t, db, "token", "revoke", secret)
	assert.Equal(t, 2, r.Code)
	assert.NotContains(t, r.Stderr, secret[4:], "a pasted secret is not echoed")
	r = runCLI(t, db, "calls", "--token", secret)
	assert.Equal(t, 2, r.Code)
	assert.NotContains(t, r.Stderr, secret[4:])
}

func TestCheckWithRealTokens(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "admin-only", "--public", "--auth", "admin")
	mustRun(t, db, "add", "scheduled", "--auth", "none", "--method", "GET")
	admin := newToken(t, db, "--admin", "--name", "ci")
	user := newToken(t, db, "--user", "u1", "--name", "app")
	revoked := newToken(t, db, "--admin", "--name", "old")
	var toks []struct{ ID, Name string }
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
	mustRun(t, db, "token", "revoke", toks[2].ID)

	for _, c := range []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"--token", admin}, "allow 200\n", 0},
		{[]string{"--token", user}, "deny 403 insufficient_scope: this workflow requires an admin API token\n", 1},
		{[]string{"--token", revoked}, "deny 401 invalid_token: the token is unknown, expired or revoked\n", 1},
		{[]string{"--token", "fga_garbage"}, "deny 401 invalid_token: the token is unknown, expired or revoked\n", 1},
		{[]string{"--token", "two words"}, "deny 400 invalid_request: ", 1},
		{nil, "deny 401 missing_token: this workflow requires a bearer token\n", 1},
		{[]string{"--token", admin, "--method", "get"}, "deny 405 method_not_allowed: this workflow only accepts POST\n", 1},
	} {
		r := runCLI(t, db, append([]string{"check", "admin-only"}, c.args...)...)
		assert.Equal(t, c.code, r.Code, "%v: %s", c.args, r.Stderr)
		assert.True(t, strings.HasPrefix(r.Stdout, c.out), "%v: got %q", c.args, r.Stdout)
		assert.Empty(t, r.Stderr)
	}
	// Same form as decide.
	assert.Equal(t, runCLI(t, db, "decide", "admin-only", "--as", "user").Stdout,
		runCLI(t, db, "check", "admin-only", "--token", user).Stdout)
	r := runCLI(t, db, "check", "scheduled", "--token", admin)
	assert.Equal(t, "deny 404 not_found: no public API workflow with this name\n", r.Stdout)

	cmd := exec.Command(flowgateBin, "--db", db, "check", "admin-only", "--token", "-")
	cmd.Stdin = strings.NewReader(admin + "\n")
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, "allow 200\n", string(out))

	r = runCLI(t, db, "check", "nope", "--token", admin)
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no workflow named "nope"`)
	r = runCLI(t, db+".missing", "check", "admin-only")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "does not exist")
}

// server is a running `flowgate serve` process.
type server struct {
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	logs strings.Builder
	done chan struct{}
}

// startServe runs the real binary's serve on a free port and waits for its
// "listening" line.
func startServe(t *testing.T, db string, args ...string) *server {
	t.Helper()
	return startServeCmd(t, exec.Command(flowgateBin, append([]string{"--db", db, "serve", "--listen", "127.0.0.1:0"}, args...)...))
}

// startServeCmd starts a prepared serve command (run as another user, say)
// and waits for its "listening" line.
func startServeCmd(t *testing.T, cmd *exec.Cmd) *server {
	t.Helper()
	cmd.Env = append(os.Environ(), "FLOWGATE_DB=")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	s := &server{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.logs.WriteString(line + "\n")
			s.mu.Unlock()
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" {
				addr <- l.Addr
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	select {
	case s.addr = <-addr:
	case <-s.done:
		t.Fatalf("serve exited before listening: %s", s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start: %s", s.log())
	}
	return s
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// stop sends SIGTERM and returns the exit code after a graceful shutdown.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	<-s.done
	err := s.cmd.Wait()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// post calls a workflow through the server and returns the status.
func (s *server) post(t *testing.T, path, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+s.addr+path, strings.NewReader("{}"))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHotReloadAndCallLog(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "user")
	user := newToken(t, db, "--user", "u-7", "--name", "app")
	admin := newToken(t, db, "--admin", "--name", "ci")
	srv := startServe(t, db)

	status, body := srv.post(t, "/api/1.1/wf/send-invoice", user)
	require.Equal(t, 200, status, body)

	// Another process makes the workflow admin-only; no restart.
	mustRun(t, db, "set", "send-invoice", "--auth", "admin")
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _ = srv.post(t, "/api/1.1/wf/send-invoice", user)
		if status == 403 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, 403, status, "the change was never enforced: %s", srv.log())
	status, _ = srv.post(t, "/api/1.1/wf/send-invoice", admin)
	assert.Equal(t, 200, status)

	assert.Equal(t, 0, srv.stop(t), srv.log())
	logs := srv.log()
	assert.Contains(t, logs, `"msg":"settings reloaded"`)
	assert.Contains(t, logs, `"msg":"stopped"`)
	assert.NotContains(t, logs, user[4:], "no token in the log")
	assert.NotContains(t, logs, admin[4:], "no token in the log")

	// Every decision reached the call log, flushed at shutdown.
	var calls []map[string]any
	decodeJSON(t, mustRun(t, db, "calls", "--json", "--workflow", "SEND-INVOICE"), &calls)
	require.GreaterOrEqual(t, len(calls), 3)
	assert.EqualValues(t, 200, calls[0]["status"], "newest first: the admin call")
	assert.EqualValues(t, 403, calls[1]["status"])
	assert.Equal(t, "insufficient_scope", calls[1]["code"])
	for _, k := range []string{"time", "workflow", "token_id", "status", "code", "remote_addr"} {
		assert.Contains(t, calls[0], k)
	}
	var toks []struct {
		ID         string
		LastUsedAt *time.Time `json:"last_used_at"`
	}
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
	require.NotNil(t, toks[0].LastUsedAt)
	byToken := mustRun(t, db, "calls", "--token", toks[1].ID)
	assert.Contains(t, byToken, "send-invoice")
	assert.Contains(t, byToken, toks[1].ID)
}

func TestServeProxiesToUpstream(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "user")
	user := newToken(t, db, "--user", "u-9", "--name", "app")
	var got struct {
		sync.Mutex
		query, body, user, auth string
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.Lock()
		got.query, got.body, got.user, got.auth = r.URL.RawQuery, string(b), r.Header.Get("X-Flowgate-User"), r.Header.Get("X-Flowgate-Auth")
		got.Unlock()
		w.WriteHeader(202)
	}))
	defer up.Close()
	srv := startServe(t, db, "--upstream", up.URL)
	req, err := http.NewRequest("POST", "http://"+srv.addr+"/api/1.1/wf/send-invoice?x=1&api_token="+user, strings.NewReader(`{"n":1}`))
	require.NoError(t, err)
	req.Header.Set("X-Flowgate-User", "forged")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 202, resp.StatusCode)
	got.Lock()
	assert.Equal(t, "x=1", got.query)
	assert.Equal(t, `{"n":1}`, got.body)
	assert.Equal(t, "u-9", got.user)
	assert.Equal(t, "user", got.auth)
	got.Unlock()
	assert.Equal(t, 0, srv.stop(t))
}

func TestServeRefusesToStartWithoutSettings(t *testing.T) {
	dir := t.TempDir()
	notDB := dir + "/notes.txt"
	require.NoError(t, os.WriteFile(notDB, []byte("hello, not a database"), 0o600))
	for _, c := range []struct {
		db   string
		args []string
		want string
	}{
		{dir + "/missing.db", nil, "does not exist"},
		{notDB, nil, "is not a flowgate database"},
		{tempDB(t), []string{"--upstream", "ftp://x"}, "--upstream: invalid URL"},
		{tempDB(t), []string{"--listen", "256.0.0.1:http"}, "--listen:"},
	} {
		if strings.HasSuffix(c.db, "flowgate.db") {
			mustRun(t, c.db, "add", "x")
		}
		r := runCLI(t, c.db, append([]string{"serve", "--listen", "127.0.0.1:0"}, c.args...)...)
		assert.Equal(t, 2, r.Code, "%s %v", c.db, c.args)
		assert.Contains(t, r.Stderr, c.want)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
}
