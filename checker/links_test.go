package checker

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linkSecurityHeaders are what every answer allowed by a share link carries.
var linkSecurityHeaders = map[string]string{
	"Referrer-Policy":         "no-referrer",
	"Cache-Control":           "no-store",
	"X-Content-Type-Options":  "nosniff",
	"Content-Security-Policy": "sandbox",
}

// assertLinkHeaders checks the link security headers: each exactly once,
// with flowgate's value, whatever the upstream or application set.
func assertLinkHeaders(t *testing.T, h http.Header, where string) {
	t.Helper()
	for k, v := range linkSecurityHeaders {
		assert.Equal(t, []string{v}, h.Values(k), "%s: %s", where, k)
	}
}

// laxFileServer answers like a file server that sets its own, weaker
// headers, and echoes what it received.
func laxFileServer(t *testing.T, hits *int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*hits++
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("Referrer-Policy", "unsafe-url")
		h.Set("Content-Security-Policy", "default-src *")
		h.Set("Content-Type", "text/html")
		json.NewEncoder(w).Encode(seen{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, "", r.Header})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestALinkOpensExactlyItsFileThroughTheProxy(t *testing.T) {
	f := newFixture(t)
	hits := 0
	up := laxFileServer(t, &hits)
	l := f.loggedChecker(t, Options{AllowQueryToken: true})
	srv := proxyServer(t, l.Checker, up.URL)
	link := "fg_link=" + f.link

	r := call(t, "GET", srv.URL+sharedFile+"?page=2&"+link+"&x", nil, "")
	require.Equal(t, "200", r.outcome, r.body)
	assertLinkHeaders(t, r.header, "proxy GET")
	s := decodeSeen(t, r)
	assert.Equal(t, "page=2&x", s.RawQuery, "fg_link is removed before forwarding, the rest kept as sent")
	assert.Equal(t, []string{"link"}, s.Header.Values(HeaderAuth))
	assert.Equal(t, []string{f.linkID}, s.Header.Values(HeaderToken))
	assert.Equal(t, []string{""}, s.Header.Values(HeaderUser))
	r = call(t, "HEAD", srv.URL+sharedFile+"?"+link, nil, "")
	require.Equal(t, "200", r.outcome)
	assertLinkHeaders(t, r.header, "proxy HEAD")
	require.Equal(t, 2, hits)

	for _, c := range []struct{ name, method, target, authz, want string }{
		{"another file", "GET", "/fileupload/shared/other.pdf?" + link, "", "401 invalid_token"},
		{"another case", "GET", "/fileupload/Shared/report.pdf?" + link, "", "401 invalid_token"},
		{"a folder of it", "GET", "/fileupload/shared/?" + link, "", "401 invalid_token"},
		{"a workflow", "POST", "/api/1.1/wf/public-none-post?" + link, "", "401 invalid_token"},
		{"an unprotected path", "GET", "/other/report.pdf?" + link, "", "401 invalid_token"},
		{"its file, spelled with a dot segment", "GET", "/fileupload/shared/./report.pdf?" + link, "", "401 invalid_token"},
		{"wrong method", "POST", sharedFile + "?" + link, "", "405 method_not_allowed"},
		{"with a bearer token", "GET", sharedFile + "?" + link, "Bearer " + f.reader, "400 invalid_request"},
		{"with api_token", "GET", sharedFile + "?api_token=" + f.reader + "&" + link, "", "400 invalid_request"},
		{"twice", "GET", sharedFile + "?" + link + "&" + link, "", "400 invalid_request"},
		{"under a lookalike key", "GET", sharedFile + "?fg.link=" + f.link, "", "400 invalid_request"},
		{"expired", "GET", sharedFile + "?fg_link=" + f.expiredLink, "", "401 invalid_token"},
		{"revoked", "GET", sharedFile + "?fg_link=" + f.revokedLink, "", "401 invalid_token"},
	} {
		h := http.Header{}
		if c.authz != "" {
			h.Set("Authorization", c.authz)
		}
		r := call(t, c.method, srv.URL+c.target, h, "")
		assert.Equal(t, c.want, r.outcome, c.name)
		assertDenial(t, r, true, c.name)
		if r.status == http.StatusBadRequest {
			assert.Contains(t, r.body, "exactly one fg_link parameter", c.name)
		}
	}
	require.Equal(t, 2, hits, "no refused link request reaches the upstream")

	require.NoError(t, f.store.RevokeLink(ctx, f.linkID))
	require.NoError(t, l.Load(ctx, f.store))
	assert.Equal(t, "401 invalid_token", call(t, "GET", srv.URL+sharedFile+"?"+link, nil, "").outcome, "after revoke")

	calls := l.storedCalls(t, f.store)
	require.NotEmpty(t, calls)
	assert.Equal(t, f.linkID, calls[0].LinkID, "the call log records the link by id")
	assert.Empty(t, calls[0].TokenID)
	assert.Equal(t, 200, calls[0].Status)
	log := l.access.String()
	for _, secret := range []string{f.link, f.expiredLink, f.revokedLink} {
		assert.NotContains(t, log, secret[4:], "a link secret is never logged")
	}
	lines := l.accessLines(t)
	assert.Equal(t, "link", lines[0]["auth"])
	assert.Equal(t, f.linkID, lines[0]["link_id"], "named as calls --json names it")
	assert.Empty(t, lines[0]["token_id"])
}

func TestALinkThroughTheForwardAuthEndpoints(t *testing.T) {
	f := newFixture(t)
	l := f.loggedChecker(t, Options{})
	srv := httptest.NewServer(l.Handler(nil))
	defer srv.Close()
	uri := sharedFile + "?a=1&fg_link=" + f.link + "&b=%2F"
	for _, ask := range []struct {
		via    string
		url    string
		header http.Header
	}{
		{"traefik/caddy", srv.URL + AuthPath, http.Header{"X-Forwarded-Method": {"GET"}, "X-Forwarded-Uri": {uri}}},
		{"envoy", srv.URL + AuthPath + uri, http.Header{}},
		{"nginx", srv.URL + NginxAuthPath, http.Header{"X-Original-Method": {"GET"}, "X-Original-Uri": {uri}}},
	} {
		r := call(t, "GET", ask.url, ask.header, "")
		require.Equal(t, 200, r.status, "%s: %s", ask.via, r.body)
		assert.Equal(t, "link", r.header.Get(HeaderAuth), ask.via)
		assert.Equal(t, f.linkID, r.header.Get(HeaderToken), ask.via)
		assert.Equal(t, []string{""}, r.header.Values(HeaderUser), ask.via)
		assert.Equal(t, "?a=1&b=%2F", r.header.Get(HeaderQuery), "%s: the query to forward has no fg_link", ask.via)
		assertLinkHeaders(t, r.header, ask.via)
	}

	other := http.Header{"X-Original-Method": {"GET"}, "X-Original-Uri": {"/fileupload/shared/x.pdf?fg_link=" + f.link}}
	r := call(t, "GET", srv.URL+NginxAuthPath, other, "")
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "401", r.header.Get(HeaderStatus))
	assert.Equal(t, "invalid_token", r.header.Get(HeaderCode))
	assert.Empty(t, r.header.Get("Content-Security-Policy"), "the link headers are for answers a link allowed")

	byToken := http.Header{"X-Forwarded-Method": {"GET"}, "X-Forwarded-Uri": {sharedFile}, "Authorization": {"Bearer " + f.reader}}
	r = call(t, "GET", srv.URL+AuthPath, byToken, "")
	require.Equal(t, 200, r.status)
	assert.Empty(t, r.header.Get("Content-Security-Policy"), "a token's answer gets no link headers")

	assert.NotContains(t, l.access.String(), f.link[4:], "a link secret is never logged")
	for _, c := range l.storedCalls(t, f.store)[:3] {
		assert.Equal(t, f.linkID, c.LinkID)
	}
}

func TestALinkThroughMiddlewareOverridesTheApplicationsHeaders(t *testing.T) {
	f := newFixture(t)
	var got *http.Request
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Header().Set("Cache-Control", "public")
		w.Header().Set("X-Content-Type-Options", "")
		w.Write([]byte("<svg onload=alert(1)>"))
	})
	srv := httptest.NewServer(f.checker(t, Options{}).Middleware(app))
	defer srv.Close()

	r := call(t, "GET", srv.URL+sharedFile+"?fg_link="+f.link+"&v=1", nil, "")
	require.Equal(t, 200, r.status, r.body)
	assertLinkHeaders(t, r.header, "middleware")
	require.NotNil(t, got)
	assert.Equal(t, "v=1", got.URL.RawQuery)
	assert.NotContains(t, got.RequestURI, "fg_link")
	assertTrustedHeaders(t, got.Header, "link", "", f.linkID, "middleware")

	got = nil
	r = call(t, "GET", srv.URL+"/fileupload/shared/other.pdf?fg_link="+f.link, nil, "")
	assert.Equal(t, "401 invalid_token", r.outcome)
	assert.Nil(t, got, "a refused link never reaches the application")
}
