package checker

import (
	"net/url"
	"strings"
	"unicode"
)

// Presence says what credential a request carries, before any lookup.
type Presence uint8

// The outcomes of reading a request's credentials.
const (
	// NoToken: no Authorization header and no api_token parameter.
	NoToken Presence = iota
	// Malformed: credentials that are not exactly one well-formed bearer
	// token (two headers, a Basic header, both a header and a parameter,
	// an empty parameter...). Answered 400 invalid_request.
	Malformed
	// TokenPresented: one syntactically valid bearer token; whether it is
	// a real, live flowgate token is decided by the lookup.
	TokenPresented
)

// ExtractToken reads the credentials of a request from its Authorization
// header values and its raw query, following RFC 6750: a bearer token in
// exactly one Authorization header (scheme case-insensitive), or, when
// allowQuery is set, in exactly one api_token parameter, never both.
// fromQuery reports a token taken from the query, which must be stripped
// before the request goes upstream. When allowQuery is off, an api_token
// parameter makes the request malformed rather than being ignored, so a
// token is never silently forwarded. Without percent-encoding in the query
// it does not allocate.
func ExtractToken(authorization []string, rawQuery string, allowQuery bool) (token string, p Presence, fromQuery bool) {
	return extractToken(authorization, readQueryCredentials(rawQuery), allowQuery)
}

// extractToken is ExtractToken on a query already read.
func extractToken(authorization []string, qc queryCredentials, allowQuery bool) (token string, p Presence, fromQuery bool) {
	headerToken, hp := parseAuthorization(authorization)
	switch {
	case hp == Malformed || qc.tokenP == Malformed:
		return "", Malformed, false
	case qc.tokenP == TokenPresented && (!allowQuery || hp == TokenPresented):
		return "", Malformed, false
	case hp == TokenPresented:
		return headerToken, TokenPresented, false
	case qc.tokenP == TokenPresented:
		return qc.token, TokenPresented, true
	}
	return "", NoToken, false
}

// parseAuthorization reads the Authorization header values.
func parseAuthorization(values []string) (string, Presence) {
	switch len(values) {
	case 0:
		return "", NoToken
	case 1:
		if tok, ok := ParseBearer(values[0]); ok {
			return tok, TokenPresented
		}
	}
	return "", Malformed
}

// ParseBearer reads one Authorization header value of the form
// "Bearer <b64token>" (RFC 6750 section 2.1): the scheme in any case, one or
// more spaces, then the token; surrounding whitespace is ignored. The token
// returned is a slice of v.
func ParseBearer(v string) (string, bool) {
	v = strings.Trim(v, " \t")
	const scheme = "bearer"
	if len(v) < len(scheme)+2 || !strings.EqualFold(v[:len(scheme)], scheme) || v[len(scheme)] != ' ' {
		return "", false
	}
	tok := strings.TrimLeft(v[len(scheme):], " ")
	return tok, isB64Token(tok)
}

// isB64Token reports whether s is an RFC 6750 b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	i := 0
	for i < len(s) && b64TokenChar[s[i]] {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(s) && s[i] == '=' {
		i++
	}
	return i == len(s)
}

var b64TokenChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
	}
	return t
}()

// ExtractLink reads a share link from a raw query: exactly one fg_link
// parameter (its value may be percent-encoded). A second one, an empty or
// undecodable value, or a lookalike key (FG_LINK, fg.link, fg_link[]...)
// makes the request malformed, as for api_token. Whether the value is a
// well-formed, live link is for the lookup to say. Without percent-encoding
// it does not allocate.
func ExtractLink(rawQuery string) (string, Presence) {
	qc := readQueryCredentials(rawQuery)
	return qc.link, qc.linkP
}

// queryParam is a query parameter that carries a secret: its exact key,
// and the two words around the '_' that lookalike spellings keep.
type queryParam struct{ key, head, tail string }

// The two secret-carrying parameters: Bubble's token parameter and
// flowgate's share links.
var (
	apiToken = queryParam{"api_token", "api", "token"}
	fgLink   = queryParam{"fg_link", "fg", "link"}
)

// queryCredentials is what a raw query carries for the checker: its
// api_token and fg_link parameters (see takeQueryParam), read in one pass.
type queryCredentials struct {
	token, link   string
	tokenP, linkP Presence
}

// readQueryCredentials reads both secret-carrying parameters of a raw
// query in one pass over it, decoding each key at most once. Parameters
// are separated by '&'.
func readQueryCredentials(rawQuery string) (qc queryCredentials) {
	for q := rawQuery; q != "" && (qc.tokenP != Malformed || qc.linkP != Malformed); {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		key, value, _ := strings.Cut(kv, "=")
		decoded := decodedKey(key)
		qc.token, qc.tokenP = takeQueryParam(key, decoded, value, apiToken, qc.token, qc.tokenP)
		qc.link, qc.linkP = takeQueryParam(key, decoded, value, fgLink, qc.link, qc.linkP)
	}
	return qc
}

