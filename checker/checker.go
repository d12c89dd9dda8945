package checker

import (
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"flowgate/model"
)

// Options configure a Checker.
type Options struct {
	// AllowQueryToken accepts a token in the api_token query parameter, as
	// Bubble does. When false such a parameter is refused (400).
	AllowQueryToken bool
	// Now is the clock token expiry is checked against; nil means time.Now.
	Now func() time.Time
	// Logger receives reload messages; nil discards them.
	Logger *slog.Logger
	// AccessLog receives one JSON line per call; nil writes none.
	AccessLog io.Writer
	// Calls, when set, receives every decision for the call log.
	Calls *CallLog
}

// Checker decides workflow calls against the latest loaded snapshot. It is
// safe for concurrent use; decisions never block on a reload or on the
// database.
type Checker struct {
	snap            atomic.Pointer[snapshot]
	allowQueryToken bool
	now             func() time.Time
	log             *slog.Logger
	access          *accessLog
	calls           *CallLog
}

// New returns a Checker with no settings loaded: until Load succeeds it
// denies every call with 503.
func New(opts Options) *Checker {
	c := &Checker{allowQueryToken: opts.AllowQueryToken, now: opts.Now, log: opts.Logger, calls: opts.Calls}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.AccessLog != nil {
		c.access = &accessLog{out: opts.AccessLog}
	}
	return c
}

// Request is the part of an HTTP request a decision looks at.
type Request struct {
	Method string
	// Path is the escaped path as sent (see ParseWorkflowPath).
	Path string
	// RawQuery is the query as sent, without the '?'.
	RawQuery string
	// Authorization holds every Authorization header value.
	Authorization []string
}

// Result is a decision with what the checker learnt on the way.
type Result struct {
	model.Decision
	// Workflow is the workflow's stored name, or the requested name when
	// there is no such workflow, or empty when the path names none.
	Workflow string
	// Credential is the caller as recognised (kind, user id, token id).
	Credential model.Credential
	// TokenPresented reports that the caller sent a token (valid or not),
	// which decides the WWW-Authenticate error on a 401.
	TokenPresented bool
	// QueryToken reports that the token came from the api_token parameter,
	// which must be removed before the call is forwarded.
	QueryToken bool
	// workflowMethod is the method the workflow accepts, for the Allow
	// header of a 405; empty when there is no such workflow.
	workflowMethod model.Method
	// queryRefused reports an api_token parameter sent while query tokens
	// are off, so the denial can say so.
	queryRefused bool
}

// Auth names the caller the way the X-Flowgate-Auth header does.
func (r *Result) Auth() string {
	switch r.Credential.Kind {
	case model.CredentialAdmin:
		return "admin"
	case model.CredentialUser:
		return "user"
	}
	return "anonymous"
}

// notLoaded is the answer while no snapshot has been loaded: fail closed.
var notLoaded = model.Decision{Status: 503, Code: model.CodeUnavailable,
	Message: "flowgate has not loaded its settings; refusing every call"}

// queryTokensOff replaces the generic malformed-credentials message when the
// cause is an api_token parameter on a server that does not accept them.
const queryTokensOff = `this server does not accept the api_token parameter: send "Authorization: Bearer <token>"`

// Check decides one request. It reads only the current snapshot and the
// clock; with the token in a header and no percent-encoding it does not
// allocate.
func (c *Checker) Check(req *Request) Result {
	var res Result
	snap := c.snap.Load()
	if snap == nil {
		res.Decision = notLoaded
		return res
	}
	token, presence, fromQuery := ExtractToken(req.Authorization, req.RawQuery, c.allowQueryToken)
	switch presence {
	case Malformed:
		res.Credential.Kind = model.CredentialMalformed
		res.queryRefused = !c.allowQueryToken && hasQueryToken(req.RawQuery)
	case TokenPresented:
		res.TokenPresented, res.QueryToken = true, fromQuery
		res.Credential = c.verify(snap, token)
	}
	var w *model.Workflow
	if name, ok := ParseWorkflowPath(req.Path); ok {
		res.Workflow = name
		if w = snap.workflow(name); w != nil {
			res.Workflow, res.workflowMethod = w.Name, w.Method
		}
	}
	res.Decision = model.Decide(w, res.Credential, req.Method)
	if res.queryRefused && res.Code == model.CodeInvalidRequest {
		res.Message = queryTokensOff
	}
	return res
}

// verify turns a presented token into a credential: a token that is not
// well-formed, unknown, revoked (absent from the snapshot) or expired is
// invalid, all alike. The kind comes from the stored row, never from the
// token's prefix.
func (c *Checker) verify(snap *snapshot, token string) model.Credential {
	if !model.WellFormedToken(token) {
		return model.Credential{Kind: model.CredentialInvalid}
	}
	e, ok := snap.tokens[model.HashToken(token)]
	// The rule is model.TokenStatus's (expired from the expiry instant on;
	// revoked tokens never enter the snapshot), compared here on the
	// precomputed Unix nanoseconds: one integer comparison per decision,
	// with no time.Time built from the entry.
	if !ok || e.expires != 0 && c.now().UnixNano() >= e.expires {
		return model.Credential{Kind: model.CredentialInvalid}
	}
	return model.Credential{Kind: e.kind, UserID: e.userID, TokenID: e.id}
}

// hasQueryToken reports an api_token parameter, however well-formed.
func hasQueryToken(rawQuery string) bool {
	_, p := parseQueryToken(rawQuery)
	return p != NoToken
}

// Generation is the database generation of the loaded snapshot, or -1
// when none is loaded.
func (c *Checker) Generation() int64 {
	if s := c.snap.Load(); s != nil {
		return s.generation
	}
	return -1
}

// Ready reports whether a snapshot is loaded (what /_flowgate/healthz says).
func (c *Checker) Ready() bool { return c.snap.Load() != nil }
