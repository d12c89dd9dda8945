package checker

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seen is what the upstream received.
type seen struct {
	Method, Path, RawPath, RawQuery, Body string
	Header                                http.Header
}

// echoUpstream answers every request with what it received, and counts them.
func echoUpstream(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Upstream", "yes")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(seen{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, string(b), r.Header})
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func proxyServer(t *testing.T, c *Checker, upstream string) *httptest.Server {
	u, err := url.Parse(upstream)
	require.NoError(t, err)
	srv := httptest.NewServer(c.Handler(NewProxy(ProxyOptions{Upstream: u})))
	t.Cleanup(srv.Close)
	return srv
}

func decodeSeen(t *testing.T, r response) seen {
	t.Helper()
	var s seen
	require.NoError(t, json.Unmarshal([]byte(r.body), &s), r.body)
	return s
}

func TestProxyForwardsAllowedCallsIntactWithIdentity(t *testing.T) {
	f := newFixture(t)
	up, hits := echoUpstream(t)
	srv := proxyServer(t, f.checker(t, Options{AllowQueryToken: true}), up.URL)
	body := strings.Repeat(`{"invoice": 42, "lines": ["a&b=c"]}`, 2000) // 70 KB, streamed
	spoof := http.Header{
		"X-Flowgate-Auth":  {"admin"},
		"X-Flowgate-User":  {"someone-else"},
		"X-Flowgate-Token": {"tok_forged"},
		"X-Flowgate-Extra": {"anything"},
		"Content-Type":     {"application/json"},
		"X-Custom":         {"kept"},
	}

	// A user token in the query: stripped, the rest of the query kept as sent.
	r := call(t, "POST", srv.URL+"/version-test/api/1.1/wf/public-user-post?b=2&api_token="+f.user+"&a=%2F1+2&c", spoof, body)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Equal(t, "yes", r.header.Get("X-Upstream"))
	s := decodeSeen(t, r)
	assert.Equal(t, "POST", s.Method)
	assert.Equal(t, "/version-test/api/1.1/wf/public-user-post", s.Path)
	assert.Equal(t, "b=2&a=%2F1+2&c", s.RawQuery, "the api_token parameter is removed, the rest kept byte for byte")
	assert.Equal(t, body, s.Body)
	assert.Equal(t, "user", s.Header.Get("X-Flowgate-Auth"))
	assert.Equal(t, "user-42", s.Header.Get("X-Flowgate-User"))
	assert.Equal(t, f.userID, s.Header.Get("X-Flowgate-Token"))
	assert.Empty(t, s.Header.Values("X-Flowgate-Extra"), "every client X-Flowgate-* header is removed")
	assert.Len(t, s.Header.Values("X-Flowgate-User"), 1)
	assert.Equal(t, "kept", s.Header.Get("X-Custom"))
	assert.Equal(t, "application/json", s.Header.Get("Content-Type"))
	assert.NotEmpty(t, s.Header.Get("X-Forwarded-For"))

	// Anonymous call: the spoofed identity is replaced by "anonymous" and
	// empty user and token.
	r = call(t, "GET", srv.URL+"/api/1.1/wf/public-none-get?x=%41", spoof, "")
	require.Equal(t, http.StatusCreated, r.status, r.body)
	s = decodeSeen(t, r)
	assert.Equal(t, "x=%41", s.RawQuery)
	assert.Equal(t, "anonymous", s.Header.Get("X-Flowgate-Auth"))
	assert.Empty(t, s.Header.Get("X-Flowgate-User"))
	assert.Empty(t, s.Header.Get("X-Flowgate-Token"))

	// An admin token in the header reaches the upstream with its identity.
	r = call(t, "POST", srv.URL+"/api/1.1/wf/public-admin-post/initialize", http.Header{"Authorization": {"Bearer " + f.admin}}, "x")
	s = decodeSeen(t, r)
	assert.Equal(t, "/api/1.1/wf/public-admin-post/initialize", s.Path)
	assert.Equal(t, "admin", s.Header.Get("X-Flowgate-Auth"))
	assert.Equal(t, f.adminID, s.Header.Get("X-Flowgate-Token"))
	assert.Equal(t, 3, int(hits.Load()))
}

func TestProxyAnswersDenialsWithoutCallingUpstream(t *testing.T) {
	f := newFixture(t)
	up, hits := echoUpstream(t)
	srv := proxyServer(t, f.checker(t, Options{AllowQueryToken: true}), up.URL)
	for _, c := range []struct{ path, want string }{
		{"/api/1.1/wf/public-admin-post?api_token=" + f.user, "403 insufficient_scope"},
		{"/api/1.1/wf/public-user-post", "401 missing_token"},
		{"/api/1.1/wf/scheduled-none-post", "404 not_found"},
		{"/static/app.js", "404 not_found"},
		{"/api/1.1/wf/public-none-get", "405 method_not_allowed"},
	} {
		r := call(t, "POST", srv.URL+c.path, http.Header{"X-Flowgate-Auth": {"admin"}}, "body")
		assert.Equal(t, c.want, r.outcome, c.path)
	}
	assert.Zero(t, hits.Load())
}

func TestProxyUpstreamDownIs502(t *testing.T) {
	f := newFixture(t)
	up, _ := echoUpstream(t)
	up.Close()
	srv := proxyServer(t, f.checker(t, Options{}), up.URL)
	r := call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", nil, "")
	assert.Equal(t, "502 bad_gateway", r.outcome)
}

func TestMiddleware(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{AllowQueryToken: true})
	var got *http.Request
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		io.WriteString(w, "ran "+r.Header.Get("X-Flowgate-User"))
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", c.Middleware(app))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "home") })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	r := call(t, "POST", srv.URL+"/api/1.1/wf/Send-Invoice?api_token="+f.user+"&n=1",
		http.Header{"X-Flowgate-User": {"forged"}}, "")
	assert.Equal(t, "ran user-42", r.body)
	assert.Equal(t, "n=1", got.URL.RawQuery)
	assert.Equal(t, "/api/1.1/wf/Send-Invoice?n=1", got.RequestURI)
	assert.Equal(t, "401 missing_token", call(t, "POST", srv.URL+"/api/1.1/wf/Send-Invoice", nil, "").outcome)
	assert.Equal(t, "404 not_found", call(t, "POST", srv.URL+"/api/other", nil, "").outcome)
	assert.Equal(t, "home", call(t, "GET", srv.URL+"/", nil, "").body, "routes outside the middleware are untouched")
}
