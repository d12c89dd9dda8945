package importer

import (
	"fmt"

	"flowgate/model"
)

// isMetaDocument recognises /api/1.1/meta output: a top-level object whose
// "post" key is the array of exposed workflows (and which is not itself an
// element).
func isMetaDocument(top map[string]any) bool {
	_, isArray := top["post"].([]any)
	return isArray && !has(top, "type")
}

// parseMeta converts every entry of the "post" array. Every listed workflow
// is public; the meta output has no privacy or description fields, so the
// plan keeps those of an existing workflow (see NewPlan).
func parseMeta(file string, top map[string]any) ([]Item, []Problem) {
	return convertEach(file, top["post"].([]any), metaItem)
}

// metaItem converts one entry of the "post" array; its Ref is set even on
// error, with the endpoint name once it is known.
func metaItem(file string, i int, v any) (Item, error) {
	it := Item{File: file, Format: FormatMeta, Ref: fmt.Sprintf("post[%d]", i)}
	entry, ok := v.(map[string]any)
	if !ok {
		return it, unexpected("", v, "an endpoint object")
	}
	f := fields{obj: entry}
	name := f.text("endpoint")
	f.require(name != "", "has no endpoint (the workflow name), so it cannot be imported")
	if f.err != nil {
		return it, f.err
	}
	it.Ref += " " + name
	f.check(model.ValidateName(name))
	w := model.NewWorkflow(name)
	w.Public = true
	w.Auth, w.AuthMigrated = f.legacyAuth()
	w.Method = f.method("method")
	w.Parameters = f.parameterArray("parameters", metaParameter)
	return f.finish(it, w, SourceFields{Auth: entry["auth_unecessary"], Method: entry["method"]})
}

// metaParameter reads one of [{key, value, optional, param_in}] (and
// is_list, which flowgate's own meta export adds).
func metaParameter(obj map[string]any) (model.Parameter, error) {
	f := fields{obj: obj}
	var p model.Parameter
	p.Key = f.text("key")
	f.require(p.Key != "", "has no key")
	p.Type = f.text("value")
	p.Optional = f.flag("optional")
	p.IsList = f.flag("is_list")
	switch in, present := f.get("param_in"); {
	case !present || in == model.ParamInBody:
		p.In = model.ParamInBody
	case in == model.ParamInQuery:
		p.In = model.ParamInQuery
	default:
		f.check(unexpected("param_in", in, `"body" or "query"`))
	}
	return p, f.err
}
