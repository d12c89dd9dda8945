package checker

import (
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"flowgate/model"
)

// Options configure a Checker.
type Options struct {
	// AllowQueryToken accepts a token in the api_token query parameter, as
	// Bubble does. When false such a parameter is refused (400). Share
	// links (fg_link) are accepted either way: a URL is what they are for.
	AllowQueryToken bool
	// Now is the clock token expiry is checked against; nil means time.Now.
	Now func() time.Time
	// Logger receives reload messages; nil discards them.
	Logger *slog.Logger
	// AccessLog receives one JSON line per call; nil writes none.
	AccessLog io.Writer
	// Calls, when set, receives every decision for the call log.
	Calls *CallLog
	// TrustedProxies are the peers whose X-Forwarded-For names the client
	// (see TrustedProxies.clientIP); empty trusts none.
	TrustedProxies TrustedProxies
	// Metrics, when set, receives the checker's metrics, served at
	// MetricsPath by the handlers that serve the gateway endpoints. A
	// registry serves one Checker.
	Metrics *prometheus.Registry
	// MaxStaleness is how long after the last successful check of the
	// store (Load, or a Watch poll that read it, changed or not) decisions
	// go on from the loaded snapshot while the store cannot be read. After
	// it every call is refused with 503 unavailable until a check
	// succeeds again: a revocation must not stay unenforced forever. Zero
	// means no limit.
	MaxStaleness time.Duration
	// Version and Backend ("sqlite") are what /_flowgate/healthz on a
	// listener that does not face callers reports, so an operator sees
	// what runs where.
	Version, Backend string
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
	trusted         TrustedProxies
	metrics         *metrics
	version         string
	backend         string
	fresh           freshness
}

// New returns a Checker with no settings loaded: until Load succeeds it
// denies every call with 503.
func New(opts Options) *Checker {
	c := &Checker{allowQueryToken: opts.AllowQueryToken, now: opts.Now, log: opts.Logger, calls: opts.Calls,
		trusted: opts.TrustedProxies, version: opts.Version, backend: opts.Backend}
	if c.now == nil {
		c.now = time.Now
	}
	c.fresh.born, c.fresh.max = c.now(), opts.MaxStaleness
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.AccessLog != nil {
		c.access = &accessLog{out: opts.AccessLog}
	}
	if opts.Metrics != nil {
		c.metrics = newMetrics(opts.Metrics, c)
	}
	return c
}

// Request is the part of an HTTP request a decision looks at.
type Request struct {
	Method string
	// Path is the escaped path as sent (see ParseWorkflowPath and
	// ParseFilePath).
	Path string
	// RawQuery is the query as sent, without the '?': it may carry
	// api_token or fg_link.
	RawQuery string
	// Authorization holds every Authorization header value.
	Authorization []string
	// uri is the request URI Path and RawQuery were read from, when there
	// is one (forward-auth): the query to forward is sliced from it.
	uri string
}

// Result is a decision with what the checker learnt on the way.
type Result struct {
	model.Decision
	// Workflow is the workflow's stored name, or the requested name when
	// there is no such workflow, or empty when the path names none.
	Workflow string
	// File is the decoded path of a request under a protected prefix,
	// decided as a file; empty otherwise.
	File string
	// Credential is the caller as recognised (kind, user id, token or
	// link id, scope).
	Credential model.Credential
	// TokenPresented reports that the caller sent a token or a share link
	// (valid or not), which decides the WWW-Authenticate error on a 401.
	TokenPresented bool
	// QueryToken reports that the secret came from the query (api_token
	// or fg_link); forwarding strips both parameters whatever it says.
	QueryToken bool
	// workflowMethod is the method the workflow accepts, for the Allow
	// header of a 405; empty when there is no such workflow.
	workflowMethod model.Method
	// filePrefix is the protected prefix File is under, which the call
	// log counts the call by; empty when File is.
	filePrefix string
	// refusedQuery, when set, replaces the generic invalid_request
	// message: it says which query parameter was refused.
	refusedQuery string
	// decided is how long the decision took, for the metrics (see
	// timeDecision); zero without them.
	decided time.Duration
}

// Auth names the caller the way the X-Flowgate-Auth header does.
func (r *Result) Auth() string {
	switch r.Credential.Kind {
	case model.CredentialAdmin:
		return "admin"
	case model.CredentialUser:
		return "user"
	case model.CredentialLink:
		return "link"
	}
	return "anonymous"
}

// ByLink reports a call allowed by a share link: its answer gets the
// link security headers (see setLinkHeaders).
func (r *Result) ByLink() bool {
	return r.Allowed && r.Credential.Kind == model.CredentialLink
}

// notLoaded is the answer while no snapshot has been loaded: fail closed.
var notLoaded = model.Decision{Status: 503, Code: model.CodeUnavailable,
	Message: "flowgate has not loaded its settings; refusing every call"}

// Messages that replace the generic invalid_request one when the cause is
// known to be a query parameter.
const (
	queryTokensOff = `this server does not accept the api_token parameter: send "Authorization: Bearer <token>"`
	linkRefused    = "a share link is exactly one fg_link parameter, sent without a bearer token or api_token"
)

