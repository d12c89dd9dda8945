package checker

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"flowgate/model"
)

// Headers the checker sends upstream with an allowed call (and answers
// forward-auth with). Client-sent headers with the X-Flowgate- prefix (in
// any case, with '_' or '-') are removed first, so the upstream can trust
// them.
const (
	HeaderAuth   = "X-Flowgate-Auth"   // anonymous, user, admin or link
	HeaderUser   = "X-Flowgate-User"   // the user id of a user token
	HeaderToken  = "X-Flowgate-Token"  // the id (not the secret) of the token or share link
	HeaderStatus = "X-Flowgate-Status" // the real status, on nginx-auth denials
	HeaderCode   = "X-Flowgate-Code"   // the denial code, on nginx-auth denials
	HeaderBody   = "X-Flowgate-Body"   // the denial's JSON body, on nginx-auth denials
	HeaderQuery  = "X-Flowgate-Query"  // forward-auth: the query to forward, without api_token and fg_link
	headerPrefix = "X-Flowgate-"
)

// StatusName is the "status" word of a denial body, after Bubble's
// error bodies. A status the checker does not expect is UNAVAILABLE.
func StatusName(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "INVALID_REQUEST"
	case http.StatusUnauthorized:
		return "UNAUTHORIZED"
	case http.StatusForbidden:
		return "FORBIDDEN"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusMethodNotAllowed:
		return "WRONG_METHOD"
	}
	return "UNAVAILABLE"
}

// denialBody is the JSON a denied call gets.
type denialBody struct {
	StatusCode int `json:"statusCode"`
	Body       struct {
		Status  string `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"body"`
}

// denialBodies caches encoded bodies: there are only a handful of distinct
// denials, and a flood of refused calls should not cost an encode each.
var denialBodies sync.Map // model.Decision -> []byte

// DenialJSON is the body of a denied call:
// {"statusCode":401,"body":{"status":"UNAUTHORIZED","code":"missing_token","message":"..."}}.
// It never holds a token: messages come from the model, not the request.
// A decision that names its workflow (NamesWorkflow) gets the generic
// message here; answers use resultDenialJSON, which puts the name in.
func DenialJSON(d model.Decision) []byte {
	if b, ok := denialBodies.Load(d); ok {
		return b.([]byte)
	}
	b := encodeDenial(d.Status, d.Code, d.Message)
	denialBodies.Store(d, b)
	return b
}

// resultDenialJSON is the body of res's denial: the cached one, or for a
// denial naming the workflow ("this token may not call send-invoice") one
// encoded for this call and never cached, as there is one per name.
func resultDenialJSON(res *Result) []byte {
	if !res.NamesWorkflow {
		return DenialJSON(res.Decision)
	}
	return encodeDenial(res.Status, res.Code, res.MessageFor(res.Workflow))
}

// encodeDenial encodes a denial body, with its final newline.
func encodeDenial(status int, code, message string) []byte {
	var body denialBody
	body.StatusCode = status
	body.Body.Status, body.Body.Code, body.Body.Message = StatusName(status), code, message
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // strings and ints always encode
	}
	return append(b, '\n')
}

// WWWAuthenticate is the challenge for a denial (RFC 6750 section 3), or ""
// when none applies: a 401 names invalid_token only when a token was
// presented, a 403 is insufficient_scope, a 400 invalid_request.
func WWWAuthenticate(res *Result) string {
	const realm = `Bearer realm="flowgate"`
	switch res.Status {
	case http.StatusUnauthorized:
		if res.TokenPresented || res.Code == model.CodeInvalidToken {
			return realm + `, error="invalid_token"`
		}
		return realm
	case http.StatusForbidden:
		if res.Code == model.CodeInsufficientScope {
			return realm + `, error="insufficient_scope"`
		}
	case http.StatusBadRequest:
		return realm + `, error="invalid_request"`
	}
	return ""
}

// writeDenial answers a denied call with its status, challenge and body.
func writeDenial(w http.ResponseWriter, res *Result) {
	writeDenialAs(w, res, res.Status)
}

// writeDenialAs answers with the denial's body under another status (nginx
// only passes 401 and 403 through auth_request).
func writeDenialAs(w http.ResponseWriter, res *Result, status int) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Cache-Control"] = noStore
	if c := WWWAuthenticate(res); c != "" {
		h.Set("Www-Authenticate", c)
	}
	if res.Status == http.StatusMethodNotAllowed {
		switch {
		case res.workflowMethod != "":
			h.Set("Allow", string(res.workflowMethod))
		case res.File != "":
			h["Allow"] = fileMethods
		}
	}
	w.WriteHeader(status)
	w.Write(resultDenialJSON(res))
}

