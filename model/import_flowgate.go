package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// flowgateExportKey marks flowgate's own export and carries its format
// version, so a later format can be refused clearly instead of misread.
const flowgateExportKey = "flowgate_export"

// FlowgateExportVersion is the export format this binary writes and reads.
const FlowgateExportVersion = 1

// flowgateExport is the document `flowgate export` writes. It holds every
// setting, including the migrated mark, and none of the store's bookkeeping
// (version, timestamps), so export → import into an empty database → export
// gives identical bytes.
type flowgateExport struct {
	Version   int                `json:"flowgate_export"`
	Workflows []exportedWorkflow `json:"workflows"`
}

type exportedWorkflow struct {
	Name               string      `json:"name"`
	Public             bool        `json:"public"`
	Auth               Auth        `json:"auth"`
	AuthMigrated       bool        `json:"auth_migrated"`
	Method             Method      `json:"method"`
	IgnorePrivacyRules bool        `json:"ignore_privacy_rules"`
	Description        string      `json:"description"`
	Parameters         []Parameter `json:"parameters"`
}

// ExportFlowgate writes workflows as flowgate's JSON export, ordered by name
// (ignoring case) whatever order they come in, so the output is stable.
func ExportFlowgate(workflows []Workflow) ([]byte, error) {
	doc := flowgateExport{Version: FlowgateExportVersion, Workflows: make([]exportedWorkflow, 0, len(workflows))}
	for _, w := range sortedByName(workflows) {
		params := w.Parameters
		if params == nil {
			params = []Parameter{}
		}
		doc.Workflows = append(doc.Workflows, exportedWorkflow{
			Name: w.Name, Public: w.Public, Auth: w.Auth, AuthMigrated: w.AuthMigrated, Method: w.Method,
			IgnorePrivacyRules: w.IgnorePrivacyRules, Description: w.Description, Parameters: params,
		})
	}
	return encodeExport(doc)
}

// encodeExport indents by two spaces and leaves <, > and & as they are, so
// descriptions read the same in the file as in the editor.
func encodeExport(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sortedByName(workflows []Workflow) []Workflow {
	out := append([]Workflow(nil), workflows...)
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := NameKey(out[i].Name), NameKey(out[j].Name)
		if ki != kj {
			return ki < kj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// parseFlowgateExport reads flowgate's own export strictly: it is our format,
// so an unknown key is a typo or a newer version, never something to skip.
func parseFlowgateExport(file string, top map[string]any) ([]ImportItem, []ImportProblem) {
	problem := func(ref, format string, args ...any) []ImportProblem {
		return []ImportProblem{{File: file, Ref: ref, Message: fmt.Sprintf(format, args...)}}
	}
	if v, ok := top[flowgateExportKey].(float64); !ok || v != FlowgateExportVersion {
		return nil, problem("", "flowgate export version %s is not supported (this flowgate reads version %d)",
			jsonText(top[flowgateExportKey]), FlowgateExportVersion)
	}
	for _, k := range sortedKeys(top) {
		if k != flowgateExportKey && k != "workflows" {
			return nil, problem("", "unknown key %q in a flowgate export", k)
		}
	}
	list, ok := top["workflows"].([]any)
	if !ok {
		return nil, problem("", "workflows: unexpected value %s (want an array)", jsonText(top["workflows"]))
	}
	var items []ImportItem
	var problems []ImportProblem
	for i, v := range list {
		it, err := flowgateItem(file, i, v)
		if err != nil {
			problems = append(problems, ImportProblem{File: file, Ref: it.Ref, Message: err.Error()})
			continue
		}
		items = append(items, it)
	}
	return items, problems
}

// exportedKeys lists the keys a workflow in the export may have.
var exportedKeys = map[string]bool{"name": true, "public": true, "auth": true, "auth_migrated": true,
	"method": true, "ignore_privacy_rules": true, "description": true, "parameters": true}

var parameterKeys = map[string]bool{"key": true, "type": true, "in": true, "is_list": true, "optional": true}

func flowgateItem(file string, i int, v any) (ImportItem, error) {
	it := ImportItem{File: file, Format: FormatFlowgate, Ref: fmt.Sprintf("workflows[%d]", i)}
	obj, ok := v.(map[string]any)
	if !ok {
		return it, fmt.Errorf("unexpected value %s (want a workflow object)", jsonText(v))
	}
	if err := onlyKeys(obj, exportedKeys); err != nil {
		return it, err
	}
	var w Workflow
	w.Name, ok = obj["name"].(string)
	if !ok {
		return it, fmt.Errorf("name: unexpected value %s (want the workflow name)", jsonText(obj["name"]))
	}
	it.Ref += " " + w.Name
	auth, okAuth := obj["auth"].(string)
	method, okMethod := obj["method"].(string)
	public, okPublic := obj["public"].(bool)
	switch {
	case !okAuth:
		return it, fmt.Errorf(`auth: unexpected value %s (want "none", "user" or "admin")`, jsonText(obj["auth"]))
	case !okMethod:
		return it, fmt.Errorf(`method: unexpected value %s (want "POST" or "GET")`, jsonText(obj["method"]))
	case !okPublic:
		return it, fmt.Errorf("public: unexpected value %s (want true or false)", jsonText(obj["public"]))
	}
	w.Public, w.Auth, w.Method = public, Auth(auth), Method(method)
	var err error
	if w.AuthMigrated, err = boolField(obj, "auth_migrated"); err != nil {
		return it, err
	}
	if w.IgnorePrivacyRules, err = boolField(obj, "ignore_privacy_rules"); err != nil {
		return it, err
	}
	if w.Description, err = text(obj, "description"); err != nil {
		return it, err
	}
	if w.Parameters, err = exportedParameters(obj["parameters"]); err != nil {
		return it, err
	}
	if err := w.Validate(); err != nil {
		return it, err
	}
	it.Workflow = w
	it.Source = SourceFields{Expose: obj["public"], Auth: obj["auth"], Method: obj["method"]}
	return it, nil
}

func onlyKeys(obj map[string]any, allowed map[string]bool) error {
	for _, k := range sortedKeys(obj) {
		if !allowed[k] {
			return fmt.Errorf("unknown key %q", k)
		}
	}
	return nil
}

// boolField reads an optional true/false; absent is false.
func boolField(obj map[string]any, key string) (bool, error) {
	v, ok := obj[key]
	if !ok {
		return false, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, fmt.Errorf("%s: unexpected value %s (want true or false)", key, jsonText(v))
	}
	return b, nil
}

func exportedParameters(v any) ([]Parameter, error) {
	return parameterArray(v, exportedParameter)
}

func exportedParameter(obj map[string]any) (p Parameter, err error) {
	if err = onlyKeys(obj, parameterKeys); err != nil {
		return p, err
	}
	if p.Key, err = text(obj, "key"); err != nil {
		return p, err
	}
	if p.Type, err = text(obj, "type"); err != nil {
		return p, err
	}
	if p.In, err = text(obj, "in"); err != nil {
		return p, err
	}
	if p.IsList, err = boolField(obj, "is_list"); err != nil {
		return p, err
	}
	p.Optional, err = boolField(obj, "optional")
	return p, err
}
