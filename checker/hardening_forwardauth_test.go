package checker

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForwardAuthRefusesTheCallNamedTwice(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{AllowQueryToken: true})
	const open, guarded = "/api/1.1/wf/public-none-post", "/api/1.1/wf/public-admin-post"

	for _, h := range []http.Header{
		{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {open, guarded}},
		{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {guarded, open}},
		{"X-Forwarded-Method": {"POST", "GET"}, "X-Forwarded-Uri": {open}},
		{"X-Forwarded-Method": {"POST", "POST"}, "X-Forwarded-Uri": {open}},
		{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"", open}},
	} {
		r := call(t, "GET", srv.URL+AuthPath, h, "")
		assert.Equal(t, "400 invalid_request", r.outcome, "%v", h)
		assert.Empty(t, r.header.Values(HeaderAuth), "%v: no identity to forward", h)
	}
	for _, h := range []http.Header{
		{"X-Original-Method": {"POST"}, "X-Original-Uri": {open, guarded}},
		{"X-Original-Method": {"GET", "POST"}, "X-Original-Uri": {open}},
	} {
		r := call(t, "GET", srv.URL+NginxAuthPath, h, "")
		assert.Equal(t, http.StatusUnauthorized, r.status, "%v", h)
		assert.Equal(t, "400", r.header.Get(HeaderStatus), "%v", h)
		assert.Equal(t, "invalid_request", r.header.Get(HeaderCode), "%v", h)
	}

	// One header line whose URI holds a comma is one URI.
	r := call(t, "GET", srv.URL+AuthPath, http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {open + "?ids=1,2"}}, "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "?ids=1,2", r.header.Get(HeaderQuery))
	r = call(t, "GET", srv.URL+NginxAuthPath, http.Header{"X-Original-Method": {"POST"}, "X-Original-Uri": {open + "?ids=1,2"}}, "")
	assert.Equal(t, http.StatusOK, r.status)
}

func TestForwardAuthRefusesProtocolUpgrades(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{})
	for _, h := range []http.Header{
		{"Connection": {"Upgrade"}, "Upgrade": {"websocket"}},
		{"Upgrade": {"h2c"}, "Http2-Settings": {"AAMAAABkAARAAAAAAAIAAAAA"}},
	} {
		fwd := h.Clone()
		fwd.Set("X-Forwarded-Method", "GET")
		fwd.Set("X-Forwarded-Uri", "/api/1.1/wf/public-none-get")
		assert.Equal(t, "400 invalid_request", call(t, "GET", srv.URL+AuthPath, fwd, "").outcome, "%v", h)
		assert.Equal(t, "400 invalid_request", call(t, "GET", srv.URL+AuthPath+"/api/1.1/wf/public-none-get", h, "").outcome, "envoy %v", h)
		nginx := h.Clone()
		nginx.Set("X-Original-Method", "GET")
		nginx.Set("X-Original-Uri", "/api/1.1/wf/public-none-get")
		assert.Equal(t, "400", call(t, "GET", srv.URL+NginxAuthPath, nginx, "").header.Get(HeaderStatus), "nginx %v", h)
	}
}

func TestForwardAuthRefusesLookalikeTokenParameters(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{AllowQueryToken: true})
	for _, q := range []string{"?API_TOKEN=", "?api_token[]=", "?api_token%00=", "?api%5Ftoken=",
		"?api_token%20=", "?api_token+=", "?api_token.=", "?fg_link+=", "?fg_link.="} {
		h := http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/public-none-post" + q + f.admin}}
		r := call(t, "GET", srv.URL+AuthPath, h, "")
		assert.Equal(t, "400 invalid_request", r.outcome, q)
		assert.Empty(t, r.header.Values(HeaderQuery), "%s: no query for the gateway to forward", q)
	}
}
