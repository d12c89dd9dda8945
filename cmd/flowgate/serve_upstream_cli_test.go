package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeUpstreamFlags runs the real binary in front of an upstream: the
// bearer token is removed unless --forward-authorization, and an upstream
// that does not answer within --upstream-timeout gets the caller a 504 that
// the call log records as such.
func TestServeUpstreamFlags(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "slow", "--public", "--auth", "admin")
	mustRun(t, db, "add", "echo", "--public", "--auth", "admin")
	admin := newToken(t, db, "--admin", "--name", "ci")
	release := make(chan struct{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/slow") {
			<-release
		}
		w.Write([]byte("authorization=" + r.Header.Get("Authorization")))
	}))
	defer upstream.Close()
	defer close(release)

	srv := startServe(t, db, "--upstream", upstream.URL, "--upstream-timeout", "100ms")
	status, body := srv.post(t, "/api/1.1/wf/echo", admin)
	require.Equal(t, 200, status, body)
	assert.Equal(t, "authorization=", body, "the flowgate token is not forwarded by default")
	status, body = srv.post(t, "/api/1.1/wf/slow", admin)
	assert.Equal(t, 504, status, body)
	assert.Contains(t, body, `"code":"upstream_timeout"`)
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.Contains(t, srv.log(), `"workflow":"slow","decision":"allow","status":504,"code":"upstream_timeout"`)
	var calls []map[string]any
	decodeJSON(t, mustRun(t, db, "calls", "--json", "--workflow", "slow"), &calls)
	require.Len(t, calls, 1)
	assert.EqualValues(t, 504, calls[0]["status"])
	assert.Equal(t, "127.0.0.1", calls[0]["remote_addr"])

	srv = startServe(t, db, "--upstream", upstream.URL, "--forward-authorization")
	status, body = srv.post(t, "/api/1.1/wf/echo", admin)
	require.Equal(t, 200, status, body)
	assert.Equal(t, "authorization=Bearer "+admin, body)
	assert.Equal(t, 0, srv.stop(t), srv.log())

	r := runCLI(t, db, "serve", "--listen", "127.0.0.1:0", "--upstream", upstream.URL, "--upstream-timeout", "-1s")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "--upstream-timeout")
	assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
}
