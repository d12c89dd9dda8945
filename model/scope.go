package model

import (
	"fmt"
	"strings"
)

// Scope is what a token may reach beyond what its kind allows: a leaked token
// then only exposes the workflows and files it was scoped to, never the
// whole app. Both lists are allow-lists; an empty list allows nothing.
type Scope struct {
	// Workflows are name patterns the token may call: exact names or globs
	// with '*', matched case-insensitively like names ("send-*").
	Workflows []string `json:"workflows"`
	// Files are path patterns the token may read under the protected
	// prefixes: a pattern ending in '/' covers that folder and everything
	// below it; otherwise '*' matches within one path segment, as in
	// path.Match. Paths are case-sensitive, as URLs are.
	Files []string `json:"files"`
}

// MaxScopePatterns bounds each list of a scope, so that the per-request cost
// of a scope check stays small and fixed.
const MaxScopePatterns = 100

// DefaultScope is the scope of a token created without scope flags and of
// every token that existed before scopes: all workflows and no files, so
// that nothing that worked before scopes changes.
func DefaultScope() Scope {
	return Scope{Workflows: []string{"*"}, Files: []string{}}
}

// ValidateWorkflowPattern checks one workflow pattern: 1-100 letters, digits,
// '-', '_' or '*', with no "**" (it would mean the same as '*', and people
// who write it usually expect something else).
func ValidateWorkflowPattern(p string) error {
	if p == "" {
		return fmt.Errorf("invalid workflow pattern: it is empty (use a name or a glob such as send-*)")
	}
	if len(p) > MaxNameLength {
		return fmt.Errorf("invalid workflow pattern %.40q...: %d characters is longer than %d", p, len(p), MaxNameLength)
	}
	for i := 0; i < len(p); i++ {
		if !IsNameByte(p[i]) && p[i] != '*' {
			return fmt.Errorf("invalid workflow pattern %q: character %q at position %d is not allowed (use letters, digits, -, _ or *)",
				p, []rune(p[i:])[0], len([]rune(p[:i]))+1)
		}
	}
	if strings.Contains(p, "**") {
		return fmt.Errorf("invalid workflow pattern %q: ** is not a wildcard here (use a single *)", p)
	}
	return nil
}

// ValidateFilePattern checks one file pattern: a clean decoded absolute path
// (see ValidatePrefix for what clean means) in which '*' is the only
// wildcard, with no "**": path.Match would read it as a single '*', while
// people who write it usually mean "and everything below", which is
// spelled with a trailing '/'.
func ValidateFilePattern(p string) error {
	if err := checkStoredPath("file pattern", p); err != nil {
		return err
	}
	if strings.Contains(p, "**") {
		return fmt.Errorf("invalid file pattern %q: ** is not a wildcard here (end the pattern with / to cover a folder and everything below it)", p)
	}
	return nil
}

// ParseWorkflowPatterns reads the comma-separated text of --workflows or the
// editor's scope field. Spaces around items are trimmed; "" (or only
// spaces) is the empty list, a token that may call no workflow. An empty
// item, an invalid pattern or one listed twice is an error, so that what is
// stored is exactly what was meant.
func ParseWorkflowPatterns(text string) ([]string, error) {
	return parsePatterns(text, "workflow", ValidateWorkflowPattern, NameKey)
}

// ParseFilePatterns reads the comma-separated text of --files or the
// editor's scope field, by the same rules as ParseWorkflowPatterns: ""
// is the empty list, a token that may read no file.
func ParseFilePatterns(text string) ([]string, error) {
	return parsePatterns(text, "file", ValidateFilePattern, func(s string) string { return s })
}

