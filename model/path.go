package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxPathLength bounds a protected prefix, a file pattern and a share link's
// path, so that matching a request never works on unbounded stored input.
const MaxPathLength = 1024

// pathProblem says why p is not a clean, decoded absolute path, or "" when it
// is one. Clean means: starts with '/', valid UTF-8, no control character, no
// backslash (a separator to some file servers, so "..\" could climb), no
// empty segment ("//") and no "." or ".." segment. The reasons are constants
// so that AllowsFile can run it per request without allocating.
func pathProblem(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "it must be an absolute path starting with /"
	}
	if !utf8.ValidString(p) {
		return "it is not valid UTF-8"
	}
	segStart := 1
	for i := 1; i <= len(p); i++ {
		if i < len(p) {
			switch c := p[i]; {
			case c < 0x20 || c == 0x7f:
				return "it has a control character"
			case c == '\\':
				return `it has a backslash (\), which some servers read as /`
			case c != '/':
				continue
			}
		}
		switch p[segStart:i] {
		case "":
			if i < len(p) {
				return "it has an empty segment (//)"
			}
		case ".", "..":
			return "it has a . or .. segment"
		}
		segStart = i + 1
	}
	return ""
}

// checkStoredPath applies the rules shared by protected prefixes and file
// patterns: a clean decoded path of at most MaxPathLength bytes, with no '%'
// (requests are matched after decoding, so "%20" in a pattern would never
// match the space it stands for) and none of path.Match's other wildcards
// ('?', '[', ']'): '*' is the only wildcard flowgate promises. what names the
// kind of value in the error ("prefix", "file pattern").
func checkStoredPath(what, p string) error {
	if len(p) > MaxPathLength {
		return fmt.Errorf("invalid %s %.40q...: %d bytes is longer than %d", what, p, len(p), MaxPathLength)
	}
	if why := pathProblem(p); why != "" {
		return fmt.Errorf("invalid %s %q: %s", what, p, why)
	}
	if i := strings.IndexAny(p, "%?[]"); i >= 0 {
		if p[i] == '%' {
			return fmt.Errorf("invalid %s %q: it has %%: write the decoded path (a space, not %%20)", what, p)
		}
		return fmt.Errorf("invalid %s %q: %q is not a wildcard here (only * is)", what, p, p[i])
	}
	return nil
}
