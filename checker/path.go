package checker

import (
	"strings"
	"unicode/utf8"

	"flowgate/model"
)

// Workflow call paths, as Bubble serves them.
const (
	workflowPathPrefix = "/api/1.1/wf/"
	initializeSuffix   = "/initialize"
)

// versionPrefixes may precede a workflow path to address a Bubble app's
// development or live version; the decision is the same.
var versionPrefixes = [...]string{"/version-test", "/version-live"}

// ParseWorkflowPath extracts the workflow name from an escaped request path
// (the path as sent, without the query). It accepts exactly
//
//	[/version-test|/version-live]/api/1.1/wf/NAME[/initialize]
//
// with NAME made of 1-100 name characters, and nothing else: no
// percent-encoding, doubled slashes, dot segments or trailing slash. A path
// it refuses is never allowed (it gets 404), so any spelling an upstream
// might normalise into a workflow path is denied rather than guessed at.
// The name returned is a slice of p: no allocation.
func ParseWorkflowPath(p string) (name string, ok bool) {
	for _, v := range versionPrefixes {
		if len(p) > len(v) && p[len(v)] == '/' && p[:len(v)] == v {
			p = p[len(v):]
			break
		}
	}
	if !strings.HasPrefix(p, workflowPathPrefix) {
		return "", false
	}
	name = p[len(workflowPathPrefix):]
	name = strings.TrimSuffix(name, initializeSuffix)
	if len(name) == 0 || len(name) > model.MaxNameLength {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		if !model.IsNameByte(name[i]) {
			return "", false
		}
	}
	return name, true
}

// ParseFilePath decodes an escaped request path (as sent, without the
// query) for a file decision, and refuses (ok false: answered 404, never
// forwarded) any spelling whose meaning an upstream might read differently:
// an invalid escape; an encoded '/' or '%' (%2F would hide a separator,
// %25 a second round of decoding); after decoding, an empty segment ("//"),
// a "." or ".." segment, also before a ';' ("..;", which some servers read
// as ".."), a backslash, a control character, invalid UTF-8, or more than
// model.MaxPathLength bytes. A trailing '/' is kept: it names a folder.
// Without percent-encoding it does not allocate.
func ParseFilePath(escaped string) (path string, ok bool) {
	if len(escaped) > 3*model.MaxPathLength || !strings.HasPrefix(escaped, "/") {
		return "", false
	}
	path = escaped
	if strings.IndexByte(escaped, '%') >= 0 {
		if path, ok = decodePath(escaped); !ok {
			return "", false
		}
	}
	if len(path) > model.MaxPathLength || !utf8.ValidString(path) {
		return "", false
	}
	start := 1
	for i := 1; i <= len(path); i++ {
		if i < len(path) {
			if c := path[i]; c < 0x20 || c == 0x7f || c == '\\' {
				return "", false
			} else if c != '/' {
				continue
			}
		}
		seg := path[start:i]
		if seg == "" && i < len(path) || isDotSegment(seg) {
			return "", false
		}
		start = i + 1
	}
	return path, true
}

// isDotSegment reports "." or "..", also when followed by a ';' and path
// parameters ("..;x"), which servers such as Tomcat read as the bare
// segment.
func isDotSegment(seg string) bool {
	seg, _, _ = strings.Cut(seg, ";")
	return seg == "." || seg == ".."
}

// decodePath percent-decodes an escaped path, refusing an invalid escape
// and an encoded '/' or '%'.
func decodePath(escaped string) (string, bool) {
	b := make([]byte, 0, len(escaped))
	for i := 0; i < len(escaped); i++ {
		c := escaped[i]
		if c == '%' {
			if i+2 >= len(escaped) || unhex(escaped[i+1]) < 0 || unhex(escaped[i+2]) < 0 {
				return "", false
			}
			c = byte(unhex(escaped[i+1])<<4 | unhex(escaped[i+2]))
			if c == '/' || c == '%' {
				return "", false
			}
			i += 2
		}
		b = append(b, c)
	}
	return string(b), true
}

// unhex is the value of a hexadecimal digit, or -1.
func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}
