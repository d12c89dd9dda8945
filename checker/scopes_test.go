package checker

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestNamedScopeDenialsAndScopeChanges(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{})
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	user := bearerHeader(f.user)
	require.Equal(t, "200", call(t, "POST", srv.URL+"/api/1.1/wf/Send-Invoice", user, "").outcome)

	_, err := f.store.SetTokenScope(ctx, f.userID, model.Scope{Workflows: []string{"report-*"}, Files: []string{}})
	require.NoError(t, err)
	require.NoError(t, c.Load(ctx, f.store))
	r := call(t, "POST", srv.URL+"/api/1.1/wf/send-invoice", user, "")
	assert.Equal(t, "403 insufficient_scope", r.outcome)
	assert.Contains(t, r.body, `"message":"this token may not call Send-Invoice"`, "the stored name, in the message")
	r = call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", user, "")
	assert.Contains(t, r.body, "this token may not call public-none-post", "a None-required workflow judges the token too")

	n := http.Header{"X-Original-Method": {"POST"}, "X-Original-Uri": {"/api/1.1/wf/public-user-post"}, "Authorization": user["Authorization"]}
	r = call(t, "GET", srv.URL+NginxAuthPath, n, "")
	assert.Equal(t, 403, r.status)
	assert.True(t, strings.Contains(r.header.Get(HeaderBody), "this token may not call public-user-post"), r.header.Get(HeaderBody))
}

func TestARotatedTokensOldSecretWorksUntilTheOverlapEnds(t *testing.T) {
	f := newFixture(t)
	wf := "/api/1.1/wf/public-admin-post"
	at := func(offset time.Duration) *httptest.Server {
		srv := httptest.NewServer(f.checker(t, Options{Now: func() time.Time { return time.Now().Add(offset) }}).Handler(nil))
		t.Cleanup(srv.Close)
		return srv
	}
	during, after := at(23*time.Hour), at(25*time.Hour)
	for _, secret := range []string{f.rotatedOld, f.rotatedNew} {
		r := call(t, "POST", during.URL+wf, bearerHeader(secret), "")
		require.Equal(t, "200", r.outcome)
		assert.Contains(t, r.body, f.rotatedID, "the same token id")
	}
	assert.Equal(t, "401 invalid_token", call(t, "POST", after.URL+wf, bearerHeader(f.rotatedOld), "").outcome)
	assert.Equal(t, "200", call(t, "POST", after.URL+wf, bearerHeader(f.rotatedNew), "").outcome)
}
