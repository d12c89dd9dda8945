package importer

import (
	"fmt"

	"flowgate/model"
)

// flowgateExportKey marks flowgate's own export and carries its format
// version, so a later format can be refused clearly instead of misread.
const flowgateExportKey = "flowgate_export"

// FlowgateExportVersion is the export format this binary writes and reads.
const FlowgateExportVersion = 1

// parseFlowgateExport reads flowgate's own export strictly: it is our format,
// so an unknown key is a typo or a newer version, never something to skip.
func parseFlowgateExport(file string, top map[string]any) ([]Item, []Problem) {
	problem := func(ref, format string, args ...any) []Problem {
		return []Problem{{File: file, Ref: ref, Message: fmt.Sprintf(format, args...)}}
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
	return convertEach(file, list, flowgateItem)
}

// exportedKeys lists the keys a workflow in the export may have.
var exportedKeys = map[string]bool{"name": true, "public": true, "auth": true, "auth_migrated": true,
	"method": true, "ignore_privacy_rules": true, "description": true, "parameters": true}

var parameterKeys = map[string]bool{"key": true, "type": true, "in": true, "is_list": true, "optional": true}

// flowgateItem converts one workflow of the export; its Ref is set even on
// error, with the workflow name once it is known.
func flowgateItem(file string, i int, v any) (Item, error) {
	it := Item{File: file, Format: FormatFlowgate, Ref: fmt.Sprintf("workflows[%d]", i)}
	obj, ok := v.(map[string]any)
	if !ok {
		return it, unexpected("", v, "a workflow object")
	}
	f := fields{obj: obj}
	f.onlyKeys(exportedKeys)
	var w model.Workflow
	w.Name = must[string](&f, "name", "the workflow name")
	if f.err != nil {
		return it, f.err
	}
	it.Ref += " " + w.Name
	w.Auth = model.Auth(must[string](&f, "auth", `"none", "user" or "admin"`))
	w.Method = model.Method(must[string](&f, "method", `"POST" or "GET"`))
	w.Public = must[bool](&f, "public", "true or false")
	w.AuthMigrated = f.boolean("auth_migrated")
	w.IgnorePrivacyRules = f.boolean("ignore_privacy_rules")
	w.Description = f.text("description")
	w.Parameters = f.parameterArray("parameters", exportedParameter)
	return f.finish(it, w, SourceFields{Expose: obj["public"], Auth: obj["auth"], Method: obj["method"]})
}

// exportedParameter reads one parameter of the export, as
// model.Parameter's JSON writes it; Validate checks it afterwards.
func exportedParameter(obj map[string]any) (model.Parameter, error) {
	f := fields{obj: obj}
	var p model.Parameter
	f.onlyKeys(parameterKeys)
	p.Key = f.text("key")
	p.Type = f.text("type")
	p.In = f.text("in")
	p.IsList = f.boolean("is_list")
	p.Optional = f.boolean("optional")
	return p, f.err
}
