package model

import (
	"errors"
	"fmt"
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
// plan keeps those of an existing workflow (see PlanImport).
func parseMeta(file string, top map[string]any) ([]ImportItem, []ImportProblem) {
	var items []ImportItem
	var problems []ImportProblem
	for i, e := range top["post"].([]any) {
		it, err := metaItem(file, i, e)
		if err != nil {
			problems = append(problems, ImportProblem{File: file, Ref: it.Ref, Message: err.Error()})
			continue
		}
		items = append(items, it)
	}
	return items, problems
}

func metaItem(file string, i int, v any) (ImportItem, error) {
	it := ImportItem{File: file, Format: FormatMeta, Ref: fmt.Sprintf("post[%d]", i)}
	entry, ok := v.(map[string]any)
	if !ok {
		return it, fmt.Errorf("unexpected value %s (want an endpoint object)", jsonText(v))
	}
	name, err := text(entry, "endpoint")
	if err != nil {
		return it, err
	}
	if name == "" {
		return it, errors.New("has no endpoint (the workflow name), so it cannot be imported")
	}
	it.Ref += " " + name
	if err := ValidateName(name); err != nil {
		return it, err
	}
	w := NewWorkflow(name)
	w.Public = true
	if w.Auth, w.AuthMigrated, err = legacyAuthField(entry); err != nil {
		return it, err
	}
	if w.Method, err = methodField(entry, "method"); err != nil {
		return it, err
	}
	if w.Parameters, err = metaParameters(entry["parameters"]); err != nil {
		return it, err
	}
	if err := w.Validate(); err != nil {
		return it, err
	}
	it.Workflow = w
	it.Source = SourceFields{Auth: entry["auth_unecessary"], Method: entry["method"]}
	return it, nil
}

// metaParameters reads [{key, value, optional, param_in}] (and is_list,
// which flowgate's own meta export adds).
func metaParameters(v any) ([]Parameter, error) {
	return parameterArray(v, metaParameter)
}

func metaParameter(obj map[string]any) (Parameter, error) {
	var p Parameter
	var err error
	if p.Key, err = text(obj, "key"); err != nil {
		return p, err
	}
	if p.Key == "" {
		return p, errors.New("has no key")
	}
	if p.Type, err = text(obj, "value"); err != nil {
		return p, err
	}
	if p.Optional, err = flag(obj, "optional"); err != nil {
		return p, err
	}
	if p.IsList, err = flag(obj, "is_list"); err != nil {
		return p, err
	}
	switch in, _ := obj["param_in"].(string); {
	case !has(obj, "param_in") || in == ParamInBody:
		p.In = ParamInBody
	case in == ParamInQuery:
		p.In = ParamInQuery
	default:
		return p, fmt.Errorf(`param_in: unexpected value %s (want "body" or "query")`, jsonText(obj["param_in"]))
	}
	return p, nil
}
