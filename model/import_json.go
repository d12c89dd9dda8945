package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// jsModulePrefix matches the start of a JavaScript module that wraps an
// element, as repositories that keep one element per file often do:
// `export const sendInvoice = {` (also let, var and `export default`),
// after any leading comments.
var jsModulePrefix = regexp.MustCompile(`^(?:\s|//[^\n]*|/\*[\s\S]*?\*/)*export\s+(?:(?:const|let|var)\s+[A-Za-z_$][A-Za-z0-9_$]*\s*=|default)\s*`)

// IsJSModule reports whether data looks like `export const x = {...};`, so a
// directory walk can take .js element files and leave other scripts alone.
func IsJSModule(data []byte) bool {
	return jsModulePrefix.Match(bytes.TrimPrefix(data, utf8BOM))
}

var utf8BOM = []byte("\xef\xbb\xbf")

// decodeImportJSON decodes a document into plain Go values, unwrapping a
// JavaScript module first. A syntax error is reported with the line and
// column in the original file, since that is what the user's editor shows.
func decodeImportJSON(data []byte) (any, error) {
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		start = len(utf8BOM)
	}
	end := len(data)
	if loc := jsModulePrefix.FindIndex(data[start:]); loc != nil {
		start += loc[1]
		end = len(bytes.TrimRight(data, " \t\r\n"))
		if end > start && data[end-1] == ';' {
			end--
		}
	}
	body := data[start:end]
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("the file is empty, not JSON")
	}
	var doc any
	err := json.Unmarshal(body, &doc)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		// Offset counts the bytes read, including the offending one; when
		// the input ends too early the place to point at is its end.
		pos := int(syntax.Offset) - 1
		if strings.HasPrefix(syntax.Error(), "unexpected end") {
			pos = len(body)
		}
		line, col := lineColumn(data, start+max(pos, 0))
		return nil, fmt.Errorf("invalid JSON at line %d, column %d: %s", line, col, syntax.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return doc, nil
}

// lineColumn turns a byte offset into a 1-based line and column, counting
// the column in characters.
func lineColumn(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// isEmptyFlag recognises Bubble's way of writing an unset yes/no: {"type": "Empty"}.
func isEmptyFlag(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 1 && m["type"] == "Empty"
}

// flag reads a yes/no field: a boolean, {"type": "Empty"} (false), or
// absent (false). Anything else is refused rather than guessed.
func flag(obj map[string]any, key string) (bool, error) {
	v, ok := obj[key]
	if !ok || isEmptyFlag(v) {
		return false, nil
	}
	if b, isBool := v.(bool); isBool {
		return b, nil
	}
	return false, fmt.Errorf(`%s: unexpected value %s (want true, false or {"type": "Empty"})`, key, jsonText(v))
}

// text reads an optional string field; absent is "".
func text(obj map[string]any, key string) (string, error) {
	v, ok := obj[key]
	if !ok {
		return "", nil
	}
	s, isString := v.(string)
	if !isString {
		return "", fmt.Errorf("%s: unexpected value %s (want text)", key, jsonText(v))
	}
	return s, nil
}

// methodField reads trigger_option or a meta entry's method: "get" or
// "post" in any letter case, POST when absent.
func methodField(obj map[string]any, key string) (Method, error) {
	v, ok := obj[key]
	if !ok {
		return MethodPOST, nil
	}
	if s, isString := v.(string); isString {
		switch {
		case strings.EqualFold(s, "get"):
			return MethodGET, nil
		case strings.EqualFold(s, "post"):
			return MethodPOST, nil
		}
	}
	return "", fmt.Errorf(`%s: unexpected value %s (want "get" or "post")`, key, jsonText(v))
}

// legacyAuthField reads auth_unecessary (sic): true is None required, false
// or absent is User and admin — both through LegacyAuth, the one place that
// mapping lives — and "admin_only" is Admin only. migrated is true when the
// value came from the checkbox (a boolean, or the checkbox's unset default)
// rather than from the dropdown, so review asks a person to confirm it.
func legacyAuthField(obj map[string]any) (auth Auth, migrated bool, err error) {
	v, ok := obj["auth_unecessary"]
	if !ok {
		return LegacyAuth(false), true, nil
	}
	switch v := v.(type) {
	case bool:
		return LegacyAuth(v), true, nil
	case string:
		if v == "admin_only" {
			return AuthAdmin, false, nil
		}
	}
	return "", false, fmt.Errorf(`auth_unecessary: unexpected value %s (want true, false or "admin_only")`, jsonText(v))
}

// parameterArray reads a JSON array of parameter objects with parse, naming
// the 1-based position of a bad one. A missing array is no parameters.
func parameterArray(v any, parse func(map[string]any) (Parameter, error)) ([]Parameter, error) {
	if v == nil {
		return []Parameter{}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("parameters: unexpected value %s (want an array)", jsonText(v))
	}
	out := make([]Parameter, 0, len(list))
	for i, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("parameter %d: unexpected value %s (want an object)", i+1, jsonText(e))
		}
		p, err := parse(obj)
		if err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i+1, err)
		}
		out = append(out, p)
	}
	return out, nil
}
