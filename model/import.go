package model

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The importer turns documents from before the Authentication dropdown into
// workflows. It lives in model because it is pure — bytes in, workflows,
// problems and a proof out — and because its whole point is to agree with
// Decide; reading files and writing the store stay with the callers.

// ImportFormat names the kind of document a workflow was read from; the
// proof needs it to know what the source's fields meant.
type ImportFormat string

// The formats `flowgate import` understands, detected from the content.
const (
	// FormatBubble is a Bubble app export, or one element per file: every
	// object with "type": "APIEvent" anywhere in the tree is a workflow.
	FormatBubble ImportFormat = "bubble"
	// FormatMeta is the output of /api/1.1/meta: its "post" array lists the
	// exposed workflows.
	FormatMeta ImportFormat = "meta"
	// FormatFlowgate is flowgate's own export (see ExportFlowgate).
	FormatFlowgate ImportFormat = "flowgate"
)

// ImportItem is one workflow read from an input, with the access fields
// exactly as the input wrote them, so that the proof can re-derive the old
// behaviour from the source rather than from the converted Workflow.
type ImportItem struct {
	// File is the input file, as the user named it (joined with the path
	// below a directory); it goes into the change trail.
	File string
	// Ref says where in the file the workflow is, for messages: the
	// element id, or a position such as post[3].
	Ref    string
	Format ImportFormat
	// Workflow is the converted settings, ready to be written.
	Workflow Workflow
	// Source holds the raw access fields, nil when absent.
	Source SourceFields
}

// SourceFields are an input's access fields before any interpretation:
// decoded JSON values (bool, string, map…), nil when the key was absent.
// Which keys they came from depends on the format: expose / auth_unecessary
// / trigger_option for a Bubble element; auth_unecessary / method for a
// meta entry (being listed there is what exposes it); public / auth /
// method for flowgate's export.
type SourceFields struct {
	Expose any
	Auth   any
	Method any
}

// ImportProblem is one input that cannot be imported: a file that is not
// JSON, or a workflow with a missing or invalid setting. Every problem names
// its file so a repository of hundreds of element files can be fixed.
type ImportProblem struct {
	File    string
	Ref     string
	Message string
}

// String is the problem as one line: "file: ref: message".
func (p ImportProblem) String() string {
	if p.Ref == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.Ref + ": " + p.Message
}

// ParseImport reads one input document, detecting its format from the
// content, and returns the workflows it holds and the problems with the
// items it could not convert. A file that is not JSON is one problem that
// says where (line and column). A document with no workflow in it is not a
// problem: an element file of a page simply holds none.
func ParseImport(file string, data []byte) ([]ImportItem, []ImportProblem) {
	doc, err := decodeImportJSON(data)
	if err != nil {
		return nil, []ImportProblem{{File: file, Message: err.Error()}}
	}
	top, isObject := doc.(map[string]any)
	switch {
	case isObject && has(top, flowgateExportKey):
		return parseFlowgateExport(file, top)
	case isObject && isMetaDocument(top):
		return parseMeta(file, top)
	}
	return parseBubble(file, doc)
}

// CheckDuplicates finds workflow names that occur more than once across all
// inputs (ignoring case, as the store does). Which occurrence is right cannot
// be guessed, so every occurrence is a problem and only unique items are kept.
func CheckDuplicates(items []ImportItem) ([]ImportItem, []ImportProblem) {
	seen := make(map[string][]int, len(items))
	for i, it := range items {
		k := NameKey(it.Workflow.Name)
		seen[k] = append(seen[k], i)
	}
	var kept []ImportItem
	var problems []ImportProblem
	for i, it := range items {
		same := seen[NameKey(it.Workflow.Name)]
		if len(same) == 1 {
			kept = append(kept, it)
			continue
		}
		var others []string
		for _, j := range same {
			if j != i {
				others = append(others, items[j].File+" ("+items[j].Ref+")")
			}
		}
		problems = append(problems, ImportProblem{File: it.File, Ref: it.Ref,
			Message: fmt.Sprintf("duplicate workflow name %q: also in %s", it.Workflow.Name, strings.Join(others, ", "))})
	}
	return kept, problems
}

// has reports whether obj has key, whatever its value.
func has(obj map[string]any, key string) bool {
	_, ok := obj[key]
	return ok
}

// sortedKeys returns obj's keys in a fixed order, so walking a decoded
// document (whose maps have no order) always gives the same result.
func sortedKeys(obj map[string]any) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// jsonText shows a decoded JSON value the way it was written, for messages.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
