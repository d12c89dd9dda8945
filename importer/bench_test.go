package importer

import (
	"encoding/json"
	"fmt"
	"testing"
)

// generatedAppExport builds a Bubble app export of n API workflows with the
// shapes real apps have: pages full of elements, workflows with actions,
// parameters with Empty flags, and a third of the APIEvents nested in
// folders. About 1 KB per workflow.
func generatedAppExport(n int) []byte {
	api := map[string]any{}
	folders := []any{}
	pages := map[string]any{}
	authValues := []any{true, false, "admin_only", nil}
	for i := 0; i < n; i++ {
		props := map[string]any{
			"wf_name":              fmt.Sprintf("workflow-%04d", i),
			"expose":               i%5 != 0,
			"ignore_privacy_rules": map[string]any{"type": "Empty"},
			"trigger_option":       []string{"post", "get"}[i%2],
			"parameters": map[string]any{
				"0": map[string]any{"key": "id", "value": "text", "in_url": i%2 == 1, "optional": map[string]any{"type": "Empty"}},
				"1": map[string]any{"key": "amount", "value": "number", "is_list": false, "optional": true},
				"2": map[string]any{"key": "tags", "value": "text", "is_list": true, "optional": true},
			},
		}
		if a := authValues[i%4]; a != nil {
			props["auth_unecessary"] = a
		}
		ev := map[string]any{"type": "APIEvent", "id": fmt.Sprintf("bT%04d", i), "name": fmt.Sprintf("Workflow number %d", i),
			"properties": props,
			"actions": map[string]any{
				"0": map[string]any{"type": "NewThing", "id": fmt.Sprintf("bA%04d", i), "properties": map[string]any{"thing_type": "custom.invoice"}},
			}}
		if i%3 == 0 {
			folders = append(folders, ev)
		} else {
			api[fmt.Sprintf("bT%04d", i)] = ev
		}
		pages[fmt.Sprintf("pg%04d", i)] = map[string]any{"type": "Group", "id": fmt.Sprintf("pg%04d", i),
			"properties": map[string]any{"container_layout": "column", "min_width_css": "320px"},
			"elements": map[string]any{"t": map[string]any{"type": "Text", "id": fmt.Sprintf("tx%04d", i),
				"properties": map[string]any{"text": "Some label on the page"}}}}
	}
	doc := map[string]any{"_id": "bench", "api": api, "api_folders": map[string]any{"all": map[string]any{"events": folders}},
		"pages": map[string]any{"index": map[string]any{"type": "Page", "elements": pages}}}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// benchWorkflows makes generatedAppExport about 300 KB.
const benchWorkflows = 412

// BenchmarkImport300KB parses a ~300 KB app export, checks names, plans it
// against an empty database and proves it: everything import does before
// writing.
func BenchmarkImport300KB(b *testing.B) {
	data := generatedAppExport(benchWorkflows)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		items, problems := Parse("bench.json", data)
		items, dups := CheckDuplicates(items)
		if len(problems)+len(dups) > 0 || len(items) != benchWorkflows {
			b.Fatalf("%d items, problems %v %v", len(items), problems, dups)
		}
		NewPlan(items, nil)
		if !Prove(items).Preserved() {
			b.Fatal("proof failed")
		}
	}
}

// BenchmarkProveImport is the proof alone over the same document.
func BenchmarkProveImport(b *testing.B) {
	items, _ := Parse("bench.json", generatedAppExport(benchWorkflows))
	for b.Loop() {
		if !Prove(items).Preserved() {
			b.Fatal("proof failed")
		}
	}
}
