package checker

import (
	"strings"

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
