package checker

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// proxyWith serves c.Handler in front of a NewProxy with opts (Upstream
// taken from upstream).
func proxyWith(t *testing.T, c *Checker, upstream string, opts ProxyOptions) *httptest.Server {
	t.Helper()
	u, err := url.Parse(upstream)
	require.NoError(t, err)
	opts.Upstream = u
	srv := httptest.NewServer(c.Handler(NewProxy(opts)))
	t.Cleanup(srv.Close)
	return srv
}

// spoofingHeaders is what a caller sends to pass as someone else: forged
// identity headers in both spellings, a Connection header naming the real
// ones so that a proxy drops them, method overrides and a forged X-Real-IP.
func spoofingHeaders() http.Header {
	return http.Header{
		"Connection":             {"keep-alive, X-Flowgate-Auth, X-Flowgate-User, X-Flowgate-Token, X-Real-IP"},
		"X-Flowgate-Auth":        {"admin"},
		"X_Flowgate_Auth":        {"admin"},
		"x_flowgate-user":        {"someone-else"},
		"X-FLOWGATE_TOKEN":       {"tok_forged"},
		"X-Http-Method-Override": {"DELETE"},
		"x-http-method":          {"PUT"},
		"X_Method_Override":      {"PATCH"},
		"X-Real-Ip":              {"203.0.113.66"},
		"X_Real_IP":              {"203.0.113.66"},
	}
}

// assertTrustedHeaders checks what the upstream or the application got:
// exactly the three identity headers, once each, as decided; no other
// header an upstream could read as X-Flowgate-*, no method override, and
// X-Real-IP the peer's IP.
func assertTrustedHeaders(t *testing.T, h http.Header, auth, user, tokenID, where string) {
	t.Helper()
	assert.Equal(t, []string{auth}, h["X-Flowgate-Auth"], where)
	assert.Equal(t, []string{user}, h["X-Flowgate-User"], where)
	assert.Equal(t, []string{tokenID}, h["X-Flowgate-Token"], where)
	assert.Equal(t, []string{"127.0.0.1"}, h["X-Real-Ip"], where)
	for k := range h {
		dashed := strings.ToLower(strings.ReplaceAll(k, "_", "-"))
		if strings.HasPrefix(dashed, "x-flowgate-") {
			assert.Contains(t, []string{"X-Flowgate-Auth", "X-Flowgate-User", "X-Flowgate-Token"}, k, where)
		}
		assert.NotContains(t, []string{"x-http-method-override", "x-http-method", "x-method-override"}, dashed, where)
		if dashed == "x-real-ip" {
			assert.Equal(t, "X-Real-Ip", k, where)
		}
	}
}

func TestProxySetsIdentityWhateverConnectionNamesAndDropsUnderscoreSpellings(t *testing.T) {
	f := newFixture(t)
	up, hits := echoUpstream(t)
	srv := proxyWith(t, f.checker(t, Options{}), up.URL, ProxyOptions{})

	r := call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", spoofingHeaders(), "")
	require.Equal(t, http.StatusCreated, r.status, r.body)
	s := decodeSeen(t, r)
	assert.Equal(t, "POST", s.Method)
	assertTrustedHeaders(t, s.Header, "anonymous", "", "", "anonymous call")

	h := spoofingHeaders()
	h.Set("Authorization", "Bearer "+f.user)
	r = call(t, "POST", srv.URL+"/api/1.1/wf/public-user-post", h, "")
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assertTrustedHeaders(t, decodeSeen(t, r).Header, "user", "user-42", f.userID, "user call")
	assert.EqualValues(t, 2, hits.Load())
}

func TestMiddlewareSetsIdentityAfterRemovingEverySpelling(t *testing.T) {
	f := newFixture(t)
	var got http.Header
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header })
	srv := httptest.NewServer(f.checker(t, Options{}).Middleware(app))
	defer srv.Close()

	h := spoofingHeaders()
	h.Set("Authorization", "Bearer "+f.admin)
	r := call(t, "POST", srv.URL+"/api/1.1/wf/public-admin-post", h, "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assertTrustedHeaders(t, got, "admin", "", f.adminID, "middleware")
	assert.Equal(t, "Bearer "+f.admin, got.Get("Authorization"), "the middleware leaves Authorization to the application")
}

