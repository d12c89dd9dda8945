package model

// CredentialKind says what a caller presented, after the checker has parsed
// the request and looked the token up. Decide needs nothing more.
type CredentialKind uint8

// The credential kinds, from "nothing" to "admin token". The zero value is
// CredentialNone so a forgotten credential is never mistaken for a token.
const (
	// CredentialNone: no token at all.
	CredentialNone CredentialKind = iota
	// CredentialMalformed: an Authorization header (or token parameter) that
	// is not exactly one well-formed "Bearer <token>".
	CredentialMalformed
	// CredentialInvalid: a well-formed token that is unknown, expired or
	// revoked. The three are deliberately one answer.
	CredentialInvalid
	// CredentialUser: a valid user token.
	CredentialUser
	// CredentialAdmin: a valid admin API token.
	CredentialAdmin
)

// String names the kind the way the CLI's --as flag and logs do.
func (k CredentialKind) String() string {
	switch k {
	case CredentialNone:
		return "none"
	case CredentialMalformed:
		return "malformed"
	case CredentialInvalid:
		return "invalid"
	case CredentialUser:
		return "user"
	case CredentialAdmin:
		return "admin"
	}
	return "unknown"
}

// Credential is what Decide is told about the caller. UserID and TokenID are
// carried for the upstream and the call log; Decide itself only reads Kind.
type Credential struct {
	Kind    CredentialKind
	UserID  string
	TokenID string
}

// Decision is the outcome of one call: whether it may proceed, and otherwise
// the HTTP status, a stable machine-readable code and a human message.
type Decision struct {
	Allowed bool
	Status  int
	Code    string
	Message string
}

// Denial codes. They are a contract with clients and gateways: never rename.
const (
	CodeInvalidRequest    = "invalid_request"
	CodeInvalidToken      = "invalid_token"
	CodeNotFound          = "not_found"
	CodeMethodNotAllowed  = "method_not_allowed"
	CodeMissingToken      = "missing_token"
	CodeInsufficientScope = "insufficient_scope"
	CodeUnavailable       = "unavailable"
)

// The decisions, built once so that Decide never allocates.
var (
	allow = Decision{Allowed: true, Status: 200}

	denyMalformed = Decision{Status: 400, Code: CodeInvalidRequest,
		Message: `the credentials must be exactly one "Authorization: Bearer <token>" header or one api_token parameter`}
	denyInvalidToken = Decision{Status: 401, Code: CodeInvalidToken,
		Message: "the token is unknown, expired or revoked"}
	denyNotFound = Decision{Status: 404, Code: CodeNotFound,
		Message: "no public API workflow with this name"}
	denyOnlyPOST = Decision{Status: 405, Code: CodeMethodNotAllowed,
		Message: "this workflow only accepts POST"}
	denyOnlyGET = Decision{Status: 405, Code: CodeMethodNotAllowed,
		Message: "this workflow only accepts GET"}
	denyMissingToken = Decision{Status: 401, Code: CodeMissingToken,
		Message: "this workflow requires a bearer token"}
	denyNeedsAdmin = Decision{Status: 403, Code: CodeInsufficientScope,
		Message: "this workflow requires an admin API token"}
	denyBadSetting = Decision{Status: 503, Code: CodeUnavailable,
		Message: "this workflow's access settings are not valid; refusing to run it"}
)

// Decide is the product's core promise: what a call to workflow w (nil when
// no workflow has that name) with credential c and HTTP method gets. The
// checks bind in a fixed order — malformed credentials, invalid tokens,
// unknown or scheduled-only workflows, wrong method, then the Authentication
// choice — and anything unexpected is denied.
func Decide(w *Workflow, c Credential, method string) Decision {
	switch c.Kind {
	case CredentialNone, CredentialUser, CredentialAdmin:
	case CredentialMalformed:
		return denyMalformed
	default: // CredentialInvalid, and any kind this code does not know.
		return denyInvalidToken
	}
	if w == nil || !w.Public {
		return denyNotFound
	}
	if method != string(w.Method) {
		if w.Method == MethodGET {
			return denyOnlyGET
		}
		return denyOnlyPOST
	}
	switch w.Auth {
	case AuthNone:
		return allow
	case AuthUser:
		if c.Kind == CredentialNone {
			return denyMissingToken
		}
		return allow
	case AuthAdmin:
		switch c.Kind {
		case CredentialNone:
			return denyMissingToken
		case CredentialAdmin:
			return allow
		}
		return denyNeedsAdmin
	}
	return denyBadSetting
}