// takeQueryParam folds one parameter into what the query said of param so
// far (secret, p). Only a key spelled exactly as param.key carries the
// secret, once; a key that an upstream framework could read as it without
// being spelled so (see lookalikeKey), a second one, or an empty or
// undecodable value makes the query malformed, so a secret never rides
// past the checker under another spelling.
func takeQueryParam(key, decoded, value string, param queryParam, secret string, p Presence) (string, Presence) {
	if p == Malformed {
		return "", Malformed
	}
	switch classifyQueryKey(key, decoded, param) {
	case otherKey:
		return secret, p
	case lookalikeKey:
		return "", Malformed
	}
	if p == TokenPresented {
		return "", Malformed
	}
	if needsUnescape(value) {
		v, err := url.QueryUnescape(value)
		if err != nil {
			return "", Malformed
		}
		value = v
	}
	if !isB64Token(value) {
		return "", Malformed
	}
	return value, TokenPresented
}

// queryKey is what a raw query key is to the checker.
type queryKey uint8

const (
	otherKey     queryKey = iota // not the parameter
	exactKey                     // spelled exactly as the parameter
	lookalikeKey                 // read as the parameter by some upstream, but not spelled so
)

// classifyQueryKey sorts a raw query key, and its decoding (decodedKey),
// against param.
func classifyQueryKey(key, decoded string, param queryParam) queryKey {
	if key == param.key {
		return exactKey
	}
	if lookalike(decoded, param) {
		return lookalikeKey
	}
	return otherKey
}

// decodedKey is a raw query key decoded leniently (see
// decodeKeyLeniently) when it holds '%' or '+', so plain keys cost no
// allocation.
func decodedKey(key string) string {
	if needsUnescape(key) {
		return decodeKeyLeniently(key)
	}
	return key
}

// decodeKeyLeniently decodes '+' and every valid %XX escape of a query key
// and keeps a '%' that starts no escape as sent, as PHP's urldecode and
// other lenient parsers do: a strict decoder would give up on the whole key
// and miss "api_token%00%zz", which such a parser reads as api_token.
func decodeKeyLeniently(key string) string {
	b := make([]byte, 0, len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(key) && unhex(key[i+1]) >= 0 && unhex(key[i+2]) >= 0:
			c = byte(unhex(key[i+1])<<4 | unhex(key[i+2]))
			i += 2
		}
		b = append(b, c)
	}
	return string(b)
}

// needsUnescape reports a '%' or '+' in a query key or value: only then
// does it differ from its decoding. A plain loop, as strings.ContainsAny
// costs a set build per call on the request path.
func needsUnescape(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '+' {
			return true
		}
	}
	return false
}

// lookalike reports a decoded key that common server frameworks read as
// param: any letter case ("API_TOKEN"; Unicode folds too), PHP's ' ', '.'
// or '[' for the '_' ("api.token"), an array or NUL suffix ("api_token[]",
// "api_token[0]", "api_token\x00x", which PHP, Rack, qs or C code cut off),
// and padding around the name that a parser trims or mangles (see
// isKeyPadding: "api_token ", " api_token", "api_token.", "api_token\t").
func lookalike(k string, param queryParam) bool {
	k = strings.TrimLeftFunc(k, isKeyPadding)
	n := len(param.head)
	if len(k) < len(param.key) || !strings.EqualFold(k[:n], param.head) || strings.IndexByte("_ .[", k[n]) < 0 {
		return false
	}
	rest := k[n+1:]
	if i := strings.IndexAny(rest, "[\x00"); i >= 0 {
		rest = rest[:i]
	}
	return strings.EqualFold(strings.TrimRightFunc(rest, isKeyPadding), param.tail)
}

// isKeyPadding reports a character around a key name that some parser
// drops or turns into '_': whitespace and separators (Unicode Z, which
// strip/trim functions remove; PHP drops leading spaces), control and
// format characters (NUL, BOM, zero-width), and '.' (which parsers that
// split keys on dots, or trim them, drop). '_' is not padding:
// "api_token_" is another name everywhere.
func isKeyPadding(r rune) bool {
	return r == '.' || unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf)
}

// StripQueryCredentials removes every api_token and fg_link parameter, and
// any lookalike of them, from a raw query and keeps the other parameters
// exactly as sent, in order: no secret reaches the upstream. A query
// without one is returned as is, without allocating.
func StripQueryCredentials(rawQuery string) string {
	if !hasCredentialKey(rawQuery) {
		return rawQuery
	}
	params := strings.Split(rawQuery, "&")
	kept := params[:0]
	for _, param := range params {
		if key, _, _ := strings.Cut(param, "="); !isCredentialKey(key) {
			kept = append(kept, param)
		}
	}
	return strings.Join(kept, "&")
}

// hasCredentialKey reports a parameter whose key is api_token, fg_link or
// a lookalike of either.
func hasCredentialKey(rawQuery string) bool {
	for q := rawQuery; q != ""; {
		var param string
		param, q, _ = strings.Cut(q, "&")
		if key, _, _ := strings.Cut(param, "="); isCredentialKey(key) {
			return true
		}
	}
	return false
}

// isCredentialKey reports a raw key that is api_token, fg_link or a
// lookalike of either.
func isCredentialKey(key string) bool {
	decoded := decodedKey(key)
	return classifyQueryKey(key, decoded, apiToken) != otherKey || classifyQueryKey(key, decoded, fgLink) != otherKey
}
