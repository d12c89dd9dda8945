package importer

import (
	"fmt"
	"strings"

	"flowgate/model"
)

// Format names the kind of document a workflow was read from; the proof
// needs it to know what the source's fields meant.
type Format string

// The formats `flowgate import` understands, detected from the content.
const (
	// FormatBubble is a Bubble app export, or one element per file: every
	// object with "type": "APIEvent" anywhere in the tree is a workflow.
	FormatBubble Format = "bubble"
	// FormatMeta is the output of /api/1.1/meta: its "post" array lists the
	// exposed workflows.
	FormatMeta Format = "meta"
	// FormatFlowgate is flowgate's own export (see ExportFlowgate).
	FormatFlowgate Format = "flowgate"
)

// Item is one workflow read from an input, with the access fields
// exactly as the input wrote them, so that the proof can re-derive the old
// behaviour from the source rather than from the converted Workflow.
type Item struct {
	// File is the input file, as the user named it (joined with the path
	// below a directory); it goes into the change trail.
	File string
	// Ref says where in the file the workflow is, for messages: the
	// element id, or a position such as post[3].
	Ref    string
	Format Format
	// Workflow is the converted settings, ready to be written.
	Workflow model.Workflow
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

// Problem is one input that cannot be imported: a file that is not
// JSON, or a workflow with a missing or invalid setting. Every problem names
// its file so a repository of hundreds of element files can be fixed.
type Problem struct {
	File    string
	Ref     string
	Message string
}

// String is the problem as one line: "file: ref: message".
func (p Problem) String() string {
	if p.Ref == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.Ref + ": " + p.Message
}

// Parse reads one input document, detecting its format from the
// content, and returns the workflows it holds and the problems with the
// items it could not convert. A file that is not JSON is one problem that
// says where (line and column). A document with no workflow in it is not a
// problem: an element file of a page simply holds none.
func Parse(file string, data []byte) ([]Item, []Problem) {
	doc, err := decodeJSON(data)
	if err != nil {
		return nil, []Problem{{File: file, Message: err.Error()}}
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

// convertEach converts every entry of a list of workflows with convert,
// turning each one that cannot be converted into a problem that names it
// (convert sets the item's Ref even when it fails).
func convertEach(file string, list []any, convert func(file string, i int, v any) (Item, error)) ([]Item, []Problem) {
	var items []Item
	var problems []Problem
	for i, v := range list {
		it, err := convert(file, i, v)
		if err != nil {
			problems = append(problems, Problem{File: file, Ref: it.Ref, Message: err.Error()})
			continue
		}
		items = append(items, it)
	}
	return items, problems
}

// CheckDuplicates finds workflow names that occur more than once across all
// inputs (ignoring case, as the store does). Which occurrence is right cannot
// be guessed, so every occurrence is a problem and only unique items are kept.
func CheckDuplicates(items []Item) ([]Item, []Problem) {
	seen := make(map[string][]int, len(items))
	for i, it := range items {
		k := model.NameKey(it.Workflow.Name)
		seen[k] = append(seen[k], i)
	}
	var kept []Item
	var problems []Problem
	for i, it := range items {
		same := seen[model.NameKey(it.Workflow.Name)]
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
		problems = append(problems, Problem{File: it.File, Ref: it.Ref,
			Message: fmt.Sprintf("duplicate workflow name %q: also in %s", it.Workflow.Name, strings.Join(others, ", "))})
	}
	return kept, problems
}
