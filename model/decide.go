package model

import "fmt"

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
	// CredentialLink: a valid share link (fgl_…). It opens one file (its
	// LinkPath) with DecideFile and nothing else: Decide treats it as an
	// invalid token, so a link never calls a workflow.
	CredentialLink
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
	case CredentialLink:
		return "link"
	}
	return "unknown"
}

// ParseCredentialKind reads the caller a simulation (decide --as) is asked
// about: none, user or admin, and the two refusals malformed and invalid.
// A link is not accepted: it needs a path, which --as cannot give.
func ParseCredentialKind(s string) (CredentialKind, error) {
	for k := CredentialNone; k <= CredentialAdmin; k++ {
		if s == k.String() {
			return k, nil
		}
	}
	return 0, fmt.Errorf("invalid credential %q: use none, user or admin (or malformed, invalid)", s)
}

// Credential is what Decide and DecideFile are told about the caller. UserID
// and TokenID are carried for the upstream and the call log; the decisions
// read Kind, Scope and LinkPath.
type Credential struct {
	Kind   CredentialKind
	UserID string
	// TokenID is the public id of the token, or of the link for a
	// CredentialLink (the call log records it; never the secret).
	TokenID string
	// Scope is what a user or admin token may reach. nil means a credential
	// whose scope is unknown (decide --as simulations, legacy callers): it
	// may call every workflow its kind allows and read no file.
	Scope *Scope
	// LinkPath is the one path a CredentialLink opens.
	LinkPath string
}

// Decision is the outcome of one call: whether it may proceed, and otherwise
// the HTTP status, a stable machine-readable code and a human message.
type Decision struct {
	Allowed bool
	// NamesWorkflow marks a denial whose message is better told with the
	// workflow's name, which Decide cannot add without allocating. Writers
	// of answers use MessageFor(name) instead of Message; a body cached by
	// Decision alone must not include the name.
	NamesWorkflow bool
	Status        int
	Code          string
	Message       string
}

// MessageFor is the message to show for a call to the named workflow:
// Message, with the name put in when NamesWorkflow says so ("this token may
// not call send-invoice"). Names are validated, so the result is safe to put
// in JSON and headers.
func (d Decision) MessageFor(workflow string) string {
	if d.NamesWorkflow && workflow != "" {
		return scopeMessagePrefix + workflow
	}
	return d.Message
}

// scopeMessagePrefix starts the message of a call outside a token's scope.
const scopeMessagePrefix = "this token may not call "

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
	denyOutOfScope = Decision{Status: 403, Code: CodeInsufficientScope,
		Message: scopeMessagePrefix + "this workflow", NamesWorkflow: true}
	denyBadSetting = Decision{Status: 503, Code: CodeUnavailable,
		Message: "this workflow's access settings are not valid; refusing to run it"}
)

// Decide is the product's core promise: what a call to workflow w (nil when
// no workflow has that name) with credential c and HTTP method gets. The
// checks bind in a fixed order — malformed credentials, invalid tokens,
// unknown or scheduled-only workflows, wrong method, the Authentication
// choice, then the token's workflow scope — and anything unexpected is
// denied. A token outside its scope is refused even on a workflow that
// requires none: a presented credential is judged, never ignored.
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
		return inScope(w, c.Kind, c.Scope)
	case AuthUser:
		if c.Kind == CredentialNone {
			return denyMissingToken
		}
		return inScope(w, c.Kind, c.Scope)
	case AuthAdmin:
		switch c.Kind {
		case CredentialNone:
			return denyMissingToken
		case CredentialAdmin:
			return inScope(w, c.Kind, c.Scope)
		}
		return denyNeedsAdmin
	}
	return denyBadSetting
}

// inScope is the last check of a call the Authentication choice admits: a
// token must also have the workflow in its scope. Anonymous calls have no
// scope to judge.
func inScope(w *Workflow, kind CredentialKind, s *Scope) Decision {
	if kind == CredentialNone || s.AllowsWorkflow(w.Name) {
		return allow
	}
	return denyOutOfScope
}
