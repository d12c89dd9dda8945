package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/testcert"
)

// patience bounds every wait for an outcome; passing tests never reach it.
const patience = 20 * time.Second

// gatewayAddr is the --gateway-listen address from the "listening" line.
func (s *server) gatewayAddr(t *testing.T) string {
	t.Helper()
	for _, line := range strings.Split(s.log(), "\n") {
		var l struct{ Msg, Gateway string }
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" {
			require.NotEqual(t, "none", l.Gateway)
			return l.Gateway
		}
	}
	t.Fatalf("no listening line: %s", s.log())
	return ""
}

// waitForLog returns once the server logged s, or fails after patience.
func (s *server) waitForLog(t *testing.T, what string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !strings.Contains(s.log(), what) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q: %s", what, s.log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// get answers status and body of a request with the given headers; the
// client gives up after patience rather than hang a test.
func get(t *testing.T, client *http.Client, method, url string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	req.Header = header
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var patientClient = &http.Client{Timeout: patience}

// gatewayAsks are forward-auth requests about the allowed call
// POST /api/1.1/wf/open, one per gateway style.
var gatewayAsks = []struct {
	path   string
	header http.Header
}{
	{"/_flowgate/auth", http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/open"}}},
	{"/_flowgate/auth/api/1.1/wf/open", nil},
	{"/_flowgate/nginx-auth", http.Header{"X-Original-Method": {"POST"}, "X-Original-Uri": {"/api/1.1/wf/open"}}},
}

func TestServeKeepsTheForwardAuthEndpointsOffAProxyingListener(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	up, hits := countingUpstream(t)
	srv := startServe(t, db, "--upstream", up.URL)
	for _, ask := range gatewayAsks {
		status, body := get(t, patientClient, "POST", "http://"+srv.addr+ask.path, ask.header)
		assert.Equal(t, 404, status, "%s: %s", ask.path, body)
	}
	assert.Zero(t, hits.Load(), "nothing forwarded")
	status, body := get(t, patientClient, "GET", "http://"+srv.addr+"/_flowgate/healthz", nil)
	assert.Equal(t, 200, status)
	assert.Equal(t, `{"status":"ok"}`+"\n", body, "no details where callers reach")

	// With a gateway listener, the endpoints and the details live there.
	srv = startServe(t, db, "--upstream", up.URL, "--gateway-listen", "127.0.0.1:0")
	gw := srv.gatewayAddr(t)
	for _, ask := range gatewayAsks {
		status, body := get(t, patientClient, "POST", "http://"+gw+ask.path, ask.header)
		assert.Equal(t, 200, status, "%s: %s", ask.path, body)
		status, _ = get(t, patientClient, "POST", "http://"+srv.addr+ask.path, ask.header)
		assert.Equal(t, 404, status, ask.path)
	}
	status, body = get(t, patientClient, "GET", "http://"+gw+"/_flowgate/healthz", nil)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"calls_dropped":0`)
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.Zero(t, hits.Load())
}

func TestServeCutsOffBodiesThatTrickleOrExceedTheLimit(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	got := make(chan error, 4)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		got <- err
	}))
	defer up.Close()
	srv := startServe(t, db, "--upstream", up.URL, "--body-timeout", "300ms", "--max-body", "1k")

	conn, err := net.Dial("tcp", srv.addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /api/1.1/wf/open HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	require.NoError(t, err)
	go func() { // one byte now and then, as long as the server listens
		for range 1000 {
			if _, err := conn.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(patience)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 408, resp.StatusCode, string(b))
	assert.Contains(t, string(b), `"code":"body_timeout"`)
	select {
	case err := <-got:
		assert.Error(t, err, "the upstream request was cut off, never complete")
	case <-time.After(patience):
		t.Fatal("the upstream request was never ended")
	}

	req, err := http.NewRequest("POST", "http://"+srv.addr+"/api/1.1/wf/open", strings.NewReader(strings.Repeat("x", 1025)))
	require.NoError(t, err)
	resp, err = patientClient.Do(req)
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 413, resp.StatusCode)
	assert.Contains(t, string(b), `{"statusCode":413,"body":{"status":"INVALID_REQUEST","code":"body_too_large"`)
	assert.Empty(t, got, "a body over the limit is not forwarded")
}

func TestServeAtTheConnectionCapStillAnswersHealthOnTheGatewayListener(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	srv := startServe(t, db, "--max-conns", "2", "--gateway-listen", "127.0.0.1:0")
	health := "GET /_flowgate/healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	var held []net.Conn
	for range 3 { // two served and kept alive, the third waits
		conn, err := net.Dial("tcp", srv.addr)
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, health)
		require.NoError(t, err)
		held = append(held, conn)
	}
	srv.waitForLog(t, "connection limit reached")
	status, body := get(t, patientClient, "GET", "http://"+srv.gatewayAddr(t)+"/_flowgate/healthz", nil)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"generation"`)
	for _, c := range held[:2] {
		c.Close()
	}
	require.NoError(t, held[2].SetReadDeadline(time.Now().Add(patience)))
	resp, err := http.ReadResponse(bufio.NewReader(held[2]), nil)
	require.NoError(t, err, "the waiting connection is served once others close")
	assert.Equal(t, 200, resp.StatusCode)
}

// tlsClient trusts exactly the given certificates.
func tlsClient(certs ...*x509.Certificate) *http.Client {
	return &http.Client{Timeout: patience, Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: testcert.Pool(certs...)},
		DisableKeepAlives: true,
	}}
}

func TestServeHTTPSAndPicksUpARenewedCertificate(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open", "--public", "--auth", "none")
	dir := t.TempDir()
	certFile, keyFile, first := testcert.Write(t, dir, "first")
	srv := startServe(t, db, "--tls-cert", certFile, "--tls-key", keyFile, "--gateway-listen", "127.0.0.1:0")
	client := tlsClient(first)
	for _, addr := range []string{srv.addr, srv.gatewayAddr(t)} {
		status, _ := get(t, client, "GET", "https://"+addr+"/_flowgate/healthz", nil)
		assert.Equal(t, 200, status, addr)
	}
	status, _ := get(t, client, "POST", "https://"+srv.addr+"/api/1.1/wf/open", nil)
	assert.Equal(t, 200, status)
	status, _ = get(t, patientClient, "GET", "http://"+srv.addr+"/_flowgate/healthz", nil)
	assert.Equal(t, 400, status, "no plain HTTP beside TLS")

	_, _, second := testcert.Write(t, dir, "second")
	client = tlsClient(second)
	deadline := time.Now().Add(patience)
	for {
		resp, err := client.Get("https://" + srv.addr + "/_flowgate/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "the renewed certificate was never served: %v\n%s", err, srv.log())
		time.Sleep(100 * time.Millisecond)
	}
	srv.waitForLog(t, `"msg":"certificate reloaded"`)
	assert.Equal(t, 0, srv.stop(t))
}

func TestServeWarnsOnceWhenListeningInClearBeyondLoopback(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "open")
	const warning = "listening beyond loopback without TLS"
	srv := startServe(t, db, "--listen", "0.0.0.0:0", "--gateway-listen", "0.0.0.0:0")
	assert.Equal(t, 1, strings.Count(srv.log(), warning), srv.log())
	assert.Contains(t, srv.log(), `"level":"WARN"`)

	srv = startServe(t, db, "--gateway-listen", "127.0.0.1:0")
	assert.NotContains(t, srv.log(), warning)
	certFile, keyFile, _ := testcert.Write(t, t.TempDir(), "x")
	srv = startServe(t, db, "--listen", "0.0.0.0:0", "--tls-cert", certFile, "--tls-key", keyFile)
	assert.NotContains(t, srv.log(), warning)
}

func TestServeRefusesBadLimitsAndListenerFlags(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "x")
	certFile, keyFile, _ := testcert.Write(t, t.TempDir(), "x")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert", certFile}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-key", keyFile}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-cert", keyFile, "--tls-key", keyFile}, "--tls-cert/--tls-key: cannot load"},
		{[]string{"--max-conns", "0"}, "--max-conns: 0 is not a number of connections"},
		{[]string{"--body-timeout", "0s"}, "--body-timeout: 0s is not a timeout"},
		{[]string{"--header-timeout", "-1s"}, "--header-timeout: -1s is not a timeout"},
		{[]string{"--idle-timeout", "soon"}, `invalid argument "soon" for "--idle-timeout"`},
		{[]string{"--max-body", "10XB"}, `invalid argument "10XB" for "--max-body"`},
		{[]string{"--max-body", "-1"}, `invalid argument "-1" for "--max-body"`},
		{[]string{"--gateway-listen", "256.0.0.1:x"}, "--gateway-listen:"},
		{[]string{"--listen", "127.0.0.1:8421", "--gateway-listen", "127.0.0.1:8421"},
			"flowgate: --gateway-listen: same address as --listen (127.0.0.1:8421): give the gateway listener its own port\n"},
		{[]string{"--listen", ":8421", "--gateway-listen", "0.0.0.0:8421"}, "--gateway-listen: same address as --listen (:8421)"},
	} {
		r := runCLI(t, db, append([]string{"serve", "--listen", "127.0.0.1:0"}, c.args...)...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
}

func TestMaxBodySizesReadAsDocumented(t *testing.T) {
	for in, want := range map[string]int64{
		"off": 0, "0": 0, "512": 512, "512k": 512 << 10, "512KiB": 512 << 10, "10MB": 10_000_000,
		"10mb": 10_000_000, "10m": 10 << 20, "10MiB": 10 << 20, "1GiB": 1 << 30, "1g": 1 << 30, "2 GB": 2e9,
	} {
		var s byteSize
		require.NoError(t, s.Set(in), in)
		assert.EqualValues(t, want, s, in)
	}
	for _, in := range []string{"", "k", "1.5MB", "-1", "10XB", "1e9", "99999999999999999999", "8589934592g"} {
		var s byteSize
		assert.Error(t, s.Set(in), in)
	}
}