var (
	jsonContentType = []string{"application/json"}
	noStore         = []string{"no-store"}
	fileMethods     = []string{"GET, HEAD"}
)

// The link security headers. A share link travels in a URL, so it leaks
// through Referer, history and caches, and a file it opens (an uploaded
// HTML or SVG) could run script on the app's origin. Every answer allowed
// by a link therefore carries, overriding whatever the upstream sent:
//
//	Referrer-Policy: no-referrer
//	Cache-Control: no-store
//	X-Content-Type-Options: nosniff
//	Content-Security-Policy: sandbox
//
// In proxy mode and Middleware they are set on the upstream's (next's)
// response; the forward-auth endpoints (/_flowgate/auth, /_flowgate/nginx-auth)
// send them as headers of their 200 answer, beside X-Flowgate-Auth: link,
// for the gateway configuration to copy onto the response.
var linkHeaders = [...]struct {
	key   string
	value []string
}{
	{"Referrer-Policy", []string{"no-referrer"}},
	{"Cache-Control", noStore},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Content-Security-Policy", []string{"sandbox"}},
}

// setLinkHeaders writes the link security headers over any in h.
func setLinkHeaders(h http.Header) {
	for _, l := range linkHeaders {
		h[l.key] = l.value
	}
}

// setIdentityHeaders writes the caller's identity for the upstream, from
// vals (see headerValues). All three are always set (empty when they do not
// apply), so a gateway that copies them over the client's request replaces
// any spoofed value.
func setIdentityHeaders(h http.Header, res *Result, vals *headerValues) {
	vals.set(h, HeaderAuth, res.Auth())
	vals.set(h, HeaderUser, res.Credential.UserID)
	vals.set(h, HeaderToken, res.Credential.TokenID)
}

// allowJSON describes an allowed call when there is no upstream to forward
// it to, so `serve` alone can be tried and tested.
func allowJSON(res *Result) []byte {
	var body struct {
		StatusCode int `json:"statusCode"`
		Body       struct {
			Status   string `json:"status"`
			Workflow string `json:"workflow"`
			Auth     string `json:"auth"`
			User     string `json:"user"`
			TokenID  string `json:"token_id"`
		} `json:"body"`
	}
	body.StatusCode = res.Status
	body.Body.Status, body.Body.Workflow, body.Body.Auth = "ALLOWED", res.Workflow, res.Auth()
	body.Body.User, body.Body.TokenID = res.Credential.UserID, res.Credential.TokenID
	b, _ := json.Marshal(body)
	return append(b, '\n')
}

// Messages of a 404 for a path that is no workflow path, so that the
// answer does not speak of a workflow the caller never named. Each is a
// constant, so the bodies cached by Decision stay a handful.
const (
	fileNotCanonical = "no such file path: the path is not in canonical form"
	nothingAtPath    = "no API workflow or protected file at this path"
)

// notWorkflowDecision words d, the decision for a path that is neither a
// workflow nor a protected file (model.Decide with no workflow), for what
// the path is: a spelling of a path under a protected prefix that
// ParseFilePath refuses ("/fileupload//x", "/fileupload/%2e%2e/x"), or a
// path flowgate serves nothing at. Only the message of a 404 changes: the
// status and code stay the model's, and a path that looks like a workflow
// path keeps the workflow message. It does not allocate.
func notWorkflowDecision(d model.Decision, prefixes []string, escaped string) model.Decision {
	if d.Status != http.StatusNotFound || d.NamesWorkflow || mentionsWorkflowPath(escaped) {
		return d
	}
	if _, ok := model.PrefixFor(prefixes, escaped); ok {
		d.Message = fileNotCanonical
	} else {
		d.Message = nothingAtPath
	}
	return d
}

// mentionsWorkflowPath reports "/api/1.1/wf" anywhere in p, in any case:
// a call meant for a workflow, misspelt.
func mentionsWorkflowPath(p string) bool {
	const wf = "/api/1.1/wf"
	for i := 0; i+len(wf) <= len(p); i++ {
		if strings.EqualFold(p[i:i+len(wf)], wf) {
			return true
		}
	}
	return false
}
