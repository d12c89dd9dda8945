package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
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

// decodeJSON decodes a document into plain Go values, unwrapping a
// JavaScript module first. A syntax error is reported with the line and
// column in the original file, since that is what the user's editor shows.
func decodeJSON(data []byte) (any, error) {
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

// has reports whether obj has key, whatever its value.
func has(obj map[string]any, key string) bool {
	_, ok := obj[key]
	return ok
}

// sortedKeys returns obj's keys in a fixed order, so walking a decoded
// document (whose maps have no order) always gives the same result.
func sortedKeys(obj map[string]any) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// jsonText shows a decoded JSON value the way it was written, for messages.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