// parsePatterns splits text on commas and validates each item; key gives the
// identity under which two items are the same pattern.
func parsePatterns(text, what string, validate func(string) error, key func(string) string) ([]string, error) {
	out := []string{}
	if strings.TrimSpace(text) == "" {
		return out, nil
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(text, ",") {
		p := strings.TrimSpace(item)
		if p == "" {
			return nil, fmt.Errorf("invalid %s patterns %q: an item is empty (remove the extra comma)", what, text)
		}
		if err := validate(p); err != nil {
			return nil, err
		}
		if seen[key(p)] {
			return nil, fmt.Errorf("invalid %s patterns %q: %q is listed twice", what, text, p)
		}
		seen[key(p)] = true
		out = append(out, p)
	}
	if len(out) > MaxScopePatterns {
		return nil, fmt.Errorf("invalid %s patterns: %d patterns is more than %d", what, len(out), MaxScopePatterns)
	}
	return out, nil
}

// Validate checks a whole scope, as the store must before saving one.
func (s *Scope) Validate() error {
	for _, list := range []struct {
		what     string
		patterns []string
		validate func(string) error
	}{{"workflow", s.Workflows, ValidateWorkflowPattern}, {"file", s.Files, ValidateFilePattern}} {
		if len(list.patterns) > MaxScopePatterns {
			return fmt.Errorf("invalid %s patterns: %d patterns is more than %d", list.what, len(list.patterns), MaxScopePatterns)
		}
		for _, p := range list.patterns {
			if err := list.validate(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// AllowsWorkflow reports whether the scope lets its token call the workflow
// with this name. A nil scope allows every workflow: it is a credential
// whose scope is not known (decide --as, legacy callers). It never
// allocates, because the checker calls it per request.
func (s *Scope) AllowsWorkflow(name string) bool {
	if s == nil {
		return true
	}
	for _, p := range s.Workflows {
		if globMatch(p, name, true, false) {
			return true
		}
	}
	return false
}

// AllowsFile reports whether the scope lets its token read the file at path.
// path must already be decoded and checked by the caller (the checker's
// strict path parsing); as a second line of defence, a path that is not
// clean (see ValidatePrefix) is never allowed, nor one longer than
// MaxPathLength, which bounds the matcher's work on a hostile path. A nil
// scope allows no file: files are opt-in, so an unknown scope fails closed.
// It never allocates.
func (s *Scope) AllowsFile(path string) bool {
	if s == nil || len(path) > MaxPathLength || pathProblem(path) != "" {
		return false
	}
	for _, p := range s.Files {
		if fileMatch(p, path) {
			return true
		}
	}
	return false
}

// fileMatch matches one file pattern: a pattern ending in '/' is a folder
// and covers every path that starts with a folder it matches; any other
// pattern must match the whole path.
func fileMatch(pattern, path string) bool {
	if !strings.HasSuffix(pattern, "/") {
		return globMatch(pattern, path, false, true)
	}
	// '*' never spans a '/', so the folder has as many segments as the
	// pattern: cut the path after its n-th '/' and match that.
	n := strings.Count(pattern, "/")
	end := 0
	for i := 0; i < len(path) && n > 0; i++ {
		if path[i] == '/' {
			n--
			end = i + 1
		}
	}
	return n == 0 && globMatch(pattern, path[:end], false, true)
}

// MatchingWorkflows counts the names the scope allows, for the editor's live
// "matches N workflows" and for warnings about patterns that reach nothing.
func (s *Scope) MatchingWorkflows(names []string) int {
	n := 0
	for _, name := range names {
		if s.AllowsWorkflow(name) {
			n++
		}
	}
	return n
}

// UnmatchedWorkflowPatterns lists the scope's workflow patterns that match
// none of names: allowed (the workflows may come later) but worth a warning
// and a review note, since a typo in a pattern silently grants nothing.
func (s *Scope) UnmatchedWorkflowPatterns(names []string) []string {
	var out []string
	for _, p := range s.Workflows {
		one := Scope{Workflows: []string{p}}
		if one.MatchingWorkflows(names) == 0 {
			out = append(out, p)
		}
	}
	return out
}

// FilePatternsOutside lists the scope's file patterns that lie under none of
// the protected prefixes: flowgate never checks such paths, so the pattern
// grants nothing and deserves a warning.
func (s *Scope) FilePatternsOutside(prefixes []string) []string {
	var out []string
	for _, p := range s.Files {
		if _, ok := PrefixFor(prefixes, p); !ok {
			out = append(out, p)
		}
	}
	return out
}
