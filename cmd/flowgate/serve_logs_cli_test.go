package main

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/scrape"
)

// callLines are the access lines ("msg":"call") in text, decoded.
func callLines(t *testing.T, text string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, raw := range strings.Split(text, "\n") {
		var line map[string]any
		if json.Unmarshal([]byte(raw), &line) == nil && line["msg"] == "call" {
			lines = append(lines, line)
		}
	}
	return lines
}

// waitForCalls returns the access lines of the file at path once there
// are n, failing after patience.
func waitForCalls(t *testing.T, path string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		b, _ := os.ReadFile(path)
		if lines := callLines(t, string(b)); len(lines) >= n || time.Now().After(deadline) {
			require.Len(t, lines, n, "access lines in %s", path)
			return lines
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// countingUpstream is an upstream that counts the requests reaching it,
// closed at the end of the test.
func countingUpstream(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(up.Close)
	return up, &hits
}

// callsTotal is a flowgate_calls_total series' value (0 when absent).
func callsTotal(m scrape.Metrics, workflow, decision, status, via string) float64 {
	v, _ := m.Value("flowgate_calls_total", map[string]string{"workflow": workflow, "decision": decision, "status": status, "via": via})
	return v
}

func TestServeMetricsCountRealCallsUnderBoundedLabels(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	mustRun(t, db, "add", "invoices", "--public", "--auth", "user")
	user := newToken(t, db, "--user", "u-1", "--name", "app")
	srv := startServe(t, db, "--access-log", "off")
	random := strings.ToLower(rand.Text())

	for range 2 {
		status, body := srv.post(t, "/api/1.1/wf/open", "")
		require.Equal(t, 200, status, body)
	}
	status, _ := srv.post(t, "/api/1.1/wf/invoices", user)
	require.Equal(t, 200, status)
	status, _ = srv.post(t, "/api/1.1/wf/invoices", "")
	require.Equal(t, 401, status)
	status, _ = srv.post(t, "/api/1.1/wf/"+random, user)
	require.Equal(t, 404, status)
	for _, ask := range gatewayAsks {
		status, _ := get(t, patientClient, "POST", "http://"+srv.addr+ask.path, ask.header)
		require.Equal(t, 200, status, ask.path)
	}

	m := scrape.Get(t, "http://"+srv.addr+"/_flowgate/metrics")
	assert.EqualValues(t, 2, callsTotal(m, "open", "allow", "200", "proxy"))
	assert.EqualValues(t, 1, callsTotal(m, "invoices", "allow", "200", "proxy"))
	assert.EqualValues(t, 1, callsTotal(m, "invoices", "deny", "401", "proxy"))
	assert.EqualValues(t, 1, callsTotal(m, "-", "deny", "404", "proxy"), "an unknown name is counted under -")
	assert.EqualValues(t, 2, callsTotal(m, "open", "allow", "200", "auth"))
	assert.EqualValues(t, 1, callsTotal(m, "open", "allow", "200", "nginx-auth"))
	assert.NotContains(t, m.Text, random, "no caller names a series")
	assert.Len(t, m.Series("flowgate_calls_total"), 6)
	latency, _ := m.Value("flowgate_decision_duration_seconds", map[string]string{})
	assert.EqualValues(t, 8, latency)
	for _, name := range []string{"flowgate_settings_generation", "flowgate_snapshot_age_seconds", "flowgate_reloads_total",
		"flowgate_reload_errors_total", "flowgate_calls_dropped_total", "go_goroutines", "process_open_fds"} {
		assert.Contains(t, m.Families, name)
	}

	// A change made by another process is a reload, with its generation.
	mustRun(t, db, "set", "open", "--auth", "admin")
	srv.waitForLog(t, `"msg":"settings reloaded"`)
	m = scrape.Get(t, "http://"+srv.addr+"/_flowgate/metrics")
	reloads, _ := m.Value("flowgate_reloads_total", map[string]string{})
	assert.EqualValues(t, 1, reloads)
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.Empty(t, callLines(t, srv.log()), "--access-log off writes no access line")
	assert.NotContains(t, srv.log(), user[4:], "no token in the log")
}

func TestServeMetricsNeverOnAListenerThatProxies(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	up, hits := countingUpstream(t)
	srv := startServe(t, db, "--upstream", up.URL)
	status, body := get(t, patientClient, "GET", "http://"+srv.addr+"/_flowgate/metrics", nil)
	assert.Equal(t, 404, status)
	assert.NotContains(t, body, "flowgate_")
	assert.Equal(t, 0, srv.stop(t), srv.log())

	srv = startServe(t, db, "--upstream", up.URL, "--gateway-listen", "127.0.0.1:0")
	status, _ = srv.post(t, "/api/1.1/wf/open", "")
	require.Equal(t, 200, status)
	status, _ = get(t, patientClient, "GET", "http://"+srv.addr+"/_flowgate/metrics", nil)
	assert.Equal(t, 404, status, "callers' listener")
	m := scrape.Get(t, "http://"+srv.gatewayAddr(t)+"/_flowgate/metrics")
	assert.EqualValues(t, 1, callsTotal(m, "open", "allow", "200", "proxy"), "the gateway listener counts the proxied call")
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.EqualValues(t, 1, hits.Load(), "only the workflow call was forwarded")

	// --gateway-listen without an upstream: still only the gateway's.
	srv = startServe(t, db, "--gateway-listen", "127.0.0.1:0")
	status, _ = get(t, patientClient, "GET", "http://"+srv.addr+"/_flowgate/metrics", nil)
	assert.Equal(t, 404, status)
	scrape.Get(t, "http://"+srv.gatewayAddr(t)+"/_flowgate/metrics")
}

func TestServeReopensTheAccessLogFileOnSIGHUP(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "first", "--public", "--auth", "none")
	mustRun(t, db, "add", "second", "--public", "--auth", "none")
	path := filepath.Join(t.TempDir(), "access.log")
	srv := startServe(t, db, "--access-log", path)

	status, _ := srv.post(t, "/api/1.1/wf/first", "")
	require.Equal(t, 200, status)
	require.NoError(t, os.Rename(path, path+".1"))
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGHUP))
	srv.waitForLog(t, `"msg":"access log reopened"`)
	status, _ = srv.post(t, "/api/1.1/wf/second", "")
	require.Equal(t, 200, status)

	rotated := waitForCalls(t, path+".1", 1)
	assert.Equal(t, "first", rotated[0]["workflow"])
	fresh := waitForCalls(t, path, 1)
	assert.Equal(t, "second", fresh[0]["workflow"], "lines after the signal land in the new file")
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.Empty(t, callLines(t, srv.log()), "no access line on stderr")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

