package model

// metaDocument is the /api/1.1/meta shape: "get" would list data types
// (flowgate has none), "post" lists the public workflows.
type metaDocument struct {
	Get  []any       `json:"get"`
	Post []metaEntry `json:"post"`
}

type metaEntry struct {
	Endpoint       string         `json:"endpoint"`
	Method         Method         `json:"method"`
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
// "admin_only". It is the inverse of LegacyAuth plus the dropdown's newer
// string, used only for exporting.
func legacyAuthValue(a Auth) any {
	switch a {
	case AuthNone:
		return true
	case AuthAdmin:
		return "admin_only"
	}
	return false
}

// ExportMeta writes the public workflows in the /api/1.1/meta shape, for
// tools that read Bubble's own description of an app. Scheduled-only
// workflows are not callable, so, as in Bubble, they are not listed; their
// privacy setting and description have no place in this shape either.
func ExportMeta(workflows []Workflow) ([]byte, error) {
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
