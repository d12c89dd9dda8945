package importer

import (
	"bytes"
	"encoding/json"
	"sort"

	"flowgate/model"
)

// metaDocument is the /api/1.1/meta shape: "get" would list data types
// (flowgate has none), "post" lists the public workflows.
type metaDocument struct {
	Get  []any       `json:"get"`
	Post []metaEntry `json:"post"`
}

type metaEntry struct {
	Endpoint       string         `json:"endpoint"`
	Method         model.Method   `json:"method"`
	AuthUnecessary any            `json:"auth_unecessary"`
	Parameters     []metaParam    `json:"parameters"`
	ReturnBtype    map[string]any `json:"return_btype"`
}

// metaParam adds is_list to Bubble's keys so a list parameter survives a
// round trip; consumers that do not know the key ignore it.
type metaParam struct {
	Key      string `json:"key"`
	Value    string `json:"value"`
	Optional bool   `json:"optional"`
	ParamIn  string `json:"param_in"`
	IsList   bool   `json:"is_list"`
}

// legacyAuthValue writes an Auth the way Bubble's meta output does:
// auth_unecessary true (None required), false (User and admin) or
// "admin_only". It is the inverse of model.LegacyAuth plus the dropdown's newer
// string, used only for exporting.
func legacyAuthValue(a model.Auth) any {
	switch a {
	case model.AuthNone:
		return true
	case model.AuthAdmin:
		return "admin_only"
	}
	return false
}

// ExportMeta writes the public workflows in the /api/1.1/meta shape, for
// tools that read Bubble's own description of an app. Scheduled-only
// workflows are not callable, so, as in Bubble, they are not listed; their
// privacy setting and description have no place in this shape either.
func ExportMeta(workflows []model.Workflow) ([]byte, error) {
	doc := metaDocument{Get: []any{}, Post: []metaEntry{}}
	for _, w := range sortedByName(workflows) {
		if !w.Public {
			continue
		}
		e := metaEntry{Endpoint: w.Name, Method: w.Method, AuthUnecessary: legacyAuthValue(w.Auth),
			Parameters: make([]metaParam, 0, len(w.Parameters)), ReturnBtype: map[string]any{}}
		for _, p := range w.Parameters {
			e.Parameters = append(e.Parameters, metaParam{Key: p.Key, Value: p.Type, Optional: p.Optional, ParamIn: p.In, IsList: p.IsList})
		}
		doc.Post = append(doc.Post, e)
	}
	return encodeExport(doc)
}

// flowgateExport is the document `flowgate export` writes. It holds every
// setting, including the migrated mark, and none of the store's bookkeeping
// (version, timestamps), so export → import into an empty database → export
// gives identical bytes.
type flowgateExport struct {
	Version   int                `json:"flowgate_export"`
	Workflows []exportedWorkflow `json:"workflows"`
}

type exportedWorkflow struct {
	Name               string            `json:"name"`
	Public             bool              `json:"public"`
	Auth               model.Auth        `json:"auth"`
	AuthMigrated       bool              `json:"auth_migrated"`
	Method             model.Method      `json:"method"`
	IgnorePrivacyRules bool              `json:"ignore_privacy_rules"`
	Description        string            `json:"description"`
	Parameters         []model.Parameter `json:"parameters"`
}

// ExportFlowgate writes workflows as flowgate's JSON export, ordered by name
// (ignoring case) whatever order they come in, so the output is stable.
func ExportFlowgate(workflows []model.Workflow) ([]byte, error) {
	doc := flowgateExport{Version: FlowgateExportVersion, Workflows: make([]exportedWorkflow, 0, len(workflows))}
	for _, w := range sortedByName(workflows) {
		params := w.Parameters
		if params == nil {
			params = []model.Parameter{}
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

func sortedByName(workflows []model.Workflow) []model.Workflow {
	out := append([]model.Workflow(nil), workflows...)
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := model.NameKey(out[i].Name), model.NameKey(out[j].Name)
		if ki != kj {
			return ki < kj
		}
		return out[i].Name < out[j].Name
	})
	return out
}