func TestProxyRemovesTheFlowgateBearerUnlessForwardAuthorization(t *testing.T) {
	f := newFixture(t)
	up, _ := echoUpstream(t)
	c := f.checker(t, Options{AllowQueryToken: true})
	bearer := http.Header{"Authorization": {"Bearer " + f.admin}}

	r := call(t, "POST", proxyWith(t, c, up.URL, ProxyOptions{}).URL+"/api/1.1/wf/public-admin-post", bearer, "")
	require.Equal(t, http.StatusCreated, r.status, r.body)
	s := decodeSeen(t, r)
	assert.Empty(t, s.Header.Values("Authorization"), "the flowgate secret never reaches the upstream")
	assert.Equal(t, "admin", s.Header.Get("X-Flowgate-Auth"))

	r = call(t, "POST", proxyWith(t, c, up.URL, ProxyOptions{ForwardAuthorization: true}).URL+"/api/1.1/wf/public-admin-post", bearer, "")
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Equal(t, []string{"Bearer " + f.admin}, decodeSeen(t, r).Header.Values("Authorization"), "opted back in")
}

func TestLookalikeTokenParametersAreRefusedNotForwarded(t *testing.T) {
	f := newFixture(t)
	up, hits := echoUpstream(t)
	srv := proxyWith(t, f.checker(t, Options{AllowQueryToken: true}), up.URL, ProxyOptions{})
	for _, key := range []string{"API_TOKEN", "Api_Token", "api_token[]", "api_token%5B%5D", "api_token[0]",
		"api_token%00", "api%5Ftoken", "api%5ftoken", "api.token", "api+token", "%20api_token",
		"api_token%20", "api_token+", "api_token.", "api.token.", "api_token%09", "api_token%C2%A0", "%EF%BB%BFapi_token",
		"api_token%E2%80%8B", "api_token%00%zz", "api_token+[]", "FG_LINK", "fg_link%20", "fg_link+", "fg_link."} {
		for _, wf := range []string{"public-none-post", "public-admin-post"} {
			r := call(t, "POST", srv.URL+"/api/1.1/wf/"+wf+"?a=1&"+key+"="+f.admin, nil, "")
			assert.Equal(t, "400 invalid_request", r.outcome, "%s with %s", wf, key)
			assert.NotContains(t, r.body, f.admin)
		}
	}
	assert.Zero(t, hits.Load(), "no lookalike reaches the upstream with its secret")
	r := call(t, "POST", srv.URL+"/api/1.1/wf/public-admin-post?a=1&api_token="+f.admin, nil, "")
	require.Equal(t, http.StatusCreated, r.status, "the real parameter still works")
	assert.Equal(t, "a=1", decodeSeen(t, r).RawQuery)
}

