package checker

import (
	"net/http"
	"time"
)

// Middleware guards a Go server's workflow and private file handlers: every
// request is decided; a denial is answered directly, and an allowed request
// reaches next with X-Flowgate-Auth, X-Flowgate-User and X-Flowgate-Token
// set (any such headers the client sent removed, also spelled with '_'),
// method override headers removed, X-Real-IP set to the caller's IP (the
// peer's, or the client a trusted proxy names: see TrustedProxies), and the
// api_token and fg_link parameters stripped from its query; the answer to a
// call allowed by a share link gets the link security headers (see
// linkHeaders) over whatever next sets. A request asking for a protocol
// upgrade is refused (400). The Authorization header is left for next.
// Mount it on the workflow routes and the protected prefixes only: any
// other path is denied with 404, so a path the checker cannot read is never
// waved through.
func (c *Checker) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.serveGateway(w, r, next, "middleware")
	})
}

// serveGateway decides a workflow call and either denies it or hands the
// cleaned request to next (nil: answer 200 with the decision as JSON). A
// request asking to switch protocols is refused: the checker could not see
// what travels in the tunnel. Both logs get the status the caller was sent.
func (c *Checker) serveGateway(w http.ResponseWriter, r *http.Request, next http.Handler, via string) {
	start := time.Now()
	req := Request{Method: r.Method, Path: escapedPath(r), RawQuery: r.URL.RawQuery, Authorization: r.Header["Authorization"]}
	res := c.Check(&req)
	if switchesProtocol(r.Header) {
		res.Decision = denyProtocolSwitch
	}
	c.timeDecision(&res, start)
	peer := c.clientIP(r, false)
	switch {
	case !res.Allowed:
		writeDenial(w, &res)
	case next == nil:
		w.Header()["Content-Type"] = jsonContentType
		w.Header()["Cache-Control"] = noStore
		if res.ByLink() {
			setLinkHeaders(w.Header())
		}
		w.Write(allowJSON(&res))
	default:
		sent := &sentStatus{ResponseWriter: w, byLink: res.ByLink()}
		next.ServeHTTP(sent, forwardRequest(r, &res, peer))
		res.Status, res.Code = sent.sent(), sent.code
	}
	c.finishCall(via, r.Method, &res, peer, start)
}

// escapedPath is the request path as the client spelled it, escaped:
// RawPath when the client's encoding differs from Go's default one,
// otherwise Path encoded again (without allocating when it needs no
// escape). Never the decoded Path itself: ParseFilePath decodes, and a
// path decoded twice ("%2561" read as "a") would not be the one the
// upstream serves.
func escapedPath(r *http.Request) string {
	return r.URL.EscapedPath()
}

// forwardRequest is r as the next handler must see it: a shallow copy with
// its own headers (client X-Flowgate-*, method overrides and X-Real-IP
// removed in any spelling, then the caller's identity and IP set) and its
// own URL without the api_token parameter, carrying the decision for
// NewProxy, which sets the identity again once the hop-by-hop headers are
// gone. r itself is not modified.
func forwardRequest(r *http.Request, res *Result, peer string) *http.Request {
	out := withDecidedCall(r, res, peer)
	out.Header = r.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	removeSpoofedHeaders(out.Header)
	vals := make(headerValues, 4)
	setIdentityHeaders(out.Header, res, &vals)
	setRealIP(out.Header, peer, &vals)
	if q := StripQueryCredentials(r.URL.RawQuery); q != r.URL.RawQuery {
		u := *r.URL
		u.RawQuery = q
		out.URL = &u
		out.RequestURI = u.RequestURI()
	}
	return out
}