func TestServeTrustsXForwardedForOnlyFromTrustedProxies(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	chains := []struct {
		xff             string
		trusted, others string // recorded with the test's peer trusted, or not
	}{
		{"203.0.113.9", "203.0.113.9", "127.0.0.1"},
		{"198.51.100.7, 203.0.113.9, 10.1.2.3", "203.0.113.9", "127.0.0.1"},
		{"10.9.9.9, 203.0.113.9", "203.0.113.9", "127.0.0.1"},
		{"203.0.113.9, junk, 10.1.2.3", "10.1.2.3", "127.0.0.1"},
		{"unknown", "127.0.0.1", "127.0.0.1"},
	}
	for _, trusted := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "access.log")
		proxies := "10.0.0.0/8"
		if trusted {
			proxies = "127.0.0.1/32,10.0.0.0/8"
		}
		srv := startServe(t, db, "--access-log", path, "--trusted-proxy", proxies)
		for _, c := range chains {
			status, _ := get(t, patientClient, "POST", "http://"+srv.addr+"/api/1.1/wf/open", http.Header{"X-Forwarded-For": {c.xff}})
			require.Equal(t, 200, status)
		}
		status, _ := get(t, patientClient, "POST", "http://"+srv.addr+"/_flowgate/nginx-auth",
			http.Header{"X-Original-Method": {"POST"}, "X-Original-Uri": {"/api/1.1/wf/open"}, "X-Forwarded-For": {"198.51.100.7, 203.0.113.9"}})
		require.Equal(t, 200, status)
		lines := waitForCalls(t, path, len(chains)+1)
		for i, c := range chains {
			want := c.others
			if trusted {
				want = c.trusted
			}
			assert.Equal(t, want, lines[i]["remote"], "trusted peer %v, X-Forwarded-For %q", trusted, c.xff)
		}
		want := "127.0.0.1"
		if trusted {
			want = "203.0.113.9"
		}
		assert.Equal(t, want, lines[len(chains)]["remote"], "forward-auth, trusted peer %v", trusted)
		assert.Equal(t, 0, srv.stop(t), srv.log())
	}
}

func TestServeRefusesBadRecordFlags(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "x")
	link := filepath.Join(t.TempDir(), "access.log")
	require.NoError(t, os.Symlink(db, link))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--access-log", ""}, "--access-log: empty"},
		{[]string{"--access-log", link}, "is the settings database"},
		{[]string{"--access-log", filepath.Join(t.TempDir(), "missing", "a.log")}, "--access-log: open "},
		{[]string{"--access-log", t.TempDir()}, "is a directory"},
		{[]string{"--access-log", db}, "is the settings database"},
		{[]string{"--access-log", db + "-wal"}, "is the settings database"},
		{[]string{"--trusted-proxy", "10.0.0.0/33"}, `--trusted-proxy: "10.0.0.0/33" is not a CIDR`},
		{[]string{"--trusted-proxy", "10.0.0.0/8,"}, "--trusted-proxy: an empty entry"},
		{[]string{"--trusted-proxy", "proxy.internal"}, "is not an IP address or a CIDR"},
		{[]string{"--trusted-proxy", "0.0.0.0/0"}, "trusts every address"},
		{[]string{"--trusted-proxy", "10.1.2.3/8"}, "did you mean 10.0.0.0/8?"},
	} {
		r := runCLI(t, db, append([]string{"serve", "--listen", "127.0.0.1:0"}, c.args...)...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
}
