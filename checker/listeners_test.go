package checker

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingUpstream counts what reaches it and answers 200.
func countingUpstream() (http.Handler, *atomic.Int32) {
	var hits atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }), &hits
}

// forwardAuthAsks are the three ways a gateway asks about an allowed call.
var forwardAuthAsks = []struct {
	name, path string
	header     http.Header
}{
	{"traefik", AuthPath, http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/public-none-post"}}},
	{"envoy", AuthPath + "/api/1.1/wf/public-none-post", nil},
	{"nginx", NginxAuthPath, http.Header{"X-Original-Method": {"POST"}, "X-Original-Uri": {"/api/1.1/wf/public-none-post"}}},
}

func TestAListenerThatProxiesHasNoForwardAuthEndpoints(t *testing.T) {
	f := newFixture(t)
	up, hits := countingUpstream()
	srv := httptest.NewServer(f.checker(t, Options{}).Handler(up))
	defer srv.Close()
	for _, ask := range forwardAuthAsks {
		r := call(t, "POST", srv.URL+ask.path, ask.header, "")
		assert.Equal(t, "404 not_found", r.outcome, ask.name)
	}
	assert.Zero(t, hits.Load(), "never forwarded")

	h := call(t, "GET", srv.URL+HealthPath, nil, "")
	assert.Equal(t, 200, h.status)
	assert.Equal(t, `{"status":"ok"}`+"\n", h.body, "nothing more on a listener callers reach")
	assert.Equal(t, "200", call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", nil, "").outcome)
	assert.EqualValues(t, 1, hits.Load())
}

func TestTheGatewayListenerAnswersGatewaysAndNothingElse(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{})
	gw := httptest.NewServer(c.GatewayHandler())
	defer gw.Close()
	for _, ask := range forwardAuthAsks {
		r := call(t, "POST", gw.URL+ask.path, ask.header, "")
		assert.Equal(t, "200", r.outcome, ask.name)
		assert.Equal(t, "anonymous", r.header.Get(HeaderAuth), ask.name)
	}
	h := call(t, "GET", gw.URL+HealthPath, nil, "")
	require.Equal(t, 200, h.status)
	var details map[string]any
	require.NoError(t, json.Unmarshal([]byte(h.body), &details))
	assert.Contains(t, details, "generation")
	assert.Contains(t, details, "calls_dropped")
	r := call(t, "POST", gw.URL+"/api/1.1/wf/public-none-post", nil, "")
	assert.Equal(t, "404 not_found", r.outcome, "workflow calls are not answered on the gateway listener")
	assert.Contains(t, r.body, "not a flowgate gateway endpoint")

	// Beside it, the callers' listener without an upstream answers
	// workflow calls with the decision, and nothing for gateways.
	pub := httptest.NewServer(c.PublicHandler(nil))
	defer pub.Close()
	r = call(t, "POST", pub.URL+"/api/1.1/wf/public-none-post", nil, "")
	assert.Equal(t, "200", r.outcome)
	assert.Contains(t, r.body, `"status":"ALLOWED"`)
	for _, ask := range forwardAuthAsks {
		assert.Equal(t, "404 not_found", call(t, "POST", pub.URL+ask.path, ask.header, "").outcome, ask.name)
	}
	assert.Equal(t, `{"status":"ok"}`+"\n", call(t, "GET", pub.URL+HealthPath, nil, "").body)
}

func TestBareHealthSaysUnavailableBeforeSettingsLoad(t *testing.T) {
	up, _ := countingUpstream()
	srv := httptest.NewServer(New(Options{}).Handler(up))
	defer srv.Close()
	h := call(t, "GET", srv.URL+HealthPath, nil, "")
	assert.Equal(t, 503, h.status)
	assert.Equal(t, `{"status":"unavailable"}`+"\n", h.body)
}
