package checker

import (
	"net/http"
	"time"
)

// Middleware guards a Go server's workflow handler: every request is
// decided; a denial is answered directly, and an allowed request reaches
// next with X-Flowgate-Auth, X-Flowgate-User and X-Flowgate-Token set (any
// such headers the client sent removed) and the api_token parameter
// stripped from its query. Mount it on the workflow routes only: any path
// that is not a workflow path is denied with 404, so a path the checker
// cannot read is never waved through.
func (c *Checker) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.serveGateway(w, r, next, "middleware")
	})
}

// serveGateway decides a workflow call and either denies it or hands the
// cleaned request to next (nil: answer 200 with the decision as JSON).
func (c *Checker) serveGateway(w http.ResponseWriter, r *http.Request, next http.Handler, via string) {
	start := time.Now()
	req := Request{Method: r.Method, Path: escapedPath(r), RawQuery: r.URL.RawQuery, Authorization: r.Header["Authorization"]}
	res := c.Check(&req)
	c.recordCall(&res, r.RemoteAddr, start)
	if !res.Allowed {
		writeDenial(w, &res)
		c.logAccess(via, r.Method, &res, r.RemoteAddr, start)
		return
	}
	if next == nil {
		w.Header()["Content-Type"] = jsonContentType
		w.Header()["Cache-Control"] = noStore
		w.Write(allowJSON(&res))
	} else {
		next.ServeHTTP(w, forwardRequest(r, &res))
	}
	c.logAccess(via, r.Method, &res, r.RemoteAddr, start)
}

// escapedPath is the request path as the client spelled it: RawPath when
// the client's encoding differs from Go's default one, otherwise Path
// (which then has no percent-encoding that could hide anything).
func escapedPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.Path
}

// forwardRequest is r as the upstream must see it: a shallow copy with its
// own headers (client X-Flowgate-* removed, the caller's identity set) and
// its own URL without the api_token parameter. r itself is not modified.
func forwardRequest(r *http.Request, res *Result) *http.Request {
	out := new(http.Request)
	*out = *r
	out.Header = r.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	removeFlowgateHeaders(out.Header)
	setIdentityHeaders(out.Header, res)
	if q := StripQueryToken(r.URL.RawQuery); q != r.URL.RawQuery {
		u := *r.URL
		u.RawQuery = q
		out.URL = &u
		out.RequestURI = u.RequestURI()
	}
	return out
}
