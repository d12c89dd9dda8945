package importer

import (
	"sort"
	"strconv"

	"flowgate/model"
)

// parseBubble walks a whole Bubble document — an app export or a single
// element — and converts every object with "type": "APIEvent", wherever it
// is nested. Maps are walked in key order so results never depend on Go's
// map iteration.
func parseBubble(file string, doc any) ([]Item, []Problem) {
	var items []Item
	var problems []Problem
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "APIEvent" {
				it, err := bubbleItem(file, path, v)
				if err != nil {
					problems = append(problems, Problem{File: file, Ref: it.Ref, Message: err.Error()})
				} else {
					items = append(items, it)
				}
			}
			for _, k := range sortedKeys(v) {
				walk(v[k], joinPath(path, k))
			}
		case []any:
			for i, e := range v {
				walk(e, path+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(doc, "")
	return items, problems
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// bubbleItem converts one APIEvent. The returned item's Ref is set even on
// error, so the problem can name the element.
func bubbleItem(file, path string, ev map[string]any) (Item, error) {
	it := Item{File: file, Format: FormatBubble, Ref: "APIEvent at " + orRoot(path)}
	if id, ok := ev["id"].(string); ok && id != "" {
		it.Ref = "APIEvent " + id
	}
	element := fields{obj: ev}
	props := optional[map[string]any](&element, "properties", "an object")
	if element.err != nil {
		return it, element.err
	}
	f := fields{obj: props}
	name := optional[string](&f, "wf_name", "the endpoint name")
	f.require(name != "", "has no wf_name (the endpoint name), so it cannot be imported")
	f.check(model.ValidateName(name))
	w := model.NewWorkflow(name)
	w.Public = f.flag("expose")
	w.Auth, w.AuthMigrated = f.legacyAuth()
	w.IgnorePrivacyRules = f.flag("ignore_privacy_rules")
	w.Method = f.method("trigger_option")
	w.Description = element.text("name") // the element's own name, beside its properties
	f.check(element.err)
	w.Parameters = f.bubbleParameters("parameters")
	return f.finish(it, w, SourceFields{Expose: props["expose"], Auth: props["auth_unecessary"], Method: props["trigger_option"]})
}

func orRoot(path string) string {
	if path == "" {
		return "the top level"
	}
	return path
}

// bubbleParameters reads an APIEvent's parameters: an object keyed "0",
// "1", … (an array is accepted too), in numeric key order.
func (f *fields) bubbleParameters(key string) []model.Parameter {
	v, _ := f.get(key)
	var entries []any
	var refs []string
	switch v := v.(type) {
	case nil:
		return []model.Parameter{}
	case []any:
		for i, e := range v {
			entries, refs = append(entries, e), append(refs, strconv.Itoa(i))
		}
	case map[string]any:
		refs = sortedKeys(v)
		sort.SliceStable(refs, func(i, j int) bool { return numericLess(refs[i], refs[j]) })
		for _, k := range refs {
			entries = append(entries, v[k])
		}
	default:
		f.check(unexpected(key, v, "an object of parameters"))
		return nil
	}
	return f.parameterList(refs, entries, bubbleParameter)
}

// bubbleParameter reads one parameter: key, value (its type), in_url,
// is_list and optional.
func bubbleParameter(obj map[string]any) (model.Parameter, error) {
	f := fields{obj: obj}
	var p model.Parameter
	p.In = model.ParamInBody
	p.Key = f.text("key")
	f.require(p.Key != "", "has no key")
	p.Type = f.text("value")
	if f.flag("in_url") {
		p.In = model.ParamInQuery
	}
	p.IsList = f.flag("is_list")
	p.Optional = f.flag("optional")
	return p, f.err
}

// numericLess orders "2" before "10"; keys that are not numbers come after
// the numbered ones, in text order.
func numericLess(a, b string) bool {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return na < nb
	case errA == nil:
		return true
	case errB == nil:
		return false
	}
	return a < b
}
