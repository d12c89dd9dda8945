package checker

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The identity headers share one backing array (headerValues): a handler
// that adds a value to one of them must not overwrite its neighbour.
func TestAddingToAnIdentityHeaderLeavesTheOthersIntact(t *testing.T) {
	f := newFixture(t)
	var user, token, realIP string
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Add(HeaderAuth, "appended")
		r.Header.Add(HeaderUser, "appended")
		r.Header.Add(HeaderToken, "appended")
		user, token, realIP = r.Header.Get(HeaderUser), r.Header.Get(HeaderToken), r.Header.Get("X-Real-Ip")
	})
	srv := httptest.NewServer(f.checker(t, Options{}).Middleware(app))
	defer srv.Close()
	r := call(t, "POST", srv.URL+"/api/1.1/wf/public-user-post", http.Header{"Authorization": {"Bearer " + f.user}}, "")
	require.Equal(t, 200, r.status, r.body)
	assert.Equal(t, "user-42", user)
	assert.Equal(t, f.userID, token)
	assert.Equal(t, "127.0.0.1", realIP)
}

// The query to forward is sliced from the URI the gateway sent: it must be
// the whole query, after the first '?', whichever way the gateway asked.
func TestTheQueryToForwardIsTheWholeQuery(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{AllowQueryToken: true})
	bearer := "Bearer " + f.user
	for _, tc := range []struct{ name, uri, want string }{
		{"a '?' inside the query", "/api/1.1/wf/public-user-post?a=1?b=2", "?a=1?b=2"},
		{"an empty query", "/api/1.1/wf/public-user-post?", ""},
		{"a query that is only '?'", "/api/1.1/wf/public-user-post??", "??"},
	} {
		h := http.Header{"Authorization": {bearer}, "X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {tc.uri}}
		r := call(t, "GET", srv.URL+AuthPath, h, "")
		require.Equal(t, 200, r.status, "%s: %s", tc.name, r.body)
		assert.Equal(t, []string{tc.want}, r.header.Values(HeaderQuery), tc.name)
	}
	// Envoy: the original path and query appended to the endpoint's.
	r := call(t, "POST", srv.URL+AuthPath+"/api/1.1/wf/public-user-post?x=1?y", http.Header{"Authorization": {bearer}}, "")
	require.Equal(t, 200, r.status, r.body)
	assert.Equal(t, "?x=1?y", r.header.Get(HeaderQuery))
}
