package checker

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// HealthPath answers 200 while a snapshot is loaded, 503 otherwise.
const HealthPath = "/_flowgate/healthz"

// Handler is what `flowgate serve` listens with: the health and
// forward-auth endpoints, and every other path decided as a workflow call.
// Allowed calls go to upstream (see NewProxy); with a nil upstream they are
// answered 200 with the decision as JSON.
func (c *Checker) Handler(upstream http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == HealthPath:
			c.serveHealth(w)
		case p == NginxAuthPath:
			c.serveNginxAuth(w, r)
		case p == AuthPath || strings.HasPrefix(p, AuthPath+"/"):
			c.serveForwardAuth(w, r)
		default:
			c.serveGateway(w, r, upstream, "proxy")
		}
	})
}

// serveHealth reports whether settings are loaded, their generation, and
// how many calls the call log has dropped. It says nothing about how many
// workflows or tokens exist: in proxy mode anyone can ask.
func (c *Checker) serveHealth(w http.ResponseWriter) {
	body := struct {
		Status       string `json:"status"`
		Generation   int64  `json:"generation"`
		CallsDropped uint64 `json:"calls_dropped"`
	}{Status: "ok", Generation: -1}
	status := http.StatusOK
	if s := c.snap.Load(); s != nil {
		body.Generation = s.generation
	} else {
		body.Status, status = "unavailable", http.StatusServiceUnavailable
	}
	if c.calls != nil {
		body.CallsDropped = c.calls.Dropped()
	}
	w.Header()["Content-Type"] = jsonContentType
	w.Header()["Cache-Control"] = noStore
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// NewHTTPServer wraps h with the limits a gateway facing the internet
// needs: a read-header timeout (slow-loris), a header size limit and an
// idle timeout. No overall read or write timeout, so large bodies and
// slow upstream answers can stream.
func NewHTTPServer(h http.Handler, errorLog *slog.Logger) *http.Server {
	s := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	if errorLog != nil {
		s.ErrorLog = slog.NewLogLogger(errorLog.Handler(), slog.LevelWarn)
	}
	return s
}
