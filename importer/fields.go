package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"flowgate/model"
)

// fields reads the fields of one decoded JSON object and keeps the first
// error, so that an item builder reads every field it needs and checks once
// at the end, instead of repeating "read, check, assign" for each field (the
// errWriter pattern from "Errors are values"):
//
//	f := fields{obj: props}
//	w.Public = f.flag("expose")
//	w.Method = f.method("trigger_option")
//	f.check(w.Validate())
//	if f.err != nil { … }
//
// Once a read has failed, every later read returns a zero value and keeps
// the error as it is, so the error reported is the first in reading order:
// the one a person fixing the file meets first.
type fields struct {
	obj map[string]any
	err error
}

// check keeps err, unless an earlier error is already kept. It is how a
// rule over values already read (a name, Workflow.Validate) joins the reads.
func (f *fields) check(err error) {
	if f.err == nil {
		f.err = err
	}
}

// finish is the one check at the end of an item builder: it validates the
// converted workflow and completes the item with it and the source's raw
// fields, or returns the first error kept.
func (f *fields) finish(it Item, w model.Workflow, source SourceFields) (Item, error) {
	f.check(w.Validate())
	if f.err != nil {
		return it, f.err
	}
	it.Workflow, it.Source = w, source
	return it, nil
}

// require keeps the error message unless ok.
func (f *fields) require(ok bool, message string) {
	if !ok {
		f.check(errors.New(message))
	}
}

// get returns the value at key and whether it is there. After an error,
// reading stops: every key reads as absent.
func (f *fields) get(key string) (v any, present bool) {
	if f.err != nil {
		return nil, false
	}
	v, present = f.obj[key]
	return v, present
}

// unexpected is the one wording of a value the importer cannot read safely:
// "key: unexpected value V (want W)", without the key for a whole item.
func unexpected(key string, v any, want string) error {
	msg := fmt.Sprintf("unexpected value %s (want %s)", jsonText(v), want)
	if key == "" {
		return errors.New(msg)
	}
	return errors.New(key + ": " + msg)
}

// must reads key as a T that has to be there: absent reads as null, which is
// not a T. want says what a T is in the message.
func must[T any](f *fields, key, want string) T {
	var t T
	if f.err != nil {
		return t
	}
	v := f.obj[key]
	t, ok := v.(T)
	if !ok {
		f.check(unexpected(key, v, want))
	}
	return t
}

// optional reads key as a T when it is there; absent is T's zero value.
func optional[T any](f *fields, key, want string) T {
	if _, present := f.get(key); !present {
		var zero T
		return zero
	}
	return must[T](f, key, want)
}

// text reads an optional string; absent is "".
func (f *fields) text(key string) string { return optional[string](f, key, "text") }

// boolean reads an optional true or false; absent is false.
func (f *fields) boolean(key string) bool { return optional[bool](f, key, "true or false") }

// flag reads a Bubble yes/no: a boolean, {"type": "Empty"} (false), or
// absent (false). Anything else is refused rather than guessed.
func (f *fields) flag(key string) bool {
	v, present := f.get(key)
	if !present || isEmptyFlag(v) {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		f.check(unexpected(key, v, `true, false or {"type": "Empty"}`))
	}
	return b
}

// isEmptyFlag recognises Bubble's way of writing an unset yes/no: {"type": "Empty"}.
func isEmptyFlag(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 1 && m["type"] == "Empty"
}

// method reads trigger_option or a meta entry's method: "get" or "post" in
// any letter case, POST when absent.
func (f *fields) method(key string) model.Method {
	v, present := f.get(key)
	if !present {
		return model.MethodPOST
	}
	if s, isString := v.(string); isString {
		switch {
		case strings.EqualFold(s, "get"):
			return model.MethodGET
		case strings.EqualFold(s, "post"):
			return model.MethodPOST
		}
	}
	f.check(unexpected(key, v, `"get" or "post"`))
	return ""
}

// legacyAuth reads auth_unecessary (sic): true is None required, false or
// absent is User and admin — both through model.LegacyAuth, the one place
// that mapping lives — and "admin_only" is Admin only. migrated is true when
// the value came from the checkbox (a boolean, or the checkbox's unset
// default) rather than from the dropdown, so review asks a person to confirm
// it.
func (f *fields) legacyAuth() (auth model.Auth, migrated bool) {
	const key = "auth_unecessary"
	v, present := f.get(key)
	if !present {
		return model.LegacyAuth(false), true
	}
	switch v := v.(type) {
	case bool:
		return model.LegacyAuth(v), true
	case string:
		if v == "admin_only" {
			return model.AuthAdmin, false
		}
	}
	f.check(unexpected(key, v, `true, false or "admin_only"`))
	return "", false
}

// onlyKeys refuses any key that allowed does not list, for formats read
// strictly.
func (f *fields) onlyKeys(allowed map[string]bool) {
	for _, k := range sortedKeys(f.obj) {
		f.require(allowed[k], fmt.Sprintf("unknown key %q", k))
	}
}

// parameterArray reads key as a JSON array of parameter objects, each read
// by parse, and names a bad one by its 1-based position. Absent (or null)
// is no parameters.
func (f *fields) parameterArray(key string, parse func(obj map[string]any) (model.Parameter, error)) []model.Parameter {
	v, _ := f.get(key)
	if v == nil {
		return []model.Parameter{}
	}
	list, ok := v.([]any)
	if !ok {
		f.check(unexpected(key, v, "an array"))
		return nil
	}
	refs := make([]string, len(list))
	for i := range list {
		refs[i] = strconv.Itoa(i + 1)
	}
	return f.parameterList(refs, list, parse)
}

// parameterList reads every entry, which must be an object, with parse, and
// names a bad one "parameter REF".
func (f *fields) parameterList(refs []string, entries []any, parse func(obj map[string]any) (model.Parameter, error)) []model.Parameter {
	out := make([]model.Parameter, 0, len(entries))
	for i, e := range entries {
		obj, ok := e.(map[string]any)
		if !ok {
			f.check(fmt.Errorf("parameter %s: %w", refs[i], unexpected("", e, "an object")))
			return nil
		}
		param, err := parse(obj)
		if err != nil {
			f.check(fmt.Errorf("parameter %s: %w", refs[i], err))
			return nil
		}
		out = append(out, param)
	}
	return out
}
