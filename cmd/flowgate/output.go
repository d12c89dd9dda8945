package main

import (
	"encoding/json"
	"io"
	"text/tabwriter"
	"time"

	"flowgate/model"
)

// workflowJSON is the shape of a workflow in `list --json` and `show --json`;
// its keys are a contract with scripts, so it is spelled out here rather
// than derived from the model's field names.
type workflowJSON struct {
	Name               string            `json:"name"`
	Exposure           model.Exposure    `json:"exposure"`
	Public             bool              `json:"public"`
	Auth               model.Auth        `json:"auth"`
	Method             model.Method      `json:"method"`
	IgnorePrivacyRules bool              `json:"ignore_privacy_rules"`
	Description        string            `json:"description"`
	Parameters         []model.Parameter `json:"parameters"`
	Version            int64             `json:"version"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
}

func toJSON(w model.Workflow) workflowJSON {
	params := w.Parameters
	if params == nil {
		params = []model.Parameter{}
	}
	return workflowJSON{
		Name: w.Name, Exposure: model.ExposureOf(w), Public: w.Public, Auth: w.Auth, Method: w.Method,
		IgnorePrivacyRules: w.IgnorePrivacyRules, Description: w.Description, Parameters: params,
		Version: w.Version, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
	}
}

// writeJSON prints v indented, the way every --json flag does.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newTable returns an aligned-column writer; call Flush when done.
func newTable(out io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
}

// authColumn shows the Authentication choice, or a dash when the workflow
// is not public and the choice has no effect.
func authColumn(w model.Workflow) string {
	if !w.Public {
		return "—"
	}
	return string(w.Auth)
}

// privacyColumn says whether the workflow runs with privacy rules applied.
func privacyColumn(w model.Workflow) string {
	if w.IgnorePrivacyRules {
		return "ignored"
	}
	return "applied"
}
