package model

import (
	"fmt"
	"strings"
)

// The file decisions, built once so that DecideFile never allocates.
var (
	denyFileMethod = Decision{Status: 405, Code: CodeMethodNotAllowed,
		Message: "files only accept GET and HEAD"}
	denyFileMissingToken = Decision{Status: 401, Code: CodeMissingToken,
		Message: "this file requires a bearer token or a share link"}
	denyFileOutOfScope = Decision{Status: 403, Code: CodeInsufficientScope,
		Message: "this token may not read this file"}
)

// DecideFile is the promise for private files: what a request with
// credential c and method gets for path, which the caller has already found
// to lie under a protected prefix (PrefixFor) and parsed as strictly as a
// workflow path (decoded; dot segments, encoded slashes and "//" refused).
// The checks bind in a fixed order, as Decide's do: malformed credentials
// (400), invalid tokens and a share link for another path (401), a method
// other than GET or HEAD (405, before credentials), no credential (401
// missing_token), then the token's Files scope (403 insufficient_scope).
// A token without a scope reads no file: files are opt-in, so it fails
// closed. It never allocates.
func DecideFile(c Credential, method string, path string) Decision {
	switch c.Kind {
	case CredentialNone, CredentialUser, CredentialAdmin:
	case CredentialLink:
		// A link opens exactly one path and reveals nothing elsewhere: on
		// any other path it is as unknown as a made-up token.
		if c.LinkPath != path || pathProblem(path) != "" {
			return denyInvalidToken
		}
	case CredentialMalformed:
		return denyMalformed
	default: // CredentialInvalid, and any kind this code does not know.
		return denyInvalidToken
	}
	if method != "GET" && method != "HEAD" {
		return denyFileMethod
	}
	switch c.Kind {
	case CredentialNone:
		return denyFileMissingToken
	case CredentialLink:
		return allow
	}
	if !c.Scope.AllowsFile(path) {
		return denyFileOutOfScope
	}
	return allow
}

// reservedPaths are flowgate's own paths and the workflow path: a protected
// prefix overlapping one would make a request both a file and a workflow (or
// hide flowgate's endpoints), so such a prefix is refused outright.
var reservedPaths = []string{"/api/1.1/wf/", "/version-test/api/1.1/wf/", "/version-live/api/1.1/wf/", "/_flowgate/"}

// ValidatePrefix checks a protected prefix before it is stored: a clean
// decoded absolute path ending in '/' (for example /fileupload/) of at most
// MaxPathLength bytes. Clean means no empty segment ("//"), no "." or ".."
// segment, no control character, no backslash and valid UTF-8; a prefix also
// has no '%' (requests are matched after decoding) and no wildcard. It may
// not overlap the workflow path /api/1.1/wf/ or flowgate's own /_flowgate/.
func ValidatePrefix(p string) error {
	if err := checkStoredPath("prefix", p); err != nil {
		return err
	}
	if strings.Contains(p, "*") {
		return fmt.Errorf("invalid prefix %q: a prefix has no wildcard (* belongs in a token's file patterns)", p)
	}
	if !strings.HasSuffix(p, "/") {
		return fmt.Errorf("invalid prefix %q: it must end with / (for example %s/)", p, p)
	}
	for _, r := range reservedPaths {
		if hasPrefixFold(r, p) || hasPrefixFold(p, r) {
			return fmt.Errorf("invalid prefix %q: it overlaps %s, which flowgate already answers", p, r)
		}
	}
	return nil
}

// PrefixFor finds the protected prefix that path lies under, the longest one
// when several do, and reports whether there is one. The prefix itself
// without its trailing '/' (/fileupload for /fileupload/) counts as under
// it, since servers often answer it with the folder.
//
// Matching ignores ASCII case, although paths are case-sensitive: a file
// server on a case-insensitive disk serves /FileUpload/x as /fileupload/x,
// so such a request must be judged as a file request, not passed through.
// (A token's file patterns stay case-sensitive, so it is then refused unless
// its case matches: the mismatch always fails closed.) It never allocates.
func PrefixFor(prefixes []string, path string) (string, bool) {
	best := -1
	for i, p := range prefixes {
		if hasPrefixFold(path, p) || len(path) == len(p)-1 && hasPrefixFold(p, path) {
			if best < 0 || len(p) > len(prefixes[best]) {
				best = i
			}
		}
	}
	if best < 0 {
		return "", false
	}
	return prefixes[best], true
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case, without allocating.
func hasPrefixFold(s, prefix string) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != lowerASCII(prefix[i]) {
			return false
		}
	}
	return true
}