// tunnelUpstream answers every request 101 and then serves HTTP inside the
// switched connection, as a websocket or h2c server that a tunnel would
// reach; it counts the requests it got both ways.
func tunnelUpstream(t *testing.T) (srv *httptest.Server, hits, tunnelled *atomic.Int32) {
	hits, tunnelled = new(atomic.Int32), new(atomic.Int32)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
		rw.Flush()
		for {
			req, err := http.ReadRequest(rw.Reader)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			tunnelled.Add(1)
			rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ntunnelled")
			rw.Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv, hits, tunnelled
}

func TestProtocolUpgradesAreRefusedAndNoSwitchIsRelayed(t *testing.T) {
	f := newFixture(t)
	up, hits, tunnelled := tunnelUpstream(t)
	lc := f.loggedChecker(t, Options{})
	srv := proxyWith(t, lc.Checker, up.URL, ProxyOptions{})
	addr := srv.Listener.Addr().String()
	smuggled := []string{"POST /api/1.1/wf/public-admin-post HTTP/1.1", "Host: x", "X-Flowgate-Auth: admin", "Content-Length: 0"}

	for _, upgrade := range [][]string{
		{"Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="},
		{"Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"},
		{"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"},
		{"Upgrade: websocket"},
		{"Connection: keep-alive, upgrade"},
	} {
		conn := dialRaw(t, addr)
		resp, body := conn.send(append([]string{"GET /api/1.1/wf/public-none-get HTTP/1.1", "Host: x"}, upgrade...)...)
		assert.Equal(t, "400 invalid_request", outcomeOf(t, resp, body), "%q", upgrade)
		resp, body = conn.send(smuggled...)
		assert.Equal(t, "401 missing_token", outcomeOf(t, resp, body), "%q: the next request is decided, not tunnelled", upgrade)
	}
	assert.Zero(t, hits.Load(), "an upgrade request is never forwarded")

	// An upstream that switches protocols on a plain request is not relayed.
	conn := dialRaw(t, addr)
	resp, body := conn.send("GET /api/1.1/wf/public-none-get HTTP/1.1", "Host: x")
	assert.Equal(t, "502 bad_gateway", outcomeOf(t, resp, body))
	resp, body = conn.send(smuggled...)
	assert.Equal(t, "401 missing_token", outcomeOf(t, resp, body))
	assert.EqualValues(t, 1, hits.Load())
	assert.Zero(t, tunnelled.Load(), "nothing went through a tunnel")

	lines := lc.accessLines(t)
	require.Len(t, lines, 12, "every request has its access line")
	assert.Equal(t, "allow", lines[10]["decision"])
	assert.EqualValues(t, 502, lines[10]["status"])
	assert.Equal(t, "bad_gateway", lines[10]["code"])
}

// garbageUpstream accepts connections and answers each with bytes that are
// not HTTP.
func garbageUpstream(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				http.ReadRequest(bufio.NewReader(conn))
				io.WriteString(conn, "SSH-2.0-OpenSSH_9.6\r\n\r\nthis is not http\r\n")
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestUpstreamFailuresAreAnsweredAndLoggedAsSent(t *testing.T) {
	f := newFixture(t)
	lc := f.loggedChecker(t, Options{})

	down, _ := echoUpstream(t)
	down.Close()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(func() { close(release); slow.Close() })
	missing := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(missing.Close)

	for _, c := range []struct {
		name, upstream string
		want           string
		status         int
		code           string
	}{
		{"unreachable", down.URL, "502 bad_gateway", 502, "bad_gateway"},
		{"garbage", garbageUpstream(t), "502 bad_gateway", 502, "bad_gateway"},
		{"no answer in time", slow.URL, "504 upstream_timeout", 504, "upstream_timeout"},
		{"upstream's own 404", missing.URL, "404", 404, ""},
	} {
		srv := proxyWith(t, lc.Checker, c.upstream, ProxyOptions{ResponseHeaderTimeout: 50 * time.Millisecond})
		r := call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", nil, "")
		require.Equal(t, c.want, r.outcome, c.name)
		if c.code != "" {
			assertUpstreamFailureBody(t, r, c.status, c.code)
		}
	}

	lines := lc.accessLines(t)
	require.Len(t, lines, 4)
	for i, want := range []struct {
		status int
		code   string
	}{{502, "bad_gateway"}, {502, "bad_gateway"}, {504, "upstream_timeout"}, {404, ""}} {
		where := fmt.Sprint("call ", i)
		assert.Equal(t, "allow", lines[i]["decision"], where)
		assert.EqualValues(t, want.status, lines[i]["status"], where)
		assert.Equal(t, want.code, lines[i]["code"], where)
	}
	stored := countsBy(lc.storedCalls(t, f.store), func(c store.Call) string {
		return fmt.Sprintf("%s %s %d %s %s", c.Workflow, c.Via, c.Status, c.Code, c.RemoteAddr)
	})
	counts := map[string]int64{}
	for k, c := range stored {
		counts[k] = c.Count
	}
	assert.Equal(t, map[string]int64{"public-none-post proxy 502 bad_gateway 127.0.0.1": 2,
		"public-none-post proxy 504 upstream_timeout 127.0.0.1": 1, "public-none-post proxy 404  127.0.0.1": 1}, counts,
		"the call log counts the status and code sent")
}

// assertUpstreamFailureBody checks the JSON of a 502 or 504 has the shape
// of a denial's.
func assertUpstreamFailureBody(t *testing.T, r response, status int, code string) {
	t.Helper()
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.JSONEq(t, fmt.Sprintf(`{"statusCode":%d,"body":{"status":"UNAVAILABLE","code":%q,"message":%q}}`,
		status, code, map[int]string{502: "the upstream server did not answer", 504: "the upstream server did not answer in time"}[status]), r.body)
}

func TestProxyRefusesRequestsTheCheckerDidNotDecide(t *testing.T) {
	up, hits := echoUpstream(t)
	u, err := url.Parse(up.URL)
	require.NoError(t, err)
	srv := httptest.NewServer(NewProxy(ProxyOptions{Upstream: u}))
	defer srv.Close()
	r := call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", http.Header{"X-Flowgate-Auth": {"admin"}}, "")
	assert.Equal(t, "502 bad_gateway", r.outcome)
	assert.Zero(t, hits.Load())
}
