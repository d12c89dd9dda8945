package model

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// parseBubble walks a whole Bubble document — an app export or a single
// element — and converts every object with "type": "APIEvent", wherever it
// is nested. Maps are walked in key order so results never depend on Go's
// map iteration.
func parseBubble(file string, doc any) ([]ImportItem, []ImportProblem) {
	var items []ImportItem
	var problems []ImportProblem
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "APIEvent" {
				it, err := bubbleItem(file, path, v)
				if err != nil {
					problems = append(problems, ImportProblem{File: file, Ref: it.Ref, Message: err.Error()})
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
func bubbleItem(file, path string, ev map[string]any) (ImportItem, error) {
	it := ImportItem{File: file, Format: FormatBubble, Ref: "APIEvent at " + orRoot(path)}
	if id, ok := ev["id"].(string); ok && id != "" {
		it.Ref = "APIEvent " + id
	}
	props := map[string]any{}
	if v, ok := ev["properties"]; ok {
		if props, ok = v.(map[string]any); !ok {
			return it, fmt.Errorf("properties: unexpected value %s (want an object)", jsonText(v))
		}
	}
	name, ok := props["wf_name"].(string)
	if !ok || name == "" {
		if has(props, "wf_name") && !ok {
			return it, fmt.Errorf("wf_name: unexpected value %s (want the endpoint name)", jsonText(props["wf_name"]))
		}
		return it, errors.New("has no wf_name (the endpoint name), so it cannot be imported")
	}
	if err := ValidateName(name); err != nil {
		return it, err
	}
	w := NewWorkflow(name)
	var err error
	if w.Public, err = flag(props, "expose"); err != nil {
		return it, err
	}
	if w.Auth, w.AuthMigrated, err = legacyAuthField(props); err != nil {
		return it, err
	}
	if w.IgnorePrivacyRules, err = flag(props, "ignore_privacy_rules"); err != nil {
		return it, err
	}
	if w.Method, err = methodField(props, "trigger_option"); err != nil {
		return it, err
	}
	if w.Description, err = text(ev, "name"); err != nil {
		return it, err
	}
	if w.Parameters, err = bubbleParameters(props["parameters"]); err != nil {
		return it, err
	}
	if err := w.Validate(); err != nil {
		return it, err
	}
	it.Workflow = w
	it.Source = SourceFields{Expose: props["expose"], Auth: props["auth_unecessary"], Method: props["trigger_option"]}
	return it, nil
}

func orRoot(path string) string {
	if path == "" {
		return "the top level"
	}
	return path
}

// bubbleParameters reads an APIEvent's parameters: an object keyed "0",
// "1", … (an array is accepted too), in numeric key order.
func bubbleParameters(v any) ([]Parameter, error) {
	var entries []any
	var refs []string
	switch v := v.(type) {
	case nil:
		return []Parameter{}, nil
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
		return nil, fmt.Errorf("parameters: unexpected value %s (want an object of parameters)", jsonText(v))
	}
	out := make([]Parameter, 0, len(entries))
	for i, e := range entries {
		p, err := bubbleParameter(e)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", refs[i], err)
		}
		out = append(out, p)
	}
	return out, nil
}

func bubbleParameter(v any) (Parameter, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return Parameter{}, fmt.Errorf("unexpected value %s (want an object)", jsonText(v))
	}
	p := Parameter{In: ParamInBody}
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
	inURL, err := flag(obj, "in_url")
	if err != nil {
		return p, err
	}
	if inURL {
		p.In = ParamInQuery
	}
	if p.IsList, err = flag(obj, "is_list"); err != nil {
		return p, err
	}
	if p.Optional, err = flag(obj, "optional"); err != nil {
		return p, err
	}
	return p, nil
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
