package checker

import (
	"net/http"
	"strings"

	"flowgate/model"
)

// Client headers the checker removes before a call goes on: an upstream
// might trust them, and only the checker may set them.
var (
	// headerPrefixDashed is the X-Flowgate- prefix, lower case; a header
	// matches it with '_' read as '-' ("X_Flowgate_Auth" included), as
	// CGI, WSGI and PHP servers read both as HTTP_X_FLOWGATE_AUTH.
	headerPrefixDashed = strings.ToLower(headerPrefix)
	// spoofableHeaders, lower case and dashed: method overrides (the
	// decision was taken on the real method, the upstream must not act on
	// another one) and X-Real-IP (set to the real peer instead).
	spoofableHeaders = [...]string{"x-http-method-override", "x-http-method", "x-method-override", "x-real-ip"}
)

// removeSpoofedHeaders deletes every client header an upstream could
// mistake for one the checker vouches for: X-Flowgate-*, method overrides
// and X-Real-IP, in any letter case and with '_' for '-'.
func removeSpoofedHeaders(h http.Header) {
	for k := range h {
		if dashedHasPrefixFold(k, headerPrefixDashed) {
			delete(h, k)
			continue
		}
		for _, name := range spoofableHeaders {
			if len(k) == len(name) && dashedHasPrefixFold(k, name) {
				delete(h, k)
				break
			}
		}
	}
}

// dashedHasPrefixFold reports whether name starts with prefix (lower case,
// with dashes), ignoring ASCII case and reading '_' in name as '-'.
func dashedHasPrefixFold(name, prefix string) bool {
	if len(name) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := name[i]
		switch {
		case c == '_':
			c = '-'
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// denyProtocolSwitch answers a call that asks to switch protocols: workflow
// calls are plain requests and responses, and a websocket or h2c tunnel
// would carry later requests past the checker.
var denyProtocolSwitch = model.Decision{Status: 400, Code: model.CodeInvalidRequest,
	Message: "workflow calls cannot switch protocols: remove the Upgrade, HTTP2-Settings and Connection: upgrade headers"}

// switchesProtocol reports a request that asks for a protocol upgrade
// (websocket, h2c): an Upgrade or HTTP2-Settings header, or "upgrade" among
// the Connection options.
func switchesProtocol(h http.Header) bool {
	if len(h["Upgrade"]) > 0 || len(h["Http2-Settings"]) > 0 {
		return true
	}
	for _, v := range h["Connection"] {
		for v != "" {
			var opt string
			opt, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.Trim(opt, " \t"), "upgrade") {
				return true
			}
		}
	}
	return false
}

// denyDuplicateForwarded answers a forward-auth request naming the call
// twice: which of two methods or URIs the gateway will forward is unknown,
// so neither is checked.
var denyDuplicateForwarded = model.Decision{Status: 400, Code: model.CodeInvalidRequest,
	Message: "the original method or URI header was sent more than once; exactly one of each is accepted (see docs/gateways.md)"}

// singleHeader is the one value of header key: ok is false when it was
// sent on more than one line. Values are not split at commas, which a URI
// may legitimately hold.
func singleHeader(h http.Header, key string) (v string, ok bool) {
	switch vs := h[key]; len(vs) {
	case 0:
		return "", true
	case 1:
		return vs[0], true
	}
	return "", false
}
