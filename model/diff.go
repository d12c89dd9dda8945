package model

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldChange is one setting that differs between two versions of a
// workflow, named and spelled as the change trail records it, so the
// import plan and the history read alike.
type FieldChange struct {
	Field, Old, New string
}

// DiffSettings lists the settings that differ from old to new, in a fixed
// order. The store records exactly these in the change trail and the
// importer shows them in its plan.
func DiffSettings(old, new Workflow) []FieldChange {
	var out []FieldChange
	add := func(field, o, n string) {
		if o != n {
			out = append(out, FieldChange{field, o, n})
		}
	}
	add("name", old.Name, new.Name)
	add("public", strconv.FormatBool(old.Public), strconv.FormatBool(new.Public))
	add("auth", string(old.Auth), string(new.Auth))
	add("ignore_privacy_rules", strconv.FormatBool(old.IgnorePrivacyRules), strconv.FormatBool(new.IgnorePrivacyRules))
	add("method", string(old.Method), string(new.Method))
	add("description", old.Description, new.Description)
	add("parameters", ParametersText(old.Parameters), ParametersText(new.Parameters))
	add("auth_migrated", strconv.FormatBool(old.AuthMigrated), strconv.FormatBool(new.AuthMigrated))
	return out
}

// ParametersText is a compact one-line form of a parameter list for plans
// and the change trail: "key:type@in", with [] for a list and ? when optional.
func ParametersText(ps []Parameter) string {
	if len(ps) == 0 {
		return "none"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s:%s@%s", p.Key, p.Type, p.In)
		if p.IsList {
			parts[i] += "[]"
		}
		if p.Optional {
			parts[i] += "?"
		}
	}
	return strings.Join(parts, ", ")
}
