package checker

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"flowgate/model"
)

// ProxyOptions configure NewProxy.
type ProxyOptions struct {
	// Upstream is where allowed calls go: scheme, host and an optional
	// base path, joined with each call's path as
	// httputil.ProxyRequest.SetURL does. Required.
	Upstream *url.URL
	// Logger receives upstream failures; nil discards them.
	Logger *slog.Logger
	// ForwardAuthorization keeps the caller's Authorization header on the
	// forwarded call. By default a bearer header that carried a flowgate
	// token is removed, so the upstream never holds a flowgate secret; set
	// it only for an upstream that reads the token itself.
	ForwardAuthorization bool
	// ResponseHeaderTimeout is how long to wait for the upstream's
	// response headers once the request (body included) is sent; past it
	// the caller gets 504 upstream_timeout. Zero means no limit.
	ResponseHeaderTimeout time.Duration
}

// NewProxy forwards allowed calls to the upstream: method, path, query and
// headers as received after the checker's clean-up, body streamed. It is
// the upstream handler of Checker.Handler and must only be used behind it:
// a request that the checker did not decide is refused (502), never
// forwarded.
//
// The identity headers (X-Flowgate-Auth, -User, -Token) and X-Real-IP are
// set after the hop-by-hop headers are removed, so the upstream always gets
// them whatever the caller's Connection header names. A protocol switch
// (101) from the upstream is never relayed. An upstream that cannot be
// reached or answers garbage is answered 502 bad_gateway, one that does not
// answer in time 504 upstream_timeout, with a JSON body like a denial's.
func NewProxy(opts ProxyOptions) *httputil.ReverseProxy {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 256
	transport.ResponseHeaderTimeout = opts.ResponseHeaderTimeout
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(opts.Upstream)
			pr.SetXForwarded()
			if d := decidedCallOf(pr.In.Context()); d != nil {
				d.setHeaders(pr.Out.Header, opts.ForwardAuthorization)
			}
		},
		Transport:      decidedOnly{transport},
		BufferPool:     &proxyBuffers{},
		ModifyResponse: refuseProtocolSwitch,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			d := upstreamFailure(err)
			if !callerAtFault(err) {
				logger.Error("upstream failed", "upstream", opts.Upstream.Redacted(), "status", d.Status, "error", err.Error())
			}
			recordCode(w, d.Code)
			w.Header()["Content-Type"] = jsonContentType
			w.Header()["Cache-Control"] = noStore
			w.WriteHeader(d.Status)
			w.Write(DenialJSON(d))
		},
	}
}

// Upstream failures, answered in the shape of a denial.
var (
	upstreamUnreachable = model.Decision{Status: http.StatusBadGateway, Code: "bad_gateway",
		Message: "the upstream server did not answer"}
	upstreamTimeout = model.Decision{Status: http.StatusGatewayTimeout, Code: "upstream_timeout",
		Message: "the upstream server did not answer in time"}
)

// callerAtFault reports a proxy error that the caller caused (it went
// away, or its body broke a limit, which GuardBody answers 408 or 413): not
// an upstream failure worth a log line.
func callerAtFault(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, ErrBodyTimeout) || errors.Is(err, ErrBodyTooLarge)
}

// upstreamFailure maps a proxy error to its answer: a timeout waiting for
// the upstream is 504; anything else (refused or timed-out connection,
// garbage, a refused protocol switch) is 502.
func upstreamFailure(err error) model.Decision {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return upstreamUnreachable
	}
	var timeout interface{ Timeout() bool }
	if errors.As(err, &timeout) && timeout.Timeout() {
		return upstreamTimeout
	}
	return upstreamUnreachable
}

// errProtocolSwitch refuses a 101 from the upstream: the checker decides
// requests one by one and cannot see inside a tunnel.
var errProtocolSwitch = errors.New("the upstream switched protocols (101); flowgate never relays a protocol switch")

// refuseProtocolSwitch is the proxy's ModifyResponse: every response but a
// protocol switch passes unchanged.
func refuseProtocolSwitch(resp *http.Response) error {
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return errProtocolSwitch
	}
	return nil
}

// errUndecided refuses a request that reached the proxy without a decision.
var errUndecided = errors.New("request reached the proxy without a checker decision; use NewProxy only behind Checker.Handler")

// decidedOnly is the proxy's transport: it sends only requests that carry
// a checker decision, so a proxy wired without the checker fails closed.
type decidedOnly struct{ next http.RoundTripper }

func (t decidedOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if decidedCallOf(r.Context()) == nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errUndecided
	}
	return t.next.RoundTrip(r)
}

// decidedCall is what the checker hands the proxy with an allowed call:
// the headers to set once the hop-by-hop ones are gone.
type decidedCall struct {
	auth, user, tokenID string
	// peer is the connection's IP (X-Real-IP), or "-".
	peer string
	// bearer reports that the Authorization header carried the token.
	bearer bool
}

type decidedCallKey struct{}

// withDecidedCall attaches the decision to r's context for the proxy.
func withDecidedCall(r *http.Request, res *Result, peer string) *http.Request {
	d := &decidedCall{auth: res.Auth(), user: res.Credential.UserID, tokenID: res.Credential.TokenID,
		peer: peer, bearer: res.TokenPresented && !res.QueryToken}
	return r.WithContext(context.WithValue(r.Context(), decidedCallKey{}, d))
}

// decidedCallOf is the decision attached to ctx, or nil.
func decidedCallOf(ctx context.Context) *decidedCall {
	d, _ := ctx.Value(decidedCallKey{}).(*decidedCall)
	return d
}

// setHeaders writes the identity headers and X-Real-IP, and removes the
// Authorization header that carried a flowgate token unless the operator
// keeps it.
func (d *decidedCall) setHeaders(h http.Header, keepAuthorization bool) {
	vals := make(headerValues, 4)
	vals.set(h, HeaderAuth, d.auth)
	vals.set(h, HeaderUser, d.user)
	vals.set(h, HeaderToken, d.tokenID)
	setRealIP(h, d.peer, &vals)
	if d.bearer && !keepAuthorization {
		delete(h, "Authorization")
	}
}

// setRealIP replaces any X-Real-IP with the connection's IP (none when it
// is unknown), from vals (see headerValues).
func setRealIP(h http.Header, peer string, vals *headerValues) {
	if peer == noValue {
		delete(h, "X-Real-Ip")
		return
	}
	vals.set(h, "X-Real-Ip", peer)
}
