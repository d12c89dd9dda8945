package checker

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fileCase is one request for a file and what it must get. want is the
// outcome as call reads it: the echo upstream answers an allowed request
// 201, so "201" also proves the request was forwarded.
type fileCase struct {
	name, method, path, token, want string
}

// fileMatrix is the promise for private files under /fileupload/ (the
// fixture's prefix), tried through every entry point: credentials, method,
// scope and strict path parsing.
func (f *fixture) fileMatrix() []fileCase {
	const p = sharedFile
	return []fileCase{
		{"anonymous", "GET", p, "", "401 missing_token"},
		{"user token without a files scope", "GET", p, f.user, "403 insufficient_scope"},
		{"admin token without a files scope", "GET", p, f.admin, "403 insufficient_scope"},
		{"token with the folder in its scope", "GET", p, f.reader, "201"},
		{"HEAD with the scope", "HEAD", p, f.reader, "201"},
		{"admin token scoped to every file", "GET", p, f.adminOut, "201"},
		{"files scope, workflows out of scope", "GET", p, f.userOut, "201"},
		{"decoded before matching", "GET", "/fileupload/shared/annual%20report.pdf", f.reader, "201"},
		{"wrong method", "POST", p, f.reader, "405 method_not_allowed"},
		{"wrong method before a missing token", "DELETE", p, "", "405 method_not_allowed"},
		{"an invalid token before the method", "POST", p, f.revoked, "401 invalid_token"},
		{"another folder", "GET", "/fileupload/private/salaries.pdf", f.reader, "403 insufficient_scope"},
		{"paths are case-sensitive for scopes", "GET", "/FileUpload/shared/report.pdf", f.reader, "403 insufficient_scope"},
		{"the prefix itself", "GET", "/fileupload", f.reader, "403 insufficient_scope"},
		{"encoded slash", "GET", "/fileupload/shared%2Freport.pdf", f.reader, "404 not_found"},
		{"dot segment", "GET", "/fileupload/shared/../private/salaries.pdf", f.reader, "404 not_found"},
		{"encoded dot segment", "GET", "/fileupload/shared/%2e%2e/private/salaries.pdf", f.reader, "404 not_found"},
		{"dot segment with a parameter", "GET", "/fileupload/shared/..;/private/salaries.pdf", f.reader, "404 not_found"},
		{"doubled slash", "GET", "/fileupload//shared/report.pdf", f.reader, "404 not_found"},
		{"encoded percent", "GET", "/fileupload/shared/a%252Fb", f.reader, "404 not_found"},
		{"decoded once, not twice", "GET", "/fileupload/shared/%2561.pdf", f.reader, "404 not_found"},
		{"bad path with a bad token", "GET", "/fileupload//x", f.revoked, "401 invalid_token"},
		{"no prefix: today's answer", "GET", "/other/report.pdf", f.reader, "404 not_found"},
	}
}

func bearerHeader(token string) http.Header {
	if token == "" {
		return http.Header{}
	}
	return http.Header{"Authorization": {"Bearer " + token}}
}

func TestFileMatrixThroughTheProxy(t *testing.T) {
	f := newFixture(t)
	up, hits := echoUpstream(t)
	srv := proxyServer(t, f.checker(t, Options{}), up.URL)
	for _, c := range f.fileMatrix() {
		before := hits.Load()
		r := call(t, c.method, srv.URL+c.path, bearerHeader(c.token), "")
		require.Equal(t, c.want, r.outcome, c.name)
		if r.status != http.StatusCreated {
			assert.Equal(t, before, hits.Load(), "%s: a denied request is never forwarded", c.name)
			assertDenial(t, r, c.token != "", c.name)
			if r.status == http.StatusMethodNotAllowed {
				assert.Equal(t, "GET, HEAD", r.header.Get("Allow"), c.name)
			}
			continue
		}
		if c.method == "HEAD" {
			continue
		}
		s := decodeSeen(t, r)
		decoded, err := url.PathUnescape(c.path)
		require.NoError(t, err)
		assert.Equal(t, decoded, s.Path, "%s: the path is forwarded as sent", c.name)
		assert.Contains(t, []string{"user", "admin"}, s.Header.Get(HeaderAuth), c.name)
		assert.Empty(t, r.header.Get("Content-Security-Policy"), "%s: the link headers are for links", c.name)
	}
	r := call(t, "GET", srv.URL+"/fileupload/shared/annual%20report.pdf", bearerHeader(f.reader), "")
	s := decodeSeen(t, r)
	assert.Equal(t, "/fileupload/shared/annual report.pdf", s.Path)
	assert.Equal(t, "user-5", s.Header.Get(HeaderUser))
	assert.Equal(t, f.readerID, s.Header.Get(HeaderToken))
}

func TestFileMatrixThroughForwardAuthAndMiddleware(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{})
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	app := httptest.NewServer(c.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})))
	defer app.Close()
	for _, fc := range f.fileMatrix() {
		want := fc.want
		if want == "201" {
			want = "200"
		}
		h := bearerHeader(fc.token)
		h.Set("X-Forwarded-Method", fc.method)
		h.Set("X-Forwarded-Uri", fc.path)
		assert.Equal(t, want, call(t, "GET", srv.URL+AuthPath, h, "").outcome, "auth: %s", fc.name)
		assert.Equal(t, want, call(t, fc.method, srv.URL+AuthPath+fc.path, bearerHeader(fc.token), "").outcome,
			"envoy: %s", fc.name)
		assert.Equal(t, fc.want, call(t, fc.method, app.URL+fc.path, bearerHeader(fc.token), "").outcome,
			"middleware: %s", fc.name)

		n := bearerHeader(fc.token)
		n.Set("X-Original-Method", fc.method)
		n.Set("X-Original-Uri", fc.path)
		r := call(t, "GET", srv.URL+NginxAuthPath, n, "")
		if want == "200" {
			assert.Equal(t, 200, r.status, "nginx: %s", fc.name)
			continue
		}
		assert.Equal(t, want, r.header.Get(HeaderStatus)+" "+r.header.Get(HeaderCode), "nginx: %s", fc.name)
	}
}

func TestARemovedPrefixProtectsNothingAndAnswersAsBefore(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{})
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	require.Equal(t, "200", call(t, "GET", srv.URL+sharedFile, bearerHeader(f.reader), "").outcome)
	require.NoError(t, f.store.RemovePrefix(ctx, filesPrefix))
	require.NoError(t, c.Load(ctx, f.store))
	assert.Equal(t, "404 not_found", call(t, "GET", srv.URL+sharedFile, bearerHeader(f.reader), "").outcome)
	assert.Equal(t, "401 invalid_token", call(t, "GET", srv.URL+sharedFile+"?fg_link="+f.link, nil, "").outcome,
		"a link to a path no longer protected opens nothing")
}
