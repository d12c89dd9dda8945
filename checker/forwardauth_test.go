package checker

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForwardAuthTraefikAndCaddy(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{AllowQueryToken: true})
	ask := func(method, uri string, h http.Header) response {
		if h == nil {
			h = http.Header{}
		}
		h.Set("X-Forwarded-Method", method)
		h.Set("X-Forwarded-Uri", uri)
		h.Set("X-Flowgate-User", "forged")
		return call(t, "GET", srv.URL+AuthPath, h, "")
	}
	r := ask("POST", "/api/1.1/wf/public-user-post?x=1", http.Header{"Authorization": {"Bearer " + f.user}})
	require.Equal(t, 200, r.status, r.body)
	assert.Equal(t, "user", r.header.Get("X-Flowgate-Auth"))
	assert.Equal(t, "user-42", r.header.Get("X-Flowgate-User"))
	assert.Equal(t, f.userID, r.header.Get("X-Flowgate-Token"))
	assert.Equal(t, "?x=1", r.header.Get(HeaderQuery))

	r = ask("POST", "/api/1.1/wf/public-user-post?api_token="+f.user+"&b=%20", nil)
	require.Equal(t, 200, r.status, r.body)
	assert.Equal(t, "?b=%20", r.header.Get(HeaderQuery), "the query to forward has no token")
	r = ask("POST", "/api/1.1/wf/public-user-post?api_token="+f.user, nil)
	assert.Equal(t, []string{""}, r.header.Values(HeaderQuery))

	r = ask("POST", "/api/1.1/wf/public-none-post", nil)
	require.Equal(t, 200, r.status)
	assert.Equal(t, "anonymous", r.header.Get("X-Flowgate-Auth"))
	assert.Equal(t, []string{""}, r.header.Values("X-Flowgate-User"), "always sent, so the gateway overwrites a forged one")

	r = ask("POST", "/version-live/api/1.1/wf/public-admin-post?api_token="+f.user, nil)
	assert.Equal(t, "403 insufficient_scope", r.outcome)
	assertDenial(t, r, true, "forward-auth 403")
	assert.Empty(t, r.header.Get("X-Flowgate-Auth"))

	r = ask("POST", "/api/1.1/wf/public-admin-post", nil)
	assert.Equal(t, "401 missing_token", r.outcome)
	assertDenial(t, r, false, "forward-auth 401")
	assert.Equal(t, "404 not_found", ask("POST", "/api/1.1/wf//public-none-post", nil).outcome)
	assert.Equal(t, "405 method_not_allowed", ask("GET", "/api/1.1/wf/public-none-post", nil).outcome)

	missing := call(t, "GET", srv.URL+AuthPath, http.Header{"Authorization": {"Bearer " + f.admin}}, "")
	assert.Equal(t, "503 unavailable", missing.outcome, "a gateway that does not name the call gets no allow")
	assert.Contains(t, missing.body, "docs/gateways.md")
}

func TestForwardAuthEnvoy(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{AllowQueryToken: true})
	r := call(t, "POST", srv.URL+AuthPath+"/api/1.1/wf/public-admin-post?api_token="+f.admin, nil, "")
	require.Equal(t, 200, r.status, r.body)
	assert.Equal(t, "admin", r.header.Get("X-Flowgate-Auth"))
	assert.Equal(t, "405 method_not_allowed", call(t, "GET", srv.URL+AuthPath+"/api/1.1/wf/public-admin-post", nil, "").outcome)
	assert.Equal(t, "404 not_found", call(t, "POST", srv.URL+AuthPath+"/api/1.1/wf/public%2Dnone-post", nil, "").outcome)
	assert.Equal(t, "404 not_found", call(t, "POST", srv.URL+AuthPath+"x/api/1.1/wf/public-none-post", nil, "").outcome)
}

func TestNginxAuthOnlyAnswers200401And403(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{AllowQueryToken: true})
	ask := func(method, uri, authz string) response {
		h := http.Header{"X-Original-Method": {method}, "X-Original-Uri": {uri}}
		if authz != "" {
			h.Set("Authorization", authz)
		}
		return call(t, "GET", srv.URL+NginxAuthPath, h, "")
	}
	for _, c := range []struct {
		method, uri, authz string
		status             int
		real, code         string
	}{
		{"POST", "/api/1.1/wf/public-user-post", "Bearer " + f.user, 200, "", ""},
		{"POST", "/api/1.1/wf/public-user-post", "", 401, "401", "missing_token"},
		{"POST", "/api/1.1/wf/public-user-post", "Bearer " + f.revoked, 401, "401", "invalid_token"},
		{"POST", "/api/1.1/wf/public-user-post", "Basic eDp5", 401, "400", "invalid_request"},
		{"POST", "/api/1.1/wf/public-admin-post", "Bearer " + f.user, 403, "403", "insufficient_scope"},
		{"POST", "/api/1.1/wf/scheduled-none-post", "", 403, "404", "not_found"},
		{"GET", "/api/1.1/wf/public-none-post", "", 403, "405", "method_not_allowed"},
		{"", "", "", 403, "503", "unavailable"},
	} {
		r := ask(c.method, c.uri, c.authz)
		assert.Equal(t, c.status, r.status, "%s %s", c.method, c.uri)
		assert.Equal(t, c.real, r.header.Get(HeaderStatus), "%s %s", c.method, c.uri)
		assert.Equal(t, c.code, r.header.Get(HeaderCode), "%s %s", c.method, c.uri)
		if c.status == 200 {
			assert.Equal(t, "user-42", r.header.Get(HeaderUser))
			continue
		}
		var d denialBody
		require.NoError(t, json.Unmarshal([]byte(r.header.Get(HeaderBody)), &d))
		assert.Equal(t, c.real, fmt.Sprint(d.StatusCode))
		assert.Equal(t, c.code, d.Body.Code)
	}
}
