package checker

import (
	"encoding/json"
	"net/http"
	"strings"
)

// HealthPath answers 200 while calls are decided (a snapshot is loaded and
// not older than the maximum staleness), 503 otherwise.
const HealthPath = "/_flowgate/healthz"

// Handler is what `flowgate serve` listens with when it has one listener.
// Without an upstream it serves everything: the health details, the
// forward-auth endpoints, and every other path decided as a workflow call
// and answered 200 with the decision as JSON. With an upstream (see
// NewProxy) it is PublicHandler: a listener that proxies faces callers, who
// must not reach the forward-auth endpoints (which read the client's
// X-Forwarded-* headers and each add a call-log row).
func (c *Checker) Handler(upstream http.Handler) http.Handler {
	if upstream != nil {
		return c.PublicHandler(upstream)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.serveGatewayEndpoint(w, r) {
			c.serveGateway(w, r, nil, "proxy")
		}
	})
}

// PublicHandler is the listener callers reach: a bare health answer, and
// every other path decided as a workflow call, forwarded to upstream when
// allowed (nil: answered 200 with the decision). The forward-auth paths are
// not workflow paths, so they get 404 like any other and are never
// forwarded.
func (c *Checker) PublicHandler(upstream http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == HealthPath {
			c.serveBareHealth(w)
			return
		}
		c.serveGateway(w, r, upstream, "proxy")
	})
}

// GatewayHandler is the listener for gateways and monitoring only (serve
// --gateway-listen): the forward-auth endpoints and the health details.
// Anything else is 404: workflow calls are not answered here.
func (c *Checker) GatewayHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.serveGatewayEndpoint(w, r) {
			writeJSON(w, http.StatusNotFound, notGatewayEndpoint)
		}
	})
}

var notGatewayEndpoint = []byte(`{"statusCode":404,"body":{"status":"NOT_FOUND","code":"not_found","message":"not a flowgate gateway endpoint; see docs/gateways.md"}}` + "\n")

// serveGatewayEndpoint answers the health, metrics and forward-auth paths
// and reports whether r was one of them.
func (c *Checker) serveGatewayEndpoint(w http.ResponseWriter, r *http.Request) bool {
	switch p := r.URL.Path; {
	case p == HealthPath:
		c.serveHealth(w)
	case p == MetricsPath && c.metrics != nil:
		c.metrics.handler.ServeHTTP(w, r)
	case p == NginxAuthPath:
		c.serveNginxAuth(w, r)
	case p == AuthPath || strings.HasPrefix(p, AuthPath+"/"):
		c.serveForwardAuth(w, r)
	default:
		return false
	}
	return true
}

// serveHealth answers the health details (see healthReport): status,
// version, backend, generation, the snapshot's age and how many calls the
// call log has dropped.
func (c *Checker) serveHealth(w http.ResponseWriter) {
	body, status := c.health()
	b, _ := json.Marshal(body)
	writeJSON(w, status, append(b, '\n'))
}

// serveBareHealth is the health answer on a listener callers reach: up or
// not (Ready: also not once the settings are older than the maximum
// staleness), nothing an outsider could learn the settings' history from.
func (c *Checker) serveBareHealth(w http.ResponseWriter) {
	if c.Ready() {
		writeJSON(w, http.StatusOK, healthOK)
	} else {
		writeJSON(w, http.StatusServiceUnavailable, healthUnavailable)
	}
}

var (
	healthOK          = []byte(`{"status":"ok"}` + "\n")
	healthUnavailable = []byte(`{"status":"unavailable"}` + "\n")
)

// writeJSON answers with a fixed JSON body that no cache may keep.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = jsonContentType
	w.Header()["Cache-Control"] = noStore
	w.WriteHeader(status)
	w.Write(body)
}
