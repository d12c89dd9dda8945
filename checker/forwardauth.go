package checker

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"flowgate/model"
)

// Forward-auth endpoints: a gateway asks flowgate about a call and forwards
// it itself.
const (
	// AuthPath serves Traefik and Caddy (a request carrying
	// X-Forwarded-Method and X-Forwarded-Uri) and, below it, Envoy's
	// ext_authz HTTP service (the original method and path appended).
	AuthPath = "/_flowgate/auth"
	// NginxAuthPath serves nginx auth_request (X-Original-Method and
	// X-Original-URI).
	NginxAuthPath = "/_flowgate/nginx-auth"
)

// gatewayMisconfigured answers a forward-auth request that lacks the
// headers naming the original call: the gateway is set up wrong, so the
// call is refused rather than guessed at.
var gatewayMisconfigured = model.Decision{Status: 503, Code: model.CodeUnavailable,
	Message: "the gateway did not say which call to check (missing original method or URI header); see docs/gateways.md"}

// serveForwardAuth answers Traefik, Caddy and Envoy: 200 with the identity
// headers, or the denial with its real status, challenge and body.
func (c *Checker) serveForwardAuth(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(escapedPath(r), AuthPath); ok && rest != "" {
		req := Request{Method: r.Method, Path: rest, RawQuery: r.URL.RawQuery, uri: r.RequestURI}
		c.answerGateway(w, r, "auth", &req, nil)
		return
	}
	req, refused := originalRequest(r.Header, "X-Forwarded-Method", "X-Forwarded-Uri")
	c.answerGateway(w, r, "auth", &req, refused)
}

// serveNginxAuth answers nginx auth_request, which turns any status but
// 2xx, 401 and 403 into a 500: credential problems (400, 401) are answered
// 401 and every other denial 403, with the real status and code in
// X-Flowgate-Status and X-Flowgate-Code.
func (c *Checker) serveNginxAuth(w http.ResponseWriter, r *http.Request) {
	req, refused := originalRequest(r.Header, "X-Original-Method", "X-Original-Uri")
	c.answerGateway(w, r, "nginx-auth", &req, refused)
}

// writeNginxDenial maps a denial onto the two statuses nginx passes on and
// carries the real status, code and body in headers.
func writeNginxDenial(w http.ResponseWriter, res *Result) {
	status := http.StatusForbidden
	if res.Status == http.StatusBadRequest || res.Status == http.StatusUnauthorized {
		status = http.StatusUnauthorized
	}
	h := w.Header()
	h.Set(HeaderStatus, strconv.Itoa(res.Status))
	h.Set(HeaderCode, res.Code)
	// nginx drops an auth_request body; the header lets its error_page
	// give the client the real body (see docs/gateways.md).
	h.Set(HeaderBody, string(bytes.TrimSpace(resultDenialJSON(res))))
	writeDenialAs(w, res, status)
}

// answerGateway is what every forward-auth endpoint does with the call a
// gateway asks about: decide it, queue it for the call log, answer 200 with
// the identity headers and the query to forward (and, for a share link, the
// link security headers: see linkHeaders), or the denial in the
// gateway's own way (nginx's for via "nginx-auth"), and write the access
// line. refused, when set, is the answer already known from how the gateway
// asked. A switch rather than a denial callback keeps the result on the
// stack: this is the request path.
func (c *Checker) answerGateway(w http.ResponseWriter, r *http.Request, via string, req *Request, refused *model.Decision) {
	start := time.Now()
	res := c.checkForwarded(req, r, refused)
	c.timeDecision(&res, start)
	remote := c.clientIP(r, true)
	if res.Allowed {
		vals := make(headerValues, 4)
		setIdentityHeaders(w.Header(), &res, &vals)
		setForwardQuery(w.Header(), req, &vals)
		if res.ByLink() {
			setLinkHeaders(w.Header())
		}
		w.WriteHeader(http.StatusOK)
	} else if via == "nginx-auth" {
		writeNginxDenial(w, &res)
	} else {
		writeDenial(w, &res)
	}
	c.finishCall(via, req.Method, &res, remote, start)
}

// setForwardQuery tells the gateway which query to forward: the original
// one without the api_token and fg_link parameters, with its leading '?'
// (empty when nothing remains), so a gateway that can rewrite the URI
// (nginx, Caddy) never passes a token or a share link upstream. A query
// left as it was is sliced from the URI the gateway sent (see
// withQueryMark), so it costs no allocation.
func setForwardQuery(h http.Header, req *Request, vals *headerValues) {
	q := StripQueryCredentials(req.RawQuery)
	switch {
	case q == "":
	case q == req.RawQuery:
		q = withQueryMark(req.uri, q)
	default:
		q = "?" + q
	}
	vals.set(h, HeaderQuery, q)
}

// withQueryMark is "?" + query: a slice of uri when uri ends with exactly
// that, as a request URI ends with its query, or else a new string.
func withQueryMark(uri, query string) string {
	if n := len(uri) - len(query); n > 0 && uri[n-1] == '?' && uri[n:] == query {
		return uri[n-1:]
	}
	return "?" + query
}

// originalRequest reads the call a gateway asks about from its method and
// URI headers. A header sent twice refuses the call (which one the gateway
// forwards is unknown); a missing one leaves Method empty, which
// checkForwarded answers as a misconfigured gateway.
func originalRequest(h http.Header, methodKey, uriKey string) (Request, *model.Decision) {
	method, ok1 := singleHeader(h, methodKey)
	uri, ok2 := singleHeader(h, uriKey)
	if !ok1 || !ok2 {
		return Request{}, &denyDuplicateForwarded
	}
	if method == "" || uri == "" {
		return Request{}, nil
	}
	path, query, _ := strings.Cut(uri, "?")
	return Request{Method: method, Path: path, RawQuery: query, uri: uri}, nil
}

// checkForwarded decides a forwarded call, with the credentials of the
// forwarded request (gateways pass the client's headers along). A call
// asking to switch protocols is refused, as in proxy mode.
func (c *Checker) checkForwarded(req *Request, r *http.Request, refused *model.Decision) Result {
	switch {
	case refused != nil:
		return Result{Decision: *refused}
	case req.Method == "":
		return Result{Decision: gatewayMisconfigured}
	}
	req.Authorization = r.Header["Authorization"]
	res := c.Check(req)
	if switchesProtocol(r.Header) {
		res.Decision = denyProtocolSwitch
	}
	return res
}