// Check decides one request: a workflow call (model.Decide), a request
// under a protected file prefix (model.DecideFile), or anything else, which
// gets what a call to no workflow gets; every call is refused 503 while
// no snapshot is loaded, or once the store has gone unchecked for longer
// than MaxStaleness. It reads only the current snapshot
// and the clock; with the credential in a header or a plain query
// parameter and no percent-encoding it does not allocate.
func (c *Checker) Check(req *Request) Result {
	var res Result
	snap := c.snap.Load()
	if snap == nil {
		res.Decision = notLoaded
		return res
	}
	if c.tooStale() {
		res.Decision = tooStale
		return res
	}
	c.readCredential(snap, req, &res)
	if name, ok := ParseWorkflowPath(req.Path); ok {
		var w *model.Workflow
		res.Workflow = name
		if w = snap.workflow(name); w != nil {
			res.Workflow, res.workflowMethod = w.Name, w.Method
		}
		res.Decision = model.Decide(w, res.Credential, req.Method)
	} else if path, prefix, ok := c.filePath(snap, req.Path); ok {
		res.File, res.filePrefix = path, prefix
		res.Decision = model.DecideFile(res.Credential, req.Method, path)
	} else {
		res.Decision = notWorkflowDecision(model.Decide(nil, res.Credential, req.Method), snap.prefixes, req.Path)
	}
	if res.refusedQuery != "" && res.Code == model.CodeInvalidRequest {
		res.Message = res.refusedQuery
	}
	return res
}

// filePath is the decoded path of a request under a protected prefix, and
// that prefix. A path that ParseFilePath refuses is not one, whatever it
// starts with: it gets a call to no workflow's answer (404 after the
// credential checks).
func (c *Checker) filePath(snap *snapshot, escaped string) (path, prefix string, ok bool) {
	if len(snap.prefixes) == 0 {
		return "", "", false
	}
	if path, ok = ParseFilePath(escaped); !ok {
		return "", "", false
	}
	if prefix, ok = model.PrefixFor(snap.prefixes, path); !ok {
		return "", "", false
	}
	return path, prefix, true
}

// readCredential sets res.Credential from the request: a bearer token or
// api_token parameter (ExtractToken), or a share link in fg_link
// (ExtractLink), never both. The query is read once for both.
func (c *Checker) readCredential(snap *snapshot, req *Request, res *Result) {
	qc := readQueryCredentials(req.RawQuery)
	token, presence, fromQuery := extractToken(req.Authorization, qc, c.allowQueryToken)
	switch {
	case qc.linkP == Malformed || qc.linkP == TokenPresented && presence != NoToken:
		res.Credential.Kind = model.CredentialMalformed
		res.refusedQuery = linkRefused
	case presence == Malformed:
		res.Credential.Kind = model.CredentialMalformed
		if !c.allowQueryToken && qc.tokenP != NoToken {
			res.refusedQuery = queryTokensOff
		}
	case qc.linkP == TokenPresented:
		res.TokenPresented, res.QueryToken = true, true
		res.Credential = c.verifyLink(snap, qc.link)
	case presence == TokenPresented:
		res.TokenPresented, res.QueryToken = true, fromQuery
		res.Credential = c.verify(snap, token)
	}
}

// invalid is the credential of every token or link that is not
// well-formed, unknown, revoked or expired: one answer for all.
var invalid = model.Credential{Kind: model.CredentialInvalid}

// verify turns a presented token into a credential: a token that is not
// well-formed, unknown, revoked (absent from the snapshot) or expired is
// invalid, all alike. The kind comes from the stored row, never from the
// token's prefix.
func (c *Checker) verify(snap *snapshot, token string) model.Credential {
	if !model.WellFormedToken(token) {
		return invalid
	}
	e, ok := snap.token(model.HashToken(token))
	// The rule is model.TokenStatus's (expired from the expiry instant on;
	// revoked tokens never enter the snapshot), compared here on the
	// precomputed Unix nanoseconds: one integer comparison per decision,
	// with no time.Time built from the entry.
	if !ok || e.expires != 0 && c.now().UnixNano() >= e.expires {
		return invalid
	}
	return model.Credential{Kind: e.kind, UserID: e.userID(), TokenID: e.id(), Scope: e.scope}
}

// verifyLink turns a presented share link into a credential for its one
// path, or an invalid one like verify's.
func (c *Checker) verifyLink(snap *snapshot, link string) model.Credential {
	if !model.WellFormedLink(link) {
		return invalid
	}
	e, ok := snap.link(model.HashToken(link))
	if !ok || c.now().UnixNano() >= e.expires {
		return invalid
	}
	return model.Credential{Kind: model.CredentialLink, TokenID: e.id, LinkPath: e.path}
}

// Generation is the database generation of the loaded snapshot, or -1
// when none is loaded.
func (c *Checker) Generation() int64 {
	if s := c.snap.Load(); s != nil {
		return s.generation
	}
	return -1
}

// Ready reports whether calls are decided: a snapshot is loaded and the
// store was checked within MaxStaleness (what /_flowgate/healthz says).
func (c *Checker) Ready() bool { return c.snap.Load() != nil && !c.tooStale() }
